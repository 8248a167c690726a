/**
 * ipamd's datastore (spec §3): ENIs, their /32 and /28 CIDRs (and IPv6 /80s), per-address assignment and
 * cooldown, pod lookup by IPAMKey, GetIPStats, the checkpoint (§3.7) and the per-ENI summaries the pool
 * policy reads. Pure bookkeeping: no EC2, no timers; time and randomness are passed in.
 *
 * Every pool pass reads GetIPStats and the ENI summaries, so they come from running tallies (per ENI and for the
 * whole datastore) that each change keeps up to date, not from walking CIDRs: in SIP mode every /32 is a CIDR of
 * its own. Cooldown is counted per CIDR when an address is released and ended in release order by `expire`.
 *
 * This file holds the Datastore class, which owns the records and every change to them; beside it:
 * datastore-types.ts (the records and the read-only view), datastore-key-index.ts (pods' addresses by IPAMKey),
 * datastore-tally.ts (the running tallies, the ENI record and the per-ENI summary), datastore-pick.ts (which ENI, CIDR
 * and address assign takes), datastore-checkpoint.ts (the checkpoint entries and which CIDR holds an address).
 *
 * Not here: when addresses are added or released (pool-loop.ts, node-init.ts, reconcile.ts, eni-setup.ts), which
 * ENI to free (pool-policy.ts).
 */
import type { Random } from '../../sim/index.ts';
import { parseCidr } from '../vpc/ipv4.ts';
import { parseIpv6Cidr } from '../vpc/ipv6.ts';
import { checkpointEntries, cidrContains } from './datastore-checkpoint.ts';
import { KeyIndex, podIpamKey, type AddrRef } from './datastore-key-index.ts';
import { freeAddressIn, inCooldown, pickCidr, pickEni } from './datastore-pick.ts';
import { addShare, canAssignFrom, Edits, emptyTally, Eni, eniSummary } from './datastore-tally.ts';
import { NETWORK_NAME, type AddressInfo, type CidrInfo, type CidrKind, type DsEni, type DsEniInit, type DsMode, type DsStats, type IpamKey } from './datastore-types.ts';
import type { EniSummary } from './pool-policy.ts';
import type { CheckpointAllocation, PodKey } from './records.ts';

export type * from './datastore-types.ts';
export { NETWORK_NAME } from './datastore-types.ts';
export { podIpamKey } from './datastore-key-index.ts';

/** An unassign, remembered until its address leaves cooldown. */
interface Release {
  at: number;
  cidr: CidrInfo;
  info: AddressInfo;
}

/** The datastore. Times passed in are the simulation clock's, so they never go back. */
export class Datastore {
  readonly enis = new Map<string, DsEni>();
  private currentMode: DsMode;
  private readonly edits = new Edits();
  private readonly byKey = new KeyIndex();
  /** ENIs and CIDRs added or removed so far: the same number means the same ENIs with the same CIDRs. */
  shape = 0;
  /** Over every ENI (TotalPrefixes and free prefixes count excluded ENIs too). */
  private readonly all = emptyTally();
  /** Over ENIs that are not excluded (GetIPStats). */
  private readonly pool = emptyTally();
  /** Releases whose cooldown `expire` has not ended yet, oldest first, from `releasesHead` on. */
  private readonly releases: Release[] = [];
  private releasesHead = 0;
  /** When the oldest of them happened (Infinity when none): `expire` returns at once before its cooldown ends. */
  private oldestRelease = Infinity;
  /**
   * IPv6 /80s ever added: AddIPv6CidrToStore counts each in `allocatedPrefix` (v1.23.1 data_store.go:699-702), which
   * GetIPStats reports as TotalPrefixes (:921); no removal path takes them back (only IPv4 CIDRs, :1154-1159, :1196-1216).
   */
  private v6PrefixesAdded = 0;

  constructor(
    mode: DsMode,
    /** IP_COOLDOWN_PERIOD, ms. */
    readonly cooldownMs: number,
  ) {
    this.currentMode = mode;
  }

  get mode(): DsMode {
    return this.currentMode;
  }

  set mode(m: DsMode) {
    this.currentMode = m;
    this.edits.bump();
  }

  /**
   * Changes so far to anything stats, summaries or assign read (ENIs, CIDRs, assignments, cooldowns, excluded flags,
   * the mode): the same number means the same answers at the same instant.
   */
  get changes(): number {
    return this.edits.n;
  }

