/**
 * The datastore's running tallies: per CIDR kind, the CIDRs, addresses, assigned, cooling, assignable and empty
 * CIDRs, summed per ENI and for the whole datastore, so that GetIPStats and the pool policy's ENI summaries read sums
 * instead of walking CIDRs; the datastore's count of changes; the ENI record whose `excluded` flag moves its tally in
 * or out of the pool's; the per-ENI summary the pool policy reads. Not here: when a CIDR's share is counted (the
 * datastore's `count`, datastore.ts), what the policy does with a summary (pool-policy.ts).
 */
import type { CidrInfo, CidrKind, DsEni, DsEniInit, DsMode, KindTally, Tally } from './datastore-types.ts';
import type { EniSummary } from './pool-policy.ts';

const KINDS: readonly CidrKind[] = ['secondary', 'prefix', 'v6'];
const FIELDS = ['cidrs', 'addresses', 'assigned', 'cooling', 'assignable', 'empty'] as const;

const kindTally = (): KindTally => ({ cidrs: 0, addresses: 0, assigned: 0, cooling: 0, assignable: 0, empty: 0 });
export const emptyTally = (): Tally => ({ secondary: kindTally(), prefix: kindTally(), v6: kindTally() });

/** Whether assign can take an address from this CIDR: one never handed out, or a released one out of cooldown. */
export const canAssignFrom = (c: CidrInfo) => c.addresses.size < c.size || c.addresses.size > c.assigned + c.cooling;

/** Adds (sign 1) or takes back (−1) one CIDR's share of a tally. */
export function addShare(t: KindTally, c: CidrInfo, sign: 1 | -1): void {
  t.cidrs += sign;
  t.addresses += sign * c.size;
  t.assigned += sign * c.assigned;
  t.cooling += sign * c.cooling;
  if (c.assignable) t.assignable += sign;
  if (c.assigned === 0) t.empty += sign;
}

function addTally(to: Tally, from: Tally, sign: 1 | -1): void {
  for (const k of KINDS) for (const f of FIELDS) to[k][f] += sign * from[k][f];
}

/** The datastore's count of changes, who is to hear of the next one, and who hears of every one. */
export class Edits {
  n = 0;
  onNext: (() => void) | undefined = undefined;
  watcher: (() => void) | undefined = undefined;

  bump(): void {
    this.n++;
    this.watcher?.();
    const f = this.onNext;
    if (f !== undefined) {
      this.onNext = undefined;
      f();
    }
  }
}

/** A datastore ENI; `excluded` is an accessor so that the datastore's pool tally leaves out excluded ENIs. */
export class Eni implements DsEni {
  readonly id: string;
  readonly primary: boolean;
  readonly trunk: boolean;
  readonly efa: boolean;
  readonly deviceNumber: number;
  readonly subnetId: string;
  readonly createTime: number;
  readonly cidrs = new Map<string, CidrInfo>();
  readonly v6Cidrs = new Map<string, CidrInfo>();
  readonly tally = emptyTally();
  private isExcluded: boolean;

  constructor(
    init: DsEniInit,
    /** The datastore's tally over ENIs that are not excluded. */
    private readonly pool: Tally,
    /** The datastore's count of changes (see `Datastore.changes`). */
    private readonly edits: Edits,
  ) {
    this.id = init.id;
    this.primary = init.primary;
    this.trunk = init.trunk;
    this.efa = init.efa;
    this.deviceNumber = init.deviceNumber;
    this.subnetId = init.subnetId;
    this.createTime = init.createTime;
    this.isExcluded = init.excluded;
  }

  get excluded(): boolean {
    return this.isExcluded;
  }

  /** (Once the ENI left the datastore its tally is all zeros, so a flip then changes nothing.) */
  set excluded(x: boolean) {
    if (x === this.isExcluded) return;
    this.isExcluded = x;
    this.edits.bump();
    addTally(this.pool, this.tally, x ? -1 : 1);
  }
}

/** Per-ENI view for the pool policy (current-mode CIDRs for address counts; all CIDRs for slots). */
export function eniSummary(e: DsEni, mode: DsMode, now: number): EniSummary {
  const { secondary, prefix } = e.tally;
  // modeMatches: PD counts prefixes, SIP (and IPv6 mode) /32s
  const t = mode === 'pd' ? prefix : secondary;
  return {
    id: e.id,
    primary: e.primary,
    excluded: e.excluded,
    trunk: e.trunk,
    efa: e.efa,
    cidrs: secondary.cidrs + prefix.cidrs,
    totalIps: t.addresses,
    assignedIps: t.assigned,
    cooldownIps: t.cooling,
    pods: secondary.assigned + prefix.assigned,
    anyCooldown: secondary.cooling + prefix.cooling,
    prefixes: prefix.cidrs,
    freePrefixes: prefix.empty,
    freeCidrs: secondary.empty + prefix.empty,
    ageMs: now - e.createTime,
  };
}
