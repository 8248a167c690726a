import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/index.ts';
import { maxUnavailable } from '../../src/model/k8s/rollout.ts';
import { deployment, makeCluster } from './fakes.ts';

describe('kubectl set env daemonset aws-node (rolling restart)', () => {
  it('maxUnavailable is the manifest 10 % rounded up', () => {
    expect([1, 5, 10, 11, 25, 100].map((n) => maxUnavailable(n))).toEqual([1, 1, 1, 2, 3, 10]);
  });

  it('restarts aws-node one node at a time, hands over the checkpoint, running pods keep their IPs', () => {
    const sim = new Simulation(21);
    const h = makeCluster(sim, {
      nodeGroups: [{ name: 'ng', instanceType: 'm6a.large', subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'], desired: 3, maxPods: 29, labels: {} }],
    });
    sim.run({ until: 60_000 });
    h.cluster.apply(deployment('inflate', 12));
    sim.run({ until: 90_000 });
    const before = new Map(h.cluster.pods().filter((p) => p.namespace === 'default').map((p) => [p.name, p.ip]));
    expect([...before.values()].every((ip) => ip !== undefined)).toBe(true);
    const oldAwsNode = h.cluster.pods().filter((p) => p.owner.name === 'aws-node').map((p) => p.name);

    expect(h.cluster.setAwsNodeEnv({ WARM_IP_TARGET: '5', WARM_ENI_TARGET: null }).message).toBe('daemonset.apps/aws-node env updated');
    // at most one node without a serving ipamd at any time
    let maxDown = 0;
    let sawGap = false;
    while ((sim.peek() ?? Infinity) <= 200_000) {
      sim.step();
      const down = h.cluster.agents().filter((a) => !a.serving).length;
      maxDown = Math.max(maxDown, down);
      if (down > 0) sawGap = true;
    }
    expect(sawGap).toBe(true);
    expect(maxDown).toBe(1);
    expect(h.ipamds.length).toBe(6);
    const [first3, next3] = [h.ipamds.slice(0, 3), h.ipamds.slice(3)];
    for (const d of first3) {
      expect(d.terminatingCalled).toBe(true);
      expect(d.stopped).toBe(true);
    }
    for (const d of next3) {
      expect(d.env.WARM_IP_TARGET).toBe('5');
      expect('WARM_ENI_TARGET' in d.env).toBe(false);
      expect(d.state).toBe('ready');
    }
    // new pods were started one after another, each after the previous was ready
    const readyTimes = h.happenings.filter((x) => x.kind === 'aws-node-ready' && x.t > 60_000).map((x) => x.t);
    expect(readyTimes.length).toBe(3);
    const after = new Map(h.cluster.pods().filter((p) => p.namespace === 'default').map((p) => [p.name, p.ip]));
    expect(after).toEqual(before);
    const newAwsNode = h.cluster.pods().filter((p) => p.owner.name === 'aws-node').map((p) => p.name);
    expect(newAwsNode.some((n) => oldAwsNode.includes(n))).toBe(false);
    expect(h.happenings.at(-1)!.message).toMatch(/successfully rolled out/);
    // the new daemons know the old pods: deleting one returns its address
    const victim = h.cluster.pods().find((p) => p.namespace === 'default')!;
    const d = h.cluster.agentMap.get(victim.nodeName!)!.ipamd!;
    expect(d.stats().assignedIps).toBe(h.cluster.pods().filter((p) => p.ip !== undefined && !p.hostNetwork && p.nodeName === victim.nodeName).length);
    h.cluster.deletePod(victim);
    sim.run({ until: 260_000 });
    expect(d.stats().assignedIps).toBe(h.cluster.pods().filter((p) => p.ip !== undefined && !p.hostNetwork && p.nodeName === victim.nodeName).length);
    expect(d.checkpoint().allocations.some((a) => a.metadata.k8sPodName === victim.name)).toBe(false);
  });

  it('CNI ADD during the gap fails with "failed to connect to backend server", then succeeds', () => {
    const sim = new Simulation(22);
    const h = makeCluster(sim, { nodeGroups: [{ name: 'ng', instanceType: 'm6a.large', subnetIds: ['subnet-a'], desired: 1, maxPods: 29, labels: {} }] });
    sim.run({ until: 60_000 });
    h.cluster.setAwsNodeEnv({ WARM_IP_TARGET: '2' });
    sim.run({ until: 60_000, stopWhen: () => !h.cluster.agents()[0].serving }); // old container gone, new one starting
    sim.run({ stopWhen: () => !h.cluster.agents()[0].serving });
    expect(h.cluster.agents()[0].serving).toBe(false);
    h.cluster.apply(deployment('inflate', 1));
    sim.run({ until: 120_000 });
    const pod = h.cluster.pods().find((p) => p.namespace === 'default')!;
    expect(pod.status).toBe('Running');
    expect(pod.connectFailures).toBeGreaterThan(0);
    const ev = pod.events.events.find((e) => e.reason === 'FailedCreatePodSandBox')!;
    expect(ev.message).toMatch(/failed \(add\): add cmd: failed to connect to backend server$/);
  });

  it('a bad env stalls the rollout on the first node (crash loop), the others keep the old pod', () => {
    const sim = new Simulation(23);
    const h = makeCluster(sim, {
      failWhen: (env) => (env.BROKEN === 'true' ? 'invalid configuration' : undefined),
      nodeGroups: [{ name: 'ng', instanceType: 'm6a.large', subnetIds: ['subnet-a', 'subnet-b'], desired: 2, maxPods: 29, labels: {} }],
    });
    sim.run({ until: 60_000 });
    h.cluster.setAwsNodeEnv({ BROKEN: 'true' });
    sim.run({ until: 400_000 });
    const agents = h.cluster.agents();
    expect(agents[0].state).toBe('crashloop');
    expect(agents[0].restarts).toBeGreaterThan(3);
    expect(agents[1].available).toBe(true);
    expect(agents[1].env.BROKEN).toBeUndefined();
    // the node stays Ready: the CNI config was written by the first aws-node
    expect(agents[0].node.ready).toBe(true);
    // fixing the env replaces the crash-looping pod at once and finishes the rollout
    h.cluster.setAwsNodeEnv({ BROKEN: null });
    sim.run({ until: 500_000 });
    expect(h.cluster.agents().every((a) => a.available && a.env.BROKEN === undefined)).toBe(true);
  });
});
