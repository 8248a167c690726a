/**
 * Adopting attached ENIs into the datastore: `DescribeAllENIs` (IMDS walk + one DescribeNetworkInterfaces,
 * §2.1 c, §8.4), ENI classes (unmanaged, trunk, EFA, EFA-only; §3.5), `TagENI` (§10 "ENI tags"), the subnet
 * exclusion check (§4.5, §4.6) and `setupENI` (the ENI and its addresses from IMDS; §3.6 custom networking
 * skips the primary's prefixes; §6 the IPv6 prefix). Used by node-init.ts, eni-create.ts and reconcile.ts.
 */
import type { Proc } from '../../sim/index.ts';
import type { ImdsEni, NetworkInterfaceView } from '../ec2/types.ts';
import { backoffDelay } from './ec2-client.ts';
import { Core, TAG_INSTANCE_ID, TAG_NO_MANAGE } from './core.ts';
import type { DsEni } from './datastore-types.ts';
import { checksSubnetExclusion, subnetExclusion } from './subnet-discovery.ts';

export interface EniInventory {
  imds: ImdsEni[];
  views: Map<string, NetworkInterfaceView>;
}

/** §2.1 c / §8.4 DescribeAllENIs: up to 12 attempts; stale ids re-read from IMDS, else sleep attempt×10 ms. */
export function* describeAllEnis(core: Core): Proc<EniInventory | { error: string }> {
  let last = '';
  for (let attempt = 1; attempt <= 12; attempt++) {
    const imds = core.imdsCard0();
    const ids = imds.map((e) => e.eniId);
    const r = yield* core.ec2.call('DescribeNetworkInterfaces', () =>
      core.deps.ec2.describeNetworkInterfaces(core.principal, { networkInterfaceIds: ids }),
    );
    if (r.ok) return { imds, views: new Map(r.value.map((v) => [v.networkInterfaceId, v])) };
    last = `${r.error.code}: ${r.error.message}`;
    if (r.error.code !== 'InvalidNetworkInterfaceID.NotFound') yield attempt * 10;
  }
  return { error: `DescribeAllENIs: ${last}` };
}

/** §3.5: whether an attached ENI is ignored by ipamd. The primary ENI is always managed. */
export function isUnmanaged(core: Core, id: string, view: NetworkInterfaceView | undefined): boolean {
  if (id === core.deps.instance.primaryEniId) return false;
  const tags = view?.tags ?? {};
  if (TAG_NO_MANAGE in tags) return tags[TAG_NO_MANAGE] === 'true';
  if (tags[TAG_INSTANCE_ID] === core.deps.instance.instanceId) return false;
  return !core.cfg.manageUntaggedEni;
}

/**
 * §10 TagENI: CreateTags only for missing/different tags; skipped for trunk ENIs and without provisioning. Returns
 * the last error after the retries (v1.23.1 awsutils.go:1381-1413): fatal at start (ipamd.go:528-534), and the
 * reconcile skips the ENI for this pass (ipamd.go:1664-1670).
 */
export function* tagEni(core: Core, view: NetworkInterfaceView | undefined, eniId: string): Proc<string | undefined> {
  if (core.cfg.disableProvisioning || view?.interfaceType === 'trunk') return undefined;
  const want = core.eniTags(undefined);
  const missing: Record<string, string> = {};
  for (const [k, v] of Object.entries(want)) if (view?.tags[k] !== v) missing[k] = v;
  if (Object.keys(missing).length === 0) return undefined;
  // CreateTags retries: 5 tries, 500 ms ×2, +≤30 % (§8.3)
  let last = '';
  for (let i = 0; i < 5; i++) {
    const r = yield* core.ec2.call('CreateTags', () => core.deps.ec2.createTags(core.principal, [eniId], missing));
    if (r.ok) return undefined;
    last = `${r.error.code}: ${r.error.message}`;
    if (i < 4) yield backoffDelay(i, 500, 60_000, 0.3, core.rng.backoff);
  }
  return last;
}

/**
 * §4.5/§4.6 IsSubnetExcluded for an ENI's subnet (1.22.0+ with discovery on): one DescribeSubnets.
 * Returns whether the ENI is excluded, or an error (then setupENI fails).
 */
export function* checkSubnetExcluded(core: Core, subnetId: string): Proc<{ excluded: boolean; reason?: string } | { error: string }> {
  if (!checksSubnetExclusion(core.cfg.subnetDiscovery, core.era, core.mode === 'ipv6')) return { excluded: false };
  const r = yield* core.ec2.call('DescribeSubnets', () =>
    core.deps.ec2.describeSubnets(core.principal, { vpcId: core.deps.instance.vpcId, availabilityZone: core.deps.instance.az }),
  );
  if (!r.ok) return { error: `${r.error.code}: ${r.error.message}` };
  const res = subnetExclusion(
    r.value.find((s) => s.subnetId === subnetId),
    core.cfg.clusterName,
    core.era,
  );
  return res;
}

