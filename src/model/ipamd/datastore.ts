/**
 * ipamd's datastore (spec §3): ENIs, their /32 and /28 CIDRs (and IPv6 /80s), per-address assignment and
 * cooldown, pod lookup by IPAMKey, GetIPStats, the checkpoint (§3.7) and the per-ENI summaries the pool
 * policy reads. Pure bookkeeping: no EC2, no timers; time and randomness are passed in.
 *
 * Every pool pass reads GetIPStats and the ENI summaries, so they come from running tallies (per ENI and for the
 * whole datastore) that each change keeps up to date, not from walking CIDRs: in SIP mode every /32 is a CIDR of
 * its own. Cooldown is counted per CIDR when an address is released and ended in release order by `expire`.
 *
 * Not here: when addresses are added or released (pool-loop.ts, node-init.ts, reconcile.ts, eni-setup.ts), which
 * ENI to free (pool-policy.ts).
 */
import type { Random } from '../../sim/index.ts';
import { formatIpv4, parseCidr, parseIpv4 } from '../vpc/ipv4.ts';
import { formatIpv6, parseIpv6Cidr } from '../vpc/ipv6.ts';
import type { CheckpointAllocation, PodKey } from './records.ts';
import type { EniSummary } from './pool-policy.ts';

export const NETWORK_NAME = 'aws-cni';

/** IPAMKey (§3.1): network name, container (sandbox) id, interface name. */
export interface IpamKey {
  networkName: string;
  containerId: string;
  ifName: string;
}

export interface AddressInfo {
  address: string;
  key?: IpamKey;
  pod?: { namespace: string; name: string };
  /** Virtual ms. */
  assignedAt?: number;
  unassignedAt?: number;
}

/** The kinds of pool CIDR: secondary IPv4 /32s (SIP), IPv4 /28 prefixes (PD), IPv6 /80s (§3.2); a mode uses one. */
export type CidrKind = 'secondary' | 'prefix' | 'v6';

export interface CidrInfo {
  cidr: string;
  kind: CidrKind;
  isPrefix: boolean;
  /** IPv4: network address as a number; IPv6 /80 base as bigint in `v6Base`. */
  base: number;
  size: number;
  v6Base?: bigint;
  /** Addresses ever handed out and not purged (assigned, or unassigned and remembered for cooldown). */
  addresses: Map<string, AddressInfo>;
  assigned: number;
  /** Unassigned addresses in cooldown, as of the datastore's latest `expire`. */
  cooling: number;
  /** Whether assign can take an address from it (see `canAssignFrom`), as of its latest change or `expire`. */
  assignable: boolean;
  /** The ENI whose tallies count this CIDR; undefined once the CIDR or the ENI left the datastore. */
  countedIn?: DsEni;
}

/** Sums over CIDRs of one kind. */
export interface KindTally {
  cidrs: number;
  /** Sum of the CIDRs' sizes. */
  addresses: number;
  assigned: number;
  cooling: number;
  /** CIDRs with an address assign may hand out (never handed out, or released and out of cooldown). */
  assignable: number;
  /** CIDRs with nothing assigned. */
  empty: number;
}

export type Tally = Record<CidrKind, KindTally>;

export interface DsEni {
  id: string;
  primary: boolean;
  trunk: boolean;
  efa: boolean;
  deviceNumber: number;
  subnetId: string;
  /** Flipped directly by eni-setup.ts; the datastore's pool tally follows (an accessor). */
  excluded: boolean;
  /** When the ENI entered this datastore (virtual ms); resets on restart (§10). */
  createTime: number;
  cidrs: Map<string, CidrInfo>;
  v6Cidrs: Map<string, CidrInfo>;
  /** Over `cidrs` and `v6Cidrs`, kept by the datastore. */
  readonly tally: Tally;
}

/** What a caller says about a new ENI. */
export type DsEniInit = Omit<DsEni, 'cidrs' | 'v6Cidrs' | 'tally'>;

export type DsMode = 'sip' | 'pd' | 'ipv6';

/**
 * The datastore as readers outside the daemon see it (`Ipamd.datastoreView()`): the live structure, typed read-only
 * all the way down, so checking it costs no copy and cannot change it. The `Datastore` class satisfies it as is.
 */
export interface AddressView {
  readonly address: string;
  readonly key?: Readonly<IpamKey>;
  readonly pod?: Readonly<{ namespace: string; name: string }>;
  readonly assignedAt?: number;
  readonly unassignedAt?: number;
}

