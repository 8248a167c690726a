/**
 * The warm-pool decisions of ipamd as pure functions of a plain state object (spec §2.4–§2.7), packaged as a
 * `PoolPolicy` so that benchmarks can swap in alternatives. `ipamdPolicy` is the real daemon's behaviour.
 *
 * Not here: EC2 calls, timers, gates that depend on time other than what the state carries (the 30 s decrease
 * gate, the 120 s insufficient-capacity freeze and cordon/terminating checks live in pool-loop.ts), and which
 * address a pod gets (datastore.ts). No engine types: a policy sees numbers only.
 */
import { rankSubnets, type RankSubnetsInput, type SubnetRanking } from './subnet-discovery.ts';

/** Addresses per /28 prefix (`GetPrefixDelegationDefaults`, §5). */
export const IPS_PER_PREFIX = 16;

/** One ENI as the pool decisions see it. Address counts are over CIDRs of the current mode. */
export interface EniSummary {
  id: string;
  primary: boolean;
  excluded: boolean;
  trunk: boolean;
  efa: boolean;
  /** Slots used: /32s and /28s together (§2.5 GetAllocatableENIs, §5 slots shared). */
  cidrs: number;
  /** Addresses in current-mode CIDRs. */
  totalIps: number;
  assignedIps: number;
  /** Unassigned addresses still inside IP_COOLDOWN_PERIOD. */
  cooldownIps: number;
  /** Pods on this ENI, on CIDRs of any mode (a leftover other-mode /32 or /28 still pins the ENI). */
  pods: number;
  /** Cooldown addresses on CIDRs of any mode. */
  anyCooldown: number;
  /** Prefixes on this ENI, and those with zero assigned addresses. */
  prefixes: number;
  freePrefixes: number;
  /**
   * CIDRs of either kind with zero assigned addresses (/32s and /28s): what isRequiredForWarmPrefixTarget counts as
   * "free prefixes" (v1.23.1 data_store.go:1024-1040).
   */
  freeCidrs: number;
  /** ms since the ENI was added to the datastore (resets on ipamd restart, §10). */
  ageMs: number;
}

/** Everything a policy may read. Stats follow GetIPStats (§ glossary): excluded ENIs are not counted. */
export interface PoolState {
  mode: 'sip' | 'pd';
  warmEniTarget: number;
  warmIpTarget: number;
  minimumIpTarget: number;
  warmPrefixTarget: number;
  /** Secondary IPs per ENI (SIP: IPv4Limit−1; PD: 16 × maxPrefixesPerEni). */
  maxIpsPerEni: number;
  /** PD slots per ENI (IPv4Limit−1); 0 in SIP. */
  maxPrefixesPerEni: number;
  maxPods: number;
  totalIps: number;
  assignedIps: number;
  cooldownIps: number;
  /** Prefixes in the whole datastore (not filtered), §glossary TotalPrefixes. */
  totalPrefixes: number;
  /** Prefixes with zero assigned addresses, any ENI, excluded ones included (§glossary freePrefixes). */
  freePrefixes: number;
  enis: EniSummary[];
  /** Experimental flag (config.ts EXPERIMENTAL_INCLUDE_COOLDOWN): cooldown counts as in use when growing. */
  includeCooldownInPoolSize?: boolean;
}

/**
 * A warm-pool policy. All amounts are in the mode's CIDR unit: /32 addresses in SIP, /28 prefixes in PD.
 * The engine calls, per pass: isTooLow → (topUpAmount on the first allocatable ENI with a free slot |
 * newEniAmount) ; else isTooHigh (+30 s gate) → releaseAmount ; then shouldRemoveExtraEnis → deletableEni.
 */
export interface PoolPolicy {
  readonly name: string;
  /** §2.4: should the pool grow now? */
  isTooLow(s: PoolState): boolean;
  /** §2.5 step 1: CIDRs to request on this existing ENI (0 = do not top up). */
  topUpAmount(s: PoolState, eni: EniSummary): number;
  /** §2.5 step 2: CIDRs to request with a new ENI (0 = do not create one). */
  newEniAmount(s: PoolState): number;
  /** §2.6: are there too many free addresses? */
  isTooHigh(s: PoolState): boolean;
  /** §2.6: CIDRs to release (only wholly unassigned CIDRs are ever released). */
  releaseAmount(s: PoolState): number;
  /** §2.7: is it worth looking for an ENI to free? */
  shouldRemoveExtraEnis(s: PoolState): boolean;
  /** §2.7: the ENI to free, taken from `order` (the daemon's random map order), or undefined. */
  deletableEni(s: PoolState, order: readonly EniSummary[], minEniAgeMs: number): EniSummary | undefined;
  /** §4.1: the ordered subnets to try for a new ENI and why the others were skipped. */
  rankSubnets(input: RankSubnetsInput): SubnetRanking;
  /** One line naming the target the policy compares against (for decision records). */
  describeTarget(s: PoolState): string;
}

