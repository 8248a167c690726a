/**
 * Nodes panel: at the chosen time, each node's ENIs as rows of address slots up to the instance type's limit — a
 * secondary IP (or a /28 prefix in prefix mode) per slot — each marked assigned to a pod, warm, cooling, not allocated
 * or beyond MAX_ENI, by colour and by pattern and letter too. Assigned and cooling come from ipamd's datastore, the
 * addresses from EC2, as the record has them; hovering a slot names address, pod and since when.
 */
import type { SlotAt, StateAt } from '../../record/fold.ts';
import type { EniState, RecordNode, RunRecord } from '../../record/types.ts';
import { boundNote, fill, h, panel, shortNode, secs } from './dom.ts';

type SlotKind = 'assigned' | 'warm' | 'cooling' | 'unallocated' | 'beyond';

const LEGEND: [SlotKind, string][] = [
  ['assigned', 'assigned to a pod'],
  ['warm', 'warm (free, ready for a pod)'],
  ['cooling', 'cooling (released, IP_COOLDOWN_PERIOD)'],
  ['unallocated', 'not allocated (room on the ENI)'],
  ['beyond', 'beyond MAX_ENI'],
];

export function nodesPanel(r: RunRecord): { root: HTMLElement; update(s: StateAt): void } {
  const { root, body } = panel('nodes', 'Nodes: ENI address slots', 'Each row is an ENI, each box an address slot up to the instance type\'s limit. WARM_ENI_TARGET keeps whole ENIs of warm slots; WARM_IP_TARGET / MINIMUM_IP_TARGET keep only a few — compare how many warm boxes each node holds.');
  const legend = h('div', { class: 'legend' }, ...LEGEND.map(([k, text]) => h('span', { class: 'legend-item' }, h('span', { class: `slot ${k}` }), text)));
  const list = h('div', { class: 'node-list' });
  const bound = boundNote(r.detailStopped);
  body.append(legend, bound.el, list);
  return {
    root,
    update(s: StateAt) {
      bound.update(s.t);
      const cards: HTMLElement[] = [];
      const podsOn = new Map<string, number>();
      for (const p of s.pods.values()) if (p.node !== null) podsOn.set(p.node, (podsOn.get(p.node) ?? 0) + 1);
      let unsampled = 0;
      r.nodes.forEach((n, i) => {
        const status = s.nodeStatus.get(i);
        const enis = s.enis.get(i);
        if (status === undefined && enis === undefined) return;
        // its slots are not recorded: drawn, they would all look warm
        if (n.sampled === false) return void unsampled++;
        cards.push(nodeCard(r, n, i, status ?? 'launching', enis ?? [], s, podsOn.get(n.name) ?? 0));
      });
      if (cards.length === 0) cards.push(h('p', { class: 'note', text: 'No node yet.' }));
      if (unsampled > 0) cards.push(h('p', { class: 'note', text: `${unsampled} more node(s) not drawn: the record follows the pods and address slots of ${r.nodes.filter((x) => x.sampled !== false).length} nodes only (the report's size bound).` }));
      fill(list, ...cards);
    },
  };
}

function nodeCard(r: RunRecord, n: RecordNode, i: number, status: string, enis: EniState[], s: StateAt, pods: number): HTMLElement {  const slots = s.slots.get(i) ?? new Map<string, SlotAt>();
  const maxEni = n.maxEni ?? n.eniLimit;
  const pd = n.mode === 'pd' || enis.some((e) => e[5].length > 0);
  const head = h(
    'div',
    { class: 'node-head' },
    h('strong', { text: shortNode(n.name) }),
    ` ${n.instanceType} · ${n.az} · ${status} · pods ${pods}/${n.maxPods} · ENIs ${enis.length} of ${n.eniLimit}${maxEni < n.eniLimit ? ` (MAX_ENI ${maxEni})` : ''}${pd ? ' · prefix mode' : ''}`,
  );
  const rows: HTMLElement[] = [];
  const devices = Math.max(n.eniLimit, ...enis.map((e) => e[0] + 1));
  for (let d = 0; d < devices; d++) {
    const eni = enis.find((e) => e[0] === d);
    const perEni = Math.max(0, n.ipv4PerEni - 1);
    const cells: HTMLElement[] = [];
    if (eni === undefined) {
      const kind: SlotKind = d >= maxEni ? 'beyond' : 'unallocated';
      for (let k = 0; k < perEni; k++) cells.push(h('span', { class: `slot ${kind}`, title: kind === 'beyond' ? `device ${d}: beyond MAX_ENI ${maxEni}` : `device ${d}: no ENI attached yet` }));
      rows.push(h('div', { class: 'eni-row' }, h('span', { class: 'eni-label', text: `#${d} —` }), ...cells));
      continue;
    }
    const [, id, subnet, primaryIp, ips, prefixes] = eni;
    if (pd) {
      for (const p of prefixes) cells.push(prefixSlot(r, p, slots));
      for (let k = prefixes.length; k < perEni; k++) cells.push(h('span', { class: 'slot unallocated', title: 'no prefix here yet' }));
    } else {
      for (const ip of ips) cells.push(ipSlot(r, ip, slots.get(ip)));
      for (let k = ips.length; k < perEni; k++) cells.push(h('span', { class: 'slot unallocated', title: 'no secondary IP here yet' }));
    }
    rows.push(h('div', { class: 'eni-row' }, h('span', { class: 'eni-label', title: `${id} in ${subnet}, primary IP ${primaryIp}`, text: `#${d} ${subnet}` }), ...cells));
  }
  return h('div', { class: 'node-card' }, head, ...rows);
}

function ipSlot(r: RunRecord, ip: string, slot: SlotAt | undefined): HTMLElement {
  if (slot === undefined) return h('span', { class: 'slot warm', title: `${ip}: warm` });
  if (slot.pod === -1) return h('span', { class: 'slot cooling', title: `${ip}: cooling until ${secs(slot.until)} (released at ${secs(slot.since)})` });
  const pod = r.pods[slot.pod];
  return h('span', { class: 'slot assigned', title: `${ip}: ${pod.namespace}/${pod.name} since ${secs(slot.since)}` });
}

function prefixSlot(r: RunRecord, prefix: string, slots: Map<string, SlotAt>): HTMLElement {
  const base = prefix.replace(/\.\d+\/28$/, '.');
  const start = Number(/\.(\d+)\/28$/.exec(prefix)?.[1] ?? 0);
  let assigned = 0;
  let cooling = 0;
  const names: string[] = [];
  for (let k = 0; k < 16; k++) {
    const s = slots.get(`${base}${start + k}`);
    if (s === undefined) continue;
    if (s.pod === -1) cooling++;
    else {
      assigned++;
      if (names.length < 4) names.push(r.pods[s.pod].name);
    }
  }
  const kind: SlotKind = assigned > 0 ? 'assigned' : cooling > 0 ? 'cooling' : 'warm';
  const el = h('span', { class: `slot prefix ${kind}`, title: `${prefix}: ${assigned} of 16 assigned, ${cooling} cooling${names.length > 0 ? ` (${names.join(', ')}${assigned > names.length ? ', …' : ''})` : ''}`, text: String(assigned) });
  return el;
}
