/**
 * The datastore's running tallies (src/model/ipamd/datastore.ts) against the plain rules: a reference model that
 * walks every CIDR and address on every question, as the datastore once did, driven by the same random sequences of
 * ENI/CIDR changes, assigns, releases, restores, time steps, excluded flips and mode changes. Every answer, every
 * random draw (both sides draw from equal streams) and the resulting addresses must agree, and each ENI's tally
 * must equal a recount of its CIDRs.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Random } from '../../src/sim/random.ts';
import { Datastore, NETWORK_NAME, type CidrKind, type DsEni, type DsMode, type KindTally } from '../../src/model/ipamd/datastore.ts';
import type { EniSummary } from '../../src/model/ipamd/pool-policy.ts';
import type { CheckpointAllocation, PodKey } from '../../src/model/ipamd/types.ts';
import { formatIpv4, parseCidr, parseIpv4 } from '../../src/model/vpc/ipv4.ts';
import { formatIpv6, parseIpv6Cidr } from '../../src/model/vpc/ipv6.ts';

interface RefAddress {
  key?: string;
  unassignedAt?: number;
}

interface RefCidr {
  cidr: string;
  isPrefix: boolean;
  base: number;
  size: number;
  v6Base?: bigint;
  addresses: Map<string, RefAddress>;
  assigned: number;
}

interface RefEni {
  id: string;
  primary: boolean;
  trunk: boolean;
  efa: boolean;
  excluded: boolean;
  createTime: number;
  cidrs: Map<string, RefCidr>;
  v6Cidrs: Map<string, RefCidr>;
}

const keyOf = (networkName: string, containerId: string, ifName: string) => `${networkName}\u0000${containerId}\u0000${ifName}`;

/** The datastore's rules, walked from scratch on every question. */
class Reference {
  readonly enis = new Map<string, RefEni>();
  private v6PrefixesAdded = 0;
  private readonly byKey = new Map<string, { eni: RefEni; cidr: RefCidr; address: string }>();

  constructor(
    public mode: DsMode,
    readonly cooldownMs: number,
  ) {}

  private cooling(a: RefAddress, now: number): boolean {
    return a.key === undefined && a.unassignedAt !== undefined && this.cooldownMs > 0 && now - a.unassignedAt <= this.cooldownMs;
  }

  private modeMatches(c: RefCidr): boolean {
    return this.mode === 'pd' ? c.isPrefix : !c.isPrefix;
  }

  private hasFree(c: RefCidr, now: number): boolean {
    if (c.addresses.size < c.size) return true;
    for (const a of c.addresses.values()) if (a.key === undefined && !this.cooling(a, now)) return true;
    return false;
  }

  private cooldownIn(c: RefCidr, now: number): number {
    let n = 0;
    for (const a of c.addresses.values()) if (this.cooling(a, now)) n++;
    return n;
  }

  addEni(id: string, excluded: boolean, now: number): void {
    if (!this.enis.has(id)) this.enis.set(id, { id, primary: false, trunk: false, efa: false, excluded, createTime: now, cidrs: new Map(), v6Cidrs: new Map() });
  }

  private dropKeys(c: RefCidr): string[] {
    const lost: string[] = [];
    for (const [address, a] of c.addresses) {
      if (a.key === undefined) continue;
      this.byKey.delete(a.key);
      lost.push(address);
    }
    return lost;
  }

  removeEni(id: string): string[] {
    const e = this.enis.get(id);
    if (e === undefined) return [];
    const lost = [...e.cidrs.values(), ...e.v6Cidrs.values()].flatMap((c) => this.dropKeys(c));
    this.enis.delete(id);
    return lost;
  }

  addIpv4Cidr(eniId: string, cidr: string, isPrefix: boolean): boolean {
    const e = this.enis.get(eniId);
    if (e === undefined || e.cidrs.has(cidr)) return false;
    const c = parseCidr(cidr);
    e.cidrs.set(cidr, { cidr, isPrefix, base: c.base, size: 2 ** (32 - c.prefixLen), addresses: new Map(), assigned: 0 });
    return true;
  }

  addIpv6Prefix(eniId: string, cidr: string): boolean {
    const e = this.enis.get(eniId);
    if (e === undefined || e.v6Cidrs.has(cidr)) return false;
    const c = parseIpv6Cidr(cidr);
    e.v6Cidrs.set(cidr, { cidr, isPrefix: true, base: 0, v6Base: c.base, size: 2 ** (128 - c.prefixLen), addresses: new Map(), assigned: 0 });
    this.v6PrefixesAdded++; // allocatedPrefix++, never taken back (data_store.go:699-702)
    return true;
  }

