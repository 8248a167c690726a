/**
 * Where assign takes an address from (§3.2, §3.3): a random ENI and a random CIDR among those that can give one
 * (Go map order, modelled as a seeded choice in datastore order), and the free address in that CIDR — a released one
 * out of cooldown first, else the first never handed out. Pure reads of the records plus the purge of stale entries;
 * the assignment itself and the tallies are datastore.ts.
 */
import type { Random } from '../../sim/index.ts';
import { formatIpv4 } from '../vpc/ipv4.ts';
import { formatIpv6 } from '../vpc/ipv6.ts';
import type { AddressInfo, CidrInfo, CidrKind, DsEni } from './datastore-types.ts';

/** §3.3: an unassigned address is in cooldown for IP_COOLDOWN_PERIOD after release (inclusive). */
export function inCooldown(a: AddressInfo, now: number, cooldownMs: number): boolean {
  return a.key === undefined && a.unassignedAt !== undefined && cooldownMs > 0 && now - a.unassignedAt <= cooldownMs;
}

/** What `rng.pick` draws from a list of n ≥ 1 candidates (none for one), as an index. */
const pickIndex = (n: number, rng: Random) => (n === 1 ? 0 : rng.int(n));

/** The address assign takes from `c` (which is assignable), purging stale entries; `c` is out of the tallies meanwhile. */
export function freeAddressIn(c: CidrInfo, now: number, rng: Random, cooldownMs: number): string | undefined {
  // §3.2 step 3: prefer a previously used address that is out of cooldown (and purge such stale entries) …
  const stale = c.addresses.size - c.assigned - c.cooling;
  if (stale > 0) {
    let i = pickIndex(stale, rng);
    let pick: string | undefined;
    for (const a of c.addresses.values()) {
      if (a.key !== undefined || inCooldown(a, now, cooldownMs)) continue;
      if (i-- === 0) pick = a.address;
      else c.addresses.delete(a.address);
    }
    return pick;
  }
  // … otherwise scan from the CIDR's first address for one never handed out (PD hands out the /28 base first).
  if (c.addresses.size >= c.size) return undefined;
  if (c.v6Base !== undefined) {
    for (let i = 0n; ; i++) {
      const s = formatIpv6(c.v6Base + i);
      if (!c.addresses.has(s)) return s;
    }
  }
  for (let i = 0; i < c.size; i++) {
    const s = formatIpv4(c.base + i);
    if (!c.addresses.has(s)) return s;
  }
  return undefined;
}

/** A random ENI among those not excluded with an assignable CIDR of `kind`, if any. */
export function pickEni(enis: ReadonlyMap<string, DsEni>, kind: CidrKind, rng: Random): DsEni | undefined {
  let n = 0;
  for (const e of enis.values()) if (!e.excluded && e.tally[kind].assignable > 0) n++;
  if (n === 0) return undefined;
  let i = pickIndex(n, rng);
  for (const e of enis.values()) if (!e.excluded && e.tally[kind].assignable > 0 && i-- === 0) return e;
  return undefined;
}

/** A random assignable CIDR of `kind` on an ENI that has one. */
export function pickCidr(eni: DsEni, kind: CidrKind, rng: Random): CidrInfo {
  let i = pickIndex(eni.tally[kind].assignable, rng);
  for (const c of (kind === 'v6' ? eni.v6Cidrs : eni.cidrs).values()) if (c.kind === kind && c.assignable && i-- === 0) return c;
  throw new Error(`datastore: ${eni.id} has no assignable ${kind} CIDR`);
}
