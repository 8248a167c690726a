/**
 * The running daemon on the real EC2 model: start-up (entrypoint checks, no address before init, PD fallback),
 * IPv6, custom networking, subnet discovery by era (#2954), insufficient-capacity freeze, DescribeSubnets denied,
 * MAX_ENI, max pods, cordon, SIGTERM, cooldown, restart from the checkpoint, leaked-ENI sweep, observability.
 */
import { describe, expect, it } from 'vitest';
import { SingleNode } from '../../src/model/world/one-node.ts';
import { ERR_NO_AVAILABLE_IP, ERR_NOT_READY } from '../../src/model/ipamd/types.ts';
import { rfc3339 } from '../../src/model/ipamd/introspect.ts';
import { freshNode } from './helpers.ts';

const ec2Calls = (n: SingleNode, fn: string) => {
  const m = new RegExp(`^awscni_ec2api_req_count\\{fn="${fn}"\\} (\\d+)$`, 'm').exec(n.ipamd.metricsText());
  return m === null ? 0 : Number(m[1]);
};

describe('start-up', () => {
  it('the entrypoint rejects PD with every target ≤ "0" (lexicographic)', () => {
    const n = new SingleNode({ instanceType: 'm5.large', env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '-1' } });
    n.start();
    expect(n.ipamd.state).toBe('failed');
    expect(n.ipamd.failure).toMatch(/^Setting WARM_PREFIX_TARGET = 0 is not supported/);
    expect(n.ipamd.addNetwork({ namespace: 'a', name: 'b', containerId: 'c' })).toEqual({ ok: false, error: ERR_NOT_READY });
  });
  it('the entrypoint rejects a negative IP_COOLDOWN_PERIOD', () => {
    const n = new SingleNode({ instanceType: 'm5.large', env: { IP_COOLDOWN_PERIOD: '-1' } });
    n.start();
    expect(n.ipamd.failure).toBe('IP_COOLDOWN_PERIOD MUST be a valid positive integer. -1 is invalid');
  });
  it('code defaults (ENABLE_IPv4 false) stop ipamd', () => {
    const n = new SingleNode({ instanceType: 'm5.large', env: {}, rawEnv: true });
    n.start();
    expect(n.ipamd.failure).toBe('IPv4 and IPv6 are both disabled. One of them have to be enabled');
  });
  it('no pod gets an address before nodeInit completes', () => {
    const n = new SingleNode({ instanceType: 'm5.large' });
    n.ipamd.start();
    n.run(200);
    expect(n.ipamd.state).toBe('starting');
    expect(n.ipamd.addNetwork({ namespace: 'a', name: 'b', containerId: 'c' })).toEqual({ ok: false, error: ERR_NOT_READY });
    n.start();
    expect(n.ipamd.state).toBe('ready');
    expect(n.addPod().ok).toBe(true);
  });
  it('PD on a non-Nitro type falls back to secondary IPs with the real warning', () => {
    const n = freshNode({ instanceType: 'm4.large', env: { ENABLE_PREFIX_DELEGATION: 'true' } });
    expect(n.ipamd.stats().mode).toBe('sip');
    expect(n.ipamd.decisions().some((d) => d.kind === 'config-warning' && /hence falling back to default \(secondary IP\) mode/.test(d.message))).toBe(true);
  });
  it('PD works on bare metal with an unknown hypervisor (§11.12)', () => {
    const n = freshNode({ instanceType: 'm5.metal', env: { ENABLE_PREFIX_DELEGATION: 'true' } });
    expect(n.ipamd.stats()).toMatchObject({ mode: 'pd', prefixes: 1 });
  });
  it('an unknown instance type stops ipamd', () => {
    expect(() => new SingleNode({ instanceType: 'x9.huge' })).toThrow();
  });
});