  /** Calls `f` at every change from now on (see `changes`): an observer outside the daemon; a later call replaces it. */
  watch(f: () => void): void {
    this.edits.watcher = f;
  }

  /** Calls `f` once, at the next change (see `changes`; it ends the pool loop's nap); a later call replaces an earlier one not yet called. */
  onNextChange(f: () => void): void {
    this.edits.onNext = f;
  }

  /** §3.3: an unassigned address is in cooldown for IP_COOLDOWN_PERIOD after release (inclusive). */
  inCooldown(a: AddressInfo, now: number): boolean {
    return inCooldown(a, now, this.cooldownMs);
  }

  /** The kind of CIDR the current mode assigns from and GetIPStats counts. */
  private poolKind(): CidrKind {
    return this.mode === 'ipv6' ? 'v6' : this.mode === 'pd' ? 'prefix' : 'secondary';
  }

  /** Adds (1) or takes back (−1) a CIDR's share of the tallies; every change to a CIDR is bracketed by both. */
  private count(c: CidrInfo, sign: 1 | -1): void {
    const e = c.countedIn;
    if (e === undefined) return;
    this.edits.bump();
    if (sign === 1) c.assignable = canAssignFrom(c);
    addShare(e.tally[c.kind], c, sign);
    addShare(this.all[c.kind], c, sign);
    if (!e.excluded) addShare(this.pool[c.kind], c, sign);
  }

  /**
   * Ends the cooldown of every release more than IP_COOLDOWN_PERIOD before `now`; afterwards each CIDR's `cooling`
   * is exactly its addresses that `inCooldown` at `now`. Every reader of cooldown-dependent counts calls it first.
   */
  private expire(now: number): void {
    if (now - this.oldestRelease <= this.cooldownMs) return;
    const q = this.releases;
    let h = this.releasesHead;
    while (h < q.length && now - q[h].at > this.cooldownMs) {
      const { cidr, info } = q[h++];
      // no longer counted if its CIDR left the datastore or a restore replaced the address
      if (cidr.countedIn === undefined || cidr.addresses.get(info.address) !== info) continue;
      this.count(cidr, -1);
      cidr.cooling--;
      this.count(cidr, 1);
    }
    // drop the expired prefix once it is all there is, or most of a long queue
    if (h === q.length) {
      q.length = 0;
      h = 0;
    } else if (h > 64 && h * 2 > q.length) {
      q.splice(0, h);
      h = 0;
    }
    this.releasesHead = h;
    this.oldestRelease = h < q.length ? q[h].at : Infinity;
  }

  addEni(e: DsEniInit): DsEni {
    const existing = this.enis.get(e.id);
    if (existing !== undefined) return existing;
    const eni = new Eni(e, this.pool, this.edits);
    this.enis.set(e.id, eni);
    this.reshaped();
    return eni;
  }

  /** Removes an ENI and every allocation on it; returns the pods that lost their address. */
  removeEni(id: string): AddressInfo[] {
    const eni = this.enis.get(id);
    if (eni === undefined) return [];
    const lost: AddressInfo[] = [];
    for (const cidrs of [eni.cidrs, eni.v6Cidrs]) for (const c of cidrs.values()) this.drop(c, lost);
    this.enis.delete(id);
    this.reshaped();
    return lost;
  }

  /** Puts a new, empty CIDR on an ENI; `v6Base` for IPv6 /80s (whose `base` is unused). */
  private addCidr(eni: DsEni, cidr: string, kind: CidrKind, base: number, size: number, v6Base?: bigint): void {
    const isPrefix = kind !== 'secondary';
    const c: CidrInfo = { cidr, kind, isPrefix, base, size, v6Base, addresses: new Map(), assigned: 0, cooling: 0, assignable: true, countedIn: eni };
    (kind === 'v6' ? eni.v6Cidrs : eni.cidrs).set(cidr, c);
    this.count(c, 1);
    this.reshaped();
  }

  /** Adds an IPv4 /32 ("10.0.0.5" or "10.0.0.5/32") or /28 to an ENI; false when already present or no ENI. */
  addIpv4Cidr(eniId: string, cidrOrIp: string, isPrefix: boolean): boolean {
    const eni = this.enis.get(eniId);
    if (eni === undefined) return false;
    const cidr = cidrOrIp.includes('/') ? cidrOrIp : `${cidrOrIp}/32`;
    if (eni.cidrs.has(cidr)) return false;
    const c = parseCidr(cidr);
    this.addCidr(eni, cidr, isPrefix ? 'prefix' : 'secondary', c.base, 2 ** (32 - c.prefixLen));
    return true;
  }

