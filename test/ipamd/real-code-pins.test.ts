/**
 * Places where the model was compared with the real ipamd at v1.23.1 (aws/amazon-vpc-cni-k8s b5218838,
 * "Prepare v1.23.1 release") and now follows it; each test names the real file and lines it pins
 * (docs/ipamd-model.md, "Checked against the real code").
 */
import { describe, expect, it } from 'vitest';
import { SingleNode } from '../../src/model/world/one-node.ts';
import { failCalls, metric } from './audit-helpers.ts';
import { freshNode } from './helpers.ts';

const V6 = { ENABLE_IPv6: 'true', ENABLE_IPv4: 'false', ENABLE_PREFIX_DELEGATION: 'true' };

describe('IPv6 address stats (data_store.go:699-702, :921)', () => {
  it("the node's /80 counts as an allocated prefix in GetIPStats; the IPv4 prefix gauge stays 0", () => {
    const n = freshNode({ instanceType: 'm5.large', env: V6 });
    expect(n.ipamd.stats().prefixes).toBe(1);
    expect(n.ipamd.stats().totalIps).toBe(2 ** 48);
    // AddIPv6CidrToStore sets TotalIPs only; awscni_total_ipv4_prefixes is set where IPv4 prefixes change
    expect(metric(n, 'awscni_total_ipv4_prefixes')).toBe(0);
  });
  it('IPv4 prefix delegation: TotalPrefixes and the gauge both count the /28s', () => {
    const n = freshNode({ instanceType: 'm5.large', env: { ENABLE_PREFIX_DELEGATION: 'true' } });
    const p = n.ipamd.stats().prefixes;
    expect(p).toBeGreaterThan(0);
    expect(metric(n, 'awscni_total_ipv4_prefixes')).toBe(p);
  });
});

describe('decreasePool (ipamd.go:892-940, data_store.go:1562-1586, DeallocCidrs ipamd.go:2684-2711)', () => {
  /** SIP, WARM_IP_TARGET=2; EC2 gets 4 /32s and a prefix behind ipamd's back, the reconcile adds them, the pool shrinks. */
  const shrinkReleases = (seed: number) => {
    const n = new SingleNode({ seed, instanceType: 'm5.large', env: { WARM_IP_TARGET: '2' } });
    n.start();
    const eni = n.instance.primaryEniId;
    expect(n.ec2.state.assignPrivateIpAddresses({ eniId: eni, secondaryPrivateIpAddressCount: 4 }).ok).toBe(true);
    expect(n.ec2.state.assignPrivateIpAddresses({ eniId: eni, ipv4PrefixCount: 1 }).ok).toBe(true);
    n.run(150_000);
    const first = n.ipamd.decisions().find((d) => d.kind === 'pool-shrink')!;
    return { n, released: first.data!.cidrs as string[] };
  };

  it('the freeable CIDRs are both kinds: a free prefix in secondary-IP mode can be among the `over` released', () => {
    let prefixReleased = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const { n, released } = shrinkReleases(seed);
      // the first shrink: over = 4 (6 available /32s, WARM_IP_TARGET 2) taken from 7 freeable CIDRs of either kind
      expect(released).toHaveLength(4);
      if (released.some((c) => c.endsWith('/28'))) {
        prefixReleased++;
        // released to EC2 too (the prefix call of DeallocCidrs); a later shrink takes the /32 still over
        expect(n.ec2.state.enis.get(n.instance.primaryEniId)!.view().ipv4Prefixes).toEqual([]);
      }
    }
    expect(prefixReleased).toBeGreaterThan(0);
  });

  it('excluded ENIs are visited too: their free /32s can be released by the pool decrease', () => {
    const excludedEni = 'eni-00000000000000001';
    let fromExcluded = 0;
    for (let seed = 1; seed <= 12; seed++) {
      // the node's own subnet is tagged cni=0: the primary ENI is excluded, pods run on a second ENI
      const subnets = [{ cidr: '10.0.0.0/24', tags: { 'kubernetes.io/role/cni': '0' } }, { cidr: '10.0.1.0/24', tags: { 'kubernetes.io/role/cni': '1' } }];
      const n = new SingleNode({ seed, instanceType: 'm5.large', env: { WARM_IP_TARGET: '2' }, subnets });
      n.start();
      expect(n.instance.primaryEniId).toBe(excludedEni);
      // 3 /32s appear on the excluded ENI in EC2; the reconcile adds them to it as free
      expect(n.ec2.state.assignPrivateIpAddresses({ eniId: excludedEni, secondaryPrivateIpAddressCount: 3 }).ok).toBe(true);
      n.run(90_000);
      expect(n.ipamd.enis().find((e) => e.id === excludedEni)!.secondaryIps).toBe(3);
      for (let i = 0; i < 6; i++) n.addPod();
      n.run(30_000);
      for (let i = 0; i < 6; i++) n.deletePod();
      n.run(60_000);
      const shrinks = n.ipamd.decisions().filter((d) => d.kind === 'pool-shrink');
      expect(shrinks.length).toBeGreaterThan(0);
      if (shrinks.some((d) => d.data!.eniId === excludedEni)) fromExcluded++;
    }
    expect(fromExcluded).toBeGreaterThan(0);
  });
});

