/**
 * The IPv4 address pool of one subnet, as EC2 hands it out:
 *   - a secondary (or primary) IP is a uniformly random free address;
 *   - a /28 prefix is a uniformly random aligned block whose 16 addresses are all free and none reserved, taken from
 *     prefix-type subnet CIDR reservations first when they have such a block (spec §5; user-scenarios §C.6);
 *   - AWS's five reserved addresses (first four, last) are never handed out (user-scenarios §C.6);
 *   - free addresses but no free aligned /28 → InsufficientCidrBlocks; nothing free → InsufficientFreeAddressesInSubnet.
 * Every operation is O(1) per address: swap-remove lists with position indexes for free addresses and for free
 * blocks, and a per-/28 busy counter, so /16 subnets with thousands of nodes stay cheap.
 * Not here: who holds an address (ENIs, external users — see subnet.ts and the EC2 state), IPv6.
 */
import type { Random } from '../../sim/index.ts';
import { blockSize, type Cidr, cidrLast, cidrSize, containsCidr, containsIp, formatCidr, formatIpv4 } from './ipv4.ts';

/** How many addresses AWS reserves in every subnet: the first four and the last (user-scenarios §C.6). */
const AWS_RESERVED_PER_SUBNET = 5;

/** Whether `ip` (inside `c`) is one of the five addresses AWS reserves in subnet `c`: the first four and the last. */
export function isAwsReserved(c: Cidr, ip: number): boolean {
  return ip - c.base < 4 || ip === cidrLast(c);
}

/** Addresses EC2 can ever hand out in a subnet of `c`'s size: the block less the five AWS-reserved ones. */
export function usableAddressCount(c: Pick<Cidr, 'prefixLen'>): number {
  return blockSize(c.prefixLen) - AWS_RESERVED_PER_SUBNET;
}

export type AllocationError = 'InsufficientFreeAddressesInSubnet' | 'InsufficientCidrBlocks';

/**
 * Subnet CIDR reservation types (CreateSubnetCidrReservation): `prefix` addresses are kept for prefix delegation
 * (never handed out as single IPs), `explicit` addresses are kept for manual assignment (never handed out
 * automatically at all).
 */
export type ReservationType = 'prefix' | 'explicit';

const NORMAL = 0;
const PREFIX_ONLY = 1;
const BLOCKED = 2;

/** A set of small integers with O(1) add, remove, membership and uniform random pick. */
class SwapSet {
  private readonly items: Int32Array;
  private readonly pos: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.items = new Int32Array(capacity);
    this.pos = new Int32Array(capacity).fill(-1);
  }

  has(v: number): boolean {
    return this.pos[v] >= 0;
  }

  add(v: number): void {
    if (this.pos[v] >= 0) return;
    this.pos[v] = this.size;
    this.items[this.size++] = v;
  }

  remove(v: number): void {
    const i = this.pos[v];
    if (i < 0) return;
    const last = this.items[--this.size];
    this.items[i] = last;
    this.pos[last] = i;
    this.pos[v] = -1;
  }

  at(i: number): number {
    return this.items[i];
  }
}

export class AddressAllocator {
  readonly cidr: Cidr;
  private readonly size: number;
  private readonly blockCount: number;
  /** Per address offset: NORMAL, PREFIX_ONLY (in a prefix reservation) or BLOCKED (AWS-reserved or explicit reservation). */
  private readonly kind: Uint8Array;
  private readonly used: Uint8Array;
  /** Per /28 block: addresses that are used or BLOCKED. A block is a free prefix exactly when this is 0. */
  private readonly busy: Uint8Array;
  /** Per /28 block: addresses in prefix reservations (16 = the whole block is reserved for prefixes). */
  private readonly prefixReserved: Uint8Array;
  /** Offsets handed out as single IPs: NORMAL and unused. */
  private readonly freeAddresses: SwapSet;
  /** Free blocks outside / inside prefix reservations. */
  private readonly freeBlocks: SwapSet;
  private readonly freeReservedBlocks: SwapSet;
  private usedTotal = 0;