/**
 * §6 `assignIPv6Prefix` (part of setupENI in IPv6): DescribeNetworkInterfaces for the ENI's IPv6 prefixes; none →
 * AssignIpv6Addresses(Ipv6PrefixCount=1); several → only the first is used (extras are never freed).
 * Returns an error string (setupENI then fails and, at start, is retried 10 s later, §2.1 f).
 */
function* assignIpv6Prefix(core: Core, eniId: string): Proc<string | undefined> {
  const d = yield* core.ec2.call('DescribeNetworkInterfaces', () => core.deps.ec2.describeNetworkInterfaces(core.principal, { networkInterfaceIds: [eniId] }));
  if (!d.ok) return `assignIPv6Prefix ${eniId}: ${d.error.code}: ${d.error.message}`;
  const have = d.value[0]?.ipv6Prefixes ?? [];
  if (have.length > 0) {
    core.ds.addIpv6Prefix(eniId, have[0]);
    return undefined;
  }
  const r = yield* core.ec2.call('AssignIpv6Addresses', () => core.deps.ec2.assignIpv6Addresses(core.principal, { eniId, ipv6PrefixCount: 1 }));
  if (!r.ok) return `Failed to allocate IPv6 Prefixes to ENI ${eniId}: ${r.error.code}: ${r.error.message}`;
  const prefix = r.value.assignedIpv6Prefixes[0];
  core.ds.addIpv6Prefix(eniId, prefix);
  core.decide('pool-grow', `assigned IPv6 prefix ${prefix} to ${eniId}`, { eniId, amount: 1, unit: 'ipv6-prefix' });
  return undefined;
}

/**
 * setupENI: puts the ENI and its IMDS addresses in the datastore (createTime = now); in IPv6 its /80 from EC2
 * (§6). As in v1.23.1 (ipamd.go:1267-1341) the ENI enters the datastore first (AddENI, :1282-1286) and the subnet
 * exclusion check comes after (:1294-1299): when that check fails the ENI stays in the datastore without its
 * addresses and an error string is returned (at start the set-up is retried, then skipped, §2.1 f). Also an error
 * when the IPv6 prefix cannot be read or assigned.
 */
export function* setupEni(core: Core, m: ImdsEni, view: NetworkInterfaceView | undefined): Proc<string | undefined> {
  const known = core.ds.enis.has(m.eniId);
  const eni = addEniToDatastore(core, m, view);
  const ex = yield* checkSubnetExcluded(core, m.subnetId);
  if ('error' in ex) return `setupENI ${m.eniId}: failed to check subnet exclusion: ${ex.error}`;
  if (ex.excluded || known) eni.excluded = ex.excluded;
  if (ex.excluded) core.decide('config-warning', `ENI ${m.eniId} excluded for pod IPs: subnet ${m.subnetId} ${ex.reason ?? ''}`.trim(), { eniId: m.eniId, subnetId: m.subnetId, reason: ex.reason });
  if (eni.trunk) return undefined; // a trunk ENI never holds pool addresses
  if (core.mode === 'ipv6') return yield* assignIpv6Prefix(core, m.eniId);
  addEniAddresses(core, m);
  return undefined;
}

/** setupENI's AddENI (ipamd.go:1282-1286): the ENI in the datastore (createTime = now), not excluded yet. */
export function addEniToDatastore(core: Core, m: ImdsEni, view: NetworkInterfaceView | undefined): DsEni {
  const type = view?.interfaceType ?? 'interface';
  const eni = core.ds.addEni({
    id: m.eniId,
    primary: m.eniId === core.deps.instance.primaryEniId,
    trunk: type === 'trunk',
    efa: type === 'efa',
    deviceNumber: m.deviceIndex,
    subnetId: m.subnetId,
    excluded: false,
    createTime: core.now,
  });
  if (m.localIpv4s.length > 0) core.primaryIps.set(m.eniId, m.localIpv4s[0]);
  return eni;
}

/** setupENI's IPv4 part: the ENI's secondary IPs and prefixes as IMDS lists them. */
export function addEniAddresses(core: Core, m: ImdsEni): void {
  for (const ip of m.localIpv4s.slice(1)) core.ds.addIpv4Cidr(m.eniId, ip, false);
  // §3.6: in custom networking the primary ENI's prefixes are not even read
  if (!(m.eniId === core.deps.instance.primaryEniId && core.cfg.customNetworking)) for (const p of m.ipv4Prefixes) core.ds.addIpv4Cidr(m.eniId, p, true);
}
