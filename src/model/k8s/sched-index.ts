/**
 * The scheduler's pick (scheduler.ts `bestNode`: highest score, ties to the smallest name) over a lasting set of
 * node views, without scoring every node for every pod.
 *
 * A node that states no allocatable CPU/memory scores by its pod slots alone (`slotsFree`), whatever the pod. Such
 * nodes sit in buckets by that score, each a bit set over the nodes' positions in name order; going down from the
 * highest bucket and up from the lowest position, the first node that fits is the pick. Moving a node between
 * buckets is two bit flips. A node with allocatable scores by the pod's requests, so while any is present the pick
 * is the plain scan over all nodes.
 * The caller reports every change of a node's pods (`podsChanged`) and hands over a new set (`reset`) whenever the
 * set of nodes changes; readiness, cordon and labels are read at pick time, so they need no report.
 */
import { bestNode, fits, slotsFree, SLOT_SCORES, unschedulableMessage, type SchedNode, type SchedPod } from './scheduler.ts';

export class SchedNodeIndex<N extends SchedNode> {
  /** All nodes, in name order: a node's position here is its bit in every bucket. */
  private nodes: readonly N[] = [];
  private readonly position = new Map<N, number>();
  /** Whether the buckets are in use (no node states allocatable). */
  private bucketed = false;
  /** 32-bit words per bucket. */
  private words = 0;
  /** Bucket b (a slotsFree value) is words [b * words, (b + 1) * words): bit i set when node i is in it. */
  private bits = new Uint32Array(0);
  /** Nodes per bucket, to skip the empty ones. */
  private counts = new Uint32Array(SLOT_SCORES);
  /** Each node's bucket, by position. */
  private bucketOf = new Uint8Array(0);

  /** The nodes, in name order (the index keeps the array). */
  reset(nodes: readonly N[]): void {
    this.nodes = nodes;
    this.position.clear();
    this.bucketed = !nodes.some((n) => n.allocatable !== undefined);
    if (!this.bucketed) return;
    this.words = Math.ceil(nodes.length / 32);
    this.bits = new Uint32Array(SLOT_SCORES * this.words);
    this.counts = new Uint32Array(SLOT_SCORES);
    this.bucketOf = new Uint8Array(nodes.length);
    nodes.forEach((n, i) => {
      this.position.set(n, i);
      this.file(i, slotsFree(n));
    });
  }

  get size(): number {
    return this.nodes.length;
  }

  /** Refiles a node after its pod count changed (nodes not in the index are ignored). */
  podsChanged(node: N): void {
    const i = this.position.get(node);
    if (i === undefined) return;
    const bucket = slotsFree(node);
    if (bucket === this.bucketOf[i]) return;
    const old = this.bucketOf[i];
    this.bits[old * this.words + (i >>> 5)] &= ~(1 << (i & 31));
    this.counts[old]--;
    this.file(i, bucket);
  }

  /** The node the scheduler picks for the pod, or undefined when none fits. */
  pick(pod: SchedPod): N | undefined {
    if (!this.bucketed) return bestNode(pod, this.nodes)?.node;
    for (let b = SLOT_SCORES - 1; b >= 0; b--) {
      if (this.counts[b] === 0) continue;
      for (let w = 0; w < this.words; w++) {
        for (let word = this.bits[b * this.words + w]; word !== 0; word &= word - 1) {
          const n = this.nodes[w * 32 + 31 - Math.clz32(word & -word)];
          if (fits(pod, n)) return n;
        }
      }
    }
    return undefined;
  }

  /** The FailedScheduling message, for a pod that fits no node. */
  unschedulableMessage(pod: SchedPod): string {
    return unschedulableMessage(pod, this.nodes);
  }

  private file(i: number, bucket: number): void {
    this.bits[bucket * this.words + (i >>> 5)] |= 1 << (i & 31);
    this.counts[bucket]++;
    this.bucketOf[i] = bucket;
  }
}
