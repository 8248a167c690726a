import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alignedBlockCount,
  alignedBlocks,
  cidrError,
  cidrLast,
  containsCidr,
  containsIp,
  formatCidr,
  formatIpv4,
  networkOf,
  overlaps,
  parseCidr,
  parseIpv4,
} from '../../src/model/vpc/ipv4.ts';

const u32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const cidrArb = fc.tuple(u32, fc.integer({ min: 0, max: 32 })).map(([ip, len]) => ({ base: networkOf(ip, len), prefixLen: len }));

describe('ipv4', () => {
  it('parses and formats known addresses', () => {
    expect(parseIpv4('10.0.1.7')).toBe(167772423);
    expect(formatIpv4(167772423)).toBe('10.0.1.7');
    expect(parseIpv4('255.255.255.255')).toBe(2 ** 32 - 1);
    expect(formatIpv4(0)).toBe('0.0.0.0');
  });

  it('round-trips every address', () => {
    fc.assert(fc.property(u32, (n) => parseIpv4(formatIpv4(n)) === n));
  });

  it('round-trips canonical CIDRs', () => {
    fc.assert(fc.property(cidrArb, (c) => {
      const back = parseCidr(formatCidr(c));
      return back.base === c.base && back.prefixLen === c.prefixLen;
    }));
  });

  it.each(['10.0.0', '10.0.0.256', '10.0.0.01', '10.0.0.a', '', '1.2.3.4.5', ' 10.0.0.1'])('rejects address %j', (s) => {
    expect(() => parseIpv4(s)).toThrow(/not an IPv4 address/);
  });

  it('accepts exactly the dotted quads of the grammar, whatever the characters', () => {
    const octet = /^(0|[1-9][0-9]{0,2})$/;
    // near misses as well as hits: 1–5 dot-separated runs of digits (or a stray letter or space)
    const text = fc.array(fc.stringMatching(/^[0-9a ]{0,4}$/), { minLength: 1, maxLength: 5 }).map((p) => p.join('.'));
    fc.assert(
      fc.property(text, (s) => {
        const parts = s.split('.');
        const valid = parts.length === 4 && parts.every((p) => octet.test(p) && Number(p) <= 255);
        if (valid) expect(parseIpv4(s)).toBe(parts.reduce((n, p) => n * 256 + Number(p), 0));
        else expect(() => parseIpv4(s)).toThrow(/not an IPv4 address/);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects bad CIDRs with a reason', () => {
    expect(cidrError('10.0.0.0/16')).toBeUndefined();
    expect(cidrError('10.0.0.0')).toMatch(/not a CIDR/);
    expect(cidrError('10.0.0.0/33')).toMatch(/prefix length/);
    expect(cidrError('10.0.0.0/016')).toMatch(/prefix length/);
    expect(cidrError('10.0.300.0/24')).toMatch(/not an IPv4 address/);
    expect(cidrError('10.0.1.0/16')).toMatch(/host bits set; did you mean 10\.0\.0\.0\/16\?/);
  });

  it('contains and overlaps agree with brute force on small blocks', () => {
    const small = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 24, max: 32 })).map(([ip, len]) => ({
      base: networkOf(0x0a000000 + ip, len),
      prefixLen: len,
    }));
    fc.assert(fc.property(small, small, (a, b) => {
      const setA = new Set<number>();
      for (let i = a.base; i <= cidrLast(a); i++) setA.add(i);
      let shared = false;
      let allIn = true;
      for (let i = b.base; i <= cidrLast(b); i++) {
        if (setA.has(i)) shared = true;
        else allIn = false;
      }
      expect(overlaps(a, b)).toBe(shared);
      expect(containsCidr(a, b)).toBe(allIn);
      expect(containsIp(a, b.base)).toBe(setA.has(b.base));
    }));
  });

  it('lists aligned /28 blocks', () => {
    const c = parseCidr('10.0.0.0/26');
    expect(alignedBlockCount(c)).toBe(4);
    expect(alignedBlocks(c).map(formatCidr)).toEqual(['10.0.0.0/28', '10.0.0.16/28', '10.0.0.32/28', '10.0.0.48/28']);
    expect(alignedBlockCount(parseCidr('10.0.0.0/29'))).toBe(0);
    expect(alignedBlockCount(parseCidr('10.0.0.0/16'))).toBe(4096);
  });
});
