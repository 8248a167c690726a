/**
 * The pods of a plan's run, counted: Running, waiting (Pending or ContainerCreating) and, of those, waiting for an
 * address of their own; and the change's pods Running. A big cluster has tens of thousands of pods and the run counts
 * them every couple of seconds, so the counts are kept from the World's `pod-changed` happenings: a count re-reads
 * only the pods that changed since the last one.
 */
import type { World } from '../model/world.ts';
import type { Pod } from '../model/k8s/types.ts';

export interface Counts {
  running: number;
  waiting: number;
  /** Waiting pods that need an address of their own (not host-network). */
  waitingForAddress: number;
  targetRunning: number;
}

/** A pod's part in the counts, as bits (0: counted nowhere, e.g. Terminating or gone). */
const RUNNING = 1;
const WAITING = 2;
const NEEDS_ADDRESS = 4;
const TARGET = 8;

export class PodCensus {
  private readonly counts: Counts = { running: 0, waiting: 0, waitingForAddress: 0, targetRunning: 0 };
  private readonly part = new Map<string, number>();
  private readonly changed = new Set<string>();
  readonly close: () => void;

  /** `target`: the Deployment whose Running pods `targetRunning` counts. */
  constructor(
    private readonly world: World,
    private readonly target?: { namespace: string; name: string },
  ) {
    this.close = world.happenings.subscribe((h) => {
      if (h.type === 'pod-changed') this.changed.add(h.key);
    }, ['pod-changed']);
    for (const key of world.cluster.podMap.keys()) this.changed.add(key);
  }

  count(): Counts {
    const pods = this.world.cluster.podMap;
    for (const key of this.changed) {
      const before = this.part.get(key) ?? 0;
      const pod = pods.get(key);
      const now = pod === undefined ? 0 : this.partOf(pod);
      if (now === before) continue;
      this.add(before, -1);
      this.add(now, 1);
      if (now === 0) this.part.delete(key);
      else this.part.set(key, now);
    }
    this.changed.clear();
    return { ...this.counts };
  }

  private partOf(p: Pod): number {
    const st = p.status;
    if (st === 'Running') return RUNNING | (this.target !== undefined && p.owner.deployment === this.target.name && p.namespace === this.target.namespace ? TARGET : 0);
    if (st === 'Terminating') return 0;
    return WAITING | (p.hostNetwork ? 0 : NEEDS_ADDRESS);
  }

  private add(part: number, d: 1 | -1): void {
    const c = this.counts;
    if (part & RUNNING) c.running += d;
    if (part & TARGET) c.targetRunning += d;
    if (part & WAITING) c.waiting += d;
    if (part & NEEDS_ADDRESS) c.waitingForAddress += d;
  }
}