  removeCidr(eniId: string, cidr: string): string[] {
    const e = this.enis.get(eniId);
    const c = e?.cidrs.get(cidr);
    if (e === undefined || c === undefined) return [];
    const lost = this.dropKeys(c);
    e.cidrs.delete(cidr);
    return lost;
  }

  private freeAddressIn(c: RefCidr, now: number, rng: Random): string | undefined {
    const stale = [...c.addresses].filter(([, a]) => a.key === undefined && !this.cooling(a, now)).map(([s]) => s);
    if (stale.length > 0) {
      const pick = stale.length === 1 ? stale[0] : rng.pick(stale);
      for (const s of stale) if (s !== pick) c.addresses.delete(s);
      return pick;
    }
    if (c.addresses.size >= c.size) return undefined;
    for (let i = 0; i < c.size; i++) {
      const s = c.v6Base !== undefined ? formatIpv6(c.v6Base + BigInt(i)) : formatIpv4(c.base + i);
      if (!c.addresses.has(s)) return s;
    }
    return undefined;
  }

  assign(pod: PodKey, now: number, rng: Random): { ip: string; eniId: string } | undefined {
    const key = keyOf(NETWORK_NAME, pod.containerId, pod.ifName ?? 'eth0');
    const existing = this.byKey.get(key);
    if (existing !== undefined) return { ip: existing.address, eniId: existing.eni.id };
    const v6 = this.mode === 'ipv6';
    const candidates: { eni: RefEni; cidrs: RefCidr[] }[] = [];
    for (const e of this.enis.values()) {
      if (e.excluded) continue;
      const cs = [...(v6 ? e.v6Cidrs : e.cidrs).values()].filter((c) => (v6 || this.modeMatches(c)) && this.hasFree(c, now));
      if (cs.length > 0) candidates.push({ eni: e, cidrs: cs });
    }
    if (candidates.length === 0) return undefined;
    const pick = candidates.length === 1 ? candidates[0] : rng.pick(candidates);
    const c = pick.cidrs.length === 1 ? pick.cidrs[0] : rng.pick(pick.cidrs);
    const ip = this.freeAddressIn(c, now, rng);
    if (ip === undefined) return undefined;
    c.addresses.set(ip, { key });
    c.assigned++;
    this.byKey.set(key, { eni: pick.eni, cidr: c, address: ip });
    return { ip, eniId: pick.eni.id };
  }

  unassign(pod: PodKey, now: number): { ip: string; eniId: string; cidr: string } | undefined {
    const key = keyOf(NETWORK_NAME, pod.containerId, pod.ifName ?? 'eth0');
    const ref = this.byKey.get(key);
    if (ref === undefined) return undefined;
    this.byKey.delete(key);
    ref.cidr.addresses.set(ref.address, { unassignedAt: now });
    ref.cidr.assigned--;
    return { ip: ref.address, eniId: ref.eni.id, cidr: ref.cidr.cidr };
  }

  restore(a: CheckpointAllocation): 'restored' | 'unknown' | 'duplicate' {
    const ip = a.ipv4 ?? a.ipv6;
    if (ip === undefined) return 'unknown';
    for (const e of this.enis.values()) {
      for (const c of (a.ipv4 !== undefined ? e.cidrs : e.v6Cidrs).values()) {
        if (!contains(c, ip)) continue;
        if (c.addresses.has(ip)) return 'duplicate';
        const key = keyOf(a.networkName, a.containerID, a.ifName);
        if (this.byKey.has(key)) return 'restored';
        c.addresses.set(ip, { key });
        c.assigned++;
        this.byKey.set(key, { eni: e, cidr: c, address: ip });
        return 'restored';
      }
    }
    return 'unknown';
  }

  stats(now: number) {
    const v6 = this.mode === 'ipv6';
    let totalIps = 0;
    let assignedIps = 0;
    let cooldownIps = 0;
    let totalPrefixes = this.v6PrefixesAdded;
    for (const e of this.enis.values()) {
      for (const c of e.cidrs.values()) if (c.isPrefix) totalPrefixes++;
      if (e.excluded) continue;
      for (const c of (v6 ? e.v6Cidrs : e.cidrs).values()) {
        if (!v6 && !this.modeMatches(c)) continue;
        totalIps += c.size;
        assignedIps += c.assigned;
        cooldownIps += this.cooldownIn(c, now);
      }
    }
    return { totalIps, assignedIps, cooldownIps, totalPrefixes };
  }

