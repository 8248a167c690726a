/**
 * The playground's script: the scenario's YAML in an editor (editor.ts) with the knob controls beside it
 * (controls.ts), Run / Stop, the latest run drawn in the report's panels (page/report-view.ts), a pinned run A
 * compared with the latest run B (compare.ts), and the scenario kept in the URL hash as a share link (share.ts). The
 * simulation runs in a Web Worker (client.ts, worker.ts) built from the CLI's source. A broken YAML or a run too large
 * for the page shows its message and keeps the last good run. Bundled by src/cli/report-assets.ts.
 */
import { setKnob } from '../../../scenario/knobs.ts';
import { formatDuration } from '../../../util/duration.ts';
import type { PlayReply } from '../../play.ts';
import { h } from '../page/dom.ts';
import { reportView, type ReportView } from '../page/report-view.ts';
import { runClient, type RunClient } from './client.ts';
import { comparePanel, type PlayedRun } from './compare.ts';
import { controls, type Controls } from './controls.ts';
import { scenarioEditor, type Editor } from './editor.ts';
import { scenarioFromHash, shareHash } from './share.ts';

interface PageData {
  yaml: string;
  file: string;
  /** Events past which a run stops as too large for the page (src/report/play.ts). */
  maxEvents: number;
}

type Run = PlayedRun & { json: string };

function button(id: string, text: string, title = ''): HTMLButtonElement {
  return h('button', { type: 'button', id, text, title, disabled: '' });
}

class Playground {
  private readonly editor: Editor;
  private readonly knobs: Controls;
  private readonly compare = comparePanel();
  private readonly report = h('div', { id: 'report' });
  private readonly buttons = { run: button('run', '▶ Run', 'run the scenario (Ctrl+Enter)'), stop: button('stop', '■ Stop'), pin: button('pin', 'Pin as A', 'keep this run as A; the next runs are B'), unpin: button('unpin', 'Unpin A') };
  private readonly progress = h('progress', { id: 'progress', max: '1', value: '0' });
  private readonly status = h('output', { id: 'status', 'aria-live': 'polite' });
  private readonly link = h('input', { id: 'share-link', type: 'text', readonly: '', 'aria-label': 'share link', placeholder: 'the share link appears after a run' });
  private readonly json = h('pre', { id: 'run-json', class: 'run-json' });
  private readonly jsonBox = h('details', { id: 'run-json-box' }, h('summary', { text: 'This run as `npx vpc-cni-sim run FILE --format json` prints it' }), this.json);
  private view: ReportView | undefined;
  private latest: Run | undefined;
  private pinned: PlayedRun | undefined;
  private runs = 0;
  /** The newest run asked for: a reply to an older one (ended by a newer Run) is dropped. */
  private newest = 0;

  constructor(
    private readonly data: PageData,
    private readonly client: RunClient,
  ) {
    this.editor = scenarioEditor({ run: () => void this.start(), input: () => this.knobs.show(this.editor.text()) });
    this.knobs = controls((id, value) => this.setKnob(id, value));
    const b = this.buttons;
    b.run.disabled = false;
    b.run.addEventListener('click', () => void this.start());
    b.stop.addEventListener('click', () => this.client.stop());
    b.pin.addEventListener('click', () => this.pin());
    b.unpin.addEventListener('click', () => this.pin(false));
    this.jsonBox.addEventListener('toggle', () => {
      if (this.jsonBox.open && this.latest !== undefined) this.json.textContent = this.latest.json;
    });
    window.addEventListener('hashchange', () => void this.open());
  }

  nodes(): HTMLElement[] {
    return [
      h('header', {}, h('h1', {}, h('span', { text: 'vpc-cni-sim playground' }), h('small', { text: ` ${this.data.file} — edit, run, compare; nothing leaves this page` }))),
      h('section', { class: 'pg-edit' }, this.knobs.root, this.editor.root),
      h('div', { class: 'pg-actions' }, this.buttons.run, this.buttons.stop, this.buttons.pin, this.buttons.unpin, this.progress, this.status, this.link),
      this.compare.root,
      this.report,
      this.jsonBox,
    ];
  }

