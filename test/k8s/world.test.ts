/**
 * End to end: the World with the real EC2 and ipamd models. The flagship "inflate" walkthrough (user-scenarios §D.1):
 * a /24 VPC with two small /27 subnets exhausts, pods stick in ContainerCreating; a secondary CIDR and subnets tagged
 * kubernetes.io/role/cni rescue them with 10.1.x.x addresses.
 */
import { describe, expect, it } from 'vitest';
import { World, type WorldSpec } from '../../src/model/world.ts';

const inflate = (replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'inflate', namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'inflate' } },
    template: {
      metadata: { labels: { app: 'inflate' } },
      spec: {
        terminationGracePeriodSeconds: 0,
        containers: [{ name: 'inflate', image: 'public.ecr.aws/eks-distro/kubernetes/pause:3.7', resources: { requests: { cpu: '1' } } }],
      },
    },
  },
});

function spec(over: Partial<WorldSpec> = {}): WorldSpec {
  return {
    seed: 1,
    region: 'us-west-2',
    vpc: { cidrBlocks: ['10.0.0.0/24'] },
    subnets: [
      { id: 'private-a', az: 'us-west-2a', cidr: '10.0.0.0/27', route: 'nat', externalUse: 7 },
      { id: 'private-b', az: 'us-west-2b', cidr: '10.0.0.32/27', route: 'nat', externalUse: 7 },
    ],
    cluster: { name: 'demo', kubernetesVersion: '1.30', endpointAccess: 'public-and-private', vpcCni: { version: '1.19.0' } },
    nodeGroups: [{ name: 'ng', instanceType: 'm6a.large', subnets: ['private-a', 'private-b'], desiredCapacity: 2 }],
    ...over,
  };
}

describe('World: the inflate walkthrough', () => {
  it('exhausts the small VPC, then a secondary CIDR and tagged subnets get every pod Running on 10.1.x.x', () => {
    const w = new World(spec());
    w.runUntil(120_000);
    const nodes = w.nodes();
    expect(nodes.map((n) => [n.instanceType, n.ready, n.maxPods])).toEqual([
      ['m6a.large', true, 29],
      ['m6a.large', true, 29],
    ]);
    expect(new Set(nodes.map((n) => n.az)).size).toBe(2);
    expect(w.pods({ namespace: 'kube-system' }).filter((p) => p.name.startsWith('coredns-')).every((p) => p.status === 'Running')).toBe(true);

    expect(w.cluster.apply(inflate(50))).toEqual({ ok: true, message: 'deployment.apps/inflate created' });
    w.runUntil(300_000);
    const stuck = w.pods({ namespace: 'default' }).filter((p) => p.status === 'ContainerCreating');
    expect(stuck.length).toBeGreaterThan(5);
    for (const p of stuck) {
      expect(p.stuckCause).toBe('subnet empty');
      expect(p.sandboxAttempts).toBeGreaterThan(5);
      const ev = w.podEvents(p.name)!;
      expect(ev.text).toMatch(/Warning +FailedCreatePodSandBox +\d+s \(x\d+ over \d+(m\d*)?s?\) +kubelet +\(combined from similar events\): Failed to create pod sandbox/);
    }
    expect(w.subnets().map((s) => s.availableIpAddressCount)).toEqual([0, 0]);
    expect(w.timeline.some((h) => h.kind === 'eni-create-failed' && /InsufficientFreeAddressesInSubnet/.test(h.message))).toBe(true);

    // a conflicting subnet is reported, not thrown
    const bad = w.createSubnet({ id: 'oops', az: 'us-west-2a', cidr: '10.0.0.0/27' });
    expect(bad.ok).toBe(false);
    expect(bad.message).toMatch(/^An error occurred \(InvalidSubnet\.Conflict\) when calling the CreateSubnet operation: /);

    expect(w.associateVpcCidrBlock('10.1.0.0/16').ok).toBe(true);
    expect(w.createSubnet({ id: 'cni-a', az: 'us-west-2a', cidr: '10.1.0.0/19', tags: { 'kubernetes.io/role/cni': '1' } }).ok).toBe(true);
    expect(w.createSubnet({ id: 'cni-b', az: 'us-west-2b', cidr: '10.1.32.0/19', tags: { 'kubernetes.io/role/cni': '1' } }).ok).toBe(true);
    w.runUntil(700_000);

    const pods = w.pods({ namespace: 'default' });
    expect(pods.length).toBe(50);
    expect(pods.every((p) => p.status === 'Running')).toBe(true);
    const rescued = pods.filter((p) => stuck.some((s) => s.name === p.name));
    expect(rescued.length).toBe(stuck.length);
    for (const p of rescued) expect(p.ip).toMatch(/^10\.1\./);
    for (const n of w.nodes()) {
      expect(n.enis.length).toBe(3);
      expect(n.enis.filter((e) => e.subnet.startsWith('cni-')).length).toBe(1);
    }
    expect(w.timeline.filter((h) => h.kind === 'eni-attached' && /subnet cni-/.test(h.message)).length).toBe(2);
    const waits = pods.map((p) => p.ipWaitMs!).sort((a, b) => a - b);
    expect(waits[0]).toBeLessThan(2_000);
    expect(waits.at(-1)!).toBeGreaterThan(180_000);
    expect(w.ec2Counters().total.errors.CreateNetworkInterface?.InsufficientFreeAddressesInSubnet).toBeGreaterThan(0);
    expect(w.metrics(nodes[0].name)).toMatch(/awscni_assigned_ip_addresses/);
  });

  it('is deterministic for a seed', () => {
    const run = () => {
      const w = new World(spec({ seed: 9 }));
      w.runUntil(100_000);
      w.cluster.apply(inflate(30));
      w.runUntil(200_000);
      return JSON.stringify([w.pods().map((p) => [p.name, p.node, p.ip, p.status]), w.timeline]);
    };
    expect(run()).toBe(run());
  });
});