const divCeil = (a: number, b: number) => Math.ceil(a / b);

/** §1 precedence: a non-zero WARM_IP_TARGET or MINIMUM_IP_TARGET selects warm-IP mode (`warmIPTargetsDefined`). */
export function warmIpMode(s: PoolState): boolean {
  return s.warmIpTarget !== 0 || s.minimumIpTarget !== 0;
}

/** available = TotalIPs − AssignedIPs, cooldown included (§glossary). */
export function available(s: PoolState): number {
  return s.totalIps - s.assignedIps;
}

/** The availability used for growth: the real daemon's, or minus cooldown under the experimental flag. */
function availableForGrowth(s: PoolState): number {
  return s.includeCooldownInPoolSize === true ? available(s) - s.cooldownIps : available(s);
}

/** `datastoreTargetState` short side (§2.4.1): addresses short of the warm/minimum targets. */
export function shortIps(s: PoolState): number {
  let short = Math.max(s.warmIpTarget - availableForGrowth(s), 0);
  short = Math.max(short, s.minimumIpTarget - s.totalIps);
  return short;
}

/** `datastoreTargetState` over side (§2.6): in addresses (SIP) or prefixes (PD). */
export function overWarmIp(s: PoolState): number {
  if (s.mode === 'pd') {
    const needW = divCeil(s.assignedIps + s.warmIpTarget, IPS_PER_PREFIX);
    const needM = divCeil(s.minimumIpTarget, IPS_PER_PREFIX);
    let overP = Math.max(Math.min(s.freePrefixes, s.totalPrefixes - needW), 0);
    overP = Math.max(Math.min(overP, s.totalPrefixes - needM), 0);
    return overP;
  }
  let over = Math.max(available(s) - s.warmIpTarget, 0);
  over = Math.max(Math.min(over, s.totalIps - s.minimumIpTarget), 0);
  return over;
}

/** §2.4 `isDatastorePoolTooLow`. */
export function isPoolTooLow(s: PoolState): boolean {
  if (s.totalIps >= s.maxPods) return false; // §2.4.0 hard stop at max pods
  if (warmIpMode(s)) return shortIps(s) > 0; // §2.4.1 (PD: ceil(short/16) > 0 ⇔ short > 0)
  const avail = availableForGrowth(s);
  if (s.mode === 'sip') {
    // §2.4.2 SIP warm-ENI
    return avail < s.warmEniTarget * s.maxIpsPerEni || (s.warmEniTarget === 0 && avail === 0);
  }
  // §2.4.2 PD warm-prefix: the trigger uses free *addresses* (§11.10)
  return avail < s.warmPrefixTarget * IPS_PER_PREFIX || (s.warmPrefixTarget === 0 && avail === 0);
}

/** §2.5 PD `getPrefixesNeeded`: prefixes wanted by one growth step. */
export function prefixesNeeded(s: PoolState): number {
  if (warmIpMode(s)) return Math.max(1, divCeil(shortIps(s), IPS_PER_PREFIX));
  return Math.max(1, s.warmPrefixTarget - s.freePrefixes);
}

/** Per-ENI CIDR slots (`maxIPsPerENI` in SIP, `maxPrefixesPerENI` in PD). */
export function slotsPerEni(s: PoolState): number {
  return s.mode === 'pd' ? s.maxPrefixesPerEni : s.maxIpsPerEni;
}

/** §2.5 step 1 amount (`tryAssignIPs` / `tryAssignPrefixes`), capped at IPv4Limit−1 (`AllocIPAddresses`). */
export function topUpAmount(s: PoolState, eni: EniSummary): number {
  const free = slotsPerEni(s) - eni.cidrs;
  if (free <= 0) return 0;
  if (s.mode === 'pd') return Math.min(free, prefixesNeeded(s));
  if (warmIpMode(s)) {
    const short = shortIps(s);
    if (short === 0) return 0; // skip step 1 entirely
    return Math.min(free, short);
  }
  return Math.min(free, s.maxIpsPerEni); // warm-ENI: fill the ENI completely
}

