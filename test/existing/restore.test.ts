/**
 * A World built from an `existing` section is that cluster at t = 0: EC2 holds the given instances and ENIs with
 * exactly their addresses (ids kept, new ids distinct), nodes are Ready with aws-node and kube-proxy Running, each
 * ipamd is restored as after a restart from its checkpoint without any EC2 call, and from then on only the pool loop
 * changes the datastore. Deployments own their running pods, make up a shortfall and scale both ways.
 */
import { describe, expect, it } from 'vitest';
import type { DatastoreView } from '../../src/model/ipamd/datastore-types.ts';
import type { World } from '../../src/model/world.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import { buildWorld } from '../../src/scenario/runner.ts';
import { baseDoc, yamlOf, type Doc } from './fixture.ts';

const N0 = 'ip-10-0-0-10.us-west-2.compute.internal';
const N1 = 'ip-10-0-2-10.us-west-2.compute.internal';

function worldOf(d: Doc): World {
  return buildWorld(loadScenarioText(yamlOf(d), 'c.yaml'));
}

function calls(w: World): number {
  return Object.values(w.ec2Counters().total.calls).reduce((a, b) => a + (b ?? 0), 0);
}

const MUTATING = ['CreateNetworkInterface', 'AttachNetworkInterface', 'DetachNetworkInterface', 'DeleteNetworkInterface', 'AssignPrivateIpAddresses', 'UnassignPrivateIpAddresses', 'CreateTags', 'ModifyNetworkInterfaceAttribute', 'RunInstances'];

function mutatingCalls(w: World): number {
  const c = w.ec2Counters().total.calls as Record<string, number | undefined>;
  return MUTATING.reduce((a, k) => a + (c[k] ?? 0), 0);
}

/** Every datastore address as `eni cidr address → pod` (empty owner: free). */
function datastoreLines(ds: DatastoreView): string[] {
  const out: string[] = [];
  for (const e of ds.enis.values()) {
    for (const c of e.cidrs.values()) {
      if (c.addresses.size === 0) out.push(`${e.id} ${c.cidr} -`);
      for (const a of c.addresses.values()) out.push(`${e.id} ${c.cidr} ${a.address} ${a.pod === undefined || a.assignedAt === undefined || a.unassignedAt !== undefined ? '-' : `${a.pod.namespace}/${a.pod.name}`}`);
    }
  }
  return out.sort();
}

