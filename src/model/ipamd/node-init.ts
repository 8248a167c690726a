/**
 * ipamd start-up after config validation (`nodeInit`, spec §2.1 step 4 a–l): limits, inventory,
 * classification, tagging and set-up of attached ENIs (6 attempts, 10 s apart; in IPv6 set-up includes the
 * /80, §6), checkpoint restore (§3.7),
 * release of free addresses on excluded ENIs and of the other mode's leftovers (§2.1 h, §5), max pods (§2.1 j),
 * and the single pre-scaling step (§2.1 l). Returns a fatal message or undefined. No pod gets an address before
 * this returns (§2.1 step 5).
 */
import type { Proc } from '../../sim/index.ts';
import type { ImdsEni, NetworkInterfaceView } from '../ec2/types.ts';
import { effectiveMaxEni } from './config.ts';
import { Core, T } from './core.ts';
import type { CidrInfo } from './datastore.ts';
import { addEniAddresses, addEniToDatastore, describeAllEnis, isUnmanaged, setupEni, tagEni } from './eni-setup.ts';
import { checksSubnetExclusion, subnetExclusion } from './subnet-discovery.ts';
import { increasePool } from './pool-loop.ts';
import { IPS_PER_PREFIX } from './pool-policy.ts';
import { CHECKPOINT_VERSION } from './records.ts';

/** eni-max-pods.txt value (§7): ENILimit × (IPv4Limit − 1) + 2. */
export function eniMaxPods(enis: number, ipv4PerEni: number): number {
  return enis * (ipv4PerEni - 1) + 2;
}

/** Removes free CIDRs from the datastore and returns them to EC2 (one call for /32s, one for prefixes). */
export function* releaseCidrs(core: Core, eniId: string, cidrs: CidrInfo[], why: string): Proc<void> {
  if (cidrs.length === 0) return;
  const ips: string[] = [];
  const prefixes: string[] = [];
  for (const c of cidrs) {
    core.ds.removeCidr(eniId, c.cidr);
    core.reconcileCooldown.set(c.cidr, core.now + T.reconcileCooldownMs);
    if (c.isPrefix) prefixes.push(c.cidr);
    else ips.push(c.cidr.replace(/\/32$/, ''));
  }
  if (prefixes.length > 0) {
    yield* core.ec2.call('UnassignPrivateIpAddresses', () => core.deps.ec2.unassignPrivateIpAddresses(core.principal, { eniId, ipv4Prefixes: prefixes }));
  }
  if (ips.length > 0) {
    yield* core.ec2.call('UnassignPrivateIpAddresses', () => core.deps.ec2.unassignPrivateIpAddresses(core.principal, { eniId, privateIpAddresses: ips }));
  }
  core.decide('pool-shrink', `released ${ips.length} IPs and ${prefixes.length} prefixes from ${eniId} (${why})`, { eniId, cidrs: [...prefixes, ...ips], reason: why });
}

/** Start-up steps a–l in the real order; returns a fatal message or undefined. */
export function* nodeInit(core: Core): Proc<string | undefined> {
  setLimits(core);

  // c. DescribeAllENIs
  const inv = yield* describeAllEnis(core);
  if ('error' in inv) return `ipamd init: failed to retrieve attached ENIs info: ${inv.error}`;
  setPrimarySgs(core, inv.imds);

  const managed = classifyEnis(core, inv.imds, inv.views);
  const setupFailed = yield* setUpManagedEnis(core, managed, inv.views);
  if (setupFailed !== undefined) return setupFailed;

  // g. checkpoint restore (§3.7)
  const restoreFailed = restoreCheckpoint(core);
  if (restoreFailed !== undefined) return restoreFailed;

  yield* releaseLeftovers(core);

  setMaxPods(core);

  return yield* preScale(core);
}

/**
 * The start of a daemon that was already running (IpamdDeps.resume): the inventory from IMDS as nodeInit would have
 * set it up (managed ENIs, their subnet exclusion as the subnet's tags say, their addresses), the checkpoint restored
 * (§3.7), max pods — and no EC2 call, no release, no pre-scaling: what changes next is the pool loop's to decide.
 * Synchronous. Returns a fatal message (a checkpoint ipamd cannot read) or undefined.
 */
