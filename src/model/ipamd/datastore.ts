/**
 * ipamd's datastore (spec §3): ENIs, their /32 and /28 CIDRs (and IPv6 /80s), per-address assignment and
 * cooldown, pod lookup by IPAMKey, GetIPStats, the checkpoint (§3.7) and the per-ENI summaries the pool
 * policy reads. Pure bookkeeping: no EC2, no timers; time and randomness are passed in.
 *
 * Not here: when addresses are added or released (pool-loop.ts, node-init.ts, reconcile.ts, eni-setup.ts), which
 * ENI to free (pool-policy.ts).
 */
import type { Random } from '../../sim/index.ts';
import { formatIpv4, parseCidr, parseIpv4 } from '../vpc/ipv4.ts';
import { formatIpv6, parseIpv6Cidr } from '../vpc/ipv6.ts';
import type { CheckpointAllocation, PodKey } from './types.ts';
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

export interface CidrInfo {
  cidr: string;
  isPrefix: boolean;
  /** IPv4: network address as a number; IPv6 /80 base as bigint in `v6Base`. */
  base: number;
  size: number;
  v6Base?: bigint;
  /** Addresses ever handed out and not purged (assigned, or unassigned and remembered for cooldown). */
  addresses: Map<string, AddressInfo>;
  assigned: number;
  /**
   * When an address of this CIDR was last released (virtual ms), if ever: no address can be in cooldown once
   * IP_COOLDOWN_PERIOD has passed since, so the cooldown counts skip the scan (a speed-up, not state).
   */
  lastUnassignedAt?: number;
}

export interface DsEni {
  id: string;
  primary: boolean;
  trunk: boolean;
  efa: boolean;
  deviceNumber: number;
  subnetId: string;
  excluded: boolean;
  /** When the ENI entered this datastore (virtual ms); resets on restart (§10). */
  createTime: number;
  cidrs: Map<string, CidrInfo>;
  v6Cidrs: Map<string, CidrInfo>;
}

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

interface AddrRef {
  eniId: string;
  cidr: string;
  address: string;
  v6: boolean;
}

const keyString = (k: IpamKey) => `${k.networkName}\u0000${k.containerId}\u0000${k.ifName}`;

export function podIpamKey(p: PodKey): IpamKey {
  return { networkName: NETWORK_NAME, containerId: p.containerId, ifName: p.ifName ?? 'eth0' };
}

export class Datastore {
  readonly enis = new Map<string, DsEni>();
  private readonly byKey = new Map<string, AddrRef>();
  private _mode: DsMode;
  /**
   * Speed-ups for stats(), not state: a counter bumped by every change of the ENIs, their CIDRs or assignments
   * (and the mode), the counts stats() last computed at a version (with the ENIs' excluded flags then, which
   * eni-setup.ts may flip), and when any address was last released.
   */
  private version = 0;
  private totals: { version: number; excluded: boolean[]; totalIps: number; assignedIps: number; totalPrefixes: number } | undefined;
  private lastUnassignedAt: number | undefined;
  private freePrefixesCache: { version: number; n: number } | undefined;

  constructor(
    mode: DsMode,
    /** IP_COOLDOWN_PERIOD, ms. */
    readonly cooldownMs: number,
  ) {
    this._mode = mode;
  }

  get mode(): DsMode {
    return this._mode;
  }

  set mode(m: DsMode) {
    this._mode = m;
    this.version++;
  }

  /** §3.3: an unassigned address is in cooldown for IP_COOLDOWN_PERIOD after release (inclusive). */
  inCooldown(a: AddressInfo, now: number): boolean {
    return a.key === undefined && a.unassignedAt !== undefined && this.cooldownMs > 0 && now - a.unassignedAt <= this.cooldownMs;
  }

  addEni(e: Omit<DsEni, 'cidrs' | 'v6Cidrs'>): DsEni {
    const existing = this.enis.get(e.id);
    if (existing !== undefined) return existing;
    const eni: DsEni = { ...e, cidrs: new Map(), v6Cidrs: new Map() };
    this.enis.set(e.id, eni);
    this.version++;
    return eni;
  }