describe('a World from an existing state, at t = 0', () => {
  const w = worldOf(baseDoc());

  it('EC2 holds the instances and ENIs with their ids and exactly their addresses, and no call was made', () => {
    expect(w.now).toBe(0);
    expect(calls(w)).toBe(0);
    const i0 = w.ec2.state.instances.get('i-0aaa')!;
    expect(i0.state).toBe('running');
    expect(i0.view().networkInterfaces.map((n) => [n.eniId, n.deviceIndex])).toEqual([
      ['eni-0aaa', 0],
      ['eni-0aab', 1],
    ]);
    const e = w.ec2.state.enis.get('eni-0aab')!.view();
    expect([e.privateIpAddress, ...e.secondaryPrivateIpAddresses]).toEqual(['10.0.1.10', '10.0.1.11', '10.0.1.12']);
    expect(w.ec2.state.enis.get('eni-0bbb')!.view().ipv4Prefixes).toEqual(['10.0.2.32/28']);
    // usable 251 each: subnet-a 4 on eni-0aaa + 3 outside; subnet-a2 3; subnet-b 1 + a /28
    expect(w.subnets().map((s) => [s.id, s.availableIpAddressCount])).toEqual([
      ['subnet-a', 244],
      ['subnet-a2', 248],
      ['subnet-b', 234],
    ]);
  });

  it('nodes are Ready with aws-node and kube-proxy Running, and the group counts its existing node', () => {
    const n0 = w.cluster.nodeMap.get(N0)!;
    expect([n0.ready, n0.registered, n0.instanceId, n0.nodeGroup, n0.maxPods]).toEqual([true, true, 'i-0aaa', 'ng-1', 29]);
    const n1 = w.cluster.nodeMap.get(N1)!;
    expect(n1.labels.team).toBe('b');
    expect(n1.labels['eks.amazonaws.com/nodegroup']).toBeUndefined();
    const sys = w.pods({ namespace: 'kube-system', includeSystem: true }).filter((p) => p.owner?.kind === 'DaemonSet');
    expect(sys.map((p) => `${p.owner!.name} ${p.status} ${p.ip}`).sort()).toEqual([
      'aws-node Running 10.0.0.10',
      'aws-node Running 10.0.2.10',
      'kube-proxy Running 10.0.0.10',
      'kube-proxy Running 10.0.2.10',
    ]);
    expect(w.ipamdOf(N0)!.state).toBe('ready');
    // ng-1 wants 2: one exists, one is launching
    expect(w.cluster.groups.get('ng-1')!.nodes().map((n) => n.name)).toEqual([N0]);
  });

  it("each ipamd holds its ENIs' addresses with each running pod's address assigned to that pod", () => {
    expect(datastoreLines(w.ipamdOf(N0)!.datastoreView!())).toEqual(
      [
        'eni-0aaa 10.0.0.11/32 10.0.0.11 default/app-5d8c7f9b6d-aaaaa',
        'eni-0aaa 10.0.0.12/32 -',
        'eni-0aaa 10.0.0.13/32 -',
        'eni-0aab 10.0.1.11/32 -',
        'eni-0aab 10.0.1.12/32 -',
      ].sort(),
    );
    expect(datastoreLines(w.ipamdOf(N1)!.datastoreView!())).toEqual(['eni-0bbb 10.0.2.32/28 10.0.2.33 default/app-5d8c7f9b6d-bbbbb', 'eni-0bbb 10.0.2.32/28 10.0.2.40 default/solo']);
    const restore = w.decisions(N0).find((d) => d.kind === 'restore')!;
    expect(restore.data).toMatchObject({ restored: 1, dropped: 0 });
  });

  it('pods are Running on their addresses, owned by their Deployment, and the shortfall is created', () => {
    const pods = w.pods();
    const app = pods.filter((p) => p.labels.app === 'app');
    expect(app.map((p) => p.name).filter((n) => n.endsWith('aaaaa') || n.endsWith('bbbbb'))).toHaveLength(2);
    expect(app).toHaveLength(3);
    // the third replica is named like the others (the hash is taken from their names)
    expect(app.every((p) => /^app-5d8c7f9b6d-[a-z0-9]{5}$/.test(p.name))).toBe(true);
    expect(app.filter((p) => p.status === 'Running').map((p) => p.ip).sort()).toEqual(['10.0.0.11', '10.0.2.33']);
    const solo = pods.find((p) => p.name === 'solo')!;
    expect([solo.status, solo.ip, solo.node]).toEqual(['Running', '10.0.2.40', N1]);
    expect(w.deployments().find((d) => d.name === 'app')).toMatchObject({ replicas: 3 });
    // no CoreDNS of the World's own
    expect(w.pods({ namespace: 'kube-system', includeSystem: true }).some((p) => p.name.startsWith('coredns'))).toBe(false);
  });

  it('ids the model makes later never collide with the given ones', () => {
    const w2 = worldOf(baseDoc());
    w2.runUntil(120_000);
    const ids = [...w2.ec2.state.enis.keys()];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['eni-0aaa', 'eni-0aab', 'eni-0bbb']));
    expect(ids.length).toBeGreaterThan(3);
    expect(w2.ec2.state.instances.size).toBe(3);
  });
});

describe('an aws-node that cannot resume', () => {
  it('crashes and restarts from the checkpoint as any failed start does; the node stays Ready and pods keep their addresses', () => {
    const d = baseDoc();
    // ipamd refuses this configuration at start (§1 isConfigValid: neither IPv4 nor IPv6)
    d.cluster.vpcCni.env = { ENABLE_IPv4: 'false' };
    const w = worldOf(d);
    const agent = w.cluster.agentMap.get(N0)!;
    expect([agent.state, agent.restarts]).toEqual(['crashloop', 1]);
    expect(agent.lastFailure).toMatch(/IPv4|IPv6/);
    expect(w.cluster.nodeMap.get(N0)!.ready).toBe(true);
    w.runUntil(60_000);
    expect(agent.restarts).toBeGreaterThan(1);
    expect(w.pods().find((p) => p.name === 'app-5d8c7f9b6d-aaaaa')).toMatchObject({ status: 'Running', ip: '10.0.0.11' });
  });
});

describe('subnet ids', () => {
  it("a subnet named with EC2's own id form keeps that id in EC2; other subnets get ids that never collide with it", () => {
    const d = baseDoc();
    const real = 'subnet-00000000000000002';
    const text = yamlOf(d).replaceAll('subnet-b', real);
    const w = buildWorld(loadScenarioText(text, 'c.yaml'));
    expect(w.subnets().map((s) => [s.id, s.subnetId])).toEqual([
      ['subnet-a', 'subnet-00000000000000001'],
      // the counter steps over the id the third subnet brings
      ['subnet-a2', 'subnet-00000000000000003'],
      [real, real],
    ]);
    expect(w.ec2.state.enis.get('eni-0bbb')!.view().subnetId).toBe(real);
    expect(w.nodes().find((n) => n.name === N1)!.subnetId).toBe(real);
  });
});