export function resumeInit(core: Core, resume: NonNullable<Core['deps']['resume']>): string | undefined {
  setLimits(core);
  const imds = core.imdsCard0();
  setPrimarySgs(core, imds);
  // no EC2 view: no ENI is known EFA-only, and only the primary or MANAGE_UNTAGGED_ENI keeps one managed (§3.5)
  const managed = classifyEnis(core, imds, new Map());
  const checks = checksSubnetExclusion(core.cfg.subnetDiscovery, core.era, core.mode === 'ipv6');
  for (const m of managed) {
    const eni = addEniToDatastore(core, m, undefined);
    const ex = checks ? subnetExclusion(resume.subnet(m.subnetId), core.cfg.clusterName, core.era) : { excluded: false };
    if ('excluded' in ex) eni.excluded = ex.excluded;
    addEniAddresses(core, m);
  }
  const restoreFailed = restoreCheckpoint(core);
  if (restoreFailed !== undefined) return restoreFailed;
  setMaxPods(core);
  return undefined;
}

/** a. limits (§ glossary): ENIs, and addresses and prefixes per ENI for the mode. */
function setLimits(core: Core): void {
  const it = core.it!;
  core.maxEni = effectiveMaxEni(core.cfg.maxEni, it.enis);
  if (core.mode === 'pd') {
    core.maxPrefixesPerEni = it.ipv4PerEni - 1;
    core.maxIpsPerEni = core.maxPrefixesPerEni * IPS_PER_PREFIX;
  } else {
    core.maxIpsPerEni = it.ipv4PerEni - 1;
    core.maxPrefixesPerEni = 0;
  }
}

/** The primary ENI's security groups, sorted (as IMDS lists them). */
function setPrimarySgs(core: Core, imds: readonly ImdsEni[]): void {
  const primary = imds.find((m) => m.eniId === core.deps.instance.primaryEniId);
  core.primarySgs = [...(primary?.securityGroupIds ?? [])].sort();
}

/** j. max pods: node capacity, else eni-max-pods.txt, else 110. */
function setMaxPods(core: Core): void {
  const it = core.it!;
  core.maxPods = core.deps.node.maxPods ?? eniMaxPods(it.enis, it.ipv4PerEni);
}

/** d. classify (§3.5): EFA-only ENIs skipped, unmanaged ones noted in `core.unmanaged`; returns the managed ones. */
function classifyEnis(core: Core, imds: readonly ImdsEni[], views: Map<string, NetworkInterfaceView>): ImdsEni[] {
  const managed = [];
  for (const m of imds) {
    const view = views.get(m.eniId);
    if (view?.interfaceType === 'efa-only') continue;
    if (isUnmanaged(core, m.eniId, view)) core.unmanaged.add(m.eniId);
    else managed.push(m);
  }
  return managed;
}

/** f. tag + set up each ENI, retried with 10 s sleeps (eniAttachTime, maxRetryCheckENI). Returns a fatal message. */
function* setUpManagedEnis(core: Core, managed: readonly ImdsEni[], views: Map<string, NetworkInterfaceView>): Proc<string | undefined> {
  for (const m of managed) {
    const view = views.get(m.eniId);
    const tagErr = yield* tagEni(core, view, m.eniId);
    if (tagErr !== undefined) return `ipamd init: failed to tag managed ENI ${m.eniId}: ${tagErr}`;
    let err: string | undefined;
    for (let attempt = 0; attempt <= T.maxRetryCheckEni; attempt++) {
      const fresh = core.imdsCard0().find((x) => x.eniId === m.eniId) ?? m;
      err = yield* setupEni(core, fresh, view);
      if (err === undefined) {
        noteStaleImds(core, fresh, view);
        break;
      }
      if (attempt < T.maxRetryCheckEni) yield T.eniAttachTimeMs;
    }
    // after maxRetryCheckENI the ENI is skipped, not fatal ("Reached max retry"); the reconcile retries later
    if (err !== undefined) core.decide('eni-create-failed', `could not set up ${m.eniId} at start (${T.maxRetryCheckEni + 1} attempts): ${err}`, { eniId: m.eniId, code: 'SetupFailed' });
  }
  return undefined;
}

