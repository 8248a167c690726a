/**
 * Creating one secondary ENI (`tryAllocateENI` / `AllocENI`, spec §2.5 step 2, §4, §8.2): where (custom
 * networking §4.3 > subnet discovery §4.1 > the node's subnet), CreateNetworkInterface (per subnet tried),
 * DescribeInstances for a free device index, Attach, Modify DeleteOnTermination, the IMDS wait with the §8.2
 * backoff, then setupENI (with the exclusion check). Failures are returned, never thrown.
 */
import type { Proc } from '../../sim/index.ts';
import type { Ec2Error, NetworkInterfaceView, SubnetView } from '../ec2/types.ts';
import { hasSubnetExclusion } from './cni-version.ts';
import { backoffDelay } from './ec2-client.ts';
import { Core, ENI_DESCRIPTION_PREFIX, INSUFFICIENT } from './core.ts';
import { ERR_NO_ENI_CONFIG, eniConfigName } from './eni-config.ts';
import { freeEni, deleteEniWithRetries } from './eni-free.ts';
import { setupEni } from './eni-setup.ts';
import { rfc3339 } from './introspect.ts';
import {
  MSG_NO_VALID_SUBNETS,
  MSG_PRIMARY_EXCLUDED,
  MSG_PRIMARY_EXCLUDED_NO_DISCOVERY,
  checksPrimaryTagWithoutDiscovery,
  eniPlacement,
  primarySubnetExcluded,
} from './subnet-discovery.ts';

export type CreateEniResult = { ok: true; eniId: string } | { ok: false; code?: string; message: string; insufficient: boolean };

const fail = (message: string, e?: Ec2Error): CreateEniResult => ({
  ok: false,
  message,
  insufficient: e !== undefined && INSUFFICIENT.has(e.code),
  ...(e === undefined ? {} : { code: e.code }),
});

