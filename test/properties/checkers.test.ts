/**
 * The invariant checkers against hand-made world views: each one stays quiet on a sound state and reports a state
 * broken on purpose (so a green property run means "checked", not "never looked").
 */
import { describe, expect, it } from 'vitest';
import { InvariantChecker } from '../../src/check/checker.ts';
import { imdsWaitMs, livenessBound } from '../../src/check/liveness-bound.ts';
import { eniSubnets, growthRoom } from '../../src/check/node-capacity.ts';
import { parseIpv4 as ip } from '../../src/model/vpc/ipv4.ts';
import type { DsEniFacts, EniFacts, IpamdFacts, NodeFacts, PassFacts, PodFacts, SubnetFacts, WorldView } from '../../src/check/view.ts';

interface Fake {
  now: number;
  subnets: SubnetFacts[];
  enis: EniFacts[];
  nodes: NodeFacts[];
  pods: PodFacts[];
  buckets: { name: string; tokens: number; capacity: number }[];
  healedAt?: number;
  denied: string[];
}

function viewOf(f: Fake): () => WorldView {
  return () => ({
    now: f.now,
    seed: 42,
    subnets: () => f.subnets,
    enis: () => f.enis,
    nodes: () => f.nodes,
    pods: () => f.pods,
    buckets: () => f.buckets,
    faults: () => ({ healedAt: f.healedAt, deniedActions: f.denied }),
    latencyBounds: () => ({ ec2CallMaxMs: 3000, imdsLagMaxMs: 18_000 }),
  });
}

function sound(): Fake {
  const ipamd: IpamdFacts = {
    incarnation: 1,
    state: 'ready',
    settings: {
      warmEniTarget: 1,
      warmIpTarget: 0,
      minimumIpTarget: 0,
      warmPrefixTarget: 0,
      prefixDelegation: false,
      subnetDiscovery: true,
      customNetworking: false,
      ipCooldownMs: 30_000,
      maxEni: 3,
      maxCidrsPerEni: 9,
      maxPods: 29,
      manageEnisNonSchedulable: false,
      provisioningDisabled: false,
      ipv6: false,
    },
    datastore: [
      {
        id: 'eni-1',
        primary: true,
        excluded: false,
        trunk: false,
        efa: false,
        subnetId: 'subnet-a',
        cidrs: [
          { cidr: '10.0.0.10/32', prefix: false, addresses: [{ ip: '10.0.0.10', owner: 'default/p1/c1' }] },
          { cidr: '10.0.0.11/32', prefix: false, addresses: [] },
        ],
      },
    ],
    decisions: [],
    passes: { pool: 0, poolStartedAt: -1, reconcile: 0, reconcileCompleted: 0 },
  };
  return {
    now: 1000,
    subnets: [{ id: 'subnet-a', cidr: '10.0.0.0/24', az: 'us-west-2a', tags: {}, usable: 251, used: 3, available: 248, external: 0, freePrefixBlocks: 14, freeAddresses: 248 }],
    enis: [{ id: 'eni-1', subnetId: 'subnet-a', status: 'in-use', interfaceType: 'interface', instanceId: 'i-1', primaryIp: ip('10.0.0.9'), secondaryIps: [ip('10.0.0.10'), ip('10.0.0.11')], prefixes: [], tags: {} }],
    nodes: [{ name: 'n1', instanceId: 'i-1', instanceType: 'm5.large', eniLimit: 3, ipv4PerEni: 10, az: 'us-west-2a', subnetId: 'subnet-a', state: 'running', cordoned: false, terminating: false, ipamd }],
    pods: [{ id: 'default/p1', node: 'n1', phase: 'Running', hostNetwork: false, ip: '10.0.0.10', boundAt: 0 }],
    buckets: [{ name: 'describe', tokens: 100, capacity: 100 }],
    healedAt: 0,
    denied: [],
  };
}

