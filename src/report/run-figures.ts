/**
 * The figures the playground sets side by side when it compares two runs, read from one run record (record/types.ts)
 * in a single pass over its changes, plus the p95 wait the World measured: addresses the nodes hold (secondary IPs
 * and /28 prefixes × 16 on their ENIs, as the report's "addresses held by nodes" counts them) at their peak and at the
 * end, of which not assigned to a pod (warm or cooling), stuck pod-minutes (application pods with a stuck cause,
 * summed over time), and EC2 calls and throttled attempts. Not here: drawing them (src/report/html/playground).
 */
import type { RunRecord } from './record/types.ts';

export interface RunFigures {
  heldPeak: number;
  heldEnd: number;
  /** Held but assigned to no pod: warm or cooling. */
  unusedPeak: number;
  unusedEnd: number;
  /** Minutes application pods spent with a stuck cause (kube-system pods left out), to the record's end. */
  stuckPodMinutes: number;
  /** Scheduled → address, 95th percentile (report/wait-figures.ts); `atLeast` when pods still waited. */
  p95WaitMs: number | null;
  p95AtLeast: boolean;
  ec2Calls: number;
  ec2Throttled: number;
  /**
   * Set when the record's size bounds (recorder.ts NODE_SAMPLE, DETAIL_BUDGET) left pods or address slots out: the
   * unused addresses and stuck pod-minutes then count only what was recorded, and this says what that is.
   */
  partial?: string;
}

/** Addresses an ENI list holds for pods. */
function heldOn(enis: RunRecord['changes']['enis'][number][2]): number {
  let n = 0;
  for (const e of enis) n += e[4].length + e[5].length * 16;
  return n;
}

/** Held and assigned over time: the ENI and datastore changes merged by time, the peak taken after each instant. */
function addressFigures(r: RunRecord): Pick<RunFigures, 'heldPeak' | 'heldEnd' | 'unusedPeak' | 'unusedEnd'> {
  const held = new Map<number, number>();
  const assigned = new Set<string>();
  let heldTotal = 0;
  let peak = { held: 0, unused: 0 };
  const { enis, slots } = r.changes;
  let i = 0;
  let j = 0;
  while (i < enis.length || j < slots.length) {
    const t = Math.min(i < enis.length ? enis[i][0] : Infinity, j < slots.length ? slots[j][0] : Infinity);
    for (; i < enis.length && enis[i][0] === t; i++) {
      const [, node, list] = enis[i];
      const n = heldOn(list);
      heldTotal += n - (held.get(node) ?? 0);
      held.set(node, n);
    }
    for (; j < slots.length && slots[j][0] === t; j++) {
      const [, node, address, pod] = slots[j];
      const key = `${node} ${address}`;
      if (pod !== null && pod >= 0) assigned.add(key);
      else assigned.delete(key);
    }
    peak = { held: Math.max(peak.held, heldTotal), unused: Math.max(peak.unused, heldTotal - assigned.size) };
  }
  return { heldPeak: peak.held, heldEnd: heldTotal, unusedPeak: peak.unused, unusedEnd: heldTotal - assigned.size };
}

function stuckPodMinutes(r: RunRecord): number {
  const since = new Map<number, number>();
  let ms = 0;
  for (const [t, pod, phase, , , cause] of r.changes.pods) {
    if (r.pods[pod].namespace === 'kube-system') continue;
    const from = since.get(pod);
    if (from !== undefined) ms += t - from;
    since.delete(pod);
    if (phase !== null && cause !== null) since.set(pod, t);
  }
  for (const from of since.values()) ms += r.end - from;
  return ms / 60_000;
}

/** What the record left out of pods and slots, if anything. */
function partiality(r: RunRecord): string | undefined {
  const sampled = r.nodes.filter((n) => n.sampled !== false).length;
  const parts: string[] = [];
  if (sampled < r.nodes.length) parts.push(`pods and slots of ${sampled} of ${r.nodes.length} nodes`);
  if (r.detailStopped !== undefined) parts.push(`pods and slots up to ${Math.round(r.detailStopped / 1000)} s`);
  return parts.length === 0 ? undefined : parts.join(', ');
}

export function runFigures(r: RunRecord, p95: { ms: number; atLeast: boolean } | null): RunFigures {
  const last = r.changes.ec2.at(-1);
  const partial = partiality(r);
  return {
    ...(partial === undefined ? {} : { partial }),
    ...addressFigures(r),
    stuckPodMinutes: stuckPodMinutes(r),
    p95WaitMs: p95?.ms ?? null,
    p95AtLeast: p95?.atLeast ?? false,
    ec2Calls: last?.[1] ?? 0,
    ec2Throttled: last?.[2] ?? 0,
  };
}