  addIpv6Prefix(eniId: string, cidr: string): boolean {
    const eni = this.enis.get(eniId);
    if (eni === undefined || eni.v6Cidrs.has(cidr)) return false;
    const c = parseIpv6Cidr(cidr);
    this.addCidr(eni, cidr, 'v6', 0, Number(2n ** BigInt(128 - c.prefixLen)), c.base);
    this.v6PrefixesAdded++;
    return true;
  }

  /** Removes a CIDR (and any allocation in it); returns the pods that lost their address. */
  removeCidr(eniId: string, cidr: string): AddressInfo[] {
    const eni = this.enis.get(eniId);
    const c = eni?.cidrs.get(cidr);
    if (eni === undefined || c === undefined) return [];
    const lost: AddressInfo[] = [];
    this.drop(c, lost);
    eni.cidrs.delete(cidr);
    this.reshaped();
    return lost;
  }

  /** Takes a leaving CIDR out of the tallies and the key index; its assigned addresses go to `lost`. */
  private drop(c: CidrInfo, lost: AddressInfo[]): void {
    for (const a of c.addresses.values()) {
      if (a.key !== undefined) {
        this.byKey.remove(a);
        lost.push(a);
      }
    }
    this.count(c, -1);
    c.countedIn = undefined;
  }

  /** An ENI or CIDR came or went. */
  private reshaped(): void {
    this.shape++;
    this.edits.bump();
  }

  /** Whether a CIDR belongs to the current mode (PD → /28, SIP → /32; §3.2). */
  modeMatches(c: CidrInfo): boolean {
    return this.mode === 'pd' ? c.isPrefix : !c.isPrefix;
  }

  /** The address a pod holds, if any. */
  lookup(key: IpamKey): AddrRef | undefined {
    return this.byKey.get(key.containerId, key.networkName, key.ifName);
  }

  /** Every pod allocation, in a stable order. */
  allocations(): { eniId: string; cidr: string; info: AddressInfo; v6: boolean }[] {
    const out: { eniId: string; cidr: string; info: AddressInfo; v6: boolean }[] = [];
    for (const e of this.enis.values()) {
      for (const c of e.cidrs.values()) for (const a of c.addresses.values()) if (a.key !== undefined) out.push({ eniId: e.id, cidr: c.cidr, info: a, v6: false });
      for (const c of e.v6Cidrs.values()) for (const a of c.addresses.values()) if (a.key !== undefined) out.push({ eniId: e.id, cidr: c.cidr, info: a, v6: true });
    }
    return out;
  }

  /**
   * §3.2 AssignPodIPv4Address (and the IPv6 equivalent): idempotent per IPAMKey; otherwise a random ENI (not
   * excluded) and a random current-mode CIDR with a free out-of-cooldown address (Go map order, modelled as a
   * seeded random choice among the candidates in datastore order).
   */
  assign(pod: PodKey, now: number, rng: Random): { ip: string; eniId: string } | undefined {
    const existing = this.byKey.get(pod.containerId, NETWORK_NAME, pod.ifName ?? 'eth0');
    if (existing !== undefined) return { ip: existing.info.address, eniId: existing.eni.id };
    this.expire(now);
    const kind = this.poolKind();
    const eni = pickEni(this.enis, kind, rng);
    if (eni === undefined) return undefined;
    const c = pickCidr(eni, kind, rng);
    this.count(c, -1);
    const ip = freeAddressIn(c, now, rng, this.cooldownMs);
    if (ip !== undefined) {
      const info: AddressInfo = { address: ip, key: podIpamKey(pod), pod: { namespace: pod.namespace, name: pod.name }, assignedAt: now };
      c.addresses.set(ip, info);
      c.assigned++;
      this.byKey.add({ eni, cidr: c, info });
    }
    this.count(c, 1);
    return ip === undefined ? undefined : { ip, eniId: eni.id };
  }

  /** §3.3 UnassignPodIPAddress: the address enters cooldown and stays in the pool (on `eni`, still in the datastore). */
  unassign(pod: PodKey, now: number): { ip: string; eniId: string; cidr: CidrInfo; eni: DsEni } | undefined {
    const ref = this.byKey.get(pod.containerId, NETWORK_NAME, pod.ifName ?? 'eth0');
    if (ref === undefined) return undefined;
    this.byKey.remove(ref.info);
    const { eni, cidr: c, info: a } = ref;
    this.count(c, -1);
    a.key = undefined;
    a.pod = undefined;
    a.unassignedAt = now;
    c.assigned--;
    if (this.cooldownMs > 0) {
      c.cooling++;
      if (this.releases.push({ at: now, cidr: c, info: a }) === 1) this.oldestRelease = now;
    }
    this.count(c, 1);
    return { ip: a.address, eniId: eni.id, cidr: c, eni };
  }

