/**
 * Subnets panel: free addresses over time per subnet (▼ where an EC2 call failed InsufficientFreeAddressesInSubnet or
 * InsufficientCidrBlocks), and the VPC's blocks as bars of address space with each subnet placed where its CIDR lies
 * and filled by its use at the chosen time.
 */
import { cidrSize, parseCidr } from '../../../model/vpc/ipv4.ts';
import type { StateAt } from '../../record/fold.ts';
import type { RunRecord } from '../../record/types.ts';
import { DASHES, PALETTE, timeChart, type TimeChart } from './charts.ts';
import { fill, h, panel, secs } from './dom.ts';

const EXHAUSTED = /InsufficientFreeAddressesInSubnet|InsufficientCidrBlocks/;

/**
 * Free addresses of each of the run's subnets (in `r.subnets` order) at each of `times` (ascending), each value held
 * until its next change; null before a subnet's first. The record's subnet changes are in time order.
 */
export function freeColumns(r: RunRecord, times: readonly number[]): (number | null)[][] {
  const cols = r.subnets.map(() => [] as (number | null)[]);
  const cur = r.subnets.map(() => null as number | null);
  let k = 0;
  for (const t of times) {
    while (k < r.changes.subnets.length && r.changes.subnets[k][0] <= t) {
      cur[r.changes.subnets[k][1]] = r.changes.subnets[k][2];
      k++;
    }
    cur.forEach((v, i) => cols[i].push(v));
  }
  return cols;
}

export function subnetsPanel(r: RunRecord, onPick: (t: number) => void): { root: HTMLElement; update(s: StateAt): void } {
  const { root, body } = panel('subnets', 'Subnets', 'Free addresses per subnet over time; ▼ marks an EC2 refusal for lack of addresses (InsufficientFreeAddressesInSubnet) or of an aligned /28 (InsufficientCidrBlocks). Below, each VPC block as address space: where each subnet sits and how full it is at the chosen time.');
  const marks = r.decisions.filter((d) => EXHAUSTED.test(d[3])).map((d) => ({ t: d[0], label: d[3] }));
  const chartEl = h('div', { class: 'chart' });
  const first = marks[0];
  const note = h('p', { class: 'note', text: first === undefined ? 'No EC2 call failed for lack of addresses.' : `First refusal at ${secs(first.t)}: ${(EXHAUSTED.exec(first.label) ?? [''])[0]} (${marks.length} in all).` });
  const blocks = h('div', { class: 'vpc-blocks' });
  body.append(chartEl, note, blocks);
  let chart: TimeChart | undefined;
  const draw = (): void => {
    const times = [...new Set([0, ...r.changes.subnets.map((c) => c[0]), r.end])].sort((a, b) => a - b);
    chart = timeChart(
      chartEl,
      [times.map((t) => t / 1000), ...freeColumns(r, times)],
      r.subnets.map((s, i) => ({ label: s.id, color: PALETTE[i % PALETTE.length], dash: DASHES[i % DASHES.length] })),
      { height: 200, marks, onPick, yLabel: 'free addresses', asinh: true },
    );
  };
  return {
    root,
    update(s: StateAt) {
      if (chart === undefined) draw();
      chart!.setTime(s.t);
      fill(blocks, ...r.vpcBlocks.filter((b) => b.t <= s.t).map((b) => blockBar(r, b.cidr, s)));
    },
  };
}

/** An IPv4 block's first address and size; undefined for anything else (an IPv6 block has no bar). */
function ipv4(cidr: string): { base: number; size: number } | undefined {
  try {
    const c = parseCidr(cidr);
    return { base: c.base, size: cidrSize(c) };
  } catch {
    return undefined;
  }
}

function blockBar(r: RunRecord, cidr: string, s: StateAt): HTMLElement {
  const b = ipv4(cidr);
  const bar = h('div', { class: 'block-bar' });
  if (b === undefined) return h('div', { class: 'block' }, h('span', { class: 'block-label', text: cidr }));
  r.subnets.forEach((sub, i) => {
    const c = ipv4(sub.cidr);
    const free = s.subnetFree.get(i);
    if (c === undefined || free === undefined || c.base < b.base || c.base + c.size > b.base + b.size) return;
    const used = sub.usable - free;
    const seg = h('div', { class: 'subnet-seg', title: `${sub.id} ${sub.cidr} (${sub.az}): ${free} of ${sub.usable} free${tagText(sub.tags)}` });
    seg.style.left = `${(100 * (c.base - b.base)) / b.size}%`;
    seg.style.width = `${(100 * c.size) / b.size}%`;
    seg.style.setProperty('--c', PALETTE[i % PALETTE.length]);
    const use = h('div', { class: 'subnet-used' });
    use.style.width = `${sub.usable === 0 ? 0 : (100 * used) / sub.usable}%`;
    seg.append(use, h('span', { class: 'seg-label', text: `${sub.id}: ${free} free` }));
    bar.append(seg);
  });
  return h('div', { class: 'block' }, h('span', { class: 'block-label', text: `VPC block ${cidr}` }), bar);
}

function tagText(tags: Record<string, string>): string {
  const e = Object.entries(tags);
  return e.length === 0 ? '' : `\ntags: ${e.map(([k, v]) => `${k}=${v}`).join(', ')}`;
}