  /** Removes an ENI and every allocation on it; returns the pods that lost their address. */
  removeEni(id: string): AddressInfo[] {
    const eni = this.enis.get(id);
    if (eni === undefined) return [];
    const lost: AddressInfo[] = [];
    for (const c of [...eni.cidrs.values(), ...eni.v6Cidrs.values()]) {
      for (const a of c.addresses.values()) {
        if (a.key !== undefined) {
          this.byKey.delete(keyString(a.key));
          lost.push(a);
        }
      }
    }
    this.enis.delete(id);
    this.version++;
    return lost;
  }

  /** Adds an IPv4 /32 ("10.0.0.5" or "10.0.0.5/32") or /28 to an ENI; false when already present or no ENI. */
  addIpv4Cidr(eniId: string, cidrOrIp: string, isPrefix: boolean): boolean {
    const eni = this.enis.get(eniId);
    if (eni === undefined) return false;
    const cidr = cidrOrIp.includes('/') ? cidrOrIp : `${cidrOrIp}/32`;
    if (eni.cidrs.has(cidr)) return false;
    const c = parseCidr(cidr);
    eni.cidrs.set(cidr, { cidr, isPrefix, base: c.base, size: 2 ** (32 - c.prefixLen), addresses: new Map(), assigned: 0 });
    this.version++;
    return true;
  }

  addIpv6Prefix(eniId: string, cidr: string): boolean {
    const eni = this.enis.get(eniId);
    if (eni === undefined || eni.v6Cidrs.has(cidr)) return false;
    const c = parseIpv6Cidr(cidr);
    eni.v6Cidrs.set(cidr, { cidr, isPrefix: true, base: 0, v6Base: c.base, size: Number(2n ** BigInt(128 - c.prefixLen)), addresses: new Map(), assigned: 0 });
    this.version++;
    return true;
  }

  /** Removes a CIDR (and any allocation in it); returns the pods that lost their address. */
  removeCidr(eniId: string, cidr: string): AddressInfo[] {
    const eni = this.enis.get(eniId);
    const c = eni?.cidrs.get(cidr);
    if (eni === undefined || c === undefined) return [];
    const lost: AddressInfo[] = [];
    for (const a of c.addresses.values()) {
      if (a.key !== undefined) {
        this.byKey.delete(keyString(a.key));
        lost.push(a);
      }
    }
    eni.cidrs.delete(cidr);
    this.version++;
    return lost;
  }

  /** Whether a CIDR belongs to the current mode (PD → /28, SIP → /32; §3.2). */
  modeMatches(c: CidrInfo): boolean {
    return this.mode === 'pd' ? c.isPrefix : !c.isPrefix;
  }