  freePrefixes(): number {
    let n = 0;
    for (const e of this.enis.values()) for (const c of e.cidrs.values()) if (c.isPrefix && c.assigned === 0) n++;
    return n;
  }

  summaries(now: number): EniSummary[] {
    return [...this.enis.values()].map((e) => {
      const s = { totalIps: 0, assignedIps: 0, cooldownIps: 0, pods: 0, anyCooldown: 0, prefixes: 0, freePrefixes: 0, freeCidrs: 0 };
      for (const c of e.cidrs.values()) {
        const cd = this.cooldownIn(c, now);
        s.pods += c.assigned;
        s.anyCooldown += cd;
        if (c.assigned === 0) s.freeCidrs++;
        if (c.isPrefix) {
          s.prefixes++;
          if (c.assigned === 0) s.freePrefixes++;
        }
        if (!this.modeMatches(c)) continue;
        s.totalIps += c.size;
        s.assignedIps += c.assigned;
        s.cooldownIps += cd;
      }
      return { id: e.id, primary: e.primary, excluded: e.excluded, trunk: e.trunk, efa: e.efa, cidrs: e.cidrs.size, ...s, ageMs: now - e.createTime };
    });
  }
}

function contains(c: RefCidr, ip: string): boolean {
  if (c.v6Base !== undefined) {
    if (ip.includes('.')) return false;
    const bits = BigInt(Math.round(Math.log2(c.size)));
    return parseIpv6Cidr(`${ip}/128`).base >> bits === c.v6Base >> bits;
  }
  if (!ip.includes('.')) return false;
  const n = parseIpv4(ip);
  return n >= c.base && n < c.base + c.size;
}

/** The addresses of every CIDR, in order, with their owner or release time. */
function contents(enis: Iterable<RefEni | DsEni>) {
  const addrs = (c: { cidr: string; addresses: Map<string, { key?: unknown; unassignedAt?: number }> }) =>
    [...c.addresses].map(([ip, a]) => `${c.cidr} ${ip} ${a.key === undefined ? `free@${a.unassignedAt}` : 'assigned'}`);
  return [...enis].map((e) => ({ id: e.id, v4: [...e.cidrs.values()].flatMap(addrs), v6: [...e.v6Cidrs.values()].flatMap(addrs) }));
}

/** An ENI's tally recounted from its CIDRs at `now`. */
function recount(ds: Datastore, e: DsEni, now: number): Record<CidrKind, KindTally> {
  const t = {} as Record<CidrKind, KindTally>;
  for (const kind of ['secondary', 'prefix', 'v6'] as const) {
    const cidrs = [...(kind === 'v6' ? e.v6Cidrs : e.cidrs).values()].filter((c) => c.kind === kind);
    const cooling = cidrs.map((c) => [...c.addresses.values()].filter((a) => ds.inCooldown(a, now)).length);
    t[kind] = {
      cidrs: cidrs.length,
      addresses: cidrs.reduce((n, c) => n + c.size, 0),
      assigned: cidrs.reduce((n, c) => n + c.assigned, 0),
      cooling: cooling.reduce((n, x) => n + x, 0),
      assignable: cidrs.filter((c, i) => c.addresses.size < c.size || c.addresses.size > c.assigned + cooling[i]).length,
      empty: cidrs.filter((c) => c.assigned === 0).length,
    };
  }
  return t;
}

type Op =
  | { op: 'addEni'; eni: number; excluded: boolean }
  | { op: 'removeEni'; eni: number }
  | { op: 'addV4'; eni: number; n: number; prefix: boolean }
  | { op: 'addV6'; eni: number; n: number }
  | { op: 'removeCidr'; eni: number; n: number; prefix: boolean }
  | { op: 'assign'; pod: number; eth1: boolean }
  | { op: 'unassign'; pod: number; eth1: boolean }
  | { op: 'restore'; pod: number; eth1: boolean; otherNetwork: boolean; n: number; v6: boolean }
  | { op: 'advance'; by: number }
  | { op: 'exclude'; eni: number; excluded: boolean }
  | { op: 'mode'; mode: DsMode };

