/**
 * Correctness: once faults have healed and the daemon's reconcile has had its turn, each ready ipamd's datastore
 * agrees with EC2 — the same attached managed ENIs, each with the same secondary IPs and /28 prefixes (spec §2.10:
 * the reconcile trusts EC2, adds what is missing and force-removes what EC2 no longer reports; §3.5 ENI classes).
 *
 * Between reconciles the two legitimately differ for a while (a release leaves the datastore before the EC2 call,
 * §2.6; a new ENI waits for IMDS, and one whose wait gave up is orphaned until the next reconcile, §8.2, §2.10), and
 * a reconcile sees EC2 only through IMDS and skips CIDRs released < 60 s ago (§8.6). So a difference fails when a
 * reconcile pass that started once the difference had settled (settleMs) has completed — by the daemon's own pass
 * markers (view.ts PassFacts): past the > 60 s gate, every step run, no EC2 failure meanwhile — and the difference is
 * still there. A daemon whose reconcile never gets its turn is not judged here. Faults must have healed.
 */
import { formatIpv4 } from '../model/vpc/ipv4.ts';
import type { Invariant } from './invariant.ts';
import type { EniFacts, NodeFacts } from './view.ts';

const NO_MANAGE = 'node.k8s.amazonaws.com/no_manage';

/** Differences between one node's datastore and EC2, one stable line per ENI or CIDR (empty when they agree). */
export function datastoreDiff(n: NodeFacts, enis: readonly EniFacts[]): string[] {
  const d = n.ipamd;
  if (d === undefined) return [];
  const out: string[] = [];
  const attached = enis.filter(
    (e) => e.instanceId === n.instanceId && e.status === 'in-use' && e.tags[NO_MANAGE] !== 'true' && e.interfaceType !== 'efa-only',
  );
  const ds = new Map(d.datastore.map((e) => [e.id, e]));
  for (const e of attached) {
    const de = ds.get(e.id);
    if (de === undefined) {
      out.push(`${e.id} is attached in EC2 but not in the datastore`);
      continue;
    }
    const want = new Set([...e.secondaryIps.map((ip) => `${formatIpv4(ip)}/32`), ...e.prefixes.map((p) => `${formatIpv4(p)}/28`)]);
    const have = new Set(de.cidrs.map((c) => (c.cidr.includes('/') ? c.cidr : `${c.cidr}/32`)));
    for (const c of want) if (!have.has(c)) out.push(`${e.id}: EC2 holds ${c}, the datastore does not`);
    for (const c of have) if (!want.has(c)) out.push(`${e.id}: the datastore holds ${c}, EC2 does not`);
  }
  const attachedIds = new Set(attached.map((e) => e.id));
  for (const e of d.datastore) if (!attachedIds.has(e.id)) out.push(`datastore ENI ${e.id} is not attached in EC2`);
  return out;
}

/** The reconcile's re-add cooldown: a CIDR released less than 60 s ago is not re-added (spec §2.6, §8.6; ipamd core.ts T.reconcileCooldownMs). */
export const READD_COOLDOWN_MS = 60_000;

/**
 * How long after a difference is first seen a reconcile may still legitimately miss it: until IMDS shows EC2's state
 * (the worst IMDS lag in force so far — a change drawn under a faulted lag may still be on its way, §8.6) and the
 * re-add cooldown of a released CIDR is over. A complete reconcile pass that starts after that must fix it (§2.10).
 */
export function settleMs(imdsLagMaxMs: number): number {
  return imdsLagMaxMs + READD_COOLDOWN_MS;
}

export const datastoreAgrees: Invariant = {
  id: 'datastore-agrees-with-ec2',
  class: 'safety',
  statement: "after ipamd's reconcile its datastore agrees with EC2",
  source: 'spec §2.10, §3.5, §8.2, §8.6',
  start() {
    /**
     * Each difference (healed phase only): when first seen and, once it has settled, the reconcile passes started
     * by then — a pass with a higher ordinal that completes must have fixed it.
     */
    const since = new Map<string, { first: number; after?: number }>();
    return (view, report) => {
      const faults = view.faults();
      if (faults.healedAt === undefined) {
        since.clear();
        return;
      }
      const enis = view.enis();
      const now = new Set<string>();
      let settle: number | undefined;
      for (const n of view.nodes()) {
        const passes = n.ipamd?.passes;
        if (n.state !== 'running' || n.ipamd?.state !== 'ready' || n.ipamd.settings.ipv6 || passes === undefined) continue;
        for (const line of datastoreDiff(n, enis)) {
          const key = `${n.name}|${n.ipamd.incarnation}|${line}`;
          now.add(key);
          let st = since.get(key);
          if (st === undefined) {
            st = { first: view.now };
            since.set(key, st);
          }
          if (st.after === undefined) {
            settle ??= settleMs(faults.imdsLagMaxMs ?? view.latencyBounds().imdsLagMaxMs);
            if (view.now - st.first >= settle) st.after = passes.reconcile;
          } else if (passes.reconcileCompleted > st.after) {
            report({ node: n.name, message: `${line} after a complete reconcile pass (difference seen since t=${st.first}ms)` });
          }
        }
      }
      for (const k of since.keys()) if (!now.has(k)) since.delete(k);
    };
  },
};
