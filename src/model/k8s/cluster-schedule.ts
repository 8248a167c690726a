/**
 * One scheduling cycle of the cluster: every pending pod, oldest first, placed by the scheduler's filter and score
 * (scheduler.ts) on the live nodes with what is already bound to them counted in; a pod that fits nowhere gets a
 * FailedScheduling event, and first failures are grouped into one timeline line per owner and message. When cycles
 * run (coalesced requests) is cluster.ts; the placement rules are scheduler.ts.
 */
import type { Happening } from './cloud.ts';
import type { SchedNodeIndex } from './sched-index.ts';
import type { Requests, SchedNode } from './scheduler.ts';
import type { Node, Pod } from './types.ts';

/**
 * A registered node as the scheduler sees it: the Node's own fields, read through, and the pods bound to it with what
 * they add up to, kept by the cluster as pods bind and go. It lives from the node's registration until its Node
 * object is deleted, so no cycle rebuilds it.
 */
export class NodeView implements SchedNode {
  /** Pods bound to the node and not yet gone. */
  readonly bound = new Set<Pod>();
  pods = 0;
  readonly requested: Requests = { cpuMilli: 0, memoryBytes: 0 };
  readonly nonZeroRequested: Requests = { cpuMilli: 0, memoryBytes: 0 };

  /** `node`: the live Node of this name (the cluster keeps views by name). */
  constructor(public node: Node) {}

  get name(): string {
    return this.node.name;
  }
  get ready(): boolean {
    return this.node.ready;
  }
  get unschedulable(): boolean {
    return this.node.cordoned;
  }
  get labels(): Record<string, string> {
    return this.node.labels;
  }
  get maxPods(): number {
    return this.node.maxPods;
  }
  get allocatable(): Requests | undefined {
    return this.node.allocatable;
  }
}

/** What a cycle reads and does in the cluster. */
export interface ScheduleHost {
  /** Virtual time now (ms). */
  now(): number;
  /** Pods neither bound nor deleted, oldest first. */
  pending(): ReadonlySet<Pod>;
  /** The live nodes, in name order, with what is bound to them counted in. */
  nodes(): SchedNodeIndex<NodeView>;
  /** Binds the pod and counts it on the view, so the next decision in the cycle sees it. */
  bind(pod: Pod, node: NodeView): void;
  happen(h: Omit<Happening, 't'>): void;
}

export function scheduleCycle(host: ScheduleHost): void {
  const pending = host.pending();
  if (pending.size === 0) return;
  const nodes = host.nodes();
  /** First-time failures, grouped by owner and message, for one timeline line each. */
  let firstFailures: Map<string, { pod: Pod; message: string; count: number }> | undefined;
  // binding takes the pod out of `pending` (safe while iterating it); nothing in the loop adds pods
  for (const pod of pending) {
    const node = nodes.pick(pod.template);
    if (node !== undefined) {
      host.bind(pod, node);
      continue;
    }
    const message = nodes.unschedulableMessage(pod.template);
    const first = !pod.failedScheduling;
    pod.failedScheduling = true;
    pod.events.record(host.now(), 'Warning', 'FailedScheduling', 'default-scheduler', message);
    if (first && nodes.size > 0) {
      const key = `${pod.namespace}/${pod.owner.name}\u0000${message}`;
      const f = (firstFailures ??= new Map()).get(key);
      if (f === undefined) firstFailures.set(key, { pod, message, count: 1 });
      else f.count++;
    }
  }
  for (const { pod, message, count } of firstFailures?.values() ?? []) {
    const who = count === 1 ? pod.key : `${count} pods of ${pod.namespace}/${pod.owner.deployment ?? pod.owner.name}`;
    host.happen({ kind: 'pod-unschedulable', pod: pod.name, namespace: pod.namespace, deployment: pod.owner.deployment, message: `${who} Pending: ${message}` });
  }
}
