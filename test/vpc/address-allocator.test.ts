import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/sim/index.ts';
import { AddressAllocator, type ReservationType } from '../../src/model/vpc/address-allocator.ts';
import { type Cidr, cidrLast, containsIp, parseCidr } from '../../src/model/vpc/ipv4.ts';

type Op =
  | { kind: 'ips'; n: number }
  | { kind: 'fill' }
  | { kind: 'prefixes'; n: number }
  | { kind: 'releaseIp'; pick: number }
  | { kind: 'releasePrefix'; pick: number }
  | { kind: 'reserve'; block: number; len: number; type: ReservationType };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('ips' as const), n: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('prefixes' as const), n: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'fill' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('releaseIp' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('releasePrefix' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reserve' as const),
      block: fc.nat(),
      len: fc.integer({ min: 27, max: 30 }),
      type: fc.constantFrom<ReservationType>('prefix', 'explicit'),
    }),
  },
);

/** Replays `ops` against the allocator and a brute-force model, checking every property after each step. */
function check(subnet: string, seed: number, ops: Op[]): void {
  const cidr = parseCidr(subnet);
  const a = new AddressAllocator(cidr, new Random(`t/${seed}`));
  const size = cidrLast(cidr) - cidr.base + 1;
  const held = new Set<number>();
  const ips: number[] = [];
  const prefixes: number[] = [];
  const reservations: Array<{ c: Cidr; type: ReservationType }> = [];
  const awsReserved = (o: number) => o < 4 || o === size - 1;
  const reservationOf = (ip: number) => reservations.find((r) => containsIp(r.c, ip));
  const singleFree = (ip: number) => !held.has(ip) && !awsReserved(ip - cidr.base) && reservationOf(ip) === undefined;
  const blockFree = (b: number) => {
    for (let ip = b; ip < b + 16; ip++) {
      if (held.has(ip) || awsReserved(ip - cidr.base) || reservationOf(ip)?.type === 'explicit') return false;
    }
    return true;
  };
  const freeBlocks = () => {
    const out: number[] = [];
    for (let b = cidr.base; b < cidr.base + size; b += 16) if (blockFree(b)) out.push(b);
    return out;
  };

  for (const op0 of ops) {
    const op: Exclude<Op, { kind: 'fill' }> = op0.kind === 'fill' ? { kind: 'ips', n: Math.max(1, a.freeAddressCount) } : op0;
    switch (op.kind) {
      case 'ips': {
        const free = [...Array(size).keys()].map((o) => cidr.base + o).filter(singleFree).length;
        const got = a.allocateAddresses(op.n);
        if (free < op.n) {
          expect(got).toBe('InsufficientFreeAddressesInSubnet');
          break;
        }
        expect(Array.isArray(got)).toBe(true);
        for (const ip of got as number[]) {
          expect(singleFree(ip)).toBe(true); // in subnet, not reserved, not held, outside reservations
          held.add(ip);
          ips.push(ip);
        }
        break;
      }
      case 'prefixes': {
        const fb = freeBlocks();
        const got = a.allocatePrefixes(op.n);
        if (fb.length < op.n) {
          // InsufficientCidrBlocks exactly when there are free addresses but not enough free aligned /28s.
          expect(got).toBe(a.availableCount > 0 ? 'InsufficientCidrBlocks' : 'InsufficientFreeAddressesInSubnet');
          break;
        }
        const inPrefixReservation = fb.filter((b) => {
          for (let ip = b; ip < b + 16; ip++) if (reservationOf(ip)?.type !== 'prefix') return false;
          return true;
        });
        expect(Array.isArray(got)).toBe(true);
        for (const [i, b] of (got as number[]).entries()) {
          expect((b - cidr.base) % 16).toBe(0);
          expect(blockFree(b)).toBe(true);
          // Reservations first: while the reservation has free blocks, the prefix comes from it.
          if (i < inPrefixReservation.length) expect(inPrefixReservation).toContain(b);
          for (let ip = b; ip < b + 16; ip++) held.add(ip);
          prefixes.push(b);
        }
        break;
      }
      case 'releaseIp': {
        if (ips.length === 0) break;
        const ip = ips.splice(op.pick % ips.length, 1)[0];
        a.release(ip);
        held.delete(ip);
        break;
      }
      case 'releasePrefix': {
        if (prefixes.length === 0) break;
        const b = prefixes.splice(op.pick % prefixes.length, 1)[0];
        a.releasePrefix(b);
        for (let ip = b; ip < b + 16; ip++) held.delete(ip);
        break;
      }
      case 'reserve': {
        const len = op.len;
        const n = 2 ** (len - cidr.prefixLen);
        const c = { base: cidr.base + (op.block % n) * 2 ** (32 - len), prefixLen: len };
        if (reservations.some((r) => containsIp(r.c, c.base) || containsIp(c, r.c.base))) break; // subnet.ts rejects overlaps
        a.reserve(c, op.type);
        reservations.push({ c, type: op.type });
        break;
      }
    }
    expect(a.checkInvariants()).toEqual([]);
    expect(a.usedCount).toBe(held.size);
    expect(a.usedCount + a.availableCount).toBe(a.usableCount);
    expect(a.freePrefixCount).toBe(freeBlocks().length);
  }
}