/** Subnets to try, in order, with their security groups; or an error (§4.1, §4.3). */
function* chooseSubnets(core: Core): Proc<{ subnets: string[]; sgs: string[] } | { error: string }> {
  const inst = core.deps.instance;
  const primarySgs = core.primarySgs;
  const placement = eniPlacement(core.cfg.customNetworking, core.cfg.subnetDiscovery, core.era);
  if (placement === 'custom-networking') {
    // §4.3: the ENIConfig's subnet and SGs (primary SGs if it lists none); no ranking
    const name = eniConfigName(core.deps.node, core.cfg.eniConfigAnnotationDef, core.cfg.eniConfigLabelDef);
    const ec = core.deps.eniConfigs(name);
    if (ec === undefined) return { error: `${ERR_NO_ENI_CONFIG} (ENIConfig "${name}")` };
    return { subnets: [ec.subnet], sgs: ec.securityGroups.length > 0 ? ec.securityGroups : primarySgs };
  }
  const exclusionEra = hasSubnetExclusion(core.era);
  if (placement === 'node-subnet') {
    // §4.1 step 7: discovery off still asks IsSubnetExcluded of the node's subnet (1.22+; awsutils.go:1203-1211):
    // tag 0, or tag 1 with another cluster's tag, refuses; a failed check is logged and ENI creation goes on
    if (checksPrimaryTagWithoutDiscovery(core.cfg.subnetDiscovery, core.era)) {
      const r = yield* core.ec2.call('DescribeSubnets', () => core.deps.ec2.describeSubnets(core.principal, { subnetIds: [inst.subnetId] }));
      if (r.ok && primarySubnetExcluded(r.value[0], core.cfg.clusterName, core.era) === true) {
        return { error: MSG_PRIMARY_EXCLUDED_NO_DISCOVERY };
      }
    }
    return { subnets: [inst.subnetId], sgs: primarySgs };
  }
  const r = yield* core.ec2.call('DescribeSubnets', () =>
    core.deps.ec2.describeSubnets(core.principal, { vpcId: inst.vpcId, availabilityZone: inst.az }),
  );
  if (!r.ok) {
    if (!exclusionEra) {
      // v1.18–1.21: DescribeSubnets failure → the node's subnet (§4.7)
      core.decide('subnet-choice', `DescribeSubnets failed (${r.error.code}); using the node subnet ${inst.subnetId}`, {
        chosen: inst.subnetId,
        fallback: true,
        code: r.error.code,
      });
      return { subnets: [inst.subnetId], sgs: primarySgs };
    }
    // §4.1 step 6 / §11.3: IsSubnetExcluded calls DescribeSubnets again
    const again = yield* core.ec2.call('DescribeSubnets', () =>
      core.deps.ec2.describeSubnets(core.principal, { vpcId: inst.vpcId, availabilityZone: inst.az }),
    );
    if (!again.ok) {
      return { error: `Failed to check if primary subnet is excluded: ${again.error.code}: ${again.error.message}. Quit ENI creation attempt.` };
    }
    const prim = again.value.find((s) => s.subnetId === inst.subnetId);
    if (primarySubnetExcluded(prim, core.cfg.clusterName, core.era) === true) return { error: MSG_PRIMARY_EXCLUDED };
    core.decide('subnet-choice', `DescribeSubnets failed (${r.error.code}); using the node subnet ${inst.subnetId}`, {
      chosen: inst.subnetId,
      fallback: true,
      code: r.error.code,
    });
    return { subnets: [inst.subnetId], sgs: primarySgs };
  }
  const ranking = core.policy.rankSubnets({ subnets: r.value, primarySubnetId: inst.subnetId, clusterName: core.cfg.clusterName, era: core.era });
  const fmt = (s: SubnetView) => `${s.subnetId} (${s.availableIpAddressCount} free)`;
  const data = {
    candidates: ranking.valid.map((s) => ({ subnetId: s.subnetId, free: s.availableIpAddressCount })),
    skipped: ranking.skipped,
  };
  if (ranking.valid.length === 0) {
    core.decide('subnet-choice', `no valid subnet: ${ranking.skipped.map((s) => `${s.subnetId} (${s.reason})`).join(', ')}`, data);
    return { error: MSG_NO_VALID_SUBNETS };
  }
  const first = ranking.valid[0];
  const over = [
    ...ranking.valid.slice(1).map(fmt),
    ...ranking.skipped.map((s) => `${s.subnetId} (${s.availableIpAddressCount} free; ${s.reason})`),
  ];
  core.decide(
    'subnet-choice',
    `chose ${first.subnetId} with ${first.availableIpAddressCount} free` + (over.length > 0 ? ` over ${over.join(', ')}` : ''),
    { chosen: first.subnetId, ...data },
  );
  return { subnets: ranking.valid.map((s) => s.subnetId), sgs: primarySgs };
}

/** §8.2 waitForENIAndIPsAttached: 12 polls of IMDS, 100 ms ×2 capped 60 s, +0–15 %. */
function* waitForImds(core: Core, eniId: string, wanted: number): Proc<boolean> {
  const pd = core.mode === 'pd';
  const visible = () => {
    const m = core.imdsCard0().find((e) => e.eniId === eniId);
    if (m === undefined) return -1;
    return pd ? m.ipv4Prefixes.length : m.localIpv4s.length - 1;
  };
  for (let i = 0; i < 12; i++) {
    if (visible() >= wanted) return true;
    if (i < 11) yield backoffDelay(i, 100, 60_000, 0.15, core.rng.backoff);
  }
  const v = visible();
  // after the last attempt: SIP accepts ≥ 1 secondary, PD needs ≥ 2 prefixes (quirk, §8.2)
  return pd ? v >= 2 : v >= 1;
}

