/**
 * Pods panel: application pods by phase over time (stacked), the pod list at the chosen time — filterable by phase,
 * node and label — and, for the pod clicked, its `kubectl describe` text with events and the why-chain, exactly as
 * `run --describe` printed it at the latest instant the record took it (while the pod is stuck, when its status or stuck cause changed; once more when it then ran).
 */
import { formatDuration } from '../../../util/duration.ts';
import { describeAt, type PodAt, type StateAt } from '../../record/fold.ts';
import { DESCRIBE_REFRESH_MS, type RunRecord } from '../../record/types.ts';
import { timeChart, type TimeChart } from './charts.ts';
import { boundNote, fill, h, panel, shortNode, secs } from './dom.ts';

const PHASES = ['Running', 'ContainerCreating', 'Pending', 'Terminating'] as const;
const PHASE_STYLE: Record<string, { color: string; fill: string; dash?: number[] }> = {
  // opaque fills: each band covers the ones above it in the stack
  Running: { color: '#0072B2', fill: '#80b9d8' },
  ContainerCreating: { color: '#E69F00', fill: '#f3cf80', dash: [6, 3] },
  Pending: { color: '#D55E00', fill: '#eaae80', dash: [2, 2] },
  Terminating: { color: '#777777', fill: '#d0d0d0', dash: [8, 3, 2, 3] },
};
const MAX_ROWS = 250;

export function podsPanel(r: RunRecord, onPick: (t: number) => void): { root: HTMLElement; update(s: StateAt): void } {
  const { root, body } = panel('pods', 'Pods', 'Application pods by phase over time (stacked). A pod waits in ContainerCreating while its node has no free address; click one to see why, as `--describe` prints it.');
  const chartEl = h('div', { class: 'chart' });
  const phase = h('select', { 'aria-label': 'phase' }, h('option', { value: '', text: 'every phase' }), ...PHASES.map((p) => h('option', { value: p, text: p })));
  const node = h('select', { 'aria-label': 'node' }, h('option', { value: '', text: 'every node' }));
  const label = h('input', { type: 'search', placeholder: 'label, e.g. app=inflate', 'aria-label': 'label selector' });
  const system = h('input', { type: 'checkbox', id: 'show-system' });
  const count = h('span', { class: 'count' });
  const table = h('table', { class: 'pod-table' });
  const describe = h('div', { class: 'describe' }, h('p', { class: 'note', text: 'Click a pod to see its describe text.' }));
  const bound = boundNote(r.detailStopped);
  body.append(chartEl, bound.el, h('div', { class: 'filters' }, phase, node, label, h('label', {}, system, ' kube-system'), count), h('div', { class: 'split' }, h('div', { class: 'table-wrap' }, table), describe));
  let chart: TimeChart | undefined;
  let last: StateAt | undefined;
  /** The node names the node filter offers now (space-joined). */
  let nodeList: string | undefined;
  let chosen: number | undefined;
  const redraw = (): void => {
    if (last !== undefined) update(last);
  };
  for (const el of [phase, node, label, system]) el.addEventListener('input', redraw);

  function update(s: StateAt): void {
    last = s;
    bound.update(s.t);
    if (chart === undefined) chart = timeChart(chartEl, ...phaseSeries(r), { height: 180, onPick, yLabel: 'pods' });
    chart.setTime(s.t);
    nodeList = offerNodes(node, s, nodeList);
    const rows = shownPods(r, s, { phase: phase.value, node: node.value, selector: parseSelector(label.value), system: system.checked });
    rows.sort((a, b) => (r.pods[a.pod].name < r.pods[b.pod].name ? -1 : 1));
    count.textContent = rows.length > MAX_ROWS ? `${rows.length} pods (first ${MAX_ROWS} shown)` : `${rows.length} pods`;
    fill(table, h('thead', {}, h('tr', {}, ...['NAME', 'STATUS', 'IP', 'NODE', 'WHY', 'SINCE'].map((c) => h('th', { text: c })))), h('tbody', {}, ...rows.slice(0, MAX_ROWS).map((p) => row(p))));
    showDescribe(s.t);
  }
  function row(p: PodAt): HTMLElement {
    const rp = r.pods[p.pod];
    const tr = h(
      'tr',
      { class: `phase-${p.phase}${p.pod === chosen ? ' chosen' : ''}`, tabindex: '0' },
      h('td', { text: rp.name }),
      h('td', {}, h('span', { class: `phase-badge phase-${p.phase}`, text: p.phase })),
      h('td', { text: p.ip ?? '' }),
      h('td', { text: p.node === null ? '<none>' : shortNode(p.node) }),
      h('td', { text: p.cause ?? '' }),
      h('td', { text: secs(p.since) }),
    );
    const pick = (): void => {
      chosen = p.pod;
      redraw();
    };
    tr.addEventListener('click', pick);
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') pick();
    });
    return tr;
  }
  function showDescribe(t: number): void {
    if (chosen === undefined) return;
    const rp = r.pods[chosen];
    const d = describeAt(r, chosen, t);
    const stopped = r.describesStopped !== undefined && t > r.describesStopped ? `Describe texts were kept up to ${formatDuration(r.describesStopped)} only (the report's size bound); run with --until and --describe pod/${rp.name} for later ones.` : '';
    fill(
      describe,
      h('h3', { text: `kubectl describe pod/${rp.name}` }),
      h('p', {
        class: 'note',
        text:
          d === undefined
            ? `Not described at this time: the text is taken only for a pod that is stuck (it has a cause). run --until T --describe pod/${rp.name} prints it at any time.`
            : `As taken at ${secs(d.t)} (the text is taken while the pod is stuck, when its status or stuck cause changes and at most every ${formatDuration(DESCRIBE_REFRESH_MS)} of new events, and once more when it then runs).`,
      }),
      stopped !== '' ? h('p', { class: 'note', text: stopped }) : null,
      d === undefined ? null : describePre(d.text),
    );
    // the why-chain ends the text: bring it into view in the pane (the whole text stays, as --describe prints it)
    const why = describe.querySelector('.why');
    if (why instanceof HTMLElement) describe.scrollTop = why.offsetTop - 40;
  }
  return { root, update };
}