describe('address allocator', () => {
  it('reserves AWS addresses: /24 → 251, /26 → 59, /28 → 11 usable (§C.6)', () => {
    const r = new Random('x');
    expect(new AddressAllocator(parseCidr('10.0.0.0/24'), r).availableCount).toBe(251);
    expect(new AddressAllocator(parseCidr('10.0.0.0/26'), r).availableCount).toBe(59);
    const s28 = new AddressAllocator(parseCidr('10.0.0.0/28'), r);
    expect(s28.availableCount).toBe(11);
    expect(s28.freePrefixCount).toBe(0);
    expect(s28.allocatePrefixes(1)).toBe('InsufficientCidrBlocks');
  });

  it('hands out every usable address of a /28 and then fails', () => {
    const a = new AddressAllocator(parseCidr('10.0.0.0/28'), new Random('y'));
    const got = a.allocateAddresses(11) as number[];
    expect(new Set(got).size).toBe(11);
    expect(got.every((ip) => ip >= parseCidr('10.0.0.4/32').base && ip <= parseCidr('10.0.0.14/32').base)).toBe(true);
    expect(a.allocateAddresses(1)).toBe('InsufficientFreeAddressesInSubnet');
    expect(a.allocatePrefixes(1)).toBe('InsufficientFreeAddressesInSubnet');
  });

  it('fails a multi-address request whole', () => {
    const a = new AddressAllocator(parseCidr('10.0.0.0/28'), new Random('z'));
    expect(a.allocateAddresses(12)).toBe('InsufficientFreeAddressesInSubnet');
    expect(a.usedCount).toBe(0);
  });

  it('InsufficientCidrBlocks when addresses are free but fragmented', () => {
    const a = new AddressAllocator(parseCidr('10.0.0.0/26'), new Random('f'));
    // One address in each of the two middle blocks; the first and last hold AWS-reserved addresses.
    expect(a.claim(parseCidr('10.0.0.20/32').base)).toBe(true);
    expect(a.claim(parseCidr('10.0.0.40/32').base)).toBe(true);
    expect(a.availableCount).toBe(57);
    expect(a.freePrefixCount).toBe(0);
    expect(a.allocatePrefixes(1)).toBe('InsufficientCidrBlocks');
    a.release(parseCidr('10.0.0.40/32').base);
    expect(a.allocatePrefixes(1)).toEqual([parseCidr('10.0.0.32/28').base]);
  });

  it('carves prefixes from prefix reservations first and keeps their addresses from single IPs', () => {
    const a = new AddressAllocator(parseCidr('10.0.0.0/24'), new Random('r'));
    a.reserve(parseCidr('10.0.0.128/26'), 'prefix');
    const p = a.allocatePrefixes(4) as number[];
    expect(p.every((b) => b >= parseCidr('10.0.0.128/32').base && b < parseCidr('10.0.0.192/32').base)).toBe(true);
    const ips = a.allocateAddresses(a.freeAddressCount) as number[];
    expect(ips.every((ip) => !containsIp(parseCidr('10.0.0.128/26'), ip))).toBe(true);
    expect(a.allocateAddresses(1)).toBe('InsufficientFreeAddressesInSubnet');
  });

  it('explicit reservations are never handed out', () => {
    const a = new AddressAllocator(parseCidr('10.0.0.0/26'), new Random('e'));
    a.reserve(parseCidr('10.0.0.16/28'), 'explicit');
    const ips = a.allocateAddresses(a.freeAddressCount) as number[];
    expect(ips.length).toBe(59 - 16);
    expect(ips.some((ip) => containsIp(parseCidr('10.0.0.16/28'), ip))).toBe(false);
    expect(a.freePrefixCount).toBe(0);
  });

  it('keeps every property over random operation sequences (/26)', () => {
    fc.assert(fc.property(fc.integer(), fc.array(opArb, { maxLength: 60 }), (seed, ops) => check('10.0.0.0/26', seed, ops)), { numRuns: 300 });
  });

  it('keeps every property over random operation sequences (/24)', () => {
    fc.assert(fc.property(fc.integer(), fc.array(opArb, { maxLength: 80 }), (seed, ops) => check('10.1.2.0/24', seed, ops)), { numRuns: 100 });
  });

  it('is deterministic: same seed, same addresses', () => {
    const run = (seed: string) => {
      const a = new AddressAllocator(parseCidr('10.0.0.0/20'), new Random(seed));
      return [a.allocateAddresses(20), a.allocatePrefixes(5), a.allocateAddresses(3)];
    };
    expect(run('s1')).toEqual(run('s1'));
    expect(run('s1')).not.toEqual(run('s2'));
  });
});
