/**
 * Known findings: places where the real daemon's rules themselves break an invariant. The simulator reproduces
 * them faithfully (never patches them away); the checkers label a matching violation with the finding's id so a
 * property test or the swarm counts it instead of failing. Each has a scenario (under scenarios/findings/, or a user
 * scenario that already shows it) that shows it with `vpc-cni-sim run`, and an entry in docs/testing.md.
 * Not here: detection (liveness.ts, cooldown.ts); this file only recognises the cause.
 */
import { allocatableEnis, type GrowthRoom, poolCounts } from './node-capacity.ts';
import type { NodeFacts } from './view.ts';

export interface KnownFinding {
  id: string;
  title: string;
  /** Public issue(s) it matches. */
  issues: string;
  /** The rule that causes it (spec sections). */
  rule: string;
  /** Scenario showing it. */
  scenario: string;
}

export const MIN_IP_NO_WARM_SIP = 'cni#2650';
export const MIN_IP_NO_WARM_PD = 'cni#3685';
export const ENI_CREATE_ALL_OR_NOTHING = 'eni-create-all-or-nothing';
export const RESTART_DROPS_ALLOCATION = 'restart-drops-allocation';
export const RESTART_ADOPTS_RELEASED = 'restart-adopts-released-address';
export const MAX_ENI_SOFT_CAP = 'max-eni-soft-cap';
export const PRE_2954_TOPUP_FREEZE = 'cni#2908';

export const KNOWN_FINDINGS: readonly KnownFinding[] = [
  {
    id: MIN_IP_NO_WARM_SIP,
    title: 'MINIMUM_IP_TARGET without WARM_IP_TARGET: the pool never grows past the minimum (secondary-IP mode)',
    issues: 'aws/amazon-vpc-cni-k8s#2650',
    rule: 'warm-IP mode: short = max(WARM_IP_TARGET − available, MINIMUM_IP_TARGET − TotalIPs, 0) = 0 once TotalIPs ≥ MINIMUM_IP_TARGET (docs/ipamd-model.md §2.4 step 1, §1 MINIMUM_IP_TARGET)',
    scenario: 'scenarios/findings/cni-2650-min-ip-target-stuck.yaml',
  },
  {
    id: MIN_IP_NO_WARM_PD,
    title: 'Prefix delegation with MINIMUM_IP_TARGET and no WARM_IP_TARGET: WARM_PREFIX_TARGET is ignored and the pool stops growing',
    issues: 'aws/amazon-vpc-cni-k8s#3685',
    rule: 'warm-IP mode overrides WARM_PREFIX_TARGET (docs/ipamd-model.md §1 precedence); shortPrefixes = ceil(short/16) = 0 once TotalIPs ≥ MINIMUM_IP_TARGET (§2.4)',
    scenario: 'scenarios/findings/cni-3685-pd-min-ip-target-stuck.yaml',
  },
  {
    id: ENI_CREATE_ALL_OR_NOTHING,
    title: 'A new ENI asks for its whole allocation; a subnet with fewer free addresses never hosts it',
    issues: 'related: aws/amazon-vpc-cni-k8s#2749, #1872',
    rule: 'GetENIResourcesToAllocate asks for maxIPsPerENI (warm-ENI) / short / need prefixes in CreateNetworkInterface, with no retry at a smaller count (docs/ipamd-model.md §2.5 step 2), unlike the top-up, which retries with 1 (§2.5 step 1); the failure starts the 120 s freeze (§2.9)',
    scenario: 'scenarios/findings/eni-create-all-or-nothing.yaml',
  },
  {
    id: 'cooldown-bypass',
    title: 'A freed address reaches another pod within IP_COOLDOWN_PERIOD through a release to EC2 or an ipamd restart',
    issues: 'related: aws/amazon-vpc-cni-k8s#2378, #59',
    rule: 'the decrease path releases free CIDRs without protecting cooldown addresses (docs/ipamd-model.md §2.6); the checkpoint keeps no UnassignedTime (§3.7)',
    scenario: 'scenarios/findings/cooldown-bypass-restart.yaml',
  },
  {
    id: RESTART_DROPS_ALLOCATION,
    title: 'An ipamd restart while IMDS lags drops a running pod\'s allocation; the address is later given to a second pod, on the same node or (released to EC2) on another',
    issues: 'related: aws/amazon-vpc-cni-k8s#3833, #66 (ENI/IPs lost from the datastore after a restart)',
    rule: 'nodeInit sets ENIs up from IMDS (docs/ipamd-model.md §2.1 f, §8.6) and drops checkpoint entries whose address is in no known CIDR, "presuming stale/dead" (§3.7); the reconcile (§2.10 step 3) or the resync after PrivateIpAddressLimitExceeded (§2.5) later adds the address from EC2 as free; a pod on the node gets it, or the pool decrease releases it (§2.6) and EC2 assigns it to another node',
    scenario: 'scenarios/findings/restart-drops-allocation.yaml',
  },
  {
    id: RESTART_ADOPTS_RELEASED,
    title: 'An ipamd restart while IMDS still lists addresses the pool decrease released adopts them; a pod gets one while EC2 gives it to another ENI',
    issues: 'related: aws/amazon-vpc-cni-k8s#3833 (datastore and EC2 out of sync after a restart)',
    rule: 'the decrease releases free CIDRs to EC2 (docs/ipamd-model.md §2.6); IMDS shows the release late (§8.6); nodeInit sets ENIs up from IMDS, DescribeAllENIs only logs addresses EC2 does not list (§2.1 c/f; v1.23.1 awsutils.go:1785-1788, :1866-1899); the datastore refuses a duplicate only within one ENI (data_store.go:542-546); the reconcile removes the address only after 60 s (§2.10)',
    scenario: 'scenarios/findings/restart-adopts-released-address.yaml',
  },
  {
    id: MAX_ENI_SOFT_CAP,
    title: 'MAX_ENI is a soft cap: an attached ENI missing from the datastore lets ipamd attach one more, then the reconcile adopts it',
    issues: 'none found',
    rule: 'hasRoomForEni counts datastore ENIs only (docs/ipamd-model.md §2.5); an ENI whose set-up failed at start is skipped (§2.1 f) or orphaned after an IMDS timeout (§8.2); the reconcile adopts every attached ENI it sees in IMDS without looking at MAX_ENI (§2.10 step 2)',
    scenario: 'scenarios/findings/max-eni-soft-cap.yaml',
  },
  {
    id: PRE_2954_TOPUP_FREEZE,
    title: 'Before v1.19.0 a partly filled ENI in an empty subnet blocks growth: ipamd only tops it up, freezes 120 s on the insufficient error and never tries a new ENI in another subnet',
    issues: 'aws/amazon-vpc-cni-k8s#2908 (fixed in v1.19.0 by PR #2954)',
    rule: 'CNI 1.18.x: step 1 tops up only the first allocatable ENI; an insufficient-capacity error there ends increaseDatastorePool and starts the 120 s freeze; step 2 (a new ENI) runs only when no ENI has a free slot (docs/ipamd-model.md §2.5 step 1, §2.9, §4.2, §4.7)',
    scenario: 'scenarios/inflate-pre-2954-1.18.yaml',
  },
];

