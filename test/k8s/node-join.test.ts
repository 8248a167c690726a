import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/index.ts';
import { canJoin, type EndpointAccess, type SubnetRoute } from '../../src/model/k8s/node-join.ts';
import { launchCandidates, scaleInVictim } from '../../src/model/k8s/placement.ts';
import { deployment, makeCluster, type FakeSubnet } from './fakes.ts';

describe('node join truth table', () => {
  const cases: Array<[EndpointAccess, SubnetRoute, boolean, boolean]> = [
    ['private', 'igw', true, true],
    ['private', 'nat', false, true],
    ['private', 'none', false, true],
    ['public-and-private', 'none', false, true],
    ['public-and-private', 'nat', false, true],
    ['public-and-private', 'igw', true, true],
    ['public', 'igw', true, true],
    ['public', 'igw', false, false],
    ['public', 'nat', false, true],
    ['public', 'none', false, false],
  ];
  it.each(cases)('endpoint %s, route %s, public IP %s → joins %s', (access, route, pub, joins) => {
    const r = canJoin(access, { subnetId: 'subnet-x', route, public: pub });
    expect(r.ok).toBe(joins);
    if (!r.ok) expect(r.reason).toMatch(/^NodeCreationFailure: Instances failed to join the kubernetes cluster \(the cluster endpoint is public only and subnet subnet-x /);
  });

  it('a node that cannot reach the endpoint never becomes Ready; its pods stay Pending with a reason', () => {
    const sim = new Simulation(5);
    const subnets: FakeSubnet[] = [{ id: 'subnet-iso', az: 'us-west-2a', route: 'none', public: false, octet: 9 }];
    const h = makeCluster(sim, {
      endpointAccess: 'public',
      subnets,
      coreDnsReplicas: 2,
      nodeGroups: [{ name: 'ng', instanceType: 'm6a.large', subnetIds: ['subnet-iso'], desired: 1, maxPods: 29, labels: {} }],
    });
    sim.run({ until: 10 * 60_000 });
    h.cluster.apply(deployment('web', 2));
    sim.run({ until: 11 * 60_000 });
    const node = [...h.cluster.nodeMap.values()][0];
    expect(node.registered).toBe(false);
    expect(node.ready).toBe(false);
    expect(node.notReadyReason).toMatch(/no route to a NAT gateway or an internet gateway/);
    expect(h.cluster.liveNodes()).toEqual([]);
    expect(h.cluster.pods().every((p) => p.status === 'Pending')).toBe(true);
    expect(h.cluster.pods().length).toBe(4);
    expect(h.ipamds.length).toBe(0);
    expect(h.happenings.filter((x) => x.kind === 'node-join-failed').map((x) => x.node)).toEqual([node.name]);
  });
});

describe('Auto Scaling placement', () => {
  const subnets = [
    { subnetId: 'a1', az: 'a' },
    { subnetId: 'b1', az: 'b' },
    { subnetId: 'c1', az: 'c' },
  ];
  it('balances by AZ, ties in list order', () => {
    const inst: { instanceId: string; subnetId: string; az: string; launchedAt: number }[] = [];
    const order: string[] = [];
    for (let i = 0; i < 7; i++) {
      const c = launchCandidates(subnets, inst)[0];
      order.push(c.az);
      inst.push({ instanceId: `i-${i}`, subnetId: c.subnetId, az: c.az, launchedAt: i });
    }
    expect(order.join('')).toBe('abcabca');
    expect(scaleInVictim(inst)!.instanceId).toBe('i-6');
    inst.pop();
    expect(scaleInVictim(inst)!.instanceId).toBe('i-5');
  });

  it('a node group spreads its nodes over its subnets', () => {
    const sim = new Simulation(6);
    const h = makeCluster(sim, {
      nodeGroups: [{ name: 'ng', instanceType: 'm6a.large', subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'], desired: 5, maxPods: 29, labels: {} }],
    });
    sim.run({ until: 60_000 });
    const per = new Map<string, number>();
    for (const n of h.cluster.liveNodes()) per.set(n.az, (per.get(n.az) ?? 0) + 1);
    expect([...per.entries()].sort()).toEqual([
      ['us-west-2a', 2],
      ['us-west-2b', 2],
      ['us-west-2c', 1],
    ]);
    expect(h.cluster.scaleNodeGroup('ng', 3).ok).toBe(true);
    sim.run({ until: 90_000 });
    expect(h.cluster.liveNodes().length).toBe(3);
    expect(h.cloud.terminated.length).toBe(2);
    expect(h.cluster.scaleNodeGroup('nope', 3).message).toMatch(/No node group found for name: nope/);
  });
});