  /** The address a pod holds, if any. */
  lookup(key: IpamKey): AddrRef | undefined {
    return this.byKey.get(keyString(key));
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

  private freeAddressIn(c: CidrInfo, now: number, rng: Random): string | undefined {
    // §3.2 step 3: prefer a previously used address that is out of cooldown (and purge such stale entries) …
    const stale: string[] = [];
    for (const a of c.addresses.values()) if (a.key === undefined && !this.inCooldown(a, now)) stale.push(a.address);
    if (stale.length > 0) {
      const pick = stale.length === 1 ? stale[0] : rng.pick(stale);
      for (const s of stale) if (s !== pick) c.addresses.delete(s);
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

  private hasFree(c: CidrInfo, now: number): boolean {
    if (c.addresses.size < c.size) return true;
    for (const a of c.addresses.values()) if (a.key === undefined && !this.inCooldown(a, now)) return true;
    return false;
  }

  /**
   * §3.2 AssignPodIPv4Address (and the IPv6 equivalent): idempotent per IPAMKey; otherwise a random ENI (not
   * excluded) and a random current-mode CIDR with a free out-of-cooldown address (Go map order, modelled as a
   * seeded random choice).
   */
  assign(pod: PodKey, now: number, rng: Random): { ip: string; eniId: string } | undefined {
    const key = podIpamKey(pod);
    const existing = this.byKey.get(keyString(key));
    if (existing !== undefined) return { ip: existing.address, eniId: existing.eniId };
    const v6 = this.mode === 'ipv6';
    const candidates: { eni: DsEni; cidrs: CidrInfo[] }[] = [];
    for (const e of this.enis.values()) {
      if (e.excluded) continue;
      const cs: CidrInfo[] = [];
      for (const c of (v6 ? e.v6Cidrs : e.cidrs).values()) if ((v6 || this.modeMatches(c)) && this.hasFree(c, now)) cs.push(c);
      if (cs.length > 0) candidates.push({ eni: e, cidrs: cs });
    }
    if (candidates.length === 0) return undefined;
    const pickE = candidates.length === 1 ? candidates[0] : rng.pick(candidates);
    const c = pickE.cidrs.length === 1 ? pickE.cidrs[0] : rng.pick(pickE.cidrs);
    const ip = this.freeAddressIn(c, now, rng);
    if (ip === undefined) return undefined;
    const info: AddressInfo = { address: ip, key, pod: { namespace: pod.namespace, name: pod.name }, assignedAt: now };
    c.addresses.set(ip, info);
    c.assigned++;
    this.version++;
    this.byKey.set(keyString(key), { eniId: pickE.eni.id, cidr: c.cidr, address: ip, v6 });
    return { ip, eniId: pickE.eni.id };
  }

  /** §3.3 UnassignPodIPAddress: the address enters cooldown and stays in the pool. */
  unassign(pod: PodKey, now: number): { ip: string; eniId: string; cidr: CidrInfo } | undefined {
    const key = podIpamKey(pod);
    const ref = this.byKey.get(keyString(key));
    if (ref === undefined) return undefined;
    this.byKey.delete(keyString(key));
    const eni = this.enis.get(ref.eniId)!;
    const c = (ref.v6 ? eni.v6Cidrs : eni.cidrs).get(ref.cidr)!;
    const a = c.addresses.get(ref.address)!;
    a.key = undefined;
    a.pod = undefined;
    a.unassignedAt = now;
    c.lastUnassignedAt = now;
    this.lastUnassignedAt = now;
    c.assigned--;
    this.version++;
    return { ip: ref.address, eniId: ref.eniId, cidr: c };
  }

  /**
   * Restores one checkpoint entry (§3.7) with its allocationTimestamp; false when its address is in no known CIDR
   * ("presuming stale/dead").
   */
  restore(a: CheckpointAllocation, now: number): boolean {
    const ip = a.ipv4 ?? a.ipv6;
    if (ip === undefined) return false;
    for (const e of this.enis.values()) {
      const cidrs = a.ipv4 !== undefined ? e.cidrs : e.v6Cidrs;
      for (const c of cidrs.values()) {
        if (!this.cidrContains(c, ip)) continue;
        const key: IpamKey = { networkName: a.networkName, containerId: a.containerID, ifName: a.ifName };
        if (this.byKey.has(keyString(key))) return true;
        const prev = c.addresses.get(ip);
        if (prev?.key !== undefined) return false;
        // AssignedTime = the checkpoint's allocationTimestamp (unix ns; here virtual ms × 1e6)
        const assignedAt = Number.isFinite(a.allocationTimestamp) ? a.allocationTimestamp / 1e6 : now;
        c.addresses.set(ip, { address: ip, key, pod: { namespace: a.metadata.k8sPodNamespace, name: a.metadata.k8sPodName }, assignedAt });
        c.assigned++;
        this.version++;
        this.byKey.set(keyString(key), { eniId: e.id, cidr: c.cidr, address: ip, v6: a.ipv6 !== undefined });
        return true;
      }
    }
    return false;
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

  /** Cooldown addresses of one CIDR. */
  cooldownIn(c: CidrInfo, now: number): number {
    // every unassignedAt in this CIDR is ≤ lastUnassignedAt (set together, time only moves forward)
    const last = c.lastUnassignedAt;
    if (last === undefined || this.cooldownMs <= 0 || now - last > this.cooldownMs) return 0;
    let n = 0;
    for (const a of c.addresses.values()) if (this.inCooldown(a, now)) n++;
    return n;
  }

  /** GetIPStats (§ glossary): non-excluded ENIs, current-mode CIDRs; TotalPrefixes over the whole datastore. */
  stats(now: number): DsStats {
    const v6 = this.mode === 'ipv6';
    let t = this.totals;
    if (t !== undefined && t.version === this.version) {
      // same ENIs, CIDRs and assignments: still valid unless an ENI's excluded flag changed since
      let i = 0;
      for (const e of this.enis.values()) {
        if (t.excluded[i++] !== e.excluded) {
          t = undefined;
          break;
        }
      }
    } else t = undefined;
    if (t === undefined) {
      let totalIps = 0;
      let assignedIps = 0;
      let totalPrefixes = 0;
      const excluded: boolean[] = [];
      for (const e of this.enis.values()) {
        excluded.push(e.excluded);
        for (const c of e.cidrs.values()) if (c.isPrefix) totalPrefixes++;
        if (e.excluded) continue;
        for (const c of (v6 ? e.v6Cidrs : e.cidrs).values()) {
          if (!v6 && !this.modeMatches(c)) continue;
          totalIps += c.size;
          assignedIps += c.assigned;
        }
      }
      t = this.totals = { version: this.version, excluded, totalIps, assignedIps, totalPrefixes };
    }
    let cooldownIps = 0;
    // nothing released within IP_COOLDOWN_PERIOD: nothing can be cooling
    const last = this.lastUnassignedAt;
    if (last !== undefined && this.cooldownMs > 0 && now - last <= this.cooldownMs) {
      for (const e of this.enis.values()) {
        if (e.excluded) continue;
        for (const c of (v6 ? e.v6Cidrs : e.cidrs).values()) {
          if (!v6 && !this.modeMatches(c)) continue;
          cooldownIps += this.cooldownIn(c, now);
        }
      }
    }
    return { totalIps: t.totalIps, assignedIps: t.assignedIps, cooldownIps, totalPrefixes: t.totalPrefixes };
  }

  /** GetFreePrefixes: prefixes with zero assigned addresses, any ENI (excluded included). */
  freePrefixes(): number {
    if (this.freePrefixesCache?.version === this.version) return this.freePrefixesCache.n;
    let n = 0;
    for (const e of this.enis.values()) for (const c of e.cidrs.values()) if (c.isPrefix && c.assigned === 0) n++;
    this.freePrefixesCache = { version: this.version, n };
    return n;
  }

  /** Per-ENI view for the pool policy (current-mode CIDRs for address counts; all CIDRs for slots). */
  summary(e: DsEni, now: number): EniSummary {
    let totalIps = 0;
    let assignedIps = 0;
    let cooldownIps = 0;
    let prefixes = 0;
    let freePrefixes = 0;
    let cooldownAny = 0;
    for (const c of e.cidrs.values()) {
      if (c.isPrefix) {
        prefixes++;
        if (c.assigned === 0) freePrefixes++;
      }
      const cd = this.cooldownIn(c, now);
      cooldownAny += cd;
      if (!this.modeMatches(c)) continue;
      totalIps += c.size;
      assignedIps += c.assigned;
      cooldownIps += cd;
    }
    let anyAssigned = 0;
    for (const c of e.cidrs.values()) anyAssigned += c.assigned;
    return {
      id: e.id,
      primary: e.primary,
      excluded: e.excluded,
      trunk: e.trunk,
      efa: e.efa,
      cidrs: e.cidrs.size,
      totalIps,
      assignedIps,
      cooldownIps,
      pods: anyAssigned,
      anyCooldown: cooldownAny,
      prefixes,
      freePrefixes,
      ageMs: now - e.createTime,
    };
  }

  summaries(now: number): EniSummary[] {
    return [...this.enis.values()].map((e) => this.summary(e, now));
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