export interface CidrView {
  readonly cidr: string;
  readonly isPrefix: boolean;
  readonly base: number;
  readonly size: number;
  readonly v6Base?: bigint;
  readonly addresses: ReadonlyMap<string, AddressView>;
  readonly assigned: number;
}

export interface DsEniView {
  readonly id: string;
  readonly primary: boolean;
  readonly trunk: boolean;
  readonly efa: boolean;
  readonly deviceNumber: number;
  readonly subnetId: string;
  readonly excluded: boolean;
  readonly createTime: number;
  readonly cidrs: ReadonlyMap<string, CidrView>;
  readonly v6Cidrs: ReadonlyMap<string, CidrView>;
}

export interface DatastoreView {
  readonly mode: DsMode;
  readonly cooldownMs: number;
  readonly enis: ReadonlyMap<string, DsEniView>;
}

export interface DsStats {
  totalIps: number;
  assignedIps: number;
  cooldownIps: number;
  totalPrefixes: number;
}

/** Where a pod's address is (valid while assigned: removing its CIDR or ENI drops the pod's entry). */
interface AddrRef {
  eni: DsEni;
  cidr: CidrInfo;
  /** Assigned, so `info.key` is set. */
  info: AddressInfo;
  /** Another address of the same container id (other network or interface name). */
  next?: AddrRef;
}

/** An unassign, remembered until its address leaves cooldown. */
interface Release {
  at: number;
  cidr: CidrInfo;
  info: AddressInfo;
}

export function podIpamKey(p: PodKey): IpamKey {
  return { networkName: NETWORK_NAME, containerId: p.containerId, ifName: p.ifName ?? 'eth0' };
}

/**
 * Assigned addresses by IPAMKey. Keyed by the container id string as the caller passes it, whose hash V8 keeps on
 * the string, not by a key string built anew (and hashed anew) on each call. Keys sharing a container id chain
 * through `AddrRef.next`.
 */
class KeyIndex {
  private readonly byContainer = new Map<string, AddrRef>();

  get(containerId: string, networkName: string, ifName: string): AddrRef | undefined {
    for (let r = this.byContainer.get(containerId); r !== undefined; r = r.next) {
      const k = r.info.key!;
      if (k.networkName === networkName && k.ifName === ifName) return r;
    }
    return undefined;
  }

  /** Adds an entry for a key that has none. */
  add(ref: AddrRef): void {
    const id = ref.info.key!.containerId;
    ref.next = this.byContainer.get(id);
    this.byContainer.set(id, ref);
  }

  /** Drops the entry of an assigned address. */
  remove(info: AddressInfo): void {
    const id = info.key!.containerId;
    const head = this.byContainer.get(id);
    if (head === undefined) return;
    if (head.info === info) {
      if (head.next === undefined) this.byContainer.delete(id);
      else this.byContainer.set(id, head.next);
      return;
    }
    for (let r = head; r.next !== undefined; r = r.next) {
      if (r.next.info === info) {
        r.next = r.next.next;
        return;
      }
    }
  }
}

const KINDS: readonly CidrKind[] = ['secondary', 'prefix', 'v6'];
const FIELDS = ['cidrs', 'addresses', 'assigned', 'cooling', 'assignable', 'empty'] as const;

const kindTally = (): KindTally => ({ cidrs: 0, addresses: 0, assigned: 0, cooling: 0, assignable: 0, empty: 0 });
const emptyTally = (): Tally => ({ secondary: kindTally(), prefix: kindTally(), v6: kindTally() });

/** Whether assign can take an address from this CIDR: one never handed out, or a released one out of cooldown. */
const canAssignFrom = (c: CidrInfo) => c.addresses.size < c.size || c.addresses.size > c.assigned + c.cooling;

