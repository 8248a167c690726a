import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/index.ts';
import { ADD_CMD_ERROR, ERR_NOT_READY } from '../../src/model/ipamd/types.ts';
import { sandboxFailureMessage } from '../../src/model/k8s/kubelet.ts';
import { deployment, makeCluster } from './fakes.ts';

const MSG = /^Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "([0-9a-f]{64})": plugin type="aws-cni" name="aws-cni" failed \(add\): add cmd: failed to assign an IP address to container$/;

describe('kubelet sandbox retries (§9.1)', () => {
  it('retries with a new sandbox id, 10–15 s apart after the first quick retry', () => {
    const sim = new Simulation(11);
    const h = makeCluster(sim, { capacity: 0, nodeGroups: [{ name: 'ng', instanceType: 'm6a.large', subnetIds: ['subnet-a'], desired: 1, maxPods: 29, labels: {} }] });
    sim.run({ until: 60_000 });
    h.cluster.apply(deployment('inflate', 1));
    sim.run({ until: 60_000 + 5 * 60_000 });
    const pod = h.cluster.pods().find((p) => p.namespace === 'default')!;
    expect(pod.status).toBe('ContainerCreating');
    const adds = h.ipamds[0].adds.filter((a) => a.name === pod.name);
    expect(adds.length).toBe(pod.sandboxAttempts);
    expect(new Set(adds.map((a) => a.containerId)).size).toBe(adds.length);
    for (const a of adds) expect(a.containerId).toMatch(/^[0-9a-f]{64}$/);
    // the failures as kubelet saw them: times of the events
    const times: number[] = [];
    for (const e of pod.events.events) if (e.reason === 'FailedCreatePodSandBox') times.push(e.firstTimestamp);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(1_000);
    expect(gaps[0]).toBeLessThanOrEqual(2_000);
    for (const g of gaps.slice(1)) {
      expect(g).toBeGreaterThanOrEqual(10_000);
      expect(g).toBeLessThanOrEqual(15_000);
    }
    // ~5 min of retries → roughly 20–30 attempts
    expect(pod.sandboxAttempts).toBeGreaterThan(18);
    expect(pod.sandboxAttempts).toBeLessThan(32);
    const single = pod.events.events.filter((e) => e.reason === 'FailedCreatePodSandBox' && e.count === 1 && !e.message.startsWith('(combined'));
    for (const e of single) expect(e.message).toMatch(MSG);
    const combined = pod.events.events.find((e) => e.message.startsWith('(combined from similar events): '))!;
    expect(combined.count).toBe(pod.sandboxAttempts - 9);
    expect(combined.message).toContain(`sandbox "${pod.sandboxId}"`);
    expect(pod.lastCniError).toBe('AssignPodIPv4Address: no available IP/Prefix addresses');
  });

  it('says "failed to connect to backend server" while aws-node is not answering', () => {
    expect(sandboxFailureMessage('ab', ERR_NOT_READY)).toBe(
      'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "ab": plugin type="aws-cni" name="aws-cni" failed (add): add cmd: failed to connect to backend server',
    );
    expect(sandboxFailureMessage('ab', ADD_CMD_ERROR)).toMatch(/failed \(add\): add cmd: failed to assign an IP address to container$/);
  });

  it('gets an address once ipamd has one, then Running after the sandbox starts', () => {
    const sim = new Simulation(12);
    const h = makeCluster(sim, { capacity: 3 });
    sim.run({ until: 60_000 });
    h.cluster.apply(deployment('inflate', 8));
    sim.run({ until: 90_000 });
    const pods = h.cluster.pods().filter((p) => p.namespace === 'default');
    const running = pods.filter((p) => p.status === 'Running');
    expect(running.length).toBe(6);
    for (const p of running) {
      expect(p.ipAssignedAt! - p.scheduledAt!).toBeLessThan(1_000);
      expect(p.runningAt! - p.ipAssignedAt!).toBeGreaterThanOrEqual(1_000);
      expect(p.runningAt! - p.ipAssignedAt!).toBeLessThanOrEqual(2_000);
    }
    // deleting running pods returns their addresses (CNI DEL after the grace period): the stuck ones start
    for (const p of running.slice(0, 2)) h.cluster.deletePod(p);
    h.cluster.scale('default', 'inflate', 6);
    sim.run({ until: 150_000 });
    const now = h.cluster.pods().filter((p) => p.namespace === 'default');
    expect(now.length).toBe(6);
    expect(now.every((p) => p.status === 'Running')).toBe(true);
  });

  it('a pod deleted before its sandbox is set up never reaches the CNI', () => {
    const sim = new Simulation(13);
    const h = makeCluster(sim, { capacity: 3 });
    sim.run({ until: 60_000 });
    h.cluster.apply(deployment('inflate', 2));
    const [a, b] = h.cluster.pods().filter((p) => p.namespace === 'default');
    // a: deleted as it is bound, before its worker's first step; b: while its sandbox is being set up
    sim.run({ stopWhen: () => a.nodeName !== undefined });
    h.cluster.deletePod(a, false);
    sim.run({ stopWhen: () => b.nodeName !== undefined });
    sim.run({ until: sim.now + 100 });
    h.cluster.deletePod(b, false);
    sim.run({ until: sim.now + 60_000 });
    const added = new Set(h.ipamds.flatMap((d) => d.adds.map((k) => k.name)));
    for (const p of [a, b]) {
      expect(added.has(p.name)).toBe(false);
      expect(p.sandboxAttempts).toBe(0);
      expect(p.goneAt).toBe(p.deletedAt);
      expect(p.events.events.map((e) => e.reason)).toEqual(['Scheduled']);
    }
  });
});
