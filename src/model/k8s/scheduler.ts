/**
 * The default kube-scheduler's decision for one pod, as a pure function (no engine, no store).
 *
 * Filters, in the default profile's order, the first failing one naming the node's reason:
 *   NodeUnschedulable ("node(s) were unschedulable"), TaintToleration for the not-ready taint
 *   ("node(s) had untolerated taint {node.kubernetes.io/not-ready: }"), NodeAffinity/nodeSelector
 *   ("node(s) didn't match Pod's node affinity/selector"), NodeResourcesFit ("Too many pods", "Insufficient cpu",
 *   "Insufficient memory"; host-network pods count toward the pod limit like any other).
 * Scoring: NodeResourcesFit LeastAllocated plus NodeResourcesBalancedAllocation, integer arithmetic as in the
 * scheduler, pods without requests counted at the scheduler's non-zero defaults (100m CPU, 200 MiB). When a node
 * states no allocatable CPU/memory the pod slots stand in for both. Ties go to the first node by name (the real
 * scheduler picks at random among ties; we want determinism).
 * What it is not: IP-aware. It never looks at addresses — which is how pods end up stuck in ContainerCreating.
 */

export interface Requests {
  cpuMilli: number;
  memoryBytes: number;
}

export interface SchedNode {
  name: string;
  ready: boolean;
  unschedulable: boolean;
  labels: Record<string, string>;
  /** `.status.allocatable.pods`. */
  maxPods: number;
  /** Pods bound to the node and not yet gone (host-network and daemon pods included). */
  pods: number;
  /** Undefined: CPU and memory are not limited (the simulator's default). */
  allocatable?: Requests;
  /** Sum of stated requests of bound pods. */
  requested: Requests;
  /** Sum of requests with the non-zero defaults, for scoring. */
  nonZeroRequested: Requests;
}

export interface SchedPod {
  nodeSelector: Record<string, string>;
  /** Stated requests (0 when unstated). */
  requests: Requests;
}

export type ScheduleResult = { ok: true; node: string; score: number } | { ok: false; message: string };

/** `DefaultMilliCPURequest`, `DefaultMemoryRequest` (pkg/scheduler/util/pod_resources.go). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;
const MAX_NODE_SCORE = 100;

export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const REASON_NOT_READY = 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }';
export const REASON_SELECTOR = "node(s) didn't match Pod's node affinity/selector";
export const REASON_TOO_MANY_PODS = 'Too many pods';
export const REASON_CPU = 'Insufficient cpu';
export const REASON_MEMORY = 'Insufficient memory';

export function nonZero(r: Requests): Requests {
  return {
    cpuMilli: r.cpuMilli > 0 ? r.cpuMilli : DEFAULT_MILLI_CPU_REQUEST,
    memoryBytes: r.memoryBytes > 0 ? r.memoryBytes : DEFAULT_MEMORY_REQUEST,
  };
}

/** Why the node cannot take the pod (empty when it can). Resource-fit may give several reasons at once. */
export function filterNode(pod: SchedPod, n: SchedNode): string[] {
  if (n.unschedulable) return [REASON_UNSCHEDULABLE];
  if (!n.ready) return [REASON_NOT_READY];
  for (const [k, v] of Object.entries(pod.nodeSelector)) if (n.labels[k] !== v) return [REASON_SELECTOR];
  const reasons: string[] = [];
  if (n.pods + 1 > n.maxPods) reasons.push(REASON_TOO_MANY_PODS);
  if (n.allocatable !== undefined) {
    if (pod.requests.cpuMilli > 0 && n.requested.cpuMilli + pod.requests.cpuMilli > n.allocatable.cpuMilli) reasons.push(REASON_CPU);
    if (pod.requests.memoryBytes > 0 && n.requested.memoryBytes + pod.requests.memoryBytes > n.allocatable.memoryBytes)
      reasons.push(REASON_MEMORY);
  }
  return reasons;
}

function fractions(pod: SchedPod, n: SchedNode): { free: number[]; used: number[] } {
  if (n.allocatable === undefined) {
    const cap = Math.max(1, n.maxPods);
    const used = n.pods + 1;
    return { free: [Math.floor(((cap - Math.min(used, cap)) * MAX_NODE_SCORE) / cap)], used: [used / cap] };
  }
  const req = nonZero(pod.requests);
  const caps = [n.allocatable.cpuMilli, n.allocatable.memoryBytes];
  const used = [n.nonZeroRequested.cpuMilli + req.cpuMilli, n.nonZeroRequested.memoryBytes + req.memoryBytes];
  return {
    free: caps.map((c, i) => (c <= 0 || used[i] > c ? 0 : Math.floor(((c - used[i]) * MAX_NODE_SCORE) / c))),
    used: caps.map((c, i) => (c <= 0 ? 1 : Math.min(1, used[i] / c))),
  };
}

/** LeastAllocated + BalancedAllocation, each 0–100, equal weights. */
export function scoreNode(pod: SchedPod, n: SchedNode): number {
  const { free, used } = fractions(pod, n);
  const least = Math.floor(free.reduce((a, b) => a + b, 0) / free.length);
  const mean = used.reduce((a, b) => a + b, 0) / used.length;
  // squares by multiplication: `**` is Math.pow, which engines may round differently (sqrt is exact everywhere)
  const std = Math.sqrt(used.reduce((a, u) => a + (u - mean) * (u - mean), 0) / used.length);
  const balanced = Math.floor((1 - std) * MAX_NODE_SCORE);
  return least + balanced;
}