const COOLDOWN = 30_000;
const small = (max: number) => fc.integer({ min: 0, max });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('addEni' as const), eni: small(3), excluded: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('removeEni' as const), eni: small(3) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('addV4' as const), eni: small(3), n: small(7), prefix: fc.boolean() }), weight: 5 },
  { arbitrary: fc.record({ op: fc.constant('addV6' as const), eni: small(3), n: small(3) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('removeCidr' as const), eni: small(3), n: small(7), prefix: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('assign' as const), pod: small(15), eth1: fc.boolean() }), weight: 10 },
  { arbitrary: fc.record({ op: fc.constant('unassign' as const), pod: small(15), eth1: fc.boolean() }), weight: 7 },
  {
    arbitrary: fc.record({ op: fc.constant('restore' as const), pod: small(15), eth1: fc.boolean(), otherNetwork: fc.boolean(), n: small(31), v6: fc.boolean() }),
    weight: 2,
  },
  { arbitrary: fc.record({ op: fc.constant('advance' as const), by: fc.constantFrom(0, 1, 1_000, COOLDOWN - 1, COOLDOWN, COOLDOWN + 1, 90_000) }), weight: 6 },
  { arbitrary: fc.record({ op: fc.constant('exclude' as const), eni: small(3), excluded: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('mode' as const), mode: fc.constantFrom<DsMode>('sip', 'pd', 'ipv6') }), weight: 1 },
);

// small CIDRs so that pools run dry: /32s 10.0.0.0–7, /30 "prefixes" 10.0.1.0/30 …, IPv6 /126s
const v4Cidr = (n: number, prefix: boolean) => (prefix ? `10.0.1.${4 * n}/30` : `10.0.0.${n}/32`);
const V6_BASE = parseIpv6Cidr('fd00::/124').base;
const v6Cidr = (n: number) => `${formatIpv6(V6_BASE + BigInt(4 * n))}/126`;
// a container id built anew on each call, as the kubelet's are: lookups must go by content
const pod = (i: number, eth1: boolean): PodKey => ({ namespace: 'default', name: `p${i}`, containerId: ['c', i].join(''), ...(eth1 ? { ifName: 'eth1' } : {}) });

function run(cooldownMs: number, startMode: DsMode, ops: Op[]): void {
  const ds = new Datastore(startMode, cooldownMs);
  const ref = new Reference(startMode, cooldownMs);
  const rngDs = new Random('datastore-test');
  const rngRef = new Random('datastore-test');
  let now = 1_000;
  for (const o of ops) {
    const eniId = 'eni' in o ? `eni-${o.eni}` : '';
    switch (o.op) {
      case 'addEni':
        ds.addEni({ id: eniId, primary: false, trunk: false, efa: false, deviceNumber: o.eni, subnetId: 'subnet-1', excluded: o.excluded, createTime: now });
        ref.addEni(eniId, o.excluded, now);
        break;
      case 'removeEni':
        expect(ds.removeEni(eniId).map((a) => a.address)).toEqual(ref.removeEni(eniId));
        break;
      case 'addV4':
        expect(ds.addIpv4Cidr(eniId, v4Cidr(o.n, o.prefix), o.prefix)).toBe(ref.addIpv4Cidr(eniId, v4Cidr(o.n, o.prefix), o.prefix));
        break;
      case 'addV6':
        expect(ds.addIpv6Prefix(eniId, v6Cidr(o.n))).toBe(ref.addIpv6Prefix(eniId, v6Cidr(o.n)));
        break;
      case 'removeCidr':
        expect(ds.removeCidr(eniId, v4Cidr(o.n, o.prefix)).map((a) => a.address)).toEqual(ref.removeCidr(eniId, v4Cidr(o.n, o.prefix)));
        break;
      case 'assign':
        expect(ds.assign(pod(o.pod, o.eth1), now, rngDs)).toEqual(ref.assign(pod(o.pod, o.eth1), now, rngRef));
        break;
      case 'unassign': {
        const got = ds.unassign(pod(o.pod, o.eth1), now);
        expect(got === undefined ? undefined : { ip: got.ip, eniId: got.eniId, cidr: got.cidr.cidr }).toEqual(ref.unassign(pod(o.pod, o.eth1), now));
        break;
      }
      case 'restore': {
        const ip = o.v6 ? formatIpv6(V6_BASE + BigInt(o.n % 16)) : o.n < 8 ? `10.0.0.${o.n}` : `10.0.1.${o.n - 8}`;
        const a: CheckpointAllocation = {
          networkName: o.otherNetwork ? 'other-net' : NETWORK_NAME,
          containerID: `c${o.pod}`,
          ifName: o.eth1 ? 'eth1' : 'eth0',
          ...(o.v6 ? { ipv6: ip } : { ipv4: ip }),
          allocationTimestamp: now * 1e6,
          metadata: { k8sPodNamespace: 'default', k8sPodName: `p${o.pod}` },
        };
        expect(ds.restore(a, now)).toBe(ref.restore(a));
        break;
      }
      case 'advance':
        now += o.by;
        break;
      case 'exclude': {
        const e = ds.enis.get(eniId);
        if (e !== undefined) e.excluded = o.excluded;
        const r = ref.enis.get(eniId);
        if (r !== undefined) r.excluded = o.excluded;
        break;
      }
      case 'mode':
        ds.mode = o.mode;
        ref.mode = o.mode;
        break;
    }
    // holdings: stats' cooldown-free totals, read before stats ends any cooldown, and changing nothing
    const changes = ds.changes;
    const { totalIps, assignedIps } = ref.stats(now);
    expect(ds.holdings()).toEqual({ totalIps, assignedIps });
    expect(ds.changes).toBe(changes);
    expect(ds.stats(now)).toEqual(ref.stats(now));
    expect(ds.freePrefixes()).toBe(ref.freePrefixes());
    expect(ds.summaries(now)).toEqual(ref.summaries(now));
    expect(contents(ds.enis.values())).toEqual(contents(ref.enis.values()));
    for (const e of ds.enis.values()) expect(e.tally).toEqual(recount(ds, e, now));
  }
}

