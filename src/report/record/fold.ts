/**
 * The state a run record (types.ts) folds to at time t: every change with a time at or before t, applied in order.
 * What `run --until t --format json` reports of pods, node ENIs and subnets is this (test/report/fold.test.ts), and
 * the HTML page shows nothing else. Pure functions over plain data; the page bundles this file.
 * Not here: gathering (recorder.ts), drawing (src/report/html/page).
 */
import type { DecisionRow, EniState, RunRecord } from './types.ts';

export interface PodAt {
  pod: number;
  phase: string;
  ip: string | null;
  node: string | null;
  cause: string | null;
  ready: boolean;
  /** When its latest change happened. */
  since: number;
}

/** A datastore address at t: assigned to a pod (index), or cooling (pod -1) until a time. */
export interface SlotAt {
  pod: number;
  until: number;
  since: number;
}

export interface StateAt {
  t: number;
  /** Pods in the API server at t, by pod index. */
  pods: Map<number, PodAt>;
  /** `kubectl get nodes` STATUS by node index (nodes seen so far). */
  nodeStatus: Map<number, string>;
  enis: Map<number, EniState[]>;
  /** Per node index: address → slot (assigned or cooling at t). */
  slots: Map<number, Map<string, SlotAt>>;
  /** Free addresses per subnet index (subnets that exist at t). */
  subnetFree: Map<number, number>;
  ec2: { calls: number; throttled: number; errors: number };
}

/** Index just past the last row with time ≤ t (rows are in time order). */
function upTo<R extends readonly unknown[]>(rows: readonly R[], t: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((rows[mid][0] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function stateAt(r: RunRecord, t: number): StateAt {
  const c = r.changes;
  const pods = new Map<number, PodAt>();
  for (let i = 0, n = upTo(c.pods, t); i < n; i++) {
    const [at, pod, phase, ip, node, cause, ready] = c.pods[i];
    if (phase === null) pods.delete(pod);
    else pods.set(pod, { pod, phase, ip, node, cause, ready, since: at });
  }
  const nodeStatus = new Map<number, string>();
  for (let i = 0, n = upTo(c.nodes, t); i < n; i++) nodeStatus.set(c.nodes[i][1], c.nodes[i][2]);
  const enis = new Map<number, EniState[]>();
  for (let i = 0, n = upTo(c.enis, t); i < n; i++) enis.set(c.enis[i][1], c.enis[i][2]);
  const slots = new Map<number, Map<string, SlotAt>>();
  for (let i = 0, n = upTo(c.slots, t); i < n; i++) {
    const [at, node, address, pod, until] = c.slots[i];
    let m = slots.get(node);
    if (m === undefined) slots.set(node, (m = new Map()));
    if (pod === null) m.delete(address);
    else m.set(address, { pod, until, since: at });
  }
  // a cooling address whose cooldown ended before t is no longer cooling (the datastore counts it free from then)
  for (const m of slots.values()) for (const [a, s] of m) if (s.pod === -1 && s.until < t) m.delete(a);
  const subnetFree = new Map<number, number>();
  for (let i = 0, n = upTo(c.subnets, t); i < n; i++) subnetFree.set(c.subnets[i][1], c.subnets[i][2]);
  const e = upTo(c.ec2, t);
  const last = e === 0 ? undefined : c.ec2[e - 1];
  return { t, pods, nodeStatus, enis, slots, subnetFree, ec2: { calls: last?.[1] ?? 0, throttled: last?.[2] ?? 0, errors: last?.[3] ?? 0 } };
}

/** The pod's `--describe` text as last taken at or before t, with the time it was taken. */
export function describeAt(r: RunRecord, pod: number, t: number): { t: number; text: string } | undefined {
  const rows = r.describes;
  for (let i = upTo(rows, t) - 1; i >= 0; i--) {
    if (rows[i][1] === pod) return { t: rows[i][0], text: rows[i][2].map((l) => r.lines[l]).join('\n') };
  }
  return undefined;
}

/** The node's decisions up to t, newest first, at most `limit`. */
export function decisionsAt(r: RunRecord, node: number | undefined, t: number, limit: number): DecisionRow[] {
  const out: DecisionRow[] = [];
  for (let i = upTo(r.decisions, t) - 1; i >= 0 && out.length < limit; i--) if (node === undefined || r.decisions[i][1] === node) out.push(r.decisions[i]);
  return out;
}

/**
 * The stops of "previous / next", in order: every time a pod, node, ENI or subnet changed, a happening, an action or an
 * expectation. An address slot changing alone (a cooldown ending) is not a stop; slot changes a pod makes come with it.
 */
export function changeTimes(r: RunRecord): number[] {
  const set = new Set<number>([0, r.end]);
  const c = r.changes;
  for (const rows of [c.pods, c.nodes, c.enis, c.subnets]) for (const row of rows) set.add(row[0]);
  for (const h of r.happenings) set.add(h[0]);
  for (const a of r.actions) set.add(a.t);
  for (const e of r.expectations) set.add(e.at);
  return [...set].filter((t) => t <= r.end).sort((a, b) => a - b);
}