  constructor(
    cidr: Cidr,
    private readonly rng: Random,
  ) {
    if (cidr.prefixLen > 28 || cidr.prefixLen < 16) throw new Error(`subnet ${formatCidr(cidr)}: size must be /16 to /28`);
    this.cidr = cidr;
    this.size = cidrSize(cidr);
    this.blockCount = this.size >> 4;
    this.kind = new Uint8Array(this.size);
    this.used = new Uint8Array(this.size);
    this.busy = new Uint8Array(this.blockCount);
    this.prefixReserved = new Uint8Array(this.blockCount);
    this.freeAddresses = new SwapSet(this.size);
    this.freeBlocks = new SwapSet(this.blockCount);
    this.freeReservedBlocks = new SwapSet(this.blockCount);
    for (let o = 0; o < this.size; o++) {
      if (isAwsReserved(cidr, cidr.base + o)) this.kind[o] = BLOCKED;
      if (this.kind[o] === NORMAL) this.freeAddresses.add(o);
      else this.busy[o >> 4]++;
    }
    for (let b = 0; b < this.blockCount; b++) if (this.busy[b] === 0) this.freeBlocks.add(b);
  }

  /** Addresses EC2 can ever hand out: the block minus the five AWS-reserved ones. */
  get usableCount(): number {
    return usableAddressCount(this.cidr);
  }

  /** Addresses currently held (single IPs, 16 per prefix). */
  get usedCount(): number {
    return this.usedTotal;
  }

  /** What DescribeSubnets reports as AvailableIpAddressCount: usable − used (reservations are not subtracted). */
  get availableCount(): number {
    return this.usableCount - this.usedTotal;
  }

  /** Addresses that can be handed out as single IPs now (free and outside every reservation). */
  get freeAddressCount(): number {
    return this.freeAddresses.size;
  }

  /** Aligned /28 blocks that can be delegated now. */
  get freePrefixCount(): number {
    return this.freeBlocks.size + this.freeReservedBlocks.size;
  }

  isUsed(ip: number): boolean {
    return containsIp(this.cidr, ip) && this.used[ip - this.cidr.base] === 1;
  }

