import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIpv6, formatIpv6Cidr, ipv6Contains, ipv6Nth, ipv6SubBlock, parseIpv6, parseIpv6Cidr } from '../../src/model/vpc/ipv6.ts';

const u128 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
// Addresses with runs of zero groups, where compression matters.
const sparse = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 }).map((gs) =>
  gs.reduce((n, g) => (n << 16n) | BigInt(g), 0n),
);

describe('ipv6', () => {
  it('formats canonically (RFC 5952)', () => {
    expect(formatIpv6(0n)).toBe('::');
    expect(formatIpv6(1n)).toBe('::1');
    expect(formatIpv6(parseIpv6('2001:db8:0:0:0:0:2:1'))).toBe('2001:db8::2:1');
    expect(formatIpv6(parseIpv6('2001:db8:0:1:1:1:1:1'))).toBe('2001:db8:0:1:1:1:1:1'); // a single zero group stays
    expect(formatIpv6(parseIpv6('2001:0:0:1:0:0:0:1'))).toBe('2001:0:0:1::1'); // longest run wins
    expect(formatIpv6(parseIpv6('2001:db8:0:0:1:0:0:1'))).toBe('2001:db8::1:0:0:1'); // leftmost on a tie
    expect(formatIpv6(parseIpv6('2600:1F14:ABCD:1200::'))).toBe('2600:1f14:abcd:1200::');
    expect(formatIpv6(parseIpv6('::ffff:10.0.0.1'))).toBe('::ffff:a00:1');
  });

  it('round-trips', () => {
    fc.assert(fc.property(fc.oneof(u128, sparse), (n) => parseIpv6(formatIpv6(n)) === n));
  });

  it.each(['', '1:2:3', '1::2::3', '1:2:3:4:5:6:7:8:9', 'g::1', '12345::', '1:2:3:4:5:6:7::8'])('rejects %j', (s) => {
    expect(() => parseIpv6(s)).toThrow(/not an IPv6 address/);
  });

  it('parses CIDRs and rejects host bits', () => {
    const vpc = parseIpv6Cidr('2600:1f14:abcd:1200::/56');
    expect(vpc.prefixLen).toBe(56);
    expect(() => parseIpv6Cidr('2600:1f14:abcd:1201::/56')).toThrow(/host bits set; did you mean 2600:1f14:abcd:1200::\/56/);
    expect(() => parseIpv6Cidr('2600::/129')).toThrow(/prefix length/);
  });

  it('carves /64 subnets, /80 prefixes and nth addresses', () => {
    const vpc = parseIpv6Cidr('2600:1f14:abcd:1200::/56');
    const s3 = ipv6SubBlock(vpc, 64, 3);
    expect(formatIpv6Cidr(s3)).toBe('2600:1f14:abcd:1203::/64');
    expect(() => ipv6SubBlock(vpc, 64, 256)).toThrow(/out of range/);
    const p = ipv6SubBlock(s3, 80, 5);
    expect(formatIpv6Cidr(p)).toBe('2600:1f14:abcd:1203:5::/80');
    expect(formatIpv6(ipv6Nth(p, 0))).toBe('2600:1f14:abcd:1203:5::');
    expect(formatIpv6(ipv6Nth(p, 17))).toBe('2600:1f14:abcd:1203:5::11');
    expect(ipv6Contains(s3, p.base)).toBe(true);
    expect(ipv6Contains(p, s3.base)).toBe(false);
  });
});
