/**
 * The HTML report's script: reads the run record from its JSON element and mounts the report view (report-view.ts:
 * the clock and the panels) at the time the URL names, or the end. It derives nothing by model rules; everything
 * shown is the record's. Bundled for the browser by src/cli/report-assets.ts.
 */
import { RECORD_FORMAT, type RunRecord } from '../../record/types.ts';
import { h } from './dom.ts';
import { reportView } from './report-view.ts';

function main(): void {
  const el = document.getElementById('run-record');
  const app = document.getElementById('app')!;
  const r = JSON.parse(el?.textContent ?? 'null') as RunRecord | null;
  if (r === null || r.format !== RECORD_FORMAT) {
    app.append(h('p', { text: 'This file holds no run record this page can read.' }));
    return;
  }
  document.title = `${r.scenario.name} — vpc-cni-sim run report`;
  const view = reportView(r, { hash: true });
  app.append(...view.nodes);
  view.seek(0);
  requestAnimationFrame(() => (document.body.dataset.ready = 'true'));
}

main();
