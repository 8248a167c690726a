/**
 * One scheduling cycle of the cluster: every pending pod, oldest first, placed by the scheduler's filter and score
 * (scheduler.ts) on the live nodes with what is already bound to them counted in; a pod that fits nowhere gets a
 * FailedScheduling event, and first failures are grouped into one timeline line per owner and message. When cycles
 * run (coalesced requests) is cluster.ts; the placement rules are scheduler.ts.
 */
import type { Happening } from './cloud.ts';
import { assume, schedulePod, type SchedNode } from './scheduler.ts';
import type { Node, Pod } from './types.ts';

/** What a cycle reads and does in the cluster. */
export interface ScheduleHost {
  /** Virtual time now (ms). */
  now(): number;
  /** Pods in the API server. */
  pods(): Iterable<Pod>;
  /** Registered, live nodes by name. */
  liveNodes(): Node[];
  /** Pods bound to a node and not yet gone. */
  boundTo(nodeName: string): Iterable<Pod>;
  /** Pods neither bound nor deleted, oldest first. */
  pending(): Iterable<Pod>;
  /** What the pods bound to a node add up to. */
  loadOf(nodeName: string): { pods: number; requested: { cpuMilli: number; memoryBytes: number }; nonZeroRequested: { cpuMilli: number; memoryBytes: number } } | undefined;
  bind(pod: Pod, node: Node): void;
  happen(h: Omit<Happening, 't'>): void;
}

export function scheduleCycle(host: ScheduleHost): void {
  const pending: Pod[] = [...host.pending()];
  if (pending.length === 0) return;
  const nodes = host.liveNodes();
  const views: SchedNode[] = nodes.map((n) => {
    const v: SchedNode = {
      name: n.name,
      ready: n.ready,
      unschedulable: n.cordoned,
      labels: n.labels,
      maxPods: n.maxPods,
      pods: 0,
      allocatable: n.allocatable,
      requested: { cpuMilli: 0, memoryBytes: 0 },
      nonZeroRequested: { cpuMilli: 0, memoryBytes: 0 },
    };
    const l = host.loadOf(n.name);
    if (l !== undefined) {
      v.pods = l.pods;
      v.requested = { ...l.requested };
      v.nonZeroRequested = { ...l.nonZeroRequested };
    }
    return v;
  });
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const viewByName = new Map(views.map((v) => [v.name, v]));
  /** First-time failures, grouped by owner and message, for one timeline line each. */
  const firstFailures = new Map<string, { pod: Pod; message: string; count: number }>();
  for (const pod of pending) {
    const sp = { nodeSelector: pod.template.nodeSelector, requests: pod.template.requests };
    const r = schedulePod(sp, views);
    if (r.ok) {
      assume(sp, viewByName.get(r.node)!);
      host.bind(pod, byName.get(r.node)!);
    } else {
      const first = pod.events.events.every((e) => e.reason !== 'FailedScheduling');
      pod.events.record(host.now(), 'Warning', 'FailedScheduling', 'default-scheduler', r.message);
      if (first && nodes.length > 0) {
        const key = `${pod.namespace}/${pod.owner.name}\u0000${r.message}`;
        const f = firstFailures.get(key);
        if (f === undefined) firstFailures.set(key, { pod, message: r.message, count: 1 });
        else f.count++;
      }
    }
  }
  for (const { pod, message, count } of firstFailures.values()) {
    const who = count === 1 ? pod.key : `${count} pods of ${pod.namespace}/${pod.owner.deployment ?? pod.owner.name}`;
    host.happen({ kind: 'pod-unschedulable', pod: pod.name, namespace: pod.namespace, deployment: pod.owner.deployment, message: `${who} Pending: ${message}` });
  }
}
