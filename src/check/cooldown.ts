/**
 * Safety: a freed address is not handed to another pod within IP_COOLDOWN_PERIOD (docs/ipamd-model.md §3.2 step 3, §3.3).
 *
 * The daemon's rule is per datastore: an address whose CIDR stays in the datastore after its pod's DEL is skipped
 * by assignment until the cooldown has passed. Breaking that is a safety violation. Two paths of the real daemon hand
 * an address out sooner and are recorded as the finding `cooldown-bypass`, not as failures:
 *   - the decrease path releases free CIDRs to EC2 without protecting cooldown addresses (§2.6), and EC2 may give
 *     the address straight back (to this node or another one);
 *   - the checkpoint keeps no UnassignedTime (§3.7), so an ipamd restart forgets every cooldown.
 * History is kept from one check to the next; the checker must run after every event to be exact. An address that
 * sits on two ENIs of one datastore at once has no single history: while so it is left to the pod-addresses check
 * (which reports it, as a failure or as the restart-adopts-released-address finding), and its history here starts
 * again once one copy is left.
 */
import type { Invariant } from './invariant.ts';

interface Seen {
  cidr: string;
  owner: string | undefined;
  freedAt?: number;
  freedOwner?: string;
}

export const COOLDOWN_BYPASS = 'cooldown-bypass';

export const cooldown: Invariant = {
  id: 'ip-cooldown',
  class: 'safety',
  statement: 'a freed address is not handed to another pod within IP_COOLDOWN_PERIOD',
  source: 'docs/ipamd-model.md §3.2, §3.3 (bypasses: §2.6, §3.7)',
  start() {
    /** Per node: daemon incarnation and what was last seen of every address it touched. */
    const perNode = new Map<string, { incarnation: number; seen: Map<string, Seen> }>();
    /** Cluster-wide: addresses that lost their pod and then left a datastore (or the daemon restarted). */
    const freed = new Map<string, { t: number; owner: string; cooldownMs: number }>();
    return (view, report) => {
      const now = view.now;
      const checkFresh = (ip: string, owner: string, node: string): void => {
        const f = freed.get(ip);
        if (f === undefined) return;
        freed.delete(ip);
        if (f.owner !== owner && now - f.t < f.cooldownMs) {
          report({
            node,
            finding: COOLDOWN_BYPASS,
            message: `${ip} freed by ${f.owner} at t=${f.t}ms reached ${owner} after ${now - f.t}ms, through a release to EC2 or an ipamd restart (docs/ipamd-model.md §2.6, §3.7)`,
          });
        }
      };
      const forget = (ip: string, s: Seen, cool: number): void => {
        if (s.owner !== undefined) freed.set(ip, { t: now, owner: s.owner, cooldownMs: cool });
        else if (s.freedAt !== undefined && s.freedOwner !== undefined) freed.set(ip, { t: s.freedAt, owner: s.freedOwner, cooldownMs: cool });
      };
      for (const n of view.nodes()) {
        const d = n.ipamd;
        if (d === undefined) continue;
        const cool = d.settings.ipCooldownMs;
        let st = perNode.get(n.name);
        if (st !== undefined && st.incarnation !== d.incarnation) {
          for (const [ip, s] of st.seen) forget(ip, s, cool);
          st = undefined;
        }
        if (st === undefined) {
          st = { incarnation: d.incarnation, seen: new Map() };
          perNode.set(n.name, st);
        }
        const present = new Set<string>();
        const listed = new Set<string>();
        const twice = new Set<string>();
        for (const e of d.datastore) for (const c of e.cidrs) for (const a of c.addresses) (listed.has(a.ip) ? twice : listed).add(a.ip);
        for (const e of d.datastore) {
          for (const c of e.cidrs) {
            present.add(c.cidr);
            for (const a of c.addresses) {
              if (twice.has(a.ip)) {
                st.seen.delete(a.ip); // its history starts again once one copy is left
                continue;
              }
              const prev = st.seen.get(a.ip);
              if (prev === undefined) {
                st.seen.set(a.ip, { cidr: c.cidr, owner: a.owner });
                if (a.owner !== undefined) checkFresh(a.ip, a.owner, n.name);
                continue;
              }
              if (prev.owner !== undefined && a.owner !== prev.owner) {
                prev.freedAt = now;
                prev.freedOwner = prev.owner;
              }
              if (a.owner !== undefined && a.owner !== prev.owner) {
                if (prev.freedAt === undefined) {
                  checkFresh(a.ip, a.owner, n.name);
                } else {
                  if (prev.freedOwner !== a.owner && now - prev.freedAt < cool) {
                    report({
                      node: n.name,
                      message: `${a.ip} freed by ${prev.freedOwner} at t=${prev.freedAt}ms was given to ${a.owner} after ${now - prev.freedAt}ms < IP_COOLDOWN_PERIOD ${cool}ms`,
                    });
                  }
                  freed.delete(a.ip);
                }
              }
              prev.owner = a.owner;
            }
          }
        }
        for (const [ip, s] of st.seen) {
          if (listed.has(ip)) continue;
          if (present.has(s.cidr)) {
            // Still in the pool but no longer listed (purged after its cooldown): unassigned.
            if (s.owner !== undefined) {
              s.freedAt = now;
              s.freedOwner = s.owner;
              s.owner = undefined;
            }
            continue;
          }
          forget(ip, s, cool);
          st.seen.delete(ip);
        }
      }
    };
  },
};
