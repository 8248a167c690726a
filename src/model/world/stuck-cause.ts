/**
 * Why a pod is not Running, as one label a report can count (user-scenarios §B.1 #1: "a per-pod cause label"):
 * 'subnet empty', 'ENI limit', 'max pods', 'cooldown', 'throttled', 'waiting for IMDS', 'no /28 block',
 * 'node not Ready', 'ipamd not ready', 'unschedulable', 'unknown'. A pure reading of the pod, its last scheduling
 * message, the CNI error and the node ipamd's recent decisions (newest first); the first decisive clue wins.
 * Not a model of anything: it only explains what the models already did.
 */
import { ERR_NOT_READY, type DecisionRecord } from '../ipamd/types.ts';
import { REASON_TOO_MANY_PODS } from '../k8s/scheduler.ts';
import type { Pod } from '../k8s/types.ts';

export type StuckCause =
  | 'subnet empty'
  | 'ENI limit'
  | 'max pods'
  | 'cooldown'
  | 'throttled'
  | 'waiting for IMDS'
  | 'no /28 block'
  | 'node not Ready'
  | 'ipamd not ready'
  | 'unschedulable'
  | 'unknown';

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
    default:
      return undefined;
  }
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
        const c = byCode(data.code);
        if (c !== undefined) return c;
        if (/metadata|IMDS/i.test(d.message)) return 'waiting for IMDS';
        break;
      }
      case 'pool-no-grow': {
        if (data.reason === 'max-eni') return 'ENI limit';
        if (data.reason === 'max-pods') return 'max pods';
        const c = byCode(data.code);
        if (c !== undefined) return c;
        break;
      }
      case 'ec2-error': {
        const c = byCode(data.code);
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
