/**
 * Liveness: once every fault has healed, a pod waiting for an address on a node that can still give one (below its
 * limits, with room in a subnet it may use) gets an address within the derived bound (liveness-bound.ts).
 *
 * Judged per node as progress: from the moment a node is eligible with a waiting pod (or the faults healed, or a
 * waiting pod on it last got an address), some waiting pod must get an address within the bound. A node is eligible
 * when its EC2 instance runs, it is neither cordoned (unless AWS_MANAGE_ENIS_NON_SCHEDULABLE) nor terminating, its
 * aws-node is ready with provisioning on, no IAM denial is in force, it is below max pods (§2.4 step 0), and it has a
 * free pool address, an ENI to top up in a subnet with room, or room for another ENI in a valid subnet with room
 * (node-capacity.ts). A stuck node whose cause is a known rule of the real daemon is reported as that finding.
 */
import { classifyStuckNode } from './findings.ts';
import type { Invariant } from './invariant.ts';
import { livenessBound } from './liveness-bound.ts';
import { growthRoom } from './node-capacity.ts';
import type { NodeFacts, PodFacts, SubnetFacts, WorldView } from './view.ts';

const WAITING = new Set(['Pending', 'ContainerCreating']);

export function isWaiting(p: PodFacts): boolean {
  return !p.hostNetwork && p.node !== undefined && p.ip === undefined && WAITING.has(p.phase);
}

/** Whether the node can give a waiting pod an address by the daemon's rules; a reason when not. */
export function eligibility(n: NodeFacts, subnets: readonly SubnetFacts[], view: WorldView): string | undefined {
  if (n.state !== 'running') return `instance ${n.state}`;
  if (n.terminating) return 'terminating';
  const d = n.ipamd;
  if (d === undefined || d.state !== 'ready') return `aws-node ${d?.state ?? 'absent'}`;
  if (d.settings.provisioningDisabled) return 'provisioning disabled';
  if (n.cordoned && !d.settings.manageEnisNonSchedulable) return 'cordoned';
  if (view.faults().deniedActions.length > 0) return 'IAM denial in force';
  if (d.settings.ipv6) return undefined;
  const room = growthRoom(n, subnets);
  if (room.free) return undefined;
  if (!room.belowMaxPods) return 'at max pods';
  if (!room.topUp && !room.newEni) return 'at its limits or no subnet room';
  return undefined;
}

export const liveness: Invariant = {
  id: 'pod-gets-address',
  class: 'liveness',
  statement: 'a pod waiting on a node below its limits, whose usable subnets have room, gets an address within the bound',
  source: 'spec §2.2–§2.5, §2.9, §3.3, §8.2, §9.1 (derivation: docs/testing.md)',
  start() {
    /**
     * Per node: when the clock started, the pods waiting then, whether reported, and the last check at which a known
     * finding held (the node stuck by a rule of the real daemon, e.g. a subnet too small for a whole new ENI).
     */
    const perNode = new Map<string, { since: number; waiting: Set<string>; reported: boolean; findingAt?: number }>();
    return (view, report) => {
      const healedAt = view.faults().healedAt;
      if (healedAt === undefined || view.now < healedAt) {
        perNode.clear();
        return;
      }
      const waitingByNode = new Map<string, PodFacts[]>();
      for (const p of view.pods()) if (isWaiting(p)) waitingByNode.set(p.node!, [...(waitingByNode.get(p.node!) ?? []), p]);
      const subnets = view.subnets();
      const lat = view.latencyBounds();
      for (const n of view.nodes()) {
        const waiting = waitingByNode.get(n.name) ?? [];
        const ineligible = waiting.length === 0 ? 'no waiting pod' : eligibility(n, subnets, view);
        if (ineligible !== undefined) {
          perNode.delete(n.name);
          continue;
        }
        const ids = new Set(waiting.map((p) => p.id));
        let st = perNode.get(n.name);
        if (st === undefined) {
          st = { since: view.now, waiting: ids, reported: false };
          perNode.set(n.name, st);
        }
        // Progress: a pod that was waiting here no longer is (it got an address, or went away).
        for (const id of st.waiting) {
          if (!ids.has(id)) {
            st.since = view.now;
            st.reported = false;
            break;
          }
        }
        st.waiting = ids;
        const s = n.ipamd!.settings;
        const bound = livenessBound({
          ec2CallMaxMs: lat.ec2CallMaxMs,
          imdsLagMaxMs: lat.imdsLagMaxMs,
          ipCooldownMs: s.ipCooldownMs,
          maxEni: s.maxEni,
          subnetsTried: Math.max(1, subnets.length),
        }).totalMs;
        if (st.reported) continue;
        const room = growthRoom(n, subnets);
        const finding = classifyStuckNode(n, room);
        if (finding !== undefined) st.findingAt = view.now;
        // While a finding holds the node cannot progress by the daemon's rules; once it clears (the subnet got room)
        // the daemon gets the whole bound from then (a freeze the finding started may still run, §2.9): a finding
        // that holds past the bound is reported as that finding, a stall after it cleared as a failure.
        const from = finding === undefined && st.findingAt !== undefined ? Math.max(st.since, st.findingAt) : st.since;
        if (view.now - from > bound) {
          st.reported = true;
          const c = room.counts;
          report({
            node: n.name,
            finding,
            message:
              `${waiting.length} pod(s) waiting (${[...ids].slice(0, 3).join(', ')}${ids.size > 3 ? ', …' : ''}) for ${view.now - st.since}ms` +
              `${from > st.since ? ` (${view.now - from}ms since a known finding last held)` : ''} > bound ${bound}ms ` +
              `with TotalIPs ${c.totalIps}, assigned ${c.assignedIps}, ENIs ${c.datastoreEnis}/${s.maxEni}, maxPods ${s.maxPods}` +
              `${room.topUp ? ', an ENI can be topped up' : ''}${room.newEni ? ', a new ENI fits' : ''}`,
          });
        }
      }
    };
  },
};
