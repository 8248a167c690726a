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
import type { Invariant, Report } from './invariant.ts';
import type { IpamdFacts, WorldView } from './view.ts';

interface Seen {
  cidr: string;
  owner: string | undefined;
  freedAt?: number;
  freedOwner?: string;
}

/** One daemon incarnation's memory: what was last seen of every address it touched. */
interface NodeHistory {
  incarnation: number;
  seen: Map<string, Seen>;
}

type Reporter = (r: Report) => void;

export const COOLDOWN_BYPASS = 'cooldown-bypass';

/** The history of one run, moved on by one check after every event. */
class CooldownHistory {
  /** Per node: daemon incarnation and what was last seen of every address it touched. */
  private readonly perNode = new Map<string, NodeHistory>();
  /** Cluster-wide: addresses that lost their pod and then left a datastore (or the daemon restarted). */
  private readonly freed = new Map<string, { t: number; owner: string; cooldownMs: number }>();

  check(view: WorldView, report: Reporter): void {
    const now = view.now;
    for (const n of view.nodes()) {
      const d = n.ipamd;
      if (d === undefined) continue;
      const cool = d.settings.ipCooldownMs;
      const st = this.historyOf(n.name, d.incarnation, cool, now);
      const present = new Set<string>();
      const listed = new Set<string>();
      const twice = new Set<string>();
      for (const e of d.datastore) for (const c of e.cidrs) for (const a of c.addresses) (listed.has(a.ip) ? twice : listed).add(a.ip);
      this.observeDatastore(d, st, present, twice, n.name, cool, now, report);
      this.sweepUnlisted(st, listed, present, cool, now);
    }
  }

  /** The node's history, started afresh (its addresses forgotten into `freed`) when the daemon restarted. */
  private historyOf(node: string, incarnation: number, cool: number, now: number): NodeHistory {
    let st = this.perNode.get(node);
    if (st !== undefined && st.incarnation !== incarnation) {
      for (const [ip, s] of st.seen) this.forget(ip, s, cool, now);
      st = undefined;
    }
    if (st === undefined) {
      st = { incarnation, seen: new Map() };
      this.perNode.set(node, st);
    }
    return st;
  }

  /** Walks every listed address once, noting which CIDRs are present and checking each change of owner. */
  private observeDatastore(
    d: IpamdFacts,
    st: NodeHistory,
    present: Set<string>,
    twice: Set<string>,
    node: string,
    cool: number,
    now: number,
    report: Reporter,
  ): void {
    for (const e of d.datastore) {
      for (const c of e.cidrs) {
        present.add(c.cidr);
        for (const a of c.addresses) {
          if (twice.has(a.ip)) {
            st.seen.delete(a.ip); // its history starts again once one copy is left
            continue;
          }
          this.observeAddress(st, a.ip, c.cidr, a.owner, node, cool, now, report);
        }
      }
    }
  }

  /** One address as listed now against what was seen of it before. */
  private observeAddress(st: NodeHistory, ip: string, cidr: string, owner: string | undefined, node: string, cool: number, now: number, report: Reporter): void {
    const prev = st.seen.get(ip);
    if (prev === undefined) {
      st.seen.set(ip, { cidr, owner });
      if (owner !== undefined) this.checkFresh(ip, owner, node, now, report);
      return;
    }
    if (prev.owner !== undefined && owner !== prev.owner) {
      prev.freedAt = now;
      prev.freedOwner = prev.owner;
    }
    if (owner !== undefined && owner !== prev.owner) {
      if (prev.freedAt === undefined) {
        this.checkFresh(ip, owner, node, now, report);
      } else {
        if (prev.freedOwner !== owner && now - prev.freedAt < cool) {
          report({
            node,
            message: `${ip} freed by ${prev.freedOwner} at t=${prev.freedAt}ms was given to ${owner} after ${now - prev.freedAt}ms < IP_COOLDOWN_PERIOD ${cool}ms`,
          });
        }
        this.freed.delete(ip);
      }
    }
    prev.owner = owner;
  }

  /** Addresses seen before but no longer listed: unassigned if their CIDR is still held, else gone from the datastore. */
  private sweepUnlisted(st: NodeHistory, listed: Set<string>, present: Set<string>, cool: number, now: number): void {
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
      this.forget(ip, s, cool, now);
      st.seen.delete(ip);
    }
  }

  /** A newly owned address that another pod freed (cluster-wide) within the cooldown: the bypass finding. */
  private checkFresh(ip: string, owner: string, node: string, now: number, report: Reporter): void {
    const f = this.freed.get(ip);
    if (f === undefined) return;
    this.freed.delete(ip);
    if (f.owner !== owner && now - f.t < f.cooldownMs) {
      report({
        node,
        finding: COOLDOWN_BYPASS,
        message: `${ip} freed by ${f.owner} at t=${f.t}ms reached ${owner} after ${now - f.t}ms, through a release to EC2 or an ipamd restart (docs/ipamd-model.md §2.6, §3.7)`,
      });
    }
  }

  /** An address leaving its datastore: remembered cluster-wide as freed, by its owner now or its last one. */
  private forget(ip: string, s: Seen, cool: number, now: number): void {
    if (s.owner !== undefined) this.freed.set(ip, { t: now, owner: s.owner, cooldownMs: cool });
    else if (s.freedAt !== undefined && s.freedOwner !== undefined) this.freed.set(ip, { t: s.freedAt, owner: s.freedOwner, cooldownMs: cool });
  }
}

export const cooldown: Invariant = {
  id: 'ip-cooldown',
  class: 'safety',
  statement: 'a freed address is not handed to another pod within IP_COOLDOWN_PERIOD',
  source: 'docs/ipamd-model.md §3.2, §3.3 (bypasses: §2.6, §3.7)',
  start() {
    const history = new CooldownHistory();
    return (view, report) => history.check(view, report);
  },
};