describe('IPv6 (§6)', () => {
  it('one /80 on the primary, pods sequential from its base, no pool loop', () => {
    const env = { ENABLE_IPv6: 'true', ENABLE_IPv4: 'false', ENABLE_PREFIX_DELEGATION: 'true' };
    const n = freshNode({ instanceType: 'm5.large', env });
    const s = n.ipamd.stats();
    expect(s).toMatchObject({ mode: 'ipv6', enis: 1 });
    expect(s.totalIps).toBe(2 ** 48);
    const a = n.addPod();
    const b = n.addPod();
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) {
      expect(a.ip.endsWith('::')).toBe(true);
      expect(b.ip.endsWith('::1')).toBe(true);
    }
    const calls = ec2Calls(n, 'AssignPrivateIpAddresses') + ec2Calls(n, 'CreateNetworkInterface');
    n.run(600_000);
    expect(ec2Calls(n, 'AssignPrivateIpAddresses') + ec2Calls(n, 'CreateNetworkInterface')).toBe(calls);
    expect(ec2Calls(n, 'AssignIpv6Addresses')).toBe(1);
  });
});

describe('custom networking (§4.3)', () => {
  const subnets = [{ cidr: '10.0.0.0/20' }, { cidr: '10.0.64.0/18' }];
  it('ENIs go to the ENIConfig subnet; the primary ENI holds no pod addresses', () => {
    let pod = '';
    const n = new SingleNode({
      instanceType: 'm5.large',
      subnets,
      env: { AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: 'true' },
      eniConfigsFor: (ids) => ({ default: { name: 'default', subnet: ids[1], securityGroups: ['sg-pods'] } }),
    });
    n.start();
    n.settle();
    expect(n.ipamd.state).toBe('ready');
    const enis = n.ipamd.enis();
    expect(enis.length).toBe(2);
    expect(enis.find((e) => e.primary)!.secondaryIps).toBe(0);
    const r = n.addPod();
    expect(r.ok).toBe(true);
    if (r.ok) pod = r.eniId;
    expect(pod).not.toBe(n.instance.primaryEniId);
    expect(n.ec2.state.enis.get(pod)!.view().subnetId).toBe(n.subnetIds[1]);
    expect(n.ec2.state.enis.get(pod)!.view().securityGroups).toEqual(['sg-pods']);
  });
  it('a missing ENIConfig: ENI creation fails and ipamd exits (§2.1 l)', () => {
    const n = new SingleNode({ instanceType: 'm5.large', subnets, env: { AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: 'true' }, labels: { 'k8s.amazonaws.com/eniConfig': 'us-west-2a' } });
    n.start();
    expect(n.ipamd.state).toBe('failed');
    expect(n.ipamd.failure).toBe('Failed to attach any ENIs for custom networking');
    expect(n.ipamd.decisions().some((d) => /eniconfig: eniconfig is not available \(ENIConfig "us-west-2a"\)/.test(d.message))).toBe(true);
  });
});