/** A pod that shares an address, with the facts of the node it runs on (undefined when not known). */
export interface SharingPod {
  id: string;
  node: NodeFacts | undefined;
}

/** The ENI and CIDR on which the node's datastore holds `ip` for `pod` (the first address it holds for the pod when `ip` is undefined). */
function holding(n: NodeFacts | undefined, pod: string, ip?: string): { eniId: string; cidr: string } | undefined {
  for (const e of n?.ipamd?.datastore ?? []) {
    for (const c of e.cidrs) {
      for (const x of c.addresses) if (x.owner === pod && (ip === undefined || x.ip === ip)) return { eniId: e.id, cidr: c.cidr };
    }
  }
  return undefined;
}

/**
 * Why two pods share an address, when it is the known restart path: one pod's daemon was restarted and dropped that
 * pod's checkpoint entry for exactly this address (§3.7: its CIDR was unknown because IMDS lagged), and holds nothing
 * for it now; the other pod's daemon holds the address for the other pod. The two may run on one node (the dropped
 * address came back as free through the reconcile or the PrivateIpAddressLimitExceeded resync and went to a new pod)
 * or on two (it came back as free, the pool decrease released it to EC2 and EC2 assigned it to another node's ENI).
 */
export function classifySharedAddress(ip: string, a: SharingPod, b: SharingPod): string | undefined {
  const droppedFor = (p: SharingPod) => p.node?.ipamd?.droppedAllocations?.some((x) => x.ip === ip && x.pod === p.id) === true;
  for (const [lost, holder] of [[a, b], [b, a]]) {
    if (droppedFor(lost) && holding(lost.node, lost.id) === undefined && holding(holder.node, holder.id, ip) !== undefined) return RESTART_DROPS_ALLOCATION;
  }
  return undefined;
}