describe('from t = 0 on, only the pool loop changes the datastore', () => {
  /** Targets the state already meets: WARM_IP_TARGET 4, four free addresses on each node, no shortfall. */
  function settledDoc(): Doc {
    const d = baseDoc();
    d.cluster.vpcCni.env = { WARM_IP_TARGET: '4' };
    d.nodeGroups[0].desiredCapacity = 1;
    const n1 = d.existing.nodes[1];
    n1.enis[0] = { id: 'eni-0bbb', deviceIndex: 0, subnet: 'subnet-b', primaryIp: '10.0.2.10', secondaryIps: ['10.0.2.33', '10.0.2.34', '10.0.2.35', '10.0.2.36', '10.0.2.37', '10.0.2.40'] };
    d.existing.deployments[0].spec.replicas = 2;
    return d;
  }

  it('with targets already met: no EC2 change and the same datastore two minutes later', () => {
    const w = worldOf(settledDoc());
    const before = [N0, N1].map((n) => datastoreLines(w.ipamdOf(n)!.datastoreView!()));
    w.runUntil(120_000);
    expect(mutatingCalls(w)).toBe(0);
    expect([N0, N1].map((n) => datastoreLines(w.ipamdOf(n)!.datastoreView!()))).toEqual(before);
    expect(w.decisions().filter((d) => d.kind === 'pool-grow' || d.kind === 'pool-shrink' || d.kind === 'eni-create')).toEqual([]);
  });

  it('with a target not met, the first change is a pool decision, never the start-up', () => {
    const d = settledDoc();
    d.cluster.vpcCni.env = { WARM_IP_TARGET: '6' };
    const w = worldOf(d);
    expect(calls(w)).toBe(0);
    w.runUntil(2_499);
    expect(mutatingCalls(w)).toBe(0);
    w.runUntil(60_000);
    expect(mutatingCalls(w)).toBeGreaterThan(0);
    const grows = w.decisions().filter((x) => x.kind === 'pool-grow');
    expect(grows.length).toBeGreaterThan(0);
    expect(Math.min(...grows.map((g) => g.t))).toBeGreaterThanOrEqual(2_500);
  });
});

describe('Deployments with adopted pods', () => {
  it('scale up: new pods join the running ones; scale down: adopted pods go and their addresses come back', () => {
    const w = worldOf(baseDoc());
    w.runUntil(60_000);
    expect(w.pods().filter((p) => p.labels.app === 'app' && p.status === 'Running')).toHaveLength(3);
    expect(w.cluster.scale('default', 'app', 6).ok).toBe(true);
    w.runUntil(180_000);
    expect(w.pods().filter((p) => p.labels.app === 'app' && p.status === 'Running')).toHaveLength(6);
    expect(w.cluster.scale('default', 'app', 0).ok).toBe(true);
    w.runUntil(240_000);
    const left = w.pods().filter((p) => p.labels.app === 'app');
    expect(left).toEqual([]);
    // the adopted pods' addresses are no longer assigned to them
    const lines = [N0, N1].flatMap((n) => datastoreLines(w.ipamdOf(n)!.datastoreView!()));
    expect(lines.some((l) => l.includes('app-5d8c7f9b6d-aaaaa') || l.includes('app-5d8c7f9b6d-bbbbb'))).toBe(false);
    expect(lines.some((l) => l.endsWith('default/solo'))).toBe(true);
  });

  it('a Deployment with more running pods than replicas deletes the extra at t = 0', () => {
    const d = baseDoc();
    d.existing.deployments[0].spec.replicas = 1;
    const w = worldOf(d);
    const app = w.pods().filter((p) => p.labels.app === 'app');
    expect(app.map((p) => p.status).sort()).toEqual(['Running', 'Terminating']);
    w.runUntil(30_000);
    expect(w.pods().filter((p) => p.labels.app === 'app')).toHaveLength(1);
  });
});

describe('scenarios/inflate-existing.yaml', () => {
  it('keeps every invariant from t = 0 and holds its expectations', async () => {
    const { runScenario } = await import('../../src/scenario/runner.ts');
    const { loadScenario } = await import('../../src/cli/scenario-file.ts');
    const run = runScenario(loadScenario('scenarios/inflate-existing.yaml'), { checkInvariants: true });
    expect(run.invariants?.checks).toBeGreaterThan(1000);
    expect(run.invariants?.failures).toEqual([]);
    expect(run.expectations.filter((e) => !e.ok)).toEqual([]);
    // the node keeps its primary ENI as listed (nine secondary IPs), whatever the pool loop did since
    expect(run.world.ec2.state.enis.get('eni-0a1b2c3d4e5f60147')!.view().secondaryPrivateIpAddresses).toHaveLength(9);
  });
});