/**
 * h. free addresses on excluded ENIs; the other mode's leftovers (§2.1 h, §5 mode switching). Not gated on
 * DISABLE_NETWORK_RESOURCE_PROVISIONING (§1 lists what that flag skips; this is not among it).
 */
function* releaseLeftovers(core: Core): Proc<void> {
  if (core.mode === 'ipv6') return;
  for (const eni of [...core.ds.enis.values()]) {
    const free = [...eni.cidrs.values()].filter((c) => c.assigned === 0);
    if (eni.excluded) {
      yield* releaseCidrs(core, eni.id, free, 'ENI subnet excluded');
      continue;
    }
    const other = free.filter((c) => !core.ds.modeMatches(c));
    yield* releaseCidrs(core, eni.id, other, core.mode === 'pd' ? 'PD on: unassigned /32s released' : 'PD off: unassigned prefixes released');
  }
}

/**
 * l. pre-scaling: one growth step (IPv4). IPv6: createSecondaryIPv6ENIs is for cards > 0 only (not modelled);
 * each ENI got its /80 in setupENI (f). Returns a fatal message.
 */
function* preScale(core: Core): Proc<string | undefined> {
  const { cfg } = core;
  if (core.mode === 'ipv6') return undefined;
  if (!cfg.disableProvisioning) {
    const s = core.poolState();
    if (core.policy.isTooLow(s)) {
      const fatal = yield* increasePool(core, true);
      if (fatal !== undefined) return fatal;
    }
    if (cfg.customNetworking && core.ds.stats(core.now).totalIps === 0) return 'Failed to attach any ENIs for custom networking';
  }
  return undefined;
}

/**
 * §3.7 ReadBackingStore: veth-gone entries and entries whose address is in no known CIDR are dropped (the latter kept
 * in `core.droppedAtRestore`); a version mismatch or one address twice (IPAlreadyInStoreError, v1.23.1
 * data_store.go:393-396, :1764-1771) fails start-up. Returns that failure, or undefined.
 */
function restoreCheckpoint(core: Core): string | undefined {
  const cp = core.deps.checkpoint;
  if (cp === undefined) return undefined;
  if (cp.version !== CHECKPOINT_VERSION) return `datastore: checkpoint version mismatch "${cp.version}"`;
  let restored = 0;
  let dropped = 0;
  for (const a of cp.allocations) {
    if (core.deps.sandboxExists !== undefined && !core.deps.sandboxExists(a.containerID)) {
      dropped++;
      continue;
    }
    const r = core.ds.restore(a, core.now);
    if (r === 'duplicate') return 'Error while reading datastore: datastore: IP already in data store';
    if (r === 'restored') restored++;
    else {
      dropped++;
      const ip = a.ipv4 ?? a.ipv6;
      if (ip !== undefined) core.droppedAtRestore.push({ ip, pod: `${a.metadata.k8sPodNamespace}/${a.metadata.k8sPodName}` });
    }
  }
  core.decide('restore', `restored ${restored} pod allocations from the checkpoint (${dropped} dropped)`, { restored, dropped });
  return undefined;
}

/**
 * Addresses setupENI took from IMDS that EC2's DescribeNetworkInterfaces did not list on the ENI (IMDS still shows a
 * release): the real DescribeAllENIs only logs them (logOutOfSyncState, v1.23.1 awsutils.go:1785-1788, :1866-1899)
 * and setupENI adds them (ipamd.go:1330-1334). Kept in `core.staleAtStart` for the checkers; no effect on the model.
 */
function noteStaleImds(core: Core, m: ImdsEni, view: NetworkInterfaceView | undefined): void {
  if (view === undefined) return;
  const inEc2 = new Set([...view.secondaryPrivateIpAddresses, ...view.ipv4Prefixes]);
  for (const ip of [...m.localIpv4s.slice(1), ...m.ipv4Prefixes]) if (!inEc2.has(ip)) core.staleAtStart.push({ eniId: m.eniId, ip });
}