/**
 * Why two pods hold one address, when it is the stale-IMDS restart path: one pod's daemon holds the address for it
 * on an ENI where that daemon, at its (re)start, took the address (or its /28) from IMDS although EC2 no longer
 * listed it there; the other pod's daemon holds the address for the other pod on another ENI (EC2 assigned the
 * released address again, on this node or another).
 */
export function classifyAdoptedReleased(ip: string, a: SharingPod, b: SharingPod): string | undefined {
  for (const [stale, other] of [[a, b], [b, a]]) {
    const at = holding(stale.node, stale.id, ip);
    if (at === undefined) continue;
    const adopted = stale.node?.ipamd?.staleAtStart?.some((x) => x.eniId === at.eniId && (x.ip === ip || x.ip === at.cidr)) === true;
    const elsewhere = holding(other.node, other.id, ip);
    if (adopted && elsewhere !== undefined && elsewhere.eniId !== at.eniId) return RESTART_ADOPTS_RELEASED;
  }
  return undefined;
}

/** The shortfall warm-IP mode computes (§2.4 step 1), in addresses. */
function warmIpShort(n: NodeFacts): number {
  const s = n.ipamd!.settings;
  const c = poolCounts(n);
  return Math.max(s.warmIpTarget - c.availableIps, s.minimumIpTarget - c.totalIps, 0);
}

const NEW_ENI_ATTEMPT = new Set(['subnet-choice', 'eni-create', 'eni-create-failed']);

/**
 * cni#2908 by its cause, not its symptom: the daemon runs CNI 1.18.x (before #2954); the node has an ENI with a free
 * slot, and every such ENI sits in a subnet without room, so each top-up fails with an insufficient-capacity error;
 * the latest growth stall is that freeze, started by a top-up of one of those ENIs (a `pool-no-grow` with reason
 * `insufficient` naming the ENI), and no new ENI was attempted after it.
 */
function isPre2954TopUpFreeze(n: NodeFacts, room: GrowthRoom): boolean {
  const d = n.ipamd!;
  if (d.settings.cniEra !== '1.18.x' || room.free || room.topUp || !room.newEni) return false;
  const stuckEnis = new Set(allocatableEnis(n).map((e) => e.id));
  if (stuckEnis.size === 0) return false;
  const log = d.latestDecisions ?? d.decisions;
  let freezeAt = -1;
  for (let i = log.length - 1; i >= 0 && freezeAt < 0; i--) if (log[i].kind === 'pool-no-grow') freezeAt = i;
  if (freezeAt < 0) return false;
  const freeze = log[freezeAt].data ?? {};
  if (freeze.reason !== 'insufficient' || typeof freeze.eniId !== 'string' || !stuckEnis.has(freeze.eniId)) return false;
  for (let i = freezeAt + 1; i < log.length; i++) if (NEW_ENI_ATTEMPT.has(log[i].kind)) return false;
  return true;
}

/**
 * Why a node with a waiting pod does not grow, when the cause is a known rule of the real daemon; undefined when it
 * is not known (then the stuck pod is a liveness failure).
 */
export function classifyStuckNode(n: NodeFacts, room: GrowthRoom): string | undefined {
  const d = n.ipamd;
  if (d === undefined) return undefined;
  const s = d.settings;
  const warmIpMode = s.warmIpTarget > 0 || s.minimumIpTarget > 0;
  if (warmIpMode && s.warmIpTarget === 0 && room.counts.totalIps >= s.minimumIpTarget && !room.free) {
    return s.prefixDelegation ? MIN_IP_NO_WARM_PD : MIN_IP_NO_WARM_SIP;
  }
  if (isPre2954TopUpFreeze(n, room)) return PRE_2954_TOPUP_FREEZE;
  if (!room.free && !room.topUp && room.newEni) {
    // Only a new ENI could help: does any candidate subnet have room for the whole request?
    let fits: (free: number, blocks: number) => boolean;
    if (s.prefixDelegation) {
      const need = warmIpMode ? Math.max(1, Math.ceil(warmIpShort(n) / 16)) : Math.max(1, s.warmPrefixTarget);
      const ask = Math.min(need, s.maxCidrsPerEni);
      fits = (free, blocks) => free >= 1 && blocks >= ask;
    } else {
      const ask = warmIpMode ? Math.min(warmIpShort(n), s.maxCidrsPerEni) : s.maxCidrsPerEni;
      fits = (free) => free >= 1 + ask;
    }
    if (!room.candidates.some((c) => fits(c.freeAddresses, c.freePrefixBlocks))) return ENI_CREATE_ALL_OR_NOTHING;
  }
  return undefined;
}
