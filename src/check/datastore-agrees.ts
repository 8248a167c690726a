/**
 * Correctness: once faults have healed and the daemon's reconcile has had its turn, each ready ipamd's datastore
 * agrees with EC2 — the same attached managed ENIs, each with the same secondary IPs and /28 prefixes (spec §2.10:
 * the reconcile trusts EC2, adds what is missing and force-removes what EC2 no longer reports; §3.5 ENI classes).
 *
 * Between reconciles the two legitimately differ for a while (a release leaves the datastore before the EC2 call,
 * §2.6; a new ENI waits for IMDS, and one whose wait gave up is orphaned until the next reconcile, §8.2, §2.10), so a
 * difference fails only when it outlives AGREE_WINDOW_MS with faults healed.
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

/**
 * How long a difference may last once faults have healed: the IMDS wait an ENI creation may spend before giving up
 * (≈162 s + 15 % jitter, §8.2), then the reconcile's > 60 s gate and its pass (§2.10), with a minute to spare.
 */
export const AGREE_WINDOW_MS = 187_000 + 65_000 + 60_000;

export const datastoreAgrees: Invariant = {
  id: 'datastore-agrees-with-ec2',
  class: 'safety',
  statement: "after ipamd's reconcile its datastore agrees with EC2",
  source: 'spec §2.10, §3.5, §8.2',
  start() {
    /** When each difference was first seen (healed phase only). */
    const since = new Map<string, number>();
    return (view, report) => {
      const healedAt = view.faults().healedAt;
      if (healedAt === undefined) {
        since.clear();
        return;
      }
      const enis = view.enis();
      const now = new Set<string>();
      for (const n of view.nodes()) {
        if (n.state !== 'running' || n.ipamd?.state !== 'ready' || n.ipamd.settings.ipv6) continue;
        for (const line of datastoreDiff(n, enis)) {
          const key = `${n.name}|${n.ipamd.incarnation}|${line}`;
          now.add(key);
          const first = since.get(key) ?? view.now;
          since.set(key, first);
          if (view.now - first > AGREE_WINDOW_MS) report({ node: n.name, message: `${line} for more than ${AGREE_WINDOW_MS / 1000} s` });
        }
      }
      for (const k of since.keys()) if (!now.has(k)) since.delete(k);
    };
  },
};