describe('the loop with provisioning disabled (StartNodeIPPoolManager, ipamd.go:784-793)', () => {
  /** Times (ms after ready) at which reconcile passes started, over `ms`. */
  const reconcileStarts = (env: Record<string, string>, ms: number) => {
    const n = new SingleNode({ instanceType: 'm5.large', env });
    n.start();
    const ready = n.sim.now;
    const starts: number[] = [];
    let seen = n.ipamd.passMarkers().reconcilePasses;
    for (let t = 0; t < ms; t += 500) {
      n.run(500);
      const now = n.ipamd.passMarkers().reconcilePasses;
      if (now !== seen) starts.push(n.sim.now - ready);
      seen = now;
    }
    return starts;
  };
  it('the first half-interval sleep goes with the skipped pool pass: a reconcile wake every 2.5 s', () => {
    // gate: more than 60 s since the last pass (§2.10); wakes 2.5 s apart → 62.5 s between passes
    const off = reconcileStarts({ DISABLE_NETWORK_RESOURCE_PROVISIONING: 'true' }, 200_000);
    expect(off[0]).toBe(2_500); // no pool action yet: the gate is open at the first wake
    expect(off.slice(1).map((t, i) => t - off[i])).toEqual([62_500, 62_500, 62_500]);
    // with provisioning on, reconcile halves come every 5 s: 65 s between passes
    const on = reconcileStarts({}, 200_000);
    expect(on.slice(1).map((t, i) => t - on[i])).toEqual(Array(on.length - 1).fill(65_000));
    expect(on.length).toBeGreaterThan(1);
  });
});

describe('subnet exclusion without discovery (createENI, awsutils.go:1203-1211; IsSubnetExcluded :2578-2609)', () => {
  const run = (tags: Record<string, string>) => {
    const env = { ENABLE_SUBNET_DISCOVERY: 'false', CLUSTER_NAME: 'mine', WARM_IP_TARGET: '5' };
    const n = new SingleNode({ instanceType: 'm5.large', env, subnets: [{ cidr: '10.0.0.0/20', tags }] });
    n.start();
    for (let i = 0; i < 20; i++) n.addPod();
    n.run(60_000);
    for (let i = 0; i < 20; i++) n.addPod();
    n.run(60_000);
    return n;
  };
  it("refuses a node subnet tagged cni=1 that carries another cluster's tag", () => {
    const n = run({ 'kubernetes.io/role/cni': '1', 'cni.networking.k8s.aws/cluster/other': 'shared' });
    expect(n.ipamd.enis()).toHaveLength(1);
    const failed = n.ipamd.decisions().filter((d) => d.kind === 'pool-no-grow' && String(d.data?.message).includes('subnet discovery is disabled'));
    expect(failed.length).toBeGreaterThan(0);
  });
  it('creates ENIs there when the cluster tag names this cluster, or there is none', () => {
    expect(run({ 'kubernetes.io/role/cni': '1', 'cni.networking.k8s.aws/cluster/mine': 'shared' }).ipamd.enis().length).toBeGreaterThan(1);
    expect(run({ 'kubernetes.io/role/cni': '1' }).ipamd.enis().length).toBeGreaterThan(1);
  });
});

describe('a checkpoint holding one address twice (ReadBackingStore, data_store.go:390-396; nodeInit ipamd.go:563-565)', () => {
  it('fails nodeInit with IPAlreadyInStoreError instead of dropping the entry', () => {
    const n = freshNode({ instanceType: 'm5.large', env: { WARM_IP_TARGET: '3' } });
    for (let i = 0; i < 3; i++) expect(n.addPod().ok).toBe(true);
    n.restart((cp) => {
      const [a, b] = cp.allocations;
      return { ...cp, allocations: [a, { ...b, ipv4: a.ipv4 }, ...cp.allocations.slice(2)] };
    });
    expect(n.ipamd.state).toBe('failed');
    expect(n.ipamd.failure).toContain('datastore: IP already in data store');
  });
  it('an untouched checkpoint restores every pod', () => {
    const n = freshNode({ instanceType: 'm5.large', env: { WARM_IP_TARGET: '3' } });
    for (let i = 0; i < 3; i++) expect(n.addPod().ok).toBe(true);
    n.restart();
    expect(n.ipamd.state).toBe('ready');
    expect(n.ipamd.stats().assignedIps).toBe(3);
  });
});

describe('TagENI at start is fatal after its retries (nodeInit ipamd.go:528-534; TagENI awsutils.go:1381-1413)', () => {
  const start = (failures: number) => {
    let n: SingleNode | undefined;
    const f = failCalls(() => n!.sim, 'createTags', 'InternalError', failures);
    n = new SingleNode({ instanceType: 'm5.large', env: { CLUSTER_NAME: 'mine' }, wrapEc2: f.wrap });
    n.start();
    return { n, failed: f.failed() };
  };
  it('five failed CreateTags calls end nodeInit with "failed to tag managed ENI"', () => {
    const { n, failed } = start(5);
    expect(failed).toBe(5);
    expect(n.ipamd.state).toBe('failed');
    expect(n.ipamd.failure).toBe(`ipamd init: failed to tag managed ENI ${n.instance.primaryEniId}: InternalError: injected InternalError`);
  });
  it('four failures are retried away and start-up goes on', () => {
    const { n, failed } = start(4);
    expect(failed).toBe(4);
    expect(n.ipamd.state).toBe('ready');
  });
});