/** Adds (sign 1) or takes back (−1) one CIDR's share of a tally. */
function addShare(t: KindTally, c: CidrInfo, sign: 1 | -1): void {
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

/** What `rng.pick` draws from a list of n ≥ 1 candidates (none for one), as an index. */
const pickIndex = (n: number, rng: Random) => (n === 1 ? 0 : rng.int(n));

/** The datastore's count of changes, and who is to hear of the next one. */
class Edits {
  n = 0;
  onNext: (() => void) | undefined = undefined;

  bump(): void {
    this.n++;
    const f = this.onNext;
    if (f !== undefined) {
      this.onNext = undefined;
      f();
    }
  }
}

/** A datastore ENI; `excluded` is an accessor so that the datastore's pool tally leaves out excluded ENIs. */
class Eni implements DsEni {
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

  /** Calls `f` once, at the next change (see `changes`; it ends the pool loop's nap); a later call replaces an earlier one not yet called. */
  onNextChange(f: () => void): void {
    this.edits.onNext = f;
  }

  /** §3.3: an unassigned address is in cooldown for IP_COOLDOWN_PERIOD after release (inclusive). */
  inCooldown(a: AddressInfo, now: number): boolean {
    return a.key === undefined && a.unassignedAt !== undefined && this.cooldownMs > 0 && now - a.unassignedAt <= this.cooldownMs;
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

  /** The address assign takes from `c` (which is assignable), purging stale entries; `c` is out of the tallies meanwhile. */
  private freeAddressIn(c: CidrInfo, now: number, rng: Random): string | undefined {
    // §3.2 step 3: prefer a previously used address that is out of cooldown (and purge such stale entries) …
    const stale = c.addresses.size - c.assigned - c.cooling;
    if (stale > 0) {
      let i = pickIndex(stale, rng);
      let pick: string | undefined;
      for (const a of c.addresses.values()) {
        if (a.key !== undefined || this.inCooldown(a, now)) continue;
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
    const eni = this.pickEni(kind, rng);
    if (eni === undefined) return undefined;
    const c = this.pickCidr(eni, kind, rng);
    this.count(c, -1);
    const ip = this.freeAddressIn(c, now, rng);
    if (ip !== undefined) {
      const info: AddressInfo = { address: ip, key: podIpamKey(pod), pod: { namespace: pod.namespace, name: pod.name }, assignedAt: now };
      c.addresses.set(ip, info);
      c.assigned++;
      this.byKey.add({ eni, cidr: c, info });
    }
    this.count(c, 1);
    return ip === undefined ? undefined : { ip, eniId: eni.id };
  }

  /** A random ENI among those not excluded with an assignable CIDR of `kind`, if any. */
  private pickEni(kind: CidrKind, rng: Random): DsEni | undefined {
    let n = 0;
    for (const e of this.enis.values()) if (!e.excluded && e.tally[kind].assignable > 0) n++;
    if (n === 0) return undefined;
    let i = pickIndex(n, rng);
    for (const e of this.enis.values()) if (!e.excluded && e.tally[kind].assignable > 0 && i-- === 0) return e;
    return undefined;
  }

  /** A random assignable CIDR of `kind` on an ENI that has one. */
  private pickCidr(eni: DsEni, kind: CidrKind, rng: Random): CidrInfo {
    let i = pickIndex(eni.tally[kind].assignable, rng);
    for (const c of (kind === 'v6' ? eni.v6Cidrs : eni.cidrs).values()) if (c.kind === kind && c.assignable && i-- === 0) return c;
    throw new Error(`datastore: ${eni.id} has no assignable ${kind} CIDR`);
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
        if (!this.cidrContains(c, ip)) continue;
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

  private cidrContains(c: CidrInfo, ip: string): boolean {
    if (c.v6Base !== undefined) {
      if (ip.includes('.')) return false;
      const size = BigInt(Math.round(Math.log2(c.size)));
      const n = parseIpv6Cidr(`${ip}/128`).base;
      return n >> size === c.v6Base >> size;
    }
    if (!ip.includes('.')) return false;
    const n = parseIpv4(ip);
    return n >= c.base && n < c.base + c.size;
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
    return this.summaryOf(e, now);
  }

  summaries(now: number): EniSummary[] {
    this.expire(now);
    const out: EniSummary[] = [];
    for (const e of this.enis.values()) out.push(this.summaryOf(e, now));
    return out;
  }

  private summaryOf(e: DsEni, now: number): EniSummary {
    const { secondary, prefix } = e.tally;
    // modeMatches: PD counts prefixes, SIP (and IPv6 mode) /32s
    const t = this.mode === 'pd' ? prefix : secondary;
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

  /** The checkpoint entries (§3.7), in datastore order. */
  checkpointAllocations(): CheckpointAllocation[] {
    return this.allocations().map(({ info, v6 }) => ({
      networkName: info.key!.networkName,
      containerID: info.key!.containerId,
      ifName: info.key!.ifName,
      ...(v6 ? { ipv6: info.address } : { ipv4: info.address }),
      allocationTimestamp: (info.assignedAt ?? 0) * 1e6,
      metadata: { k8sPodNamespace: info.pod?.namespace ?? '', k8sPodName: info.pod?.name ?? '', interfacesCount: 1 },
    }));
  }

  /** Secondary /32s and prefixes on an ENI, all modes. */
  cidrsOf(eniId: string): CidrInfo[] {
    return [...(this.enis.get(eniId)?.cidrs.values() ?? [])];
  }
}