describe('subnet discovery and capacity', () => {
  /** node subnet /28 with one address left after start-up; a big tagged subnet beside it. */
  const inflate = (cniVersion: string) =>
    freshNode({
      instanceType: 'm5.xlarge',
      cniVersion,
      env: { WARM_IP_TARGET: '9', MINIMUM_IP_TARGET: '9' },
      subnets: [{ cidr: '10.0.0.0/28', externalUse: 1 }, { cidr: '10.0.128.0/17', tags: { 'kubernetes.io/role/cni': '1' } }],
    });

  it('1.19+ (#2954): an exhausted node subnet falls through to a new ENI in the tagged subnet, same pass', () => {
    const n = inflate('1.23.1');
    expect(n.ipamd.stats().totalIps).toBe(9);
    n.addPodsSettling(2);
    const s = n.ipamd.stats();
    expect(s.enis).toBe(2);
    expect(s.totalIps - s.assignedIps).toBeGreaterThanOrEqual(9);
    const choice = n.ipamd.decisions().find((d) => d.kind === 'subnet-choice')!;
    expect(choice.data?.chosen).toBe(n.subnetIds[1]);
    expect(n.ipamd.decisions().some((d) => d.kind === 'pool-no-grow' && d.data?.reason === 'insufficient-freeze')).toBe(false);
  });

  it('1.18.x (pre-#2954): the same node freezes 120 s and never creates the ENI', () => {
    const n = inflate('1.18.0');
    n.addPodsSettling(2, 300_000);
    expect(n.ipamd.stats().enis).toBe(1);
    const ds = n.ipamd.decisions();
    expect(ds.some((d) => d.kind === 'pool-no-grow' && d.data?.reason === 'insufficient')).toBe(true);
    expect(ec2Calls(n, 'CreateNetworkInterface')).toBe(0);
  });

  it('a full subnet: InsufficientFreeAddressesInSubnet freezes growth for 120 s', () => {
    const n = freshNode({ instanceType: 'm5.large', subnets: [{ cidr: '10.0.0.0/28' }] });
    n.addPod();
    n.settle(30_000, 1);
    const fail = n.ipamd.decisions().find((d) => d.kind === 'eni-create-failed' && /InsufficientFreeAddressesInSubnet in subnet-/.test(d.message))!;
    expect(fail).toBeDefined();
    expect(ec2Calls(n, 'CreateNetworkInterface')).toBe(1);
    n.sim.run({ until: fail.t + 118_000 });
    expect(ec2Calls(n, 'CreateNetworkInterface')).toBe(1);
    expect(n.ipamd.decisions().some((d) => d.kind === 'pool-no-grow' && d.data?.reason === 'insufficient' && d.data?.until === fail.t + 120_000)).toBe(true);
    n.sim.run({ until: fail.t + 130_000 });
    expect(ec2Calls(n, 'CreateNetworkInterface')).toBe(2);
  });

  it('PD: free addresses but no aligned /28 → InsufficientCidrBlocks', () => {
    const n = freshNode({ instanceType: 'm5.large', env: { ENABLE_PREFIX_DELEGATION: 'true' }, subnets: [{ cidr: '10.0.0.0/26' }] });
    n.addPodsSettling(20, 30_000);
    expect(n.ipamd.decisions().some((d) => d.data?.code === 'InsufficientCidrBlocks')).toBe(true);
    const subnet = n.ec2.state.subnets.get(n.subnetIds[0])!;
    expect(n.ipamd.stats().prefixes).toBeLessThanOrEqual(2);
    expect(subnet.allocator.availableCount).toBeGreaterThan(0);
  });

  it('tag kubernetes.io/role/cni=0 on a bigger subnet: skipped with the reason', () => {
    const n = freshNode({ instanceType: 'm5.large', subnets: [{ cidr: '10.0.0.0/24' }, { cidr: '10.0.128.0/17', tags: { 'kubernetes.io/role/cni': '0' } }] });
    n.addPodsSettling(1);
    const c = n.ipamd.decisions().find((d) => d.kind === 'subnet-choice')!;
    expect(c.data?.chosen).toBe(n.subnetIds[0]);
    expect(c.message).toContain('kubernetes.io/role/cni=0');
  });

  it('DescribeSubnets denied, 1.23: the primary ENI is topped up, no new ENI (§4.1 step 6, §11.3); 1.21: node subnet fallback', () => {
    const deny = { deny: { 'eks-node-role': ['DescribeSubnets' as const] } };
    const n = freshNode({ instanceType: 'm5.large', ec2Options: deny });
    // setupENI put the primary ENI in the datastore before its exclusion check failed (ipamd.go:1282-1299): six
    // failed attempts, skipped, then the pre-scaling step tops it up with AssignPrivateIpAddresses
    expect(n.ipamd.decisions().some((d) => d.kind === 'eni-create-failed' && /failed to check subnet exclusion/.test(d.message))).toBe(true);
    expect(n.ipamd.stats()).toMatchObject({ enis: 1, totalIps: 9 });
    expect(n.ipamd.decisions().some((d) => d.kind === 'ec2-error' && d.data?.code === 'UnauthorizedOperation' && d.data?.event === 'MissingIAMPermissions')).toBe(true);
    n.addPodsSettling(12);
    expect(n.pods).toHaveLength(9);
    expect(n.ipamd.stats()).toMatchObject({ enis: 1, totalIps: 9, assignedIps: 9 });
    // a new ENI: DescribeSubnets fails, the fallback's IsSubnetExcluded fails too (awsutils.go:1155-1167)
    expect(n.ipamd.decisions().some((d) => /Failed to check if primary subnet is excluded/.test(d.message))).toBe(true);
    expect(n.addPod()).toEqual({ ok: false, error: ERR_NO_AVAILABLE_IP });

    const old = freshNode({ instanceType: 'm5.large', ec2Options: deny, cniVersion: '1.21.0' });
    old.addPodsSettling(1);
    expect(old.ipamd.stats()).toMatchObject({ enis: 2, totalIps: 18 });
  });
});

