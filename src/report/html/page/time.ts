/**
 * The page's clock: a slider over the whole run, play/pause, steps to the previous/next change, markers for timeline
 * actions, expectations and the first stuck pod, the keyboard (←/→ step, space plays) and the time in the URL hash
 * (`#t=4m30s`), so a link opens at that instant. Calls `onSeek(t)` for every new time.
 */
import { formatDuration, parseDuration } from '../../../util/duration.ts';
import type { RunRecord } from '../../record/types.ts';
import { h } from './dom.ts';

export interface Marker {
  t: number;
  kind: 'action' | 'pass' | 'fail' | 'stuck';
  label: string;
}

export interface Clock {
  root: HTMLElement;
  seek(t: number): void;
  now(): number;
  /** Stops playing and lets go of the document's keyboard and hash (a page that draws a new run drops the old clock). */
  dispose(): void;
}

export interface ClockOptions {
  /** Keep the time in the URL hash (`#t=4m30s`) and follow its changes; off where the hash holds something else. */
  hash: boolean;
}

const SYMBOL: Record<Marker['kind'], string> = { action: '▲', pass: '✓', fail: '✗', stuck: '●' };

export function clock(r: RunRecord, stops: number[], markers: Marker[], onSeek: (t: number) => void, opts: ClockOptions = { hash: true }): Clock {
  let t = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const slider = h('input', { type: 'range', min: '0', max: String(r.end), step: '100', value: '0', 'aria-label': 'time' });
  const label = h('output', { class: 'clock', 'aria-live': 'polite' });
  const play = h('button', { type: 'button', class: 'play', title: 'play / pause (space)', text: '▶ play' });
  const prev = h('button', { type: 'button', title: 'previous change (←)', text: '◀ prev' });
  const next = h('button', { type: 'button', title: 'next change (→)', text: 'next ▶' });
  const marks = h('div', { class: 'markers' });
  for (const m of markers) {
    const b = h('button', { type: 'button', class: `marker ${m.kind}`, title: `${formatDuration(m.t)}: ${m.label}`, text: SYMBOL[m.kind] });
    b.style.left = `${(100 * m.t) / Math.max(1, r.end)}%`;
    b.addEventListener('click', () => seek(m.t));
    marks.append(b);
  }
  const legend = h('div', { class: 'marker-legend', text: '▲ timeline action   ✓ expectation met   ✗ expectation failed   ● first stuck pod' });
  const root = h('div', { class: 'timebar' }, h('div', { class: 'buttons' }, prev, play, next, label), h('div', { class: 'track' }, marks, slider), legend);

  let frame: number | undefined;
  function seek(to: number, fromHash = false): void {
    t = Math.max(0, Math.min(r.end, Math.round(to)));
    slider.value = String(t);
    if (!fromHash && opts.hash) history.replaceState(null, '', `#t=${formatDuration(t)}`);
    // a dragged slider fires faster than panels redraw: draw the latest time once per frame
    frame ??= requestAnimationFrame(() => {
      frame = undefined;
      onSeek(t);
      label.textContent = `t = ${formatDuration(t)} of ${formatDuration(r.end)}`;
      document.body.dataset.t = String(t);
    });
  }
  const step = (dir: 1 | -1): void => {
    const i = dir > 0 ? stops.findIndex((s) => s > t) : findLast(stops, (s) => s < t);
    if (i >= 0) seek(stops[i]);
  };
  const toggle = (): void => {
    if (timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
      play.textContent = '▶ play';
      return;
    }
    if (t >= r.end) seek(0);
    play.textContent = '❚❚ pause';
    // the whole run in about 30 s
    timer = setInterval(() => {
      seek(t + r.end / 150);
      if (t >= r.end) toggle();
    }, 200);
  };
  slider.addEventListener('input', () => seek(Number(slider.value)));
  play.addEventListener('click', toggle);
  prev.addEventListener('click', () => step(-1));
  next.addEventListener('click', () => step(1));
  const onKey = (e: KeyboardEvent): void => {
    const target = e.target as HTMLElement | null;
    if (target !== null && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA') && target !== slider) return;
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      step(e.key === 'ArrowRight' ? 1 : -1);
    } else if (e.key === ' ') {
      e.preventDefault();
      toggle();
    }
  };
  const onHash = (): void => seek(timeFromHash(r.end) ?? t, true);
  document.addEventListener('keydown', onKey);
  if (opts.hash) window.addEventListener('hashchange', onHash);
  const dispose = (): void => {
    if (timer !== undefined) toggle();
    document.removeEventListener('keydown', onKey);
    window.removeEventListener('hashchange', onHash);
  };
  return { root, seek: (to) => seek(to), now: () => t, dispose };
}

/** The time named by `#t=…` (a duration such as 4m30s, or whole seconds such as 270), if any; none for a malformed hash. */
export function timeFromHash(end: number): number | undefined {
  const m = /(?:^#|&)t=([^&]+)/.exec(location.hash);
  if (m === null) return undefined;
  let text: string;
  try {
    text = decodeURIComponent(m[1]);
  } catch {
    return undefined; // a malformed escape such as %E0: open at the start rather than not at all
  }
  const d = /^\d+$/.test(text) ? { ok: true as const, ms: Number(text) * 1000 } : parseDuration(text);
  return d.ok ? Math.min(end, d.ms) : undefined;
}

function findLast<T>(xs: T[], f: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (f(xs[i])) return i;
  return -1;
}
