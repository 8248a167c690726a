/**
 * One scheduling cycle of the cluster: every pending pod, oldest first, placed by the scheduler's filter and score
 * (scheduler.ts) on the live nodes with what is already bound to them counted in; a pod that fits nowhere gets a
 * FailedScheduling event, and first failures are grouped into one timeline line per owner and message. When cycles
 * run (coalesced requests) is cluster.ts; the placement rules are scheduler.ts. Also here: the views the cycle
 * reads (NodeView, one per registered node) and their keeper (NodeViews, with the sorted list of live nodes).
 */
import type { Happening } from './cloud.ts';
import { SchedNodeIndex } from './sched-index.ts';
import { charge, type Requests, type SchedNode } from './scheduler.ts';
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

/**
 * The cluster's views of its nodes and the list of live ones: a NodeView per registered node, by name (until its
 * Node object is deleted), the live nodes in name order (cached until a node is launched, registers, terminates or
 * is deleted), and the scheduler's index of the live nodes' views, rebuilt after those changes and kept current
 * in between.
 */
export class NodeViews {
  /** Each registered node's bound pods and what they add up to, by node name. */
  readonly byName = new Map<string, NodeView>();
  /** The live nodes in name order as last computed; dropped by liveSetChanged. */
  private liveNodesCache: Node[] | undefined;
  private readonly index = new SchedNodeIndex<NodeView>();
  private indexStale = true;

  /** `nodeMap`: every node ever launched, by name (the cluster's). */
  constructor(private readonly nodeMap: Map<string, Node>) {}

  /** Registered, live nodes by name (callers must not change the list). */
  sortedLiveNodes(): Node[] {
    this.liveNodesCache ??= [...this.nodeMap.values()].filter((n) => n.registered && !n.terminating).sort((a, b) => (a.name < b.name ? -1 : 1));
    return this.liveNodesCache;
  }

  /** A node was launched, registered, terminated or deleted. */
  liveSetChanged(): void {
    this.liveNodesCache = undefined;
    this.indexStale = true;
  }

  /** The pod joined (1) or left (-1) the view's bound set. */
  loadChange(view: NodeView, pod: Pod, sign: 1 | -1): void {
    charge(view, pod.template.requests, sign);
    this.index.podsChanged(view);
  }

  /** The view's counts changed outside loadChange. */
  podsChanged(view: NodeView): void {
    this.index.podsChanged(view);
  }

  /**
   * The live nodes' views, in name order, for a scheduling cycle. Views are kept by node name, like the cluster's
   * other per-node state: a live node whose name lost its view (a Node object of the same name deleted after this
   * one registered) gets a fresh, empty one each cycle.
   */
  schedNodes(): SchedNodeIndex<NodeView> {
    if (!this.indexStale) return this.index;
    let strays = false;
    const views = this.sortedLiveNodes().map((n) => {
      const v = this.byName.get(n.name);
      if (v === undefined) {
        strays = true;
        return new NodeView(n);
      }
      v.node = n;
      return v;
    });
    this.index.reset(views);
    this.indexStale = strays;
    return this.index;
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
