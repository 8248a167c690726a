/**
 * Why a pod is not Running, as one label a report can count (user-scenarios §B.1 #1: "a per-pod cause label"): one of
 * STUCK_CAUSE_LABELS. A pure reading of the pod, its last scheduling message, the CNI error and the node ipamd's
 * recent decisions (newest first) plus the newest decision of each kind (kept by the daemon even when a long freeze has
 * pushed it out of the recent ones); the first decisive clue wins.
 * Not a model of anything: it only explains what the models already did.
 */
import { MSG_NO_VALID_SUBNETS, MSG_PRIMARY_EXCLUDED, MSG_PRIMARY_EXCLUDED_NO_DISCOVERY } from '../ipamd/subnet-discovery.ts';
import { ERR_NOT_READY, type DecisionRecord } from '../ipamd/types.ts';
import { REASON_TOO_MANY_PODS } from '../k8s/scheduler.ts';
import type { Pod } from '../k8s/types.ts';

/** Every label, in the order documentation lists them (the scenario format's `stuck: { cause }` accepts these). */
export const STUCK_CAUSE_LABELS = [
  'subnet empty',
  'ENI limit',
  'max pods',
  'cooldown',
  'throttled',
  'waiting for IMDS',
  'no /28 block',
  'missing IAM permission',
  'no valid subnet',
  'node not Ready',
  'ipamd not ready',
  'unschedulable',
  'unknown',
] as const;

export type StuckCause = (typeof STUCK_CAUSE_LABELS)[number];

/** EC2 calls on the way to a new address (§2.5, §4.1, §8.2): an UnauthorizedOperation on one of them stops growth. */
const GROWTH_APIS = new Set([
  'AssignPrivateIpAddresses',
  'CreateNetworkInterface',
  'AttachNetworkInterface',
  'DescribeSubnets',
  'DescribeInstances',
  'ModifyNetworkInterfaceAttribute',
]);

/** §4.1 steps 5–7: ENI creation refused because no subnet may be used. */
const NO_VALID_SUBNET = new Set([MSG_NO_VALID_SUBNETS, MSG_PRIMARY_EXCLUDED, MSG_PRIMARY_EXCLUDED_NO_DISCOVERY]);

/**
 * The decisions to read: the ring, preceded by the newest record of each kind that has dropped out of it (those are
 * older than everything in the ring). Records are matched by identity, as the daemon hands out the same objects.
 */
export function withLatestOfEachKind(ring: readonly DecisionRecord[], latest: readonly DecisionRecord[] | undefined): readonly DecisionRecord[] {
  if (latest === undefined || latest.length === 0) return ring;
  const inRing = new Set(ring);
  const dropped = latest.filter((r) => !inRing.has(r));
  return dropped.length === 0 ? ring : [...dropped, ...ring];
}

function byCode(code: unknown): StuckCause | undefined {
  switch (code) {
    case 'InsufficientFreeAddressesInSubnet':
      return 'subnet empty';
    case 'InsufficientCidrBlocks':
      return 'no /28 block';
    case 'AttachmentLimitExceeded':
    case 'PrivateIpAddressLimitExceeded':
      return 'ENI limit';
    case 'RequestLimitExceeded':
      return 'throttled';
    case 'UnauthorizedOperation':
      return 'missing IAM permission';
    default:
      return undefined;
  }
}

/** A failed ENI creation or growth step whose message says why (no code of its own, e.g. §4.1 step 6's abort). */
function byMessage(message: unknown): StuckCause | undefined {
  if (typeof message !== 'string') return undefined;
  if (NO_VALID_SUBNET.has(message)) return 'no valid subnet';
  if (/\bUnauthorizedOperation\b/.test(message)) return 'missing IAM permission';
  return undefined;
}

/** The cause from a node's decision log (newest last in `decisions`); undefined when nothing explains it. */
export function causeFromDecisions(decisions: readonly DecisionRecord[], lookback = 400): StuckCause | undefined {
  let sawAssignFailure = false;
  for (let i = decisions.length - 1, n = 0; i >= 0 && n < lookback; i--, n++) {
    const d = decisions[i];
    const data = d.data ?? {};
    switch (d.kind) {
      case 'assign-failed':
        if (!sawAssignFailure && data.reason === 'cooldown') return 'cooldown';
        sawAssignFailure = true;
        break;
      case 'eni-create-failed': {
        const c = byCode(data.code) ?? byMessage(data.message) ?? byMessage(d.message);
        if (c !== undefined) return c;
        if (/metadata|IMDS/i.test(d.message)) return 'waiting for IMDS';
        break;
      }
      case 'pool-no-grow': {
        if (data.reason === 'max-eni') return 'ENI limit';
        if (data.reason === 'max-pods') return 'max pods';
        const c = byCode(data.code) ?? byMessage(data.message);
        if (c !== undefined) return c;
        break;
      }
      case 'subnet-choice':
        if (data.chosen === undefined && Array.isArray(data.candidates) && data.candidates.length === 0) return 'no valid subnet';
        break;
      case 'ec2-error': {
        const c = byCode(data.code);
        if (c === 'missing IAM permission' && !GROWTH_APIS.has(String(data.api))) break;
        if (c !== undefined) return c;
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}

export interface StuckContext {
  /** Some node is Ready (and schedulable). */
  anyNodeReady: boolean;
  /** The pod's node has addresses on its ENIs that ipamd has not picked up yet (IMDS lag). */
  addressesInFlight: boolean;
  decisions: readonly DecisionRecord[];
}

/** Undefined for Running and Terminating pods, and for pods that have not failed anything yet. */
export function stuckCause(pod: Pod, ctx: StuckContext): StuckCause | undefined {
  const status = pod.status;
  if (status === 'Running' || status === 'Terminating') return undefined;
  if (status === 'Pending') {
    const last = [...pod.events.events].reverse().find((e) => e.reason === 'FailedScheduling');
    if (last === undefined) return ctx.anyNodeReady ? undefined : 'node not Ready';
    if (!ctx.anyNodeReady) return 'node not Ready';
    return last.message.includes(REASON_TOO_MANY_PODS) ? 'max pods' : 'unschedulable';
  }
  if (pod.lastCniError === undefined) return undefined;
  if (pod.lastCniError === ERR_NOT_READY) return 'ipamd not ready';
  if (ctx.addressesInFlight) return 'waiting for IMDS';
  return causeFromDecisions(ctx.decisions) ?? 'unknown';
}