  /** Opens the scenario the URL's hash carries, or the page's own, and runs it. */
  async open(): Promise<void> {
    const shared = await scenarioFromHash(location.hash);
    if (shared instanceof Error) this.editor.showMessage(shared.message);
    const yaml = typeof shared === 'string' ? shared : this.data.yaml;
    if (this.latest !== undefined && yaml === this.editor.text()) return;
    this.editor.setText(yaml);
    await this.start();
    document.body.dataset.ready = 'true';
  }

  private say(state: string, text: string): void {
    this.status.textContent = text;
    document.body.dataset.state = state;
  }

  private setKnob(id: string, value: string): void {
    const next = setKnob(this.editor.text(), id, value);
    if (next === undefined) return this.editor.showMessage(`${id}: fix the YAML first (the setting has no place in a document that does not parse, or the file has none for it)`);
    this.editor.setText(next);
    void this.start();
  }

  private pin(on = true): void {
    this.pinned = on ? this.latest : undefined;
    this.buttons.unpin.disabled = !on;
    if (on) this.say('done', 'Run pinned as A. Change a setting and run again: the new run is B.');
    this.compare.show(this.pinned, undefined);
  }

  private async start(): Promise<void> {
    const mine = ++this.newest;
    const yaml = this.editor.text();
    this.knobs.show(yaml);
    this.buttons.stop.disabled = false;
    this.progress.value = 0;
    this.say('running', 'Running…');
    const t0 = performance.now();
    const reply = await this.client.run({ yaml, file: this.data.file, maxEvents: this.data.maxEvents }, (p) => {
      this.progress.value = p.end === 0 ? 1 : Math.min(1, p.now / p.end);
      this.status.textContent = `Running… ${formatDuration(p.now)} of ${formatDuration(p.end)}, ${p.events.toLocaleString('en-US')} events`;
    });
    // what the speed bench reads (bench/playground-speed.ts): the page's wall time, outside any simulation
    document.body.dataset.runMs = String(Math.round(performance.now() - t0));
    if (mine === this.newest) this.answer(reply, yaml);
  }

  private answer(reply: PlayReply | 'stopped', yaml: string): void {
    this.buttons.stop.disabled = true;
    const kept = this.latest === undefined ? '' : '; the last good run is shown';
    if (reply === 'stopped') return this.say('stopped', `Stopped${kept}.`);
    if (reply.kind === 'error') {
      this.editor.showMessage(reply.message, reply.line);
      return this.say('error', `The scenario has an error (below the editor)${kept}.`);
    }
    if (reply.kind === 'too-large') {
      this.editor.showMessage(reply.message);
      return this.say('too-large', `Too large for a page${kept}.`);
    }
    this.editor.showMessage(reply.warnings.map((w) => `warning: ${w}`).join('\n'));
    this.runs++;
    this.draw({ yaml, record: reply.record, figures: reply.figures, json: reply.json });
    document.body.dataset.runs = String(this.runs);
    this.say('done', `Run ${this.runs}: ${formatDuration(reply.record.end)} of virtual time, seed ${reply.record.seed}.`);
    void shareHash(yaml).then((hash) => {
      if (this.editor.text() !== yaml) return;
      history.replaceState(null, '', hash);
      this.link.value = location.href;
    });
  }

  private draw(r: Run): void {
    const t0 = performance.now();
    this.view?.dispose();
    this.latest = r;
    this.report.replaceChildren();
    this.view = reportView(r.record, { hash: false });
    this.report.append(...this.view.nodes);
    this.view.seek(r.record.end);
    this.json.textContent = this.jsonBox.open ? r.json : '';
    this.compare.show(this.pinned, this.pinned === undefined ? undefined : r);
    this.buttons.pin.disabled = false;
    document.body.dataset.drawMs = String(Math.round(performance.now() - t0));
  }
}

function main(): void {
  const data = JSON.parse(document.getElementById('playground-data')?.textContent ?? 'null') as PageData | null;
  const app = document.getElementById('app')!;
  const source = document.getElementById('core-worker')?.textContent ?? '';
  if (data === null || source === '') {
    app.append(h('p', { text: 'This file holds no playground this page can read.' }));
    return;
  }
  const playground = new Playground(data, runClient(source));
  app.append(...playground.nodes());
  void playground.open();
}

main();