describe('datastore tallies', () => {
  it('answer as the from-scratch rules over random histories, with the same random draws', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1_000, COOLDOWN),
        fc.constantFrom<DsMode>('sip', 'pd', 'ipv6'),
        fc.array(opArb, { maxLength: 150, size: 'max' }),
        (cooldown, mode, ops) => run(cooldown, mode, ops),
      ),
      { numRuns: 300 },
    );
  });

  it('count an address as cooling up to IP_COOLDOWN_PERIOD after its release, inclusive', () => {
    const ds = new Datastore('sip', COOLDOWN);
    ds.addEni({ id: 'eni-1', primary: true, trunk: false, efa: false, deviceNumber: 0, subnetId: 's', excluded: false, createTime: 0 });
    ds.addIpv4Cidr('eni-1', '10.0.0.5', false);
    const rng = new Random('cooldown');
    expect(ds.assign(pod(1, false), 0, rng)?.ip).toBe('10.0.0.5');
    ds.unassign(pod(1, false), 10_000);
    expect(ds.stats(10_000 + COOLDOWN).cooldownIps).toBe(1);
    expect(ds.assign(pod(2, false), 10_000 + COOLDOWN, rng)).toBeUndefined();
    expect(ds.stats(10_000 + COOLDOWN + 1).cooldownIps).toBe(0);
    expect(ds.assign(pod(2, false), 10_000 + COOLDOWN + 1, rng)?.ip).toBe('10.0.0.5');
  });

  it('leave out an ENI that eni-setup flips to excluded, and count it again when flipped back', () => {
    const ds = new Datastore('sip', COOLDOWN);
    const e = ds.addEni({ id: 'eni-1', primary: false, trunk: false, efa: false, deviceNumber: 1, subnetId: 's', excluded: false, createTime: 0 });
    ds.addIpv4Cidr('eni-1', '10.0.0.5', false);
    ds.addIpv4Cidr('eni-1', '10.0.1.0/28', true);
    e.excluded = true;
    expect(ds.stats(0)).toEqual({ totalIps: 0, assignedIps: 0, cooldownIps: 0, totalPrefixes: 1 });
    expect(ds.freePrefixes()).toBe(1);
    e.excluded = false;
    expect(ds.stats(0)).toEqual({ totalIps: 1, assignedIps: 0, cooldownIps: 0, totalPrefixes: 1 });
  });

  it('find pods by the content of their container id, per interface', () => {
    const ds = new Datastore('sip', 0);
    ds.addEni({ id: 'eni-1', primary: true, trunk: false, efa: false, deviceNumber: 0, subnetId: 's', excluded: false, createTime: 0 });
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) ds.addIpv4Cidr('eni-1', ip, false);
    const rng = new Random('keys');
    const eth0 = ds.assign(pod(7, false), 0, rng)!;
    const eth1 = ds.assign(pod(7, true), 0, rng)!;
    expect(eth1.ip).not.toBe(eth0.ip);
    expect(ds.assign(pod(7, false), 0, rng)).toEqual(eth0);
    expect(ds.unassign(pod(7, false), 0)?.ip).toBe(eth0.ip);
    expect(ds.unassign(pod(7, false), 0)).toBeUndefined();
    expect(ds.unassign(pod(7, true), 0)?.ip).toBe(eth1.ip);
  });
});