/** The FailedScheduling message: "0/3 nodes are available: 1 Insufficient cpu, 2 Too many pods. preemption: …". */
export function fitErrorMessage(total: number, reasonsByNode: string[][]): string {
  if (total === 0) return 'no nodes available to schedule pods';
  const counts = new Map<string, number>();
  let helpless = 0;
  for (const reasons of reasonsByNode) {
    for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    const resourceOnly = reasons.every((r) => r === REASON_TOO_MANY_PODS || r === REASON_CPU || r === REASON_MEMORY);
    if (!resourceOnly) helpless++;
  }
  const parts = [...counts].map(([r, c]) => `${c} ${r}`).sort();
  const head = `0/${total} nodes are available${parts.length > 0 ? ': ' + parts.join(', ') : ''}.`;
  const pre: string[] = [];
  if (total - helpless > 0) pre.push(`${total - helpless} No preemption victims found for incoming pod`);
  if (helpless > 0) pre.push(`${helpless} Preemption is not helpful for scheduling`);
  return `${head} preemption: 0/${total} nodes are available: ${pre.sort().join(', ')}.`;
}

/** filterNode(pod, n).length === 0, without building the reasons. */
export function fits(pod: SchedPod, n: SchedNode): boolean {
  if (n.unschedulable || !n.ready) return false;
  // for…in builds no array per node; any mismatch fails, so the key order does not matter
  const selector = pod.nodeSelector;
  for (const k in selector) if (n.labels[k] !== selector[k]) return false;
  if (n.pods + 1 > n.maxPods) return false;
  if (n.allocatable !== undefined) {
    if (pod.requests.cpuMilli > 0 && n.requested.cpuMilli + pod.requests.cpuMilli > n.allocatable.cpuMilli) return false;
    if (pod.requests.memoryBytes > 0 && n.requested.memoryBytes + pod.requests.memoryBytes > n.allocatable.memoryBytes) return false;
  }
  return true;
}

/** Distinct values of slotsFree (0–99). */
export const SLOT_SCORES = MAX_NODE_SCORE;

/**
 * LeastAllocated on pod slots alone, 0–99 (the pod adds one slot, so a node is never 100 % free): with no allocatable
 * CPU/memory, a node's whole score is this plus 100, whatever the pod (see score).
 */
export function slotsFree(n: SchedNode): number {
  const cap = Math.max(1, n.maxPods);
  return Math.floor(((cap - Math.min(n.pods + 1, cap)) * MAX_NODE_SCORE) / cap);
}

/**
 * scoreNode: with no allocatable CPU/memory the one pod-slot fraction makes BalancedAllocation exactly 100 (a
 * standard deviation of one value is 0), so the score is LeastAllocated + 100, computed without the arrays.
 */
function score(pod: SchedPod, n: SchedNode): number {
  return n.allocatable !== undefined ? scoreNode(pod, n) : slotsFree(n) + MAX_NODE_SCORE;
}

/** The node schedulePod picks (undefined: none fits), by a scan of every node. */
export function bestNode<N extends SchedNode>(pod: SchedPod, nodes: readonly N[]): { node: N; score: number } | undefined {
  let best: N | undefined;
  let bestScore = -1;
  for (const n of nodes) {
    if (!fits(pod, n)) continue;
    const s = score(pod, n);
    if (s > bestScore || (s === bestScore && best !== undefined && n.name < best.name)) {
      best = n;
      bestScore = s;
    }
  }
  return best === undefined ? undefined : { node: best, score: bestScore };
}

/** The FailedScheduling message when no node fits: every node's reasons, in the order given. */
export function unschedulableMessage(pod: SchedPod, nodes: readonly SchedNode[]): string {
  return fitErrorMessage(nodes.length, nodes.map((n) => filterNode(pod, n)));
}

/** Picks a node for the pod: filter, score, highest score, ties by node name. */
export function schedulePod(pod: SchedPod, nodes: readonly SchedNode[]): ScheduleResult {
  const best = bestNode(pod, nodes);
  if (best === undefined) return { ok: false, message: unschedulableMessage(pod, nodes) };
  return { ok: true, node: best.node.name, score: best.score };
}

/** Adds (sign 1) or takes away (-1) a pod's requests and slot on a node view. */
export function charge(n: SchedNode, r: Requests, sign: 1 | -1): void {
  n.pods += sign;
  n.requested.cpuMilli += sign * r.cpuMilli;
  n.requested.memoryBytes += sign * r.memoryBytes;
  n.nonZeroRequested.cpuMilli += sign * (r.cpuMilli > 0 ? r.cpuMilli : DEFAULT_MILLI_CPU_REQUEST);
  n.nonZeroRequested.memoryBytes += sign * (r.memoryBytes > 0 ? r.memoryBytes : DEFAULT_MEMORY_REQUEST);
}

/** Books a scheduled pod on the node view so the next decision in the same cycle sees it. */
export function assume(pod: SchedPod, n: SchedNode): void {
  charge(n, pod.requests, 1);
}
