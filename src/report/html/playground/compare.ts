/**
 * Comparing two runs: run A (pinned) and run B (the latest) side by side — the figures of src/report/run-figures.ts,
 * the settings that differ between their YAMLs, and both runs' free addresses per subnet overlaid on one chart (A
 * solid, B dashed, one colour per subnet). Not here: the runs themselves (main.ts), each run's own panels.
 */
import { KNOBS, readKnobs } from '../../../scenario/knobs.ts';
import type { RunRecord } from '../../record/types.ts';
import type { RunFigures } from '../../run-figures.ts';
import { PALETTE, timeChart } from '../page/charts.ts';
import { fill, h, panel, secs } from '../page/dom.ts';
import { freeColumns } from '../page/subnets.ts';

export interface PlayedRun {
  yaml: string;
  record: RunRecord;
  figures: RunFigures;
}

const ROWS: { label: string; get: (f: RunFigures) => number | null; show?: (f: RunFigures) => string; ms?: true }[] = [
  { label: 'addresses held by nodes, peak', get: (f) => f.heldPeak },
  { label: 'addresses held by nodes, at the end', get: (f) => f.heldEnd },
  { label: 'unused (warm or cooling), peak', get: (f) => f.unusedPeak },
  { label: 'unused (warm or cooling), at the end', get: (f) => f.unusedEnd },
  { label: 'stuck pod-minutes', get: (f) => Math.round(f.stuckPodMinutes * 10) / 10 },
  { label: 'p95 scheduled → address', ms: true, get: (f) => f.p95WaitMs, show: (f) => (f.p95WaitMs === null ? '—' : `${f.p95AtLeast ? '≥ ' : ''}${secs(f.p95WaitMs)}`) },
  { label: 'EC2 calls', get: (f) => f.ec2Calls },
  { label: 'EC2 throttled attempts', get: (f) => f.ec2Throttled },
];

function change(a: number | null, b: number | null, ms: boolean): string {
  if (a === null || b === null) return '';
  if (a === b) return '=';
  const d = Math.round((b - a) * 10) / 10;
  const amount = ms ? `${d < 0 ? '−' : ''}${secs(Math.abs(d))}` : String(Math.abs(d));
  return `${d > 0 ? '+' : d < 0 && !ms ? '−' : ''}${amount}${a === 0 ? '' : ` (${Math.round((100 * (b - a)) / a)} %)`}`;
}

/** The settings whose values differ between the two YAMLs, as "NAME: a → b". */
function settingChanges(a: string, b: string): string[] {
  const ka = readKnobs(a);
  const kb = readKnobs(b);
  if (ka === undefined || kb === undefined) return [];
  return KNOBS.filter((k) => ka.get(k.id)?.value !== kb.get(k.id)?.value).map((k) => `${k.label}: ${ka.get(k.id)?.value || 'default'} → ${kb.get(k.id)?.value || 'default'}`);
}

/** Free addresses per subnet for both runs on one time axis, each value held until its next change. */
function overlay(el: HTMLElement, a: RunRecord, b: RunRecord): void {
  const times = [...new Set([0, a.end, b.end, ...a.changes.subnets.map((c) => c[0]), ...b.changes.subnets.map((c) => c[0])])].sort((x, y) => x - y);
  const cols: (number | null)[][] = [];
  const series: { label: string; color: string; dash?: number[] }[] = [];
  const ids = [...new Set([...a.subnets.map((s) => s.id), ...b.subnets.map((s) => s.id)])];
  for (const [run, name, dash] of [[a, 'A', undefined], [b, 'B', [6, 3]]] as const) {
    for (const col of freeColumns(run, times)) cols.push(col.map((v, j) => (times[j] > run.end ? null : v)));
    run.subnets.forEach((s) => {
      series.push({ label: `${name} ${s.id}`, color: PALETTE[ids.indexOf(s.id) % PALETTE.length], ...(dash === undefined ? {} : { dash: [...dash] }) });
    });
  }
  fill(el);
  // asinh only where subnets of very different sizes share the axis (a /27 beside a /19); else a plain axis shows
  // the difference between the runs better
  const sizes = [...a.subnets, ...b.subnets].map((s) => s.usable);
  const asinh = Math.max(...sizes) > 20 * Math.max(1, Math.min(...sizes));
  timeChart(el, [times.map((t) => t / 1000), ...cols], series, { height: 220, onPick: () => undefined, yLabel: 'free addresses', asinh }).setTime(0);
}

export function comparePanel(): { root: HTMLElement; show(a: PlayedRun | undefined, b: PlayedRun | undefined): void } {
  const { root, body } = panel('compare', 'Compare: A (pinned) and B (latest run)', 'The same figures for both runs, and both runs\' free addresses per subnet on one chart: A solid, B dashed.');
  root.hidden = true;
  const settings = h('p', { class: 'note' });
  const table = h('table', { class: 'compare-table' });
  const chart = h('div', { class: 'chart' });
  body.append(settings, table, chart);
  return {
    root,
    show(a, b) {
      root.hidden = a === undefined || b === undefined;
      if (a === undefined || b === undefined) return;
      const diff = settingChanges(a.yaml, b.yaml);
      const bounds = [a, b].filter((x) => x.figures.partial !== undefined).map((x) => `${x === a ? 'A' : 'B'} recorded ${x.figures.partial} only (the record's size bound), so its unused addresses and stuck pod-minutes count those`);
      settings.textContent = [a.yaml === b.yaml ? 'A and B ran the same YAML.' : diff.length > 0 ? `Settings changed: ${diff.join('; ')}.` : 'The YAMLs differ outside the settings above.', ...bounds.map((x) => `${x}.`)].join(' ');
      fill(
        table,
        h('thead', {}, h('tr', {}, ...['', 'A', 'B', 'B − A'].map((c) => h('th', { text: c })))),
        h(
          'tbody',
          {},
          ...ROWS.map((r) => {
            const va = r.get(a.figures);
            const vb = r.get(b.figures);
            const txt = (f: RunFigures, v: number | null): string => r.show?.(f) ?? (v === null ? '—' : String(v));
            return h('tr', { 'data-figure': r.label }, h('th', { text: r.label }), h('td', { class: 'fig-a', text: txt(a.figures, va) }), h('td', { class: 'fig-b', text: txt(b.figures, vb) }), h('td', { text: change(va, vb, r.ms === true) }));
          }),
        ),
      );
      overlay(chart, a.record, b.record);
    },
  };
}