describe('limits and gates', () => {
  it('MAX_ENI below the instance limit', () => {
    const n = freshNode({ instanceType: 'm5.large', env: { MAX_ENI: '2' } });
    n.addPodsSettling(18);
    expect(n.ipamd.stats()).toMatchObject({ enis: 2, totalIps: 18, maxEnis: 2 });
    expect(n.addPod().ok).toBe(false);
    expect(n.ipamd.metricsText()).toMatch(/^awscni_eni_max 2$/m);
  });
  it('max pods stops growth (TotalIPs ≥ maxPods)', () => {
    const n = freshNode({ instanceType: 'm5.large', maxPods: 12 });
    n.addPodsSettling(10);
    expect(n.ipamd.stats()).toMatchObject({ totalIps: 18, enis: 2 });
    expect(n.ipamd.decisions().some((d) => d.kind === 'pool-no-grow' && d.data?.reason === 'max-pods')).toBe(true);
  });
  it('cordoned: no growth unless AWS_MANAGE_ENIS_NON_SCHEDULABLE', () => {
    const n = freshNode({ instanceType: 'm5.large' });
    n.cordoned = true;
    n.addPodsSettling(1, 30_000);
    expect(n.ipamd.stats().enis).toBe(1);
    expect(n.ipamd.decisions().some((d) => d.data?.reason === 'cordoned')).toBe(true);
    const m = freshNode({ instanceType: 'm5.large', env: { AWS_MANAGE_ENIS_NON_SCHEDULABLE: 'true' } });
    m.cordoned = true;
    m.addPodsSettling(1);
    expect(m.ipamd.stats().enis).toBe(2);
  });
  it('SIGTERM: no growth, RPCs keep working', () => {
    const n = freshNode({ instanceType: 'm5.large' });
    n.ipamd.terminating();
    expect(n.addPod().ok).toBe(true);
    n.run(60_000);
    expect(n.ipamd.stats().enis).toBe(1);
    expect(n.deletePod().ok).toBe(true);
  });
  it('IP cooldown: a freed address is not reused for 30 s though it counts as available', () => {
    const n = freshNode({ instanceType: 'm5.large', env: { MAX_ENI: '1' } });
    n.addPodsSettling(9);
    const ip = n.pods[0].ip;
    n.deletePod(n.pods[0].key.name);
    expect(n.ipamd.stats()).toMatchObject({ availableIps: 1, cooldownIps: 1 });
    const r = n.addPod();
    expect(r).toEqual({ ok: false, error: ERR_NO_AVAILABLE_IP });
    expect(n.ipamd.decisions().at(-1)?.data?.reason).toBe('cooldown');
    n.run(31_000);
    const again = n.addPod();
    expect(again.ok && again.ip).toBe(ip);
  });
});