  /** `n` distinct uniformly random free addresses, or an error with nothing allocated. */
  allocateAddresses(n: number): number[] | AllocationError {
    if (n > this.freeAddresses.size) return 'InsufficientFreeAddressesInSubnet';
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const o = this.freeAddresses.at(this.rng.int(this.freeAddresses.size));
      this.setUsed(o, 1);
      out.push(this.cidr.base + o);
    }
    return out;
  }

  /** Bases of `n` random free aligned /28 blocks (reservations first), or an error with nothing allocated. */
  allocatePrefixes(n: number): number[] | AllocationError {
    if (n > this.freePrefixCount) {
      return this.availableCount > 0 ? 'InsufficientCidrBlocks' : 'InsufficientFreeAddressesInSubnet';
    }
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const list = this.freeReservedBlocks.size > 0 ? this.freeReservedBlocks : this.freeBlocks;
      const b = list.at(this.rng.int(list.size));
      for (let o = b << 4; o < (b + 1) << 4; o++) this.setUsed(o, 1);
      out.push(this.cidr.base + (b << 4));
    }
    return out;
  }

  /** Takes one specific address (e.g. a requested primary IP). False when it is not free, or reserved. */
  claim(ip: number): boolean {
    if (!containsIp(this.cidr, ip)) return false;
    const o = ip - this.cidr.base;
    if (this.used[o] === 1 || this.kind[o] !== NORMAL) return false;
    this.setUsed(o, 1);
    return true;
  }

  /** Takes one specific aligned /28 (a prefix an existing ENI holds). False when any of its addresses is taken or reserved. */
  claimPrefix(base: number): boolean {
    const o = base - this.cidr.base;
    if (!containsIp(this.cidr, base) || (o & 15) !== 0 || this.busy[o >> 4] !== 0) return false;
    for (let i = o; i < o + 16; i++) this.setUsed(i, 1);
    return true;
  }

  /** Returns a single address to the pool. Throws on an address that is not held (a model bug). */
  release(ip: number): void {
    const o = ip - this.cidr.base;
    if (!containsIp(this.cidr, ip) || this.used[o] !== 1) throw new Error(`release of ${formatIpv4(ip)}: not allocated in ${formatCidr(this.cidr)}`);
    this.setUsed(o, 0);
  }

  /** Returns a /28 to the pool. */
  releasePrefix(base: number): void {
    const o = base - this.cidr.base;
    if (!containsIp(this.cidr, base) || (o & 15) !== 0) throw new Error(`release of prefix ${formatIpv4(base)}/28: not an aligned block of ${formatCidr(this.cidr)}`);
    for (let i = o; i < o + 16; i++) if (this.used[i] !== 1) throw new Error(`release of prefix ${formatIpv4(base)}/28: not allocated`);
    for (let i = o; i < o + 16; i++) this.setUsed(i, 0);
  }

  /**
   * Applies a subnet CIDR reservation to the pool. The caller checks containment and overlap with other reservations;
   * addresses already held stay held and fall under the reservation when released.
   */
  reserve(c: Cidr, type: ReservationType): void {
    if (!containsCidr(this.cidr, c)) throw new Error(`reservation ${formatCidr(c)} is outside ${formatCidr(this.cidr)}`);
    const k = type === 'prefix' ? PREFIX_ONLY : BLOCKED;
    const first = c.base - this.cidr.base;
    const end = first + cidrSize(c);
    for (let o = first; o < end; o++) {
      if (this.kind[o] === BLOCKED) continue; // AWS-reserved stays blocked
      this.setKind(o, k);
    }
    // Re-file free blocks whose reservation status changed.
    for (let b = first >> 4; b <= (end - 1) >> 4; b++) {
      if (this.busy[b] !== 0) continue;
      this.freeBlocks.remove(b);
      this.freeReservedBlocks.remove(b);
      this.fileFreeBlock(b);
    }
  }

  /** Recomputes everything from the per-address state; returns broken invariants (empty when sound). For tests. */
  checkInvariants(): string[] {
    const errs: string[] = [];
    let used = 0;
    for (let o = 0; o < this.size; o++) {
      if (this.used[o]) used++;
      const shouldBeFree = !this.used[o] && this.kind[o] === NORMAL;
      if (shouldBeFree !== this.freeAddresses.has(o)) errs.push(`offset ${o}: free-list membership wrong`);
      if (this.used[o] && isAwsReserved(this.cidr, this.cidr.base + o)) errs.push(`offset ${o}: AWS-reserved address in use`);
    }
    if (used !== this.usedTotal) errs.push(`used count ${this.usedTotal} != ${used}`);
    for (let b = 0; b < this.blockCount; b++) {
      let busy = 0;
      let pref = 0;
      for (let o = b << 4; o < (b + 1) << 4; o++) {
        if (this.used[o] || this.kind[o] === BLOCKED) busy++;
        if (this.kind[o] === PREFIX_ONLY) pref++;
      }
      if (busy !== this.busy[b]) errs.push(`block ${b}: busy ${this.busy[b]} != ${busy}`);
      if (pref !== this.prefixReserved[b]) errs.push(`block ${b}: prefix-reserved ${this.prefixReserved[b]} != ${pref}`);
      const inLists = (this.freeBlocks.has(b) ? 1 : 0) + (this.freeReservedBlocks.has(b) ? 1 : 0);
      if (inLists !== (busy === 0 ? 1 : 0)) errs.push(`block ${b}: free-block membership wrong`);
      if (busy === 0 && this.freeReservedBlocks.has(b) !== (pref === 16)) errs.push(`block ${b}: filed in the wrong free-block list`);
    }
    return errs;
  }

  private fileFreeBlock(b: number): void {
    if (this.prefixReserved[b] === 16) this.freeReservedBlocks.add(b);
    else this.freeBlocks.add(b);
  }

  private isBusy(o: number): boolean {
    return this.used[o] === 1 || this.kind[o] === BLOCKED;
  }

  private setUsed(o: number, u: 0 | 1): void {
    if (this.used[o] === u) return;
    const wasBusy = this.isBusy(o);
    this.used[o] = u;
    this.usedTotal += u === 1 ? 1 : -1;
    this.refile(o, wasBusy);
  }

  private setKind(o: number, k: number): void {
    if (this.kind[o] === k) return;
    const wasBusy = this.isBusy(o);
    const b = o >> 4;
    if (this.kind[o] === PREFIX_ONLY) this.prefixReserved[b]--;
    if (k === PREFIX_ONLY) this.prefixReserved[b]++;
    this.kind[o] = k;
    this.refile(o, wasBusy);
  }

  private refile(o: number, wasBusy: boolean): void {
    if (this.used[o] === 0 && this.kind[o] === NORMAL) this.freeAddresses.add(o);
    else this.freeAddresses.remove(o);
    const isBusy = this.isBusy(o);
    if (isBusy === wasBusy) return;
    const b = o >> 4;
    if (isBusy) {
      if (this.busy[b]++ === 0) {
        this.freeBlocks.remove(b);
        this.freeReservedBlocks.remove(b);
      }
    } else if (--this.busy[b] === 0) {
      this.fileFreeBlock(b);
    }
  }
}
