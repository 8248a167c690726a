/**
 * ipamd and EC2 panel: each node's decisions up to the chosen time (pool too low or high, ENI created, attached or
 * freed, growth frozen until when, EC2 errors), newest first, and EC2's calls, errors and throttled attempts over the
 * run (every principal, cumulative).
 */
import { formatDuration } from '../../../util/duration.ts';
import { decisionsAt, type StateAt } from '../../record/fold.ts';
import type { RunRecord } from '../../record/types.ts';
import { timeChart, type TimeChart } from './charts.ts';
import { fill, h, panel, shortNode, secs } from './dom.ts';

const SHOWN = 150;

export function ipamdPanel(r: RunRecord, onPick: (t: number) => void): { root: HTMLElement; update(s: StateAt): void } {
  const { root, body } = panel('ipamd', 'ipamd and EC2', 'What each node\'s ipamd decided, newest first, up to the chosen time; and what it cost in EC2 calls. A throttled attempt is a call EC2 refused with RequestLimitExceeded and the SDK retried.');
  const node = h('select', { 'aria-label': 'decisions of node' }, h('option', { value: '', text: 'every node' }), ...r.nodes.map((n, i) => h('option', { value: String(i), text: shortNode(n.name) })));
  const kinds = h('select', { 'aria-label': 'decision kind' }, h('option', { value: '', text: 'every kind' }), ...[...new Set(r.decisions.map((d) => d[2]))].sort().map((k) => h('option', { value: k, text: k })));
  const list = h('ol', { class: 'decisions', reversed: '' });
  const totals = h('p', { class: 'note' });
  const chartEl = h('div', { class: 'chart' });
  body.append(h('div', { class: 'filters' }, node, kinds), h('div', { class: 'decision-wrap' }, list), totals, chartEl);
  let chart: TimeChart | undefined;
  let last: StateAt | undefined;
  for (const el of [node, kinds]) el.addEventListener('input', () => last !== undefined && update(last));
  function update(s: StateAt): void {
    last = s;
    if (chart === undefined) {
      const c = r.changes.ec2;
      chart = timeChart(
        chartEl,
        [[0, ...c.map((x) => x[0] / 1000), r.end / 1000], [0, ...c.map((x) => x[1]), c.at(-1)?.[1] ?? 0], [0, ...c.map((x) => x[2]), c.at(-1)?.[2] ?? 0], [0, ...c.map((x) => x[3]), c.at(-1)?.[3] ?? 0]],
        [
          { label: 'EC2 calls', color: '#0072B2' },
          { label: 'throttled attempts', color: '#D55E00', dash: [6, 3] },
          { label: 'errors', color: '#000000', dash: [2, 2] },
        ],
        { height: 160, onPick, yLabel: 'cumulative' },
      );
    }
    chart.setTime(s.t);
    const n = node.value === '' ? undefined : Number(node.value);
    const rows = decisionsAt(r, n, s.t, kinds.value === '' ? SHOWN : Infinity).filter((d) => kinds.value === '' || d[2] === kinds.value).slice(0, SHOWN);
    fill(
      list,
      ...rows.map((d) => h('li', { class: `decision kind-${d[2]}` }, h('span', { class: 'd-time', text: secs(d[0]) }), h('span', { class: 'd-node', text: shortNode(r.nodes[d[1]].name) }), h('span', { class: 'd-kind', text: d[2] }), h('span', { class: 'd-msg', text: d[3] }))),
    );
    if (rows.length === 0) list.append(h('li', { class: 'note', text: 'No decision yet.' }));
    totals.textContent = `At ${formatDuration(s.t)}: ${s.ec2.calls} EC2 calls, ${s.ec2.throttled} throttled attempts, ${s.ec2.errors} errors.`;
  }
  return { root, update };
}
