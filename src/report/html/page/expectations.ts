/** Expectations panel: each of the scenario's checks, met or not (✓/✗ as well as colour), a link that seeks to its time. */
import { formatDuration } from '../../../util/duration.ts';
import type { RunRecord } from '../../record/types.ts';
import { h, panel } from './dom.ts';

export function expectationsPanel(r: RunRecord, seek: (t: number) => void): HTMLElement {
  const { root, body } = panel('expectations', 'Expectations', 'What the scenario promises, checked at its time. Click one to go there.');
  if (r.expectations.length === 0) body.append(h('p', { class: 'note', text: 'This scenario has no expectations.' }));
  const list = h('ul', { class: 'expectations' });
  for (const e of r.expectations) {
    const mark = e.status === 'pass' ? '✓ PASS' : e.status === 'fail' ? '✗ FAIL' : '– SKIPPED';
    const a = h('a', { href: `#t=${formatDuration(e.at)}`, class: `expect ${e.status}` }, h('span', { class: 'mark', text: mark }), ` ${e.check} — ${e.description} (found ${e.actual})`);
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      seek(e.at);
    });
    list.append(h('li', {}, a));
  }
  body.append(list);
  return root;
}