/**
 * Nodes come and go over the run: when the set of nodes with pods changes, rebuild the node filter's choices, keeping
 * the one picked while it still exists. Returns the set offered now (space-joined).
 */
function offerNodes(select: HTMLSelectElement, s: StateAt, offered: string | undefined): string {
  const nodes = [...new Set([...s.pods.values()].map((p) => p.node).filter((n): n is string => n !== null))].sort();
  const now = nodes.join(' ');
  if (now === offered) return now;
  const picked = select.value;
  fill(select, h('option', { value: '', text: 'every node' }), ...nodes.map((n) => h('option', { value: n, text: shortNode(n) })));
  select.value = nodes.includes(picked) ? picked : '';
  return now;
}

/** The pods the filters let through ('' for phase or node: any). */
function shownPods(r: RunRecord, s: StateAt, f: { phase: string; node: string; selector: [string, string][]; system: boolean }): PodAt[] {
  return [...s.pods.values()].filter((p) => {
    const rp = r.pods[p.pod];
    return (f.system || rp.namespace !== 'kube-system') && (f.phase === '' || p.phase === f.phase) && (f.node === '' || p.node === f.node) && f.selector.every(([k, v]) => rp.labels[k] === v);
  });
}

/** The describe text, its "Why it is not Running" part marked so the pane can show it first. */
function describePre(text: string): HTMLElement {
  const i = text.indexOf('Why it is not Running:');
  return i < 0 ? h('pre', { text }) : h('pre', {}, text.slice(0, i), h('span', { class: 'why', text: text.slice(i) }));
}

/** `a=b,c=d` → pairs (a plain word matches the `app` label). */
function parseSelector(text: string): [string, string][] {
  return text
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '')
    .map((x) => {
      const i = x.indexOf('=');
      return i < 0 ? ['app', x] : [x.slice(0, i).trim(), x.slice(i + 1).trim()];
    });
}

/** Stacked counts of application pods per phase at every change. */
function phaseSeries(r: RunRecord): [[number[], ...number[][]], { label: string; color: string; fill: string; dash?: number[] }[]] {
  const phaseOf = new Map<number, string>();
  const times: number[] = [];
  const cols = PHASES.map(() => [] as number[]);
  const counts = new Map<string, number>();
  const push = (t: number): void => {
    let acc = 0;
    const stacked = PHASES.map((p) => (acc += counts.get(p) ?? 0));
    if (times.length > 0 && times[times.length - 1] === t / 1000) cols.forEach((c, i) => (c[c.length - 1] = stacked[i]));
    else {
      times.push(t / 1000);
      cols.forEach((c, i) => c.push(stacked[i]));
    }
  };
  push(0);
  for (const [t, pod, phase] of r.changes.pods) {
    if (r.pods[pod].namespace === 'kube-system') continue;
    const before = phaseOf.get(pod);
    if (before !== undefined) counts.set(before, (counts.get(before) ?? 1) - 1);
    if (phase === null) phaseOf.delete(pod);
    else {
      phaseOf.set(pod, phase);
      counts.set(phase, (counts.get(phase) ?? 0) + 1);
    }
    push(t);
  }
  push(r.end);
  // drawn top to bottom so each band's fill covers the one below
  const order = PHASES.map((_, i) => PHASES.length - 1 - i);
  return [[times, ...order.map((i) => cols[i])], order.map((i) => ({ label: PHASES[i], ...PHASE_STYLE[PHASES[i]] }))];
}
