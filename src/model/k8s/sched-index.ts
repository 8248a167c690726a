/**
 * The scheduler's pick (scheduler.ts `bestNode`: highest score, ties to the smallest name) over a lasting set of
 * node views, without scoring every node for every pod.
 *
 * A node that states no allocatable CPU/memory scores by its pod slots alone (`slotsFree`), whatever the pod. Such
 * nodes sit in buckets by that score, each bucket in name order; going down from the highest bucket, the first node
 * that fits is the pick. A node with allocatable scores by the pod's requests, so while any is present the pick is
 * the plain scan over all nodes.
 * The caller reports every change of a node's pods (`podsChanged`) and hands over a new set (`reset`) whenever the
 * set of nodes changes; readiness, cordon and labels are read at pick time, so they need no report.
 */
import { bestNode, fits, slotsFree, SLOT_SCORES, unschedulableMessage, type SchedNode, type SchedPod } from './scheduler.ts';

/** Where a node is filed: its position in name order and its bucket. */
interface Slot<N> {
  node: N;
  rank: number;
  bucket: number;
}

export class SchedNodeIndex<N extends SchedNode> {
  /** All nodes, in name order. */
  private nodes: readonly N[] = [];
  /** By slotsFree, each bucket ordered by rank; undefined while any node states allocatable. */
  private buckets: Slot<N>[][] | undefined;
  private readonly slots = new Map<N, Slot<N>>();

  /** The nodes, in name order (the index keeps the array). */
  reset(nodes: readonly N[]): void {
    this.nodes = nodes;
    this.slots.clear();
    if (nodes.some((n) => n.allocatable !== undefined)) {
      this.buckets = undefined;
      return;
    }
    const buckets: Slot<N>[][] = Array.from({ length: SLOT_SCORES }, () => []);
    nodes.forEach((node, rank) => {
      const s: Slot<N> = { node, rank, bucket: slotsFree(node) };
      this.slots.set(node, s);
      buckets[s.bucket].push(s);
    });
    this.buckets = buckets;
  }

  get size(): number {
    return this.nodes.length;
  }

  /** Refiles a node after its pod count changed (nodes not in the index are ignored). */
  podsChanged(node: N): void {
    const s = this.buckets === undefined ? undefined : this.slots.get(node);
    if (s === undefined) return;
    const bucket = slotsFree(node);
    if (bucket === s.bucket) return;
    remove(this.buckets![s.bucket], s);
    insert(this.buckets![bucket], s);
    s.bucket = bucket;
  }

  /** The node the scheduler picks for the pod, or undefined when none fits. */
  pick(pod: SchedPod): N | undefined {
    if (this.buckets === undefined) return bestNode(pod, this.nodes)?.node;
    for (let b = this.buckets.length - 1; b >= 0; b--) {
      for (const s of this.buckets[b]) if (fits(pod, s.node)) return s.node;
    }
    return undefined;
  }

  /** The FailedScheduling message, for a pod that fits no node. */
  unschedulableMessage(pod: SchedPod): string {
    return unschedulableMessage(pod, this.nodes);
  }
}

// Buckets are short and change on every bind and every pod gone: shift by hand rather than splice, which
// allocates an array of the removed elements each call.

function remove<N>(bucket: Slot<N>[], s: Slot<N>): void {
  for (let i = position(bucket, s.rank); i < bucket.length - 1; i++) bucket[i] = bucket[i + 1];
  bucket.pop();
}

function insert<N>(bucket: Slot<N>[], s: Slot<N>): void {
  let i = bucket.length;
  bucket.push(s);
  for (; i > 0 && bucket[i - 1].rank > s.rank; i--) bucket[i] = bucket[i - 1];
  bucket[i] = s;
}

/** Where `rank` is in a bucket ordered by rank (binary search). */
function position<N>(bucket: readonly Slot<N>[], rank: number): number {
  let lo = 0;
  let hi = bucket.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bucket[mid].rank < rank) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
