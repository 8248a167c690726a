import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/index.ts';
import { assume, fitErrorMessage, schedulePod, type SchedNode, type SchedPod } from '../../src/model/k8s/scheduler.ts';
import { deployment, makeCluster } from './fakes.ts';

function node(name: string, over: Partial<SchedNode> = {}): SchedNode {
  return {
    name,
    ready: true,
    unschedulable: false,
    labels: {},
    maxPods: 29,
    pods: 0,
    requested: { cpuMilli: 0, memoryBytes: 0 },
    nonZeroRequested: { cpuMilli: 0, memoryBytes: 0 },
    ...over,
  };
}
const pod: SchedPod = { nodeSelector: {}, requests: { cpuMilli: 0, memoryBytes: 0 } };

describe('scheduler (pure)', () => {
  it('spreads pods evenly, ties broken by node name', () => {
    const nodes = [node('b'), node('a'), node('c')];
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = schedulePod(pod, nodes);
      if (!r.ok) throw new Error(r.message);
      order.push(r.node);
      assume(pod, nodes.find((n) => n.name === r.node)!);
    }
    expect(order).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('spreads by least-allocated cpu/memory when allocatable is stated', () => {
    const alloc = { cpuMilli: 2000, memoryBytes: 8 * 2 ** 30 };
    const nodes = [node('a', { allocatable: alloc }), node('b', { allocatable: alloc })];
    const big: SchedPod = { nodeSelector: {}, requests: { cpuMilli: 1000, memoryBytes: 0 } };
    assume(big, nodes[0]);
    const r = schedulePod({ nodeSelector: {}, requests: { cpuMilli: 100, memoryBytes: 0 } }, nodes);
    expect(r.ok && r.node).toBe('b');
  });

  it('never places more pods than max pods, whatever the order of arrivals (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 80 }), (caps, n) => {
        const nodes = caps.map((c, i) => node(`n${i}`, { maxPods: c }));
        let placed = 0;
        for (let i = 0; i < n; i++) {
          const r = schedulePod(pod, nodes);
          if (!r.ok) {
            expect(r.message).toMatch(/Too many pods/);
            continue;
          }
          placed++;
          assume(pod, nodes.find((x) => x.name === r.node)!);
        }
        const cap = caps.reduce((a, b) => a + b, 0);
        expect(placed).toBe(Math.min(n, cap));
        for (const x of nodes) expect(x.pods).toBeLessThanOrEqual(x.maxPods);
        // spread: with equal limits, no node is more than one pod ahead of another that still has room
        if (caps.every((c) => c === caps[0])) for (const x of nodes) for (const y of nodes) if (y.pods < y.maxPods) expect(x.pods - y.pods).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('explains failures like kube-scheduler, reasons sorted', () => {
    const nodes = [
      node('a', { pods: 29, labels: { role: 'y' } }),
      node('b', { unschedulable: true }),
      node('c', { ready: false }),
      node('d', { labels: { role: 'x' } }),
    ];
    const r = schedulePod({ nodeSelector: { role: 'y' }, requests: { cpuMilli: 0, memoryBytes: 0 } }, nodes);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toBe(
      "0/4 nodes are available: 1 Too many pods, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable. " +
        'preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.',
    );
    expect(fitErrorMessage(0, [])).toBe('no nodes available to schedule pods');
  });

  it('honours nodeSelector', () => {
    const nodes = [node('a'), node('b', { labels: { pool: 'x' } })];
    const r = schedulePod({ nodeSelector: { pool: 'x' }, requests: { cpuMilli: 0, memoryBytes: 0 } }, nodes);
    expect(r.ok && r.node).toBe('b');
  });
});

describe('scheduler in the cluster', () => {
  it('counts host-network daemon pods (aws-node, kube-proxy) toward max pods', () => {
    const sim = new Simulation(3);
    const h = makeCluster(sim, {
      nodeGroups: [{ name: 'ng', instanceType: 'm6a.large', subnetIds: ['subnet-a', 'subnet-b'], desired: 2, maxPods: 10, labels: {} }],
    });
    sim.run({ until: 60_000 });
    h.cluster.apply(deployment('inflate', 20));
    sim.run({ until: 120_000 });
    const mine = h.cluster.pods().filter((p) => p.namespace === 'default');
    const byNode = new Map<string, number>();
    for (const p of mine) if (p.nodeName) byNode.set(p.nodeName, (byNode.get(p.nodeName) ?? 0) + 1);
    expect([...byNode.values()]).toEqual([8, 8]);
    const pending = mine.filter((p) => p.status === 'Pending');
    expect(pending.length).toBe(4);
    const ev = pending[0].events.events.find((e) => e.reason === 'FailedScheduling')!;
    expect(ev.message).toMatch(/^0\/2 nodes are available: 2 Too many pods\./);
    for (const n of h.cluster.liveNodes()) {
      const all = h.cluster.pods().filter((p) => p.nodeName === n.name);
      expect(all.length).toBe(10);
      expect(all.filter((p) => p.hostNetwork).map((p) => p.name.replace(/-[a-z0-9]{5}$/, '')).sort()).toEqual(['aws-node', 'kube-proxy']);
    }
    // another pending pod makes another cycle: the four fail again, but the timeline tells of first failures only
    h.cluster.apply(deployment('extra', 1));
    sim.run({ until: 130_000 });
    expect(ev.count).toBe(2);
    const told = h.happenings.filter((x) => x.kind === 'pod-unschedulable').map((x) => x.message);
    expect(told).toEqual([
      expect.stringMatching(/^4 pods of default\/inflate Pending: 0\/2 nodes are available/),
      expect.stringMatching(/^default\/extra-[a-z0-9-]+ Pending: 0\/2 nodes are available/),
    ]);
  });

  it('places pending pods once a node is uncordoned', () => {
    const sim = new Simulation(4);
    const h = makeCluster(sim);
    sim.run({ until: 60_000 });
    for (const n of h.cluster.liveNodes()) expect(h.cluster.cordon(n.name).message).toBe(`node/${n.name} cordoned`);
    h.cluster.apply(deployment('web', 3));
    sim.run({ until: 70_000 });
    expect(h.cluster.pods().filter((p) => p.namespace === 'default' && p.status === 'Pending').length).toBe(3);
    h.cluster.cordon(h.cluster.liveNodes()[1].name, false);
    sim.run({ until: 90_000 });
    const pods = h.cluster.pods().filter((p) => p.namespace === 'default');
    expect(pods.every((p) => p.status === 'Running' && p.nodeName === h.cluster.liveNodes()[1].name)).toBe(true);
  });
});