describe('restart and cleanup', () => {
  it('a restart keeps running pods and their addresses (checkpoint §3.7)', () => {
    const n = freshNode({ instanceType: 'm5.large' });
    n.addPodsSettling(12);
    const before = new Map(n.pods.map((p) => [p.key.containerId, p.ip]));
    const cp = n.ipamd.checkpoint();
    expect(cp.version).toBe('vpc-cni-ipam/1');
    expect(cp.allocations.length).toBe(12);
    n.restart();
    expect(n.ipamd.state).toBe('ready');
    expect(n.ipamd.stats()).toMatchObject({ assignedIps: 12, enis: 3 });
    for (const a of n.ipamd.checkpoint().allocations) expect(before.get(a.containerID)).toBe(a.ipv4);
    expect(n.ipamd.decisions().some((d) => d.kind === 'restore' && d.data?.restored === 12)).toBe(true);
    expect(n.ipamd.decisions().filter((d) => d.kind === 'init')).toHaveLength(1);
  });
  it('leaked ENIs (available, tagged, aws-K8S-, ≥ 5 min old) are deleted by the hourly sweep', () => {
    const n = freshNode({ instanceType: 'm5.large' });
    const leak = n.ec2.state.createNetworkInterface({
      subnetId: n.subnetIds[0],
      description: 'aws-K8S-i-gone',
      securityGroups: [],
      secondaryPrivateIpAddressCount: 2,
      tags: { 'node.k8s.amazonaws.com/instance_id': 'i-gone', 'node.k8s.amazonaws.com/createdAt': rfc3339(-3_600_000) },
    });
    const keep = n.ec2.state.createNetworkInterface({ subnetId: n.subnetIds[0], description: 'user ENI', securityGroups: [], tags: { 'node.k8s.amazonaws.com/instance_id': 'i-x' } });
    expect(leak.ok && keep.ok).toBe(true);
    n.run(2 * 3_600_000);
    if (leak.ok) expect(n.ec2.state.enis.has(leak.value.id)).toBe(false);
    if (keep.ok) expect(n.ec2.state.enis.has(keep.value.id)).toBe(true);
    expect(n.ipamd.decisions().some((d) => d.kind === 'leaked-eni')).toBe(true);
  });
});

describe('observability', () => {
  it('/v1/enis shape, awscni_* metrics, structured decisions', () => {
    const n = freshNode({ instanceType: 'm5.large' });
    n.addPodsSettling(1);
    const intro = n.ipamd.introspectEnis() as Record<string, { TotalIPs: number; AssignedIPs: number; ENIs: Record<string, Record<string, unknown>> }>;
    expect(intro['0'].TotalIPs).toBe(18);
    expect(intro['0'].AssignedIPs).toBe(1);
    const primary = intro['0'].ENIs[n.instance.primaryEniId];
    expect(primary).toMatchObject({ ID: n.instance.primaryEniId, IsPrimary: true, IsTrunk: false, IsEFA: false, DeviceNumber: 0, RouteTableID: 254, IsExcludedForPodIPs: false });
    const cidrs = primary.AvailableIPv4Cidrs as Record<string, { Cidr: { Mask: string }; IsPrefix: boolean; AddressFamily: string }>;
    const first = Object.values(cidrs)[0];
    expect(first).toMatchObject({ Cidr: { Mask: '/////w==' }, IsPrefix: false, AddressFamily: '' });
    const text = n.ipamd.metricsText();
    for (const name of ['awscni_eni_allocated 2', 'awscni_eni_max 3', 'awscni_ip_max 27', 'awscni_total_ip_addresses 18', 'awscni_assigned_ip_addresses 1', 'awscni_add_ip_req_count 1']) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(/awscni_ec2api_req_count\{fn="CreateNetworkInterface"\} 1/);
    const grow = n.ipamd.decisions().find((d) => d.kind === 'pool-grow' && d.data?.newEni === true)!;
    expect(grow.message).toMatch(/grew by a new ENI eni-\S+ because available 8 \(0 cooling\) of 9/);
    expect(grow.data).toMatchObject({ available: 8, totalIps: 9 });
  });
  it('same seed, same run', () => {
    const run = () => {
      const n = freshNode({ instanceType: 'm5.large', seed: 7 });
      n.addPodsSettling(12);
      return JSON.stringify([n.pods.map((p) => p.ip), n.ipamd.decisions()]);
    };
    expect(run()).toBe(run());
  });
});
