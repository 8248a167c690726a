/**
 * IPv6 address arithmetic on BigInt: parse (full, `::`-compressed, embedded IPv4 tail) and format in the RFC 5952
 * canonical form (lower case, longest run of zero groups — leftmost on a tie, at least two — shown as `::`).
 * CIDRs are `{ base, prefixLen }` with no host bits set; VPCs get a /56, subnets a /64, ipamd's prefixes are /80s
 * (spec §6). Failures throw a plain Error. Not here: which blocks are handed out (subnet.ts).
 */

export interface Ipv6Cidr {
  readonly base: bigint;
  readonly prefixLen: number;
}

const MAX = (1n << 128n) - 1n;

export function parseIpv6(s: string): bigint {
  const bad = (why: string): never => {
    throw new Error(`"${s}" is not an IPv6 address (${why})`);
  };
  if (s.length === 0) bad('empty');
  let text = s;
  const groups: number[] = [];
  // Embedded dotted IPv4 in the last 32 bits ("::ffff:10.0.0.1"): rewrite it as two hex groups.
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.slice(lastColon + 1).includes('.')) {
    const v4 = text.slice(lastColon + 1).split('.');
    if (v4.length !== 4 || v4.some((p) => !/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255)) bad('bad embedded IPv4');
    const n = v4.map(Number);
    text = `${text.slice(0, lastColon + 1)}${(n[0] * 256 + n[1]).toString(16)}:${(n[2] * 256 + n[3]).toString(16)}`;
  }
  const dbl = text.indexOf('::');
  if (dbl >= 0 && text.indexOf('::', dbl + 1) >= 0) bad('more than one "::"');
  const parseGroups = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').map((g) => {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) bad(`bad group "${g}"`);
      return parseInt(g, 16);
    });
  };
  const want = 8;
  if (dbl >= 0) {
    const head = parseGroups(text.slice(0, dbl));
    const rest = parseGroups(text.slice(dbl + 2));
    if (head.length + rest.length > want - 1) bad('too many groups');
    groups.push(...head, ...new Array<number>(want - head.length - rest.length).fill(0), ...rest);
  } else {
    const all = parseGroups(text);
    if (all.length !== want) bad(`expected 8 groups, got ${all.length}`);
    groups.push(...all);
  }
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(g);
  return n;
}

/** Canonical text (RFC 5952). */
export function formatIpv6(n: bigint): string {
  if (n < 0n || n > MAX) throw new Error(`IPv6 value out of range: ${n}`);
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function parseIpv6Cidr(s: string): Ipv6Cidr {
  const slash = s.indexOf('/');
  if (slash < 0) throw new Error(`"${s}" is not an IPv6 CIDR (expected address/prefix-length)`);
  const lenText = s.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(lenText) || Number(lenText) > 128) {
    throw new Error(`"${s}" is not an IPv6 CIDR (prefix length "${lenText}" is not 0-128)`);
  }
  const prefixLen = Number(lenText);
  let base: bigint;
  try {
    base = parseIpv6(s.slice(0, slash));
  } catch (err) {
    throw new Error(`"${s}" is not an IPv6 CIDR: ${(err as Error).message}`);
  }
  const net = base & ~hostMask(prefixLen) & MAX;
  if (net !== base) {
    throw new Error(`"${s}" is not a canonical IPv6 CIDR (host bits set; did you mean ${formatIpv6Cidr({ base: net, prefixLen })}?)`);
  }
  return { base, prefixLen };
}

export function formatIpv6Cidr(c: Ipv6Cidr): string {
  return `${formatIpv6(c.base)}/${c.prefixLen}`;
}

function hostMask(prefixLen: number): bigint {
  return (1n << BigInt(128 - prefixLen)) - 1n;
}

/** The `index`-th /newPrefixLen block inside `c` (e.g. the 3rd /64 of a /56, the 5th /80 of a /64). */
export function ipv6SubBlock(c: Ipv6Cidr, newPrefixLen: number, index: bigint | number): Ipv6Cidr {
  const i = BigInt(index);
  if (newPrefixLen < c.prefixLen || newPrefixLen > 128) throw new Error(`/${newPrefixLen} does not fit in /${c.prefixLen}`);
  const count = 1n << BigInt(newPrefixLen - c.prefixLen);
  if (i < 0n || i >= count) throw new Error(`block index ${i} out of range (a /${c.prefixLen} holds ${count} /${newPrefixLen}s)`);
  return { base: c.base + (i << BigInt(128 - newPrefixLen)), prefixLen: newPrefixLen };
}

/** The n-th address of the block (0 = the base). */
export function ipv6Nth(c: Ipv6Cidr, n: bigint | number): bigint {
  const i = BigInt(n);
  if (i < 0n || i > hostMask(c.prefixLen)) throw new Error(`address index ${i} out of range for /${c.prefixLen}`);
  return c.base + i;
}

export function ipv6Contains(c: Ipv6Cidr, ip: bigint): boolean {
  return ip >= c.base && ip <= c.base + hostMask(c.prefixLen);
}

export function ipv6Overlaps(a: Ipv6Cidr, b: Ipv6Cidr): boolean {
  return ipv6Contains(a, b.base) || ipv6Contains(b, a.base);
}