function run(f: Fake, mutate?: (f: Fake) => void): InvariantChecker {
  const c = new InvariantChecker(viewOf(f));
  c.check();
  if (mutate !== undefined) {
    mutate(f);
    c.check();
    f.now += 400_000; // past the datastore-agreement settle time
    c.check();
    reconcilePass(f); // one complete reconcile pass after it
    c.check();
  }
  c.finish();
  return c;
}

const ds = (f: Fake): DsEniFacts[] => f.nodes[0].ipamd!.datastore as DsEniFacts[];

/** A pod waits on n1 while its subnet has room and its pool one ENI slot free. */
function withRoomAndWaitingPod(f: Fake): void {
  f.subnets[0] = { ...f.subnets[0], used: 2, available: 249 };
  f.enis[0] = { ...f.enis[0], secondaryIps: [ip('10.0.0.10')] };
  ds(f)[0] = { ...ds(f)[0], cidrs: [ds(f)[0].cidrs[0]] };
  f.pods.push({ id: 'default/p2', node: 'n1', phase: 'ContainerCreating', hostNetwork: false, boundAt: 1000 });
}

/** A pod waits on n1: its subnet is full, its ENI fully assigned; `subnet-b` of the same AZ, tagged `tags`, has room. */
function withFullNodeSubnetAndWaitingPod(f: Fake, tags: Record<string, string>): void {
  f.subnets[0] = { ...f.subnets[0], used: 251, available: 0, external: 248, freeAddresses: 0, freePrefixBlocks: 0 };
  f.subnets.push({ id: 'subnet-b', cidr: '10.0.1.0/24', az: 'us-west-2a', tags, usable: 251, used: 0, available: 251, external: 0, freePrefixBlocks: 15, freeAddresses: 251 });
  const eni = ds(f)[0];
  ds(f)[0] = { ...eni, cidrs: [eni.cidrs[0], { ...eni.cidrs[1], addresses: [{ ip: '10.0.0.11', owner: 'default/p0/c0' }] }] };
  f.pods.push({ id: 'default/p2', node: 'n1', phase: 'ContainerCreating', hostNetwork: false, boundAt: 1000 });
}
const passes = (f: Fake): PassFacts => f.nodes[0].ipamd!.passes!;

/** The daemon starts and completes one reconcile pass (its pass markers move on). */
function reconcilePass(f: Fake, complete = true): void {
  const p = passes(f);
  p.reconcile++;
  if (complete) p.reconcileCompleted = p.reconcile;
}

