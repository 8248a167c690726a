/**
 * Safety: ENIs per instance stay within the instance type's ENILimit (EC2) and ipamd's datastore within maxENI
 * (= min(MAX_ENI, ENILimit), spec glossary and §2.5 hasRoomForEni); addresses/prefix slots per ENI stay within
 * IPv4Limit − 1 (EC2) and the daemon's per-ENI CIDR limit (maxIPsPerENI / maxPrefixesPerENI, §2.5, §5).
 * MAX_ENI binds only the pool's ENI creation: a datastore above maxENI through ENIs set up at start or adopted by the
 * reconcile is the finding `max-eni-soft-cap`; ENIs above the EC2 limit are always a failure.
 */
import { eniSlots } from './addresses.ts';
import { MAX_ENI_SOFT_CAP, RESTART_ADOPTS_RELEASED } from './findings.ts';
import type { Invariant } from './invariant.ts';
import type { DecisionFacts } from './view.ts';

export const eniLimits: Invariant = {
  id: 'eni-limits',
  class: 'safety',
  statement: 'ENIs per node ≤ the instance limit and MAX_ENI; addresses or prefix slots per ENI ≤ the limit',
  source: 'spec glossary (maxENI), §2.5, §5',
  start() {
    /** Per node and daemon incarnation: the last decision read. */
    const tracked = new Map<string, { incarnation: number; last?: DecisionFacts }>();
    return (view, report) => {
      const attached = new Map<string, number>();
      for (const e of view.enis()) {
        if (e.instanceId !== undefined) attached.set(e.instanceId, (attached.get(e.instanceId) ?? 0) + 1);
      }
      const limits = new Map(view.nodes().map((n) => [n.instanceId, n]));
      for (const e of view.enis()) {
        const n = e.instanceId === undefined ? undefined : limits.get(e.instanceId);
        if (n?.ipv4PerEni !== undefined && eniSlots(e) > n.ipv4PerEni - 1) {
          report({ node: n.name, message: `${e.id} has ${eniSlots(e)} secondary IPs + prefixes > IPv4Limit − 1 = ${n.ipv4PerEni - 1}` });
        }
      }
      for (const n of view.nodes()) {
        const count = attached.get(n.instanceId) ?? 0;
        if (n.eniLimit !== undefined && count > n.eniLimit) {
          report({ node: n.name, message: `${count} ENIs attached > ENILimit ${n.eniLimit} of ${n.instanceType}` });
        }
        const d = n.ipamd;
        if (d === undefined) continue;
        // MAX_ENI binds the pool loop (hasRoomForEni, §2.5): an ENI the pool created while the datastore was
        // already at maxENI is a failure. ENIs that entered otherwise — set up at start (§2.1 f) or adopted by the
        // reconcile (§2.10 step 2), neither of which looks at MAX_ENI — make the finding max-eni-soft-cap.
        let a = tracked.get(n.name);
        if (a === undefined || a.incarnation !== d.incarnation) {
          a = { incarnation: d.incarnation };
          tracked.set(n.name, a);
        }
        const log = d.decisions;
        let from = a.last === undefined ? 0 : log.lastIndexOf(a.last) + 1;
        if (a.last !== undefined && from === 0) from = Math.max(0, log.findIndex((r) => r.t > a!.last!.t));
        const over = d.datastore.length > d.settings.maxEni;
        for (let k = from; k < log.length; k++) {
          const r = log[k];
          // The decision follows the ENI's set-up at once (§2.5 step 2): the datastore now includes it.
          if (over && r.kind === 'eni-create' && typeof r.data?.eniId === 'string' && d.datastore.some((e) => e.id === r.data!.eniId)) {
            report({ node: n.name, message: `the pool created ${r.data.eniId} although the datastore held ${d.datastore.length - 1} ENIs ≥ maxENI ${d.settings.maxEni}` });
          }
        }
        if (log.length > 0) a.last = log[log.length - 1];
        if (over) {
          report({
            node: n.name,
            finding: MAX_ENI_SOFT_CAP,
            message: `datastore holds ${d.datastore.length} ENIs > maxENI ${d.settings.maxEni}: ENIs set up at start or adopted by the reconcile`,
          });
        }
        for (const e of d.datastore) {
          if (e.cidrs.length > d.settings.maxCidrsPerEni && !e.trunk) {
            // over only by CIDRs nodeInit took from IMDS that EC2 had already released: the stale-IMDS restart finding
            const stale = new Set((d.staleAtStart ?? []).filter((x) => x.eniId === e.id).map((x) => x.ip));
            const staleHeld = e.cidrs.filter((c) => stale.has(c.cidr) || stale.has(c.cidr.replace(/\/32$/, ''))).length;
            const finding = e.cidrs.length - staleHeld <= d.settings.maxCidrsPerEni ? RESTART_ADOPTS_RELEASED : undefined;
            report({ node: n.name, finding, message: `datastore ENI ${e.id} has ${e.cidrs.length} CIDRs > per-ENI limit ${d.settings.maxCidrsPerEni}` });
          }
        }
      }
    };
  },
};