describe('World: rolling restart with the real ipamd', () => {
  it('setAwsNodeEnv restarts aws-node node by node; running pods keep their addresses', () => {
    const w = new World(spec({ subnets: [
      { id: 'private-a', az: 'us-west-2a', cidr: '10.0.0.0/26' },
      { id: 'private-b', az: 'us-west-2b', cidr: '10.0.0.64/26' },
    ] }));
    w.runUntil(100_000);
    w.cluster.apply(inflate(20));
    w.runUntil(200_000);
    const before = new Map(w.pods({ namespace: 'default' }).map((p) => [p.name, p.ip]));
    expect([...before.values()].every((ip) => ip !== undefined)).toBe(true);
    const ipamds = w.nodes().map((n) => w.ipamdOf(n.name));
    expect(w.cluster.setAwsNodeEnv({ WARM_IP_TARGET: '3', MINIMUM_IP_TARGET: '10' }).ok).toBe(true);
    let down = 0;
    const off = w.onEvent((x) => {
      down = Math.max(down, x.nodes().filter((n) => x.ipamdOf(n.name)?.state !== 'ready').length);
    });
    w.runUntil(300_000);
    off();
    expect(down).toBe(1);
    const after = new Map(w.pods({ namespace: 'default' }).map((p) => [p.name, p.ip]));
    expect(after).toEqual(before);
    for (const [i, n] of w.nodes().entries()) {
      const d = w.ipamdOf(n.name)!;
      expect(d).not.toBe(ipamds[i]);
      expect(d.state).toBe('ready');
      expect(d.stats().assignedIps).toBe(w.pods({ namespace: 'default' }).filter((p) => p.node === n.name).length + w.pods({ namespace: 'kube-system' }).filter((p) => p.node === n.name && !p.hostNetwork).length);
    }
    expect(w.timeline.some((h) => /successfully rolled out/.test(h.message))).toBe(true);
  });
});