/** Creates, attaches and sets up one ENI with `amount` CIDRs (addresses in SIP, prefixes in PD). */
export function* createEni(core: Core, amount: number): Proc<CreateEniResult> {
  const inst = core.deps.instance;
  const count = Math.min(amount, (core.it?.ipv4PerEni ?? 2) - 1); // createENI caps at IPv4Limit − 1
  const choice = yield* chooseSubnets(core);
  if ('error' in choice) return fail(choice.error);
  const pd = core.mode === 'pd';
  let created: NetworkInterfaceView | undefined;
  let lastErr: Ec2Error | undefined;
  for (const subnetId of choice.subnets) {
    const r = yield* core.ec2.call('CreateNetworkInterface', () =>
      core.deps.ec2.createNetworkInterface(core.principal, {
        subnetId,
        description: ENI_DESCRIPTION_PREFIX + inst.instanceId,
        securityGroups: choice.sgs,
        ...(pd ? { ipv4PrefixCount: count } : { secondaryPrivateIpAddressCount: count }),
        tags: core.eniTags(rfc3339(core.now)),
      }),
    );
    if (r.ok) {
      created = r.value;
      break;
    }
    lastErr = r.error;
    core.decide('eni-create-failed', `ENI creation failed: ${r.error.code} in ${subnetId}`, { subnetId, code: r.error.code, message: r.error.message });
  }
  if (created === undefined) return fail(`failed to create ENI: ${lastErr?.code}: ${lastErr?.message}`, lastErr);
  const eniId = created.networkInterfaceId;

  // free device index: lowest 0..99 unused on card 0 according to DescribeInstances (§8.2)
  const di = yield* core.ec2.call('DescribeInstances', () => core.deps.ec2.describeInstances(core.principal, [inst.instanceId]));
  let deviceIndex = -1;
  if (di.ok && di.value.length > 0) {
    const used = new Set(di.value[0].networkInterfaces.filter((n) => n.networkCardIndex === 0).map((n) => n.deviceIndex));
    for (let i = 0; i < 100; i++) {
      if (!used.has(i)) {
        deviceIndex = i;
        break;
      }
    }
  }
  if (deviceIndex < 0) {
    yield* deleteEniWithRetries(core, eniId);
    return fail(di.ok ? 'no available device number' : `DescribeInstances: ${di.error.code}`, di.ok ? undefined : di.error);
  }
  const at = yield* core.ec2.call('AttachNetworkInterface', () =>
    core.deps.ec2.attachNetworkInterface(core.principal, { eniId, instanceId: inst.instanceId, deviceIndex, networkCardIndex: 0 }),
  );
  if (!at.ok) {
    yield* deleteEniWithRetries(core, eniId);
    core.decide('eni-create-failed', `ENI attach failed: ${at.error.code} for ${eniId}`, { eniId, code: at.error.code, message: at.error.message });
    return fail(`failed to attach ENI: ${at.error.code}: ${at.error.message}`, at.error);
  }
  const mod = yield* core.ec2.call('ModifyNetworkInterfaceAttribute', () =>
    core.deps.ec2.modifyNetworkInterfaceAttribute(core.principal, { eniId, deleteOnTermination: true }),
  );
  if (!mod.ok) {
    yield* freeEni(core, eniId);
    return fail(`failed to set DeleteOnTermination: ${mod.error.code}`, mod.error);
  }
  const seen = yield* waitForImds(core, eniId, count);
  if (!seen) {
    // left attached; the reconcile adopts it later (§2.10 step 2)
    core.decide('eni-create-failed', `waitForENIAndIPsAttached: giving up trying to retrieve ENIs from metadata service (${eniId})`, {
      eniId,
      code: 'ImdsTimeout',
    });
    return fail('waitForENIAndIPsAttached: giving up trying to retrieve ENIs from metadata service');
  }
  const m = core.imdsCard0().find((e) => e.eniId === eniId)!;
  const err = yield* setupEni(core, m, created);
  if (err !== undefined) {
    core.decide('eni-create-failed', err, { eniId, code: 'SetupFailed' });
    return fail(err);
  }
  core.lastPoolAction = core.now;
  const st = core.ds.stats(core.now);
  core.decide(
    'eni-create',
    `attached ${eniId} in ${created.subnetId} at device ${deviceIndex} with ${count} ${pd ? 'prefixes' : 'IPs'} (total ${st.totalIps} IPs)`,
    { eniId, subnetId: created.subnetId, deviceIndex, amount: count, unit: pd ? 'prefix' : 'ip', totalIps: st.totalIps },
  );
  return { ok: true, eniId };
}