/** §2.5 step 2 amount (`GetENIResourcesToAllocate`). */
export function newEniAmount(s: PoolState): number {
  if (s.mode === 'pd') return Math.min(prefixesNeeded(s), s.maxPrefixesPerEni);
  if (warmIpMode(s)) return Math.max(0, Math.min(shortIps(s), s.maxIpsPerEni));
  return s.maxIpsPerEni;
}

/** §2.6 `isDatastorePoolTooHigh`. */
export function isPoolTooHigh(s: PoolState): boolean {
  if (warmIpMode(s)) return overWarmIp(s) > 0;
  if (s.mode === 'pd') return s.warmPrefixTarget >= 0 && s.freePrefixes > s.warmPrefixTarget;
  return false; // warm-ENI mode never releases single IPs
}

/** §2.6 amount to release, in the mode's CIDR unit. */
export function releaseAmount(s: PoolState): number {
  if (warmIpMode(s)) return overWarmIp(s);
  if (s.mode === 'pd') return Math.max(s.freePrefixes - s.warmPrefixTarget, 0); // computeExtraPrefixesOverWarmTarget
  return 0;
}

/** §2.7 `shouldRemoveExtraENIs`. */
export function shouldRemoveExtraEnis(s: PoolState): boolean {
  if (warmIpMode(s)) return true;
  const avail = available(s);
  if (s.mode === 'sip') return avail >= (s.warmEniTarget + 1) * s.maxIpsPerEni;
  if (avail >= (s.warmPrefixTarget + 1) * s.maxIpsPerEni) return true;
  return s.enis.some((e) => !e.primary && !e.trunk && !e.efa && e.pods === 0);
}

/** §2.7 `getDeletableENI`: the first ENI in `order` that may be freed (summaries carry cooldown counts). */
export function deletableEni(
  s: PoolState,
  order: readonly EniSummary[],
  minEniAgeMs: number,
): EniSummary | undefined {
  const roundPd = (n: number) => (s.mode === 'pd' ? divCeil(n, IPS_PER_PREFIX) * IPS_PER_PREFIX : n);
  for (const e of order) {
    if (e.primary || e.trunk || e.efa) continue;
    if (e.ageMs < minEniAgeMs) continue; // minENILifeTime 60 s
    if (e.anyCooldown > 0) continue; // an address freed within IP_COOLDOWN_PERIOD
    if (e.pods > 0) continue; // an assigned pod
    const others = s.enis.filter((o) => o.id !== e.id && !o.excluded);
    if (s.warmIpTarget !== 0) {
      const otherFree = others.reduce((a, o) => a + (o.totalIps - o.assignedIps), 0);
      if (otherFree < roundPd(s.warmIpTarget)) continue;
    }
    if (s.minimumIpTarget !== 0) {
      const otherTotal = others.reduce((a, o) => a + o.totalIps, 0);
      if (otherTotal < roundPd(s.minimumIpTarget)) continue;
    }
    if (s.mode === 'pd' && s.warmPrefixTarget !== 0) {
      // any unassigned CIDR of another ENI counts, a leftover /32 included (data_store.go:1032-1035)
      const otherFreePrefixes = others.reduce((a, o) => a + o.freeCidrs, 0);
      if (otherFreePrefixes < s.warmPrefixTarget) continue;
    }
    return e;
  }
  return undefined;
}

/** The target behind the decisions, for messages. */
export function describeTarget(s: PoolState): string {
  if (warmIpMode(s)) return `WARM_IP_TARGET=${s.warmIpTarget} MINIMUM_IP_TARGET=${s.minimumIpTarget}`;
  if (s.mode === 'pd') return `WARM_PREFIX_TARGET=${s.warmPrefixTarget} (${s.warmPrefixTarget * IPS_PER_PREFIX} free addresses)`;
  return `WARM_ENI_TARGET=${s.warmEniTarget} (${s.warmEniTarget * s.maxIpsPerEni} free addresses)`;
}

/** The real daemon (VPC CNI v1.23.1 rules, spec §2.4–§2.7, §4.1). */
export const ipamdPolicy: PoolPolicy = {
  name: 'ipamd',
  isTooLow: isPoolTooLow,
  topUpAmount,
  newEniAmount,
  isTooHigh: isPoolTooHigh,
  releaseAmount,
  shouldRemoveExtraEnis,
  deletableEni,
  rankSubnets,
  describeTarget,
};