describe('invariant checkers', () => {
  it('accept a sound world', () => {
    const c = run(sound());
    expect(c.summary()).toEqual([]);
  });

  const broken: Array<[string, string, (f: Fake) => void]> = [
    ['eni-address-unique', 'an address on two ENIs', (f) => f.enis.push({ ...f.enis[0], id: 'eni-2', primaryIp: ip('10.0.0.20'), secondaryIps: [ip('10.0.0.11')] })],
    ['eni-in-subnet', 'an AWS-reserved address', (f) => (f.enis[0] = { ...f.enis[0], secondaryIps: [ip('10.0.0.10'), ip('10.0.0.11'), ip('10.0.0.2')] })],
    ['eni-in-subnet', 'an address outside the subnet', (f) => (f.enis[0] = { ...f.enis[0], secondaryIps: [ip('10.0.0.10'), ip('10.0.0.11'), ip('10.0.9.2')] })],
    ['subnet-accounting', 'used + available ≠ usable', (f) => (f.subnets[0] = { ...f.subnets[0], available: 200 })],
    ['subnet-accounting', 'a held address not counted as used', (f) => (f.subnets[0] = { ...f.subnets[0], used: 2, available: 249 })],
    ['eni-limits', 'more ENIs than ENILimit', (f) => {
      for (let i = 2; i <= 4; i++) f.enis.push({ ...f.enis[0], id: `eni-${i}`, primaryIp: ip(`10.0.0.${100 + i}`), secondaryIps: [] });
      f.subnets[0] = { ...f.subnets[0], used: 6, available: 245 };
    }],
    ['eni-limits', 'more slots than IPv4Limit − 1', (f) => {
      f.enis[0] = { ...f.enis[0], secondaryIps: Array.from({ length: 10 }, (_, i) => ip(`10.0.0.${10 + i}`)) };
      f.subnets[0] = { ...f.subnets[0], used: 11, available: 240 };
    }],
    ['pod-addresses', 'a Running pod without an address', (f) => f.pods.push({ id: 'default/p2', node: 'n1', phase: 'Running', hostNetwork: false })],
    ['pod-addresses', 'two pods with one address', (f) => f.pods.push({ id: 'default/p2', node: 'n1', phase: 'Running', hostNetwork: false, ip: '10.0.0.10' })],
    ['token-buckets', 'a bucket below zero', (f) => (f.buckets[0] = { ...f.buckets[0], tokens: -1 })],
    ['datastore-agrees-with-ec2', 'an EC2 address missing from the datastore', (f) => (f.enis[0] = { ...f.enis[0], secondaryIps: [ip('10.0.0.10'), ip('10.0.0.11'), ip('10.0.0.12')] })],
  ];
  for (const [id, what, mutate] of broken) {
    it(`${id} reports ${what}`, () => {
      const c = run(sound(), (f) => {
        mutate(f);
        if (id === 'datastore-agrees-with-ec2') f.subnets[0] = { ...f.subnets[0], used: 4, available: 247 };
      });
      expect(c.failures.map((v) => v.invariant)).toContain(id);
    });
  }

  it('ip-cooldown reports an address handed out again inside the cooldown, and not after it', () => {
    const f = sound();
    const c = new InvariantChecker(viewOf(f));
    c.check();
    f.now = 2000;
    ds(f)[0] = { ...ds(f)[0], cidrs: [{ cidr: '10.0.0.10/32', prefix: false, addresses: [{ ip: '10.0.0.10', unassignedAt: 2000 }] }, ds(f)[0].cidrs[1]] };
    f.pods = [];
    c.check();
    f.now = 12_000;
    ds(f)[0] = { ...ds(f)[0], cidrs: [{ cidr: '10.0.0.10/32', prefix: false, addresses: [{ ip: '10.0.0.10', owner: 'default/p9/c9' }] }, ds(f)[0].cidrs[1]] };
    c.check();
    expect(c.failures.map((v) => v.invariant)).toEqual(['ip-cooldown']);

    const g = sound();
    const d = new InvariantChecker(viewOf(g));
    d.check();
    g.now = 2000;
    ds(g)[0] = { ...ds(g)[0], cidrs: [{ cidr: '10.0.0.10/32', prefix: false, addresses: [{ ip: '10.0.0.10', unassignedAt: 2000 }] }, ds(g)[0].cidrs[1]] };
    d.check();
    g.now = 40_000;
    ds(g)[0] = { ...ds(g)[0], cidrs: [{ cidr: '10.0.0.10/32', prefix: false, addresses: [{ ip: '10.0.0.10', owner: 'default/p9/c9' }] }, ds(g)[0].cidrs[1]] };
    d.check();
    expect(d.failures).toEqual([]);
  });

  it('ip-cooldown calls a release-and-reacquire inside the cooldown a finding, not a failure', () => {
    const f = sound();
    const c = new InvariantChecker(viewOf(f));
    c.check();
    f.now = 2000;
    ds(f)[0] = { ...ds(f)[0], cidrs: [ds(f)[0].cidrs[1]] }; // pod gone, its /32 released to EC2
    c.check();
    f.now = 5000;
    ds(f)[0] = { ...ds(f)[0], cidrs: [ds(f)[0].cidrs[0], { cidr: '10.0.0.10/32', prefix: false, addresses: [{ ip: '10.0.0.10', owner: 'default/p9/c9' }] }] };
    c.check();
    expect(c.failures).toEqual([]);
    expect(c.findings.map((v) => v.finding)).toEqual(['cooldown-bypass']);
  });

  it('eni-limits fails a pool-created ENI over MAX_ENI and calls an adopted one the finding max-eni-soft-cap', () => {
    const over = (withCreate: boolean) => {
      const f = sound();
      const d = f.nodes[0].ipamd!;
      (d.settings as { maxEni: number }).maxEni = 1;
      (d.datastore as DsEniFacts[]).push({ ...ds(f)[0], id: 'eni-2', primary: false, cidrs: [] });
      if (withCreate) (d.decisions as { t: number; kind: string; data?: Record<string, unknown> }[]).push({ t: 900, kind: 'eni-create', data: { eniId: 'eni-2' } });
      const c = new InvariantChecker(viewOf(f), { only: ['eni-limits'] });
      c.check();
      return c;
    };
    const created = over(true);
    expect(created.failures.map((v) => v.invariant)).toEqual(['eni-limits']);
    const adopted = over(false);
    expect(adopted.failures).toEqual([]);
    expect(adopted.findings.map((v) => v.finding)).toEqual(['max-eni-soft-cap']);
  });

  it('one-growth-step-per-pass counts growth steps per pool pass, by the daemon\'s pass markers', () => {
    const f = sound();
    const dec = f.nodes[0].ipamd!.decisions as { t: number; kind: string; data?: Record<string, unknown> }[];
    const c = new InvariantChecker(viewOf(f), { only: ['one-growth-step-per-pass'] });
    const pass = (t: number) => {
      passes(f).pool++;
      passes(f).poolStartedAt = t;
    };
    // nodeInit's pre-scaling step (pass 0), then one step in each of passes 1 and 2
    dec.push({ t: 100, kind: 'pool-grow' }, { t: 200, kind: 'init', data: { mode: 'sip' } });
    c.check();
    pass(2700);
    dec.push({ t: 2800, kind: 'pool-grow' });
    c.check();
    pass(7700);
    c.check();
    dec.push({ t: 9000, kind: 'pool-grow' });
    c.check();
    // two steps less than 5 s apart but in two passes are fine (a slow pass, then a quick one) …
    pass(12_700);
    dec.push({ t: 12_800, kind: 'pool-grow' });
    c.check();
    expect(c.failures).toEqual([]);
    // … two in one pass are not, however far apart (one pass with slow EC2 calls)
    dec.push({ t: 19_000, kind: 'pool-grow' });
    c.check();
    expect(c.failures.map((v) => v.message)).toEqual(['growth steps at t=12800ms and t=19000ms in one pool pass (pass 3)']);
  });

  it('one-growth-step-per-pass allows one pre-scaling step during nodeInit', () => {
    const f = sound();
    const dec = f.nodes[0].ipamd!.decisions as { t: number; kind: string }[];
    const c = new InvariantChecker(viewOf(f), { only: ['one-growth-step-per-pass'] });
    dec.push({ t: 100, kind: 'pool-grow' }, { t: 150, kind: 'pool-grow' });
    c.check();
    expect(c.failures.map((v) => v.message)).toEqual(['2 growth steps during nodeInit (pre-scaling takes one, docs/ipamd-model.md §2.1 4l)']);
  });

  it('datastore-agrees-with-ec2 judges a difference only after a complete reconcile pass that started once it settled', () => {
    const f = sound();
    const c = new InvariantChecker(viewOf(f), { only: ['datastore-agrees-with-ec2'] });
    c.check();
    f.enis[0] = { ...f.enis[0], secondaryIps: [ip('10.0.0.10'), ip('10.0.0.11'), ip('10.0.0.12')] };
    c.check(); // first seen at t=1000
    f.now = 30_000;
    reconcilePass(f); // a reconcile before the difference settled (IMDS lag, re-add cooldown) may miss it
    c.check();
    f.now = 1000 + 60_000 + 18_000; // settled: re-add cooldown + worst IMDS lag
    c.check();
    f.now += 1_000_000; // no reconcile got its turn: not judged
    c.check();
    reconcilePass(f, false); // a reconcile that met an EC2 failure: not complete
    c.check();
    expect(c.failures).toEqual([]);
    reconcilePass(f);
    c.check();
    expect(c.failures.map((v) => v.message)).toEqual(['eni-1: EC2 holds 10.0.0.12/32, the datastore does not after a complete reconcile pass (difference seen since t=1000ms)']);
  });

  it('pod-gets-address reports a pod stuck past the bound on a node with room, once faults have healed', () => {
    const f = sound();
    withRoomAndWaitingPod(f);
    const c = new InvariantChecker(viewOf(f));
    c.check();
    f.now = 60_000;
    c.check();
    expect(c.failures).toEqual([]);
    f.now = 1000 + 1_000_000;
    c.check();
    expect(c.failures.map((v) => v.invariant)).toEqual(['pod-gets-address']);
  });

  it('pod-addresses: a pod on an instance that is gone or shutting down no longer holds its address', () => {
    const gone = sound();
    // the API still shows the pod Running on a node whose instance terminated (the view lists no such node)
    gone.pods.push({ id: 'default/old', node: 'n-terminated', phase: 'Running', hostNetwork: false, ip: '10.0.0.10', boundAt: 0 });
    expect(run(gone).failures).toEqual([]);
    const shutting = sound();
    shutting.nodes.push({ ...shutting.nodes[0], name: 'n2', instanceId: 'i-2', state: 'shutting-down', ipamd: undefined });
    shutting.pods.unshift({ id: 'default/old', node: 'n2', phase: 'Running', hostNetwork: false, ip: '10.0.0.10', boundAt: 0 });
    expect(run(shutting).failures.filter((v) => v.invariant === 'pod-addresses')).toEqual([]);
    const live = sound();
    live.nodes.push({ ...live.nodes[0], name: 'n2', instanceId: 'i-2', ipamd: undefined });
    live.pods.push({ id: 'default/other', node: 'n2', phase: 'Running', hostNetwork: false, ip: '10.0.0.10', boundAt: 0 });
    expect(run(live).failures.map((v) => v.invariant)).toContain('pod-addresses');
  });

  it('pod-gets-address gives the daemon the whole bound again once a known finding stops holding', () => {
    const f = sound();
    const s = f.nodes[0].ipamd!.settings as { warmIpTarget: number; minimumIpTarget: number };
    s.warmIpTarget = 0;
    s.minimumIpTarget = 1; // cni#2650 holds: the pool never grows
    withRoomAndWaitingPod(f);
    const c = new InvariantChecker(viewOf(f));
    c.check();
    f.now = 300_000;
    c.check();
    s.warmIpTarget = 1; // the cause is gone (here: the target changes) at t=350 s
    f.now = 350_000;
    c.check();
    // 499 s after the pod started waiting, but only 150 s since the finding last held: not yet a failure
    f.now = 500_000;
    c.check();
    expect(c.failures).toEqual([]);
    expect(c.findings).toEqual([]);
    f.now = 350_000 + 1_000_000;
    c.check();
    expect(c.failures.map((v) => v.invariant)).toEqual(['pod-gets-address']);
    expect(c.failures[0].message).toContain('since a known finding last held');
  });

  it('pod-gets-address labels cni#2650 (MINIMUM_IP_TARGET without WARM_IP_TARGET) as a finding', () => {
    const f = sound();
    const s = f.nodes[0].ipamd!.settings as { warmIpTarget: number; minimumIpTarget: number };
    s.warmIpTarget = 0;
    s.minimumIpTarget = 1;
    withRoomAndWaitingPod(f);
    const c = new InvariantChecker(viewOf(f));
    c.check();
    f.now = 2_000_000;
    c.check();
    expect(c.failures).toEqual([]);
    expect(c.findings.map((v) => v.finding)).toEqual(['cni#2650']);
  });

  it('pod-gets-address labels cni#2908 by its cause: 1.18.x, a top-up freeze on a partly filled ENI, no new-ENI attempt', () => {
    /** The node's only ENI has a free slot in a full subnet; a tagged subnet of its AZ has room; a pod waits. */
    const stuck = (era: string, after: { kind: string; data?: Record<string, unknown> }[] = []): InvariantChecker => {
      const f = sound();
      (f.nodes[0].ipamd!.settings as { cniEra?: string }).cniEra = era;
      withFullNodeSubnetAndWaitingPod(f, { 'kubernetes.io/role/cni': '1' });
      const freeze = { t: 900, kind: 'pool-no-grow', data: { reason: 'insufficient', eniId: 'eni-1', code: 'InsufficientFreeAddressesInSubnet', until: 120_900 } };
      (f.nodes[0].ipamd as { latestDecisions?: unknown[] }).latestDecisions = [{ t: 100, kind: 'init' }, freeze, ...after.map((d) => ({ t: 950, ...d }))];
      const c = new InvariantChecker(viewOf(f));
      c.check();
      f.now = 2_000_000;
      c.check();
      return c;
    };
    const pre = stuck('1.18.x');
    expect(pre.failures).toEqual([]);
    expect(pre.findings.map((v) => v.finding)).toEqual(['cni#2908']);
    // the same symptom with #2954 in the daemon, or after a new-ENI attempt, is a liveness failure
    expect(stuck('1.19-1.21').failures.map((v) => v.invariant)).toEqual(['pod-gets-address']);
    expect(stuck('1.18.x', [{ kind: 'subnet-choice', data: { chosen: 'subnet-b' } }]).failures.map((v) => v.invariant)).toEqual(['pod-gets-address']);
    // before 1.18.0 there is no discovery: the tagged subnet is no candidate, the node is at its limits, nothing to judge
    const old = stuck('pre-1.18');
    expect([...old.failures, ...old.findings]).toEqual([]);
  });

  describe('pod-gets-address judges new-ENI subnets by the daemon\'s rules of its era (spec §4.1, §4.3, §4.7)', () => {
    const ROLE = 'kubernetes.io/role/cni';
    /**
     * The node's (untagged) subnet is full and its ENI fully assigned; one more subnet of its AZ, tagged `tags`, has
     * room; a pod waits. Candidates come in the daemon's order (most free first), the full node subnet last.
     */
    const world = (era: string, tags: Record<string, string>, clusterName = 'prod'): Fake => {
      const f = sound();
      const st = f.nodes[0].ipamd!.settings as { cniEra?: string; clusterName?: string };
      st.cniEra = era;
      st.clusterName = clusterName;
      withFullNodeSubnetAndWaitingPod(f, tags);
      return f;
    };
    const judge = (f: Fake): string[] => {
      const c = new InvariantChecker(viewOf(f));
      c.check();
      f.now = 2_000_000;
      c.check();
      expect(c.findings).toEqual([]);
      return c.failures.map((v) => v.invariant);
    };
    const candidates = (f: Fake): string[] => eniSubnets(f.nodes[0], f.subnets).map((s) => s.id);

    it('1.18–1.21: a secondary subnet tagged kubernetes.io/role/cni=0 is usable (any value of the key, §4.7)', () => {
      for (const era of ['1.18.x', '1.19-1.21']) {
        expect(candidates(world(era, { [ROLE]: '0' }))).toEqual(['subnet-b', 'subnet-a']);
        expect(growthRoom(world(era, { [ROLE]: '0' }).nodes[0], world(era, { [ROLE]: '0' }).subnets).newEni).toBe(true);
        // a new ENI fits there and none came: a liveness failure, not "no subnet room"
        expect(judge(world(era, { [ROLE]: '0' }))).toEqual(['pod-gets-address']);
      }
      // since 1.22.0 the value 0 excludes: the node is at its limits, nothing to judge
      for (const era of ['1.22.0', '1.22.1', '1.23+']) {
        expect(candidates(world(era, { [ROLE]: '0' }))).toEqual(['subnet-a']);
        expect(judge(world(era, { [ROLE]: '0' }))).toEqual([]);
      }
    });

    it('1.22.0 scopes subnets by kubernetes.io/cluster/<name>, 1.22.1+ by cni.networking.k8s.aws/cluster/<name>', () => {
      const k8sOther = { [ROLE]: '1', 'kubernetes.io/cluster/other': 'owned' };
      const cniOther = { [ROLE]: '1', 'cni.networking.k8s.aws/cluster/other': '1' };
      // 1.22.0: the daemon rejects the kubernetes.io/cluster/other subnet, so no new ENI can go there: no failure
      expect(candidates(world('1.22.0', k8sOther))).toEqual(['subnet-a']);
      expect(judge(world('1.22.0', k8sOther))).toEqual([]);
      expect(candidates(world('1.22.0', cniOther))).toEqual(['subnet-b', 'subnet-a']);
      expect(judge(world('1.22.0', cniOther))).toEqual(['pod-gets-address']);
      for (const era of ['1.22.1', '1.23+']) {
        expect(candidates(world(era, k8sOther))).toEqual(['subnet-b', 'subnet-a']);
        expect(judge(world(era, k8sOther))).toEqual(['pod-gets-address']);
        expect(candidates(world(era, cniOther))).toEqual(['subnet-a']);
        expect(judge(world(era, cniOther))).toEqual([]);
      }
      // the subnet naming our cluster, and any subnet when CLUSTER_NAME is unset
      expect(candidates(world('1.22.0', { [ROLE]: '1', 'kubernetes.io/cluster/prod': 'owned' }))).toEqual(['subnet-b', 'subnet-a']);
      expect(candidates(world('1.22.0', k8sOther, ''))).toEqual(['subnet-b', 'subnet-a']);
    });

    it('custom networking uses the ENIConfig subnet, excluded when tagged 0 since 1.22.0; discovery off keeps the node subnet (§4.1 step 7)', () => {
      const custom = (era: string, tags: Record<string, string>): Fake => {
        const f = world(era, tags);
        (f.nodes[0].ipamd!.settings as { customNetworking: boolean }).customNetworking = true;
        f.nodes[0].eniConfigSubnetId = 'subnet-b';
        return f;
      };
      expect(candidates(custom('1.23+', {}))).toEqual(['subnet-b']);
      expect(candidates(custom('1.19-1.21', { [ROLE]: '0' }))).toEqual(['subnet-b']);
      expect(candidates(custom('1.23+', { [ROLE]: '0' }))).toEqual([]);
      const noEniConfig = custom('1.23+', {});
      delete noEniConfig.nodes[0].eniConfigSubnetId;
      expect(candidates(noEniConfig)).toEqual([]);

      const off = (era: string, nodeTags: Record<string, string>): Fake => {
        const f = world(era, { [ROLE]: '1' });
        (f.nodes[0].ipamd!.settings as { subnetDiscovery: boolean }).subnetDiscovery = false;
        f.subnets[0] = { ...f.subnets[0], tags: nodeTags };
        return f;
      };
      expect(candidates(off('1.23+', {}))).toEqual(['subnet-a']);
      expect(candidates(off('1.23+', { [ROLE]: '0' }))).toEqual([]);
      expect(candidates(off('1.19-1.21', { [ROLE]: '0' }))).toEqual(['subnet-a']);
      expect(candidates(world('pre-1.18', { [ROLE]: '1' }))).toEqual(['subnet-a']);
    });
  });

  it('pod-gets-address ignores a node at its limits and any time before the faults heal', () => {
    const f = sound();
    f.healedAt = undefined;
    f.pods.push({ id: 'default/p2', node: 'n1', phase: 'ContainerCreating', hostNetwork: false, boundAt: 1000 });
    const c = new InvariantChecker(viewOf(f));
    c.check();
    f.now = 2_000_000;
    c.check();
    expect(c.failures).toEqual([]);
  });

  it('derives the liveness bound from the rules', () => {
    expect(imdsWaitMs(0)).toBe(0);
    expect(imdsWaitMs(10_000)).toBe(Math.ceil(12_700 * 1.15));
    const b = livenessBound({ ec2CallMaxMs: 1000, imdsLagMaxMs: 10_000, ipCooldownMs: 30_000, maxEni: 3, subnetsTried: 2 });
    expect(b.terms.map((t) => t.name)).toEqual(['inflight', 'pass', 'freeze', 'orphan', 'grow', 'cooldown', 'kubelet']);
    expect(b.totalMs).toBe(70_000 + 9_000 + 120_000 + 65_000 + 13_000 + 14_605 + 30_000 + 15_000);
  });
});