describe('World: node join', () => {
  it('a public-only endpoint and a subnet without NAT: the node never joins, pods stay Pending', () => {
    const w = new World(spec({
      subnets: [{ id: 'isolated', az: 'us-west-2a', cidr: '10.0.0.0/26', route: 'none' }],
      cluster: { name: 'demo', kubernetesVersion: '1.30', endpointAccess: 'public', vpcCni: { version: '1.19.0' } },
      nodeGroups: [{ name: 'ng', instanceType: 'm6a.large', subnets: ['isolated'], desiredCapacity: 1 }],
    }));
    w.runUntil(300_000);
    w.cluster.apply(inflate(3));
    w.runUntil(320_000);
    const [n] = w.nodes();
    expect(n.registered).toBe(false);
    expect(n.ready).toBe(false);
    expect(n.notReadyReason).toMatch(/^NodeCreationFailure: Instances failed to join the kubernetes cluster/);
    const pods = w.pods();
    expect(pods.every((p) => p.status === 'Pending' && p.stuckCause === 'node not Ready')).toBe(true);
  });

  it('denied permissions keep aws-node from starting; the node stays NotReady with the reason', () => {
    const w = new World(spec({ deniedPermissions: ['ec2:DescribeNetworkInterfaces'] }));
    w.runUntil(200_000);
    for (const n of w.nodes()) {
      expect(n.registered).toBe(true);
      expect(n.status).toBe('NotReady');
      expect(n.notReadyReason).toMatch(/cni plugin not initialized \(aws-node: .*UnauthorizedOperation.*ec2:DescribeNetworkInterfaces/);
      expect(n.awsNode!.restarts).toBeGreaterThan(2);
    }
    expect(w.pods().filter((p) => p.name.startsWith('coredns-')).every((p) => p.status === 'Pending' && p.stuckCause === 'node not Ready')).toBe(true);
  });
});

describe('World: actions as CLI output', () => {
  it('denials for admin show as UnauthorizedOperation; unknown subnets and bad manifests are reported', () => {
    const w = new World(spec({ deniedPermissions: [{ principal: 'admin', action: 'ec2:CreateTags' }] }));
    const r = w.createTags(['private-a'], { 'kubernetes.io/role/cni': '1' });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^An error occurred \(UnauthorizedOperation\) when calling the CreateTags operation: .*User: admin is not authorized to perform: ec2:CreateTags/);
    expect(w.deleteTags(['private-a'], ['x']).ok).toBe(true);
    expect(w.cluster.scale('default', 'nope', 3).message).toBe('Error from server (NotFound): deployments.apps "nope" not found');
    expect(w.cluster.apply({ kind: 'Service', metadata: { name: 's' } }).ok).toBe(false);
    const bad = w.cluster.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'c' } }, spec: { containers: [{ name: 'c' }] } } } });
    expect(bad.message).toMatch(/^The Deployment "x" is invalid: spec.template.metadata.labels: .*`selector` does not match template `labels`/);
    // the effects record nothing; `act` puts a command line and its outcome on the timeline
    expect(w.timeline.filter((h) => h.kind === 'action-failed')).toEqual([]);
    w.act('kubectl scale deployment/nope --replicas=3', w.cluster.scale('default', 'nope', 3));
    expect(w.timeline.filter((h) => h.kind === 'action-failed').map((h) => h.message)).toEqual([
      '$ kubectl scale deployment/nope --replicas=3\nError from server (NotFound): deployments.apps "nope" not found',
    ]);
    expect(() => new World(spec({ nodeGroups: [{ name: 'ng', instanceType: 'm9z.huge', subnets: ['private-a'], desiredCapacity: 1 }] }))).toThrow(/nodeGroups\[0\]\.instanceType: unknown instance type/);
    expect(() => new World(spec({ nodeGroups: [{ name: 'ng', instanceType: 'm6a.large', subnets: ['nowhere'], desiredCapacity: 1 }] }))).toThrow(/unknown subnet "nowhere"/);
  });
});

describe('World: pod hooks without history', () => {
  it('tells of every pod created and gone, and keeps none of the gone ones, no events, timeline or decisions', () => {
    const withLog = new World(spec());
    const created: string[] = [];
    const gone: string[] = [];
    const hooked = new World(spec(), { keepHistory: false, pods: { onPodCreated: (p) => created.push(p.key), onPodGone: (p) => gone.push(p.key) } });
    for (const w of [withLog, hooked]) {
      w.runUntil(120_000);
      w.cluster.apply(inflate(6));
      w.runUntil(200_000);
      w.cluster.scale('default', 'inflate', 2);
      w.runUntil(300_000);
    }
    const log = withLog.cluster.podLog;
    expect(created).toEqual(log.map((p) => p.key));
    expect(new Set(gone)).toEqual(new Set(log.filter((p) => p.goneAt !== undefined).map((p) => p.key)));
    expect(gone.length).toBe(4);
    expect(hooked.cluster.podLog).toEqual([]);
    expect(hooked.timeline).toEqual([]);
    expect(hooked.decisionLog).toEqual([]);
    expect(withLog.decisionLog.length).toBeGreaterThan(0);
    expect([...hooked.cluster.podMap.keys()].sort()).toEqual([...withLog.cluster.podMap.keys()].sort());
    // the same pods, running the same way, but only the World with history keeps their events
    const reasons = (w: World) => [...w.cluster.podMap.values()].flatMap((p) => p.events.events.map((e) => e.reason));
    expect(reasons(withLog)).toContain('Started');
    expect(reasons(hooked)).toEqual([]);
    expect([...hooked.cluster.podMap.values()].map((p) => p.status)).toEqual([...withLog.cluster.podMap.values()].map((p) => p.status));
  });
});