  /**
   * Restores one checkpoint entry (§3.7) with its allocationTimestamp: 'unknown' when its address is in no known CIDR
   * ("presuming stale/dead"); 'duplicate' when the CIDR already holds that address — ReadBackingStore then fails with
   * IPAlreadyInStoreError (v1.23.1 data_store.go:390-396), and nodeInit with it.
   */
  restore(a: CheckpointAllocation, now: number): 'restored' | 'unknown' | 'duplicate' {
    const ip = a.ipv4 ?? a.ipv6;
    if (ip === undefined) return 'unknown';
    this.expire(now);
    for (const e of this.enis.values()) {
      const cidrs = a.ipv4 !== undefined ? e.cidrs : e.v6Cidrs;
      for (const c of cidrs.values()) {
        if (!cidrContains(c, ip)) continue;
        const prev = c.addresses.get(ip);
        if (prev !== undefined) return 'duplicate';
        const key: IpamKey = { networkName: a.networkName, containerId: a.containerID, ifName: a.ifName };
        if (this.byKey.get(key.containerId, key.networkName, key.ifName) !== undefined) return 'restored';
        // AssignedTime = the checkpoint's allocationTimestamp (unix ns; here virtual ms × 1e6)
        const assignedAt = Number.isFinite(a.allocationTimestamp) ? a.allocationTimestamp / 1e6 : now;
        this.count(c, -1);
        const info: AddressInfo = { address: ip, key, pod: { namespace: a.metadata.k8sPodNamespace, name: a.metadata.k8sPodName }, assignedAt };
        c.addresses.set(ip, info);
        c.assigned++;
        this.count(c, 1);
        this.byKey.add({ eni: e, cidr: c, info });
        return 'restored';
      }
    }
    return 'unknown';
  }

  /**
   * GetIPStats (§ glossary): non-excluded ENIs, current-mode CIDRs; TotalPrefixes over the whole datastore, IPv6 /80s
   * included (see `v6PrefixesAdded`).
   */
  stats(now: number): DsStats {
    this.expire(now);
    const t = this.pool[this.poolKind()];
    return { totalIps: t.addresses, assignedIps: t.assigned, cooldownIps: t.cooling, totalPrefixes: this.all.prefix.cidrs + this.v6PrefixesAdded };
  }

  /**
   * The awscni_total_ipv4_prefixes gauge: the data store sets it only where IPv4 prefixes come and go (data_store.go
   * :560, :609, :658, :1158), never in AddIPv6CidrToStore, so the /80s never reach it.
   */
  ipv4Prefixes(): number {
    return this.all.prefix.cidrs;
  }

  /** GetIPStats' TotalIPs and AssignedIPs, which no cooldown changes: read without ending any (no `now`, no change). */
  holdings(): { totalIps: number; assignedIps: number } {
    const t = this.pool[this.poolKind()];
    return { totalIps: t.addresses, assignedIps: t.assigned };
  }

  /** Secondary /32s on every ENI (excluded included), any mode. */
  secondaryCidrs(): number {
    return this.all.secondary.cidrs;
  }

  /** GetFreePrefixes: prefixes with zero assigned addresses, any ENI (excluded included). */
  freePrefixes(): number {
    return this.all.prefix.empty;
  }

  /** Per-ENI view for the pool policy (current-mode CIDRs for address counts; all CIDRs for slots). */
  summary(e: DsEni, now: number): EniSummary {
    this.expire(now);
    return eniSummary(e, this.mode, now);
  }

  summaries(now: number): EniSummary[] {
    this.expire(now);
    const out: EniSummary[] = [];
    for (const e of this.enis.values()) out.push(eniSummary(e, this.mode, now));
    return out;
  }

  /** The checkpoint entries (§3.7), in datastore order. */
  checkpointAllocations(): CheckpointAllocation[] {
    return checkpointEntries(this.allocations());
  }

  /** Secondary /32s and prefixes on an ENI, all modes. */
  cidrsOf(eniId: string): CidrInfo[] {
    return [...(this.enis.get(eniId)?.cidrs.values() ?? [])];
  }
}
