/**
 * The playground's script: the scenario's YAML in an editor with the knob controls above it, Run / Stop, the CLI's own
 * error under the editor, the latest run drawn in the report's panels (page/report-view.ts), a pinned run A compared
 * with the latest run B (compare.ts), and the scenario kept in the URL hash as a share link (share.ts). The simulation
 * runs in a Web Worker (client.ts, worker.ts) built from the CLI's source. A broken YAML or a run too large for the
 * page shows its message and keeps the last good run. Bundled by src/cli/report-assets.ts.
 */
import { setKnob } from '../../../scenario/knobs.ts';
import { formatDuration } from '../../../util/duration.ts';
import type { PlayReply } from '../../play.ts';
import { h } from '../page/dom.ts';
import { reportView, type ReportView } from '../page/report-view.ts';
import { runClient } from './client.ts';
import { comparePanel, type PlayedRun } from './compare.ts';
import { controls } from './controls.ts';
import { scenarioFromHash, shareHash } from './share.ts';

interface PageData {
  yaml: string;
  file: string;
  /** Events past which a run stops as too large for the page (src/report/play.ts). */
  maxEvents: number;
}

function status(el: HTMLElement, state: string, text: string): void {
  el.textContent = text;
  document.body.dataset.state = state;
}

function main(): void {
  const data = JSON.parse(document.getElementById('playground-data')?.textContent ?? 'null') as PageData | null;
  const app = document.getElementById('app')!;
  const source = document.getElementById('core-worker')?.textContent ?? '';
  if (data === null || source === '') {
    app.append(h('p', { text: 'This file holds no playground this page can read.' }));
    return;
  }
  const client = runClient(source);
  const editor = h('textarea', { id: 'scenario', spellcheck: 'false', 'aria-label': 'scenario YAML', rows: '24' });
  const error = h('pre', { id: 'yaml-error', class: 'yaml-error', role: 'alert' });
  /** Shows a message under the editor; with a line, a button that selects that line in the editor. */
  const showError = (message: string, line?: number): void => {
    error.replaceChildren(message);
    if (line === undefined) return;
    const go = h('button', { type: 'button', class: 'go-to-line', text: `show line ${line}` });
    go.addEventListener('click', () => {
      const lines = editor.value.split('\n');
      const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
      editor.focus();
      editor.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
      editor.scrollTop = Math.max(0, ((line - 3) / Math.max(1, lines.length)) * editor.scrollHeight);
    });
    error.append(' ', go);
  };
  const runBtn = h('button', { type: 'button', id: 'run', text: '▶ Run', title: 'run the scenario (Ctrl+Enter)' });
  const stopBtn = h('button', { type: 'button', id: 'stop', text: '■ Stop', disabled: '' });
  const pinBtn = h('button', { type: 'button', id: 'pin', text: 'Pin as A', disabled: '', title: 'keep this run as A; the next runs are B' });
  const unpinBtn = h('button', { type: 'button', id: 'unpin', text: 'Unpin A', disabled: '' });
  const progress = h('progress', { id: 'progress', max: '1', value: '0' });
  const state = h('output', { id: 'status', 'aria-live': 'polite' });
  const link = h('input', { id: 'share-link', type: 'text', readonly: '', 'aria-label': 'share link', placeholder: 'the share link appears after a run' });
  const json = h('pre', { id: 'run-json', class: 'run-json' });
  const jsonBox = h('details', { id: 'run-json-box' }, h('summary', { text: 'This run as `npx vpc-cni-sim run FILE --format json` prints it' }), json);
  const knobs = controls((id, value) => {
    const next = setKnob(editor.value, id, value);
    if (next === undefined) {
      showError(`${id}: fix the YAML first (the setting has no place in a document that does not parse, or the file has none for it)`);
      return;
    }
    editor.value = next;
    void start();
  });
  const compare = comparePanel();
  const report = h('div', { id: 'report' });
  app.append(
    h('header', {}, h('h1', {}, h('span', { text: 'vpc-cni-sim playground' }), h('small', { text: ` ${data.file} — edit, run, compare; nothing leaves this page` }))),
    h('section', { class: 'pg-edit' }, knobs.root, h('div', { class: 'pg-editor' }, editor, error)),
    h('div', { class: 'pg-actions' }, runBtn, stopBtn, pinBtn, unpinBtn, progress, state, link),
    compare.root,
    report,
    jsonBox,
  );

  let view: ReportView | undefined;
  let latest: (PlayedRun & { json: string }) | undefined;
  let pinned: PlayedRun | undefined;
  let runs = 0;
  /** The newest run asked for: a reply to an older one (ended by a newer Run) is dropped. */
  let newest = 0;

  function draw(r: PlayedRun & { json: string }): void {
    const t0 = performance.now();
    view?.dispose();
    latest = r;
    report.replaceChildren();
    view = reportView(r.record, { hash: false });
    report.append(...view.nodes);
    view.seek(r.record.end);
    json.textContent = jsonBox.open ? r.json : '';
    compare.show(pinned, pinned === undefined ? undefined : r);
    pinBtn.disabled = false;
    // what the speed bench reads (bench/playground-speed.ts): the page's wall time to draw, outside any simulation
    document.body.dataset.drawMs = String(Math.round(performance.now() - t0));
  }

  function answer(reply: PlayReply | 'stopped', yaml: string): void {
    stopBtn.disabled = true;
    if (reply === 'stopped') return status(state, 'stopped', 'Stopped. The last finished run is shown.');
    if (reply.kind === 'error') {
      showError(reply.message, reply.line);
      return status(state, 'error', latest === undefined ? 'The scenario has an error (below the editor).' : 'The scenario has an error (below the editor); the last good run is shown.');
    }
    if (reply.kind === 'too-large') {
      showError(reply.message);
      return status(state, 'too-large', 'Too large for a page; the last good run is shown.');
    }
    showError(reply.warnings.map((w) => `warning: ${w}`).join('\n'));
    runs++;
    draw({ yaml, record: reply.record, figures: reply.figures, json: reply.json });
    document.body.dataset.runs = String(runs);
    status(state, 'done', `Run ${runs}: ${formatDuration(reply.record.end)} of virtual time, seed ${reply.record.seed}.`);
    void shareHash(yaml).then((hash) => {
      if (editor.value !== yaml) return;
      history.replaceState(null, '', hash);
      link.value = location.href;
    });
  }

  async function start(): Promise<void> {
    const mine = ++newest;
    const yaml = editor.value;
    knobs.show(yaml);
    stopBtn.disabled = false;
    progress.value = 0;
    status(state, 'running', 'Running…');
    const t0 = performance.now();
    const reply = await client.run({ yaml, file: data!.file, maxEvents: data!.maxEvents }, (p) => {
      progress.value = p.end === 0 ? 1 : Math.min(1, p.now / p.end);
      state.textContent = `Running… ${formatDuration(p.now)} of ${formatDuration(p.end)}, ${p.events.toLocaleString('en-US')} events`;
    });
    document.body.dataset.runMs = String(Math.round(performance.now() - t0));
    if (mine === newest) answer(reply, yaml);
  }

  runBtn.addEventListener('click', () => void start());
  stopBtn.addEventListener('click', () => client.stop());
  pinBtn.addEventListener('click', () => {
    if (latest === undefined) return;
    pinned = latest;
    unpinBtn.disabled = false;
    status(state, 'done', 'Run pinned as A. Change a setting and run again: the new run is B.');
    compare.show(pinned, undefined);
  });
  unpinBtn.addEventListener('click', () => {
    pinned = undefined;
    unpinBtn.disabled = true;
    compare.show(undefined, undefined);
  });
  jsonBox.addEventListener('toggle', () => {
    if (jsonBox.open && latest !== undefined) json.textContent = latest.json;
  });
  editor.addEventListener('input', () => knobs.show(editor.value));
  editor.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void start();
    }
  });
  window.addEventListener('hashchange', () => void open());

  async function open(): Promise<void> {
    const shared = await scenarioFromHash(location.hash);
    if (shared instanceof Error) showError(shared.message);
    const yaml = typeof shared === 'string' ? shared : data!.yaml;
    if (latest !== undefined && yaml === editor.value) return;
    editor.value = yaml;
    await start();
    document.body.dataset.ready = 'true';
  }
  void open();
}

main();
