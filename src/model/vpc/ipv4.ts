/**
 * IPv4 address arithmetic on plain numbers: an address is an unsigned 32-bit integer held in a JS number, a CIDR
 * is `{ base, prefixLen }` with no host bits set. Parsing is strict (dotted quad, decimal, no leading zeros, canonical
 * CIDRs only) and failures throw a plain `Error` whose message the scenario loader can wrap in an InputError.
 * Not here: allocation (address-allocator.ts), VPC/subnet rules (vpc.ts, subnet.ts).
 */

export interface Cidr {
  /** Network address, as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefixLen: number;
}

/** "10.0.1.7" → 167772423. Throws an Error naming the bad input. */
export function parseIpv4(s: string): number {
  const n = scanIpv4(s);
  return n >= 0 ? n : parseIpv4Strictly(s);
}

/**
 * The address of a well-formed dotted quad, or −1: one pass over the characters, as every address EC2 and IMDS
 * hand to ipamd is parsed again (`parseIpv4Strictly` then says what is wrong with the rest).
 */
function scanIpv4(s: string): number {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || ++dots > 3) return -1;
      n = n * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return -1; // a leading zero
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else return -1;
  }
  return dots === 3 && digits > 0 ? n * 256 + part : -1;
}

function parseIpv4Strictly(s: string): number {
  const parts = s.split('.');
  if (parts.length !== 4) throw new Error(`"${s}" is not an IPv4 address (expected four dot-separated numbers)`);
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) {
      throw new Error(`"${s}" is not an IPv4 address ("${p}" is not a number 0-255 without leading zeros)`);
    }
    n = n * 256 + Number(p);
  }
  return n;
}

/** 167772423 → "10.0.1.7". */
export function formatIpv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Number of addresses in a /prefixLen block. */
export function blockSize(prefixLen: number): number {
  return 2 ** (32 - prefixLen);
}

/**
 * The host bits of a block of `size` addresses (a power of two up to 2^53: an IPv4 block, or an IPv6 /80's 2^48), by
 * halving — exact integer steps where Math.log2's last bit is each engine's own.
 */
export function hostBits(size: number): number {
  if (!Number.isSafeInteger(size) || size < 1) throw new Error(`hostBits: ${size} is not a block size`);
  let bits = 0;
  for (let n = size; n > 1; n /= 2) {
    if (n % 2 !== 0) throw new Error(`hostBits: ${size} is not a power of two`);
    bits++;
  }
  return bits;
}

/** The reason `s` is not a canonical IPv4 CIDR, or undefined when it is one. */
export function cidrError(s: string): string | undefined {
  try {
    parseCidr(s);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** "10.0.0.0/16" → { base, prefixLen: 16 }. Rejects host bits set ("10.0.0.1/16") with the canonical form in the message. */
export function parseCidr(s: string): Cidr {
  const slash = s.indexOf('/');
  if (slash < 0) throw new Error(`"${s}" is not a CIDR (expected address/prefix-length, e.g. 10.0.0.0/16)`);
  const addr = s.slice(0, slash);
  const lenText = s.slice(slash + 1);
  if (!/^(0|[1-9][0-9]?)$/.test(lenText) || Number(lenText) > 32) {
    throw new Error(`"${s}" is not a CIDR (prefix length "${lenText}" is not 0-32)`);
  }
  const prefixLen = Number(lenText);
  let ip: number;
  try {
    ip = parseIpv4(addr);
  } catch (err) {
    throw new Error(`"${s}" is not a CIDR: ${(err as Error).message}`);
  }
  const base = networkOf(ip, prefixLen);
  if (base !== ip) {
    throw new Error(`"${s}" is not a canonical CIDR (host bits set; did you mean ${formatCidr({ base, prefixLen })}?)`);
  }
  return { base, prefixLen };
}

export function formatCidr(c: Cidr): string {
  return `${formatIpv4(c.base)}/${c.prefixLen}`;
}

/** The network address of `ip` under a /prefixLen mask. */
export function networkOf(ip: number, prefixLen: number): number {
  const size = blockSize(prefixLen);
  return ip - (ip % size);
}

export function cidrSize(c: Cidr): number {
  return blockSize(c.prefixLen);
}

/** Last address of the block (the broadcast address). */
export function cidrLast(c: Cidr): number {
  return c.base + cidrSize(c) - 1;
}

/** Whether the address lies in the block. */
export function containsIp(c: Cidr, ip: number): boolean {
  return ip >= c.base && ip <= cidrLast(c);
}

/** Whether `inner` lies wholly inside `outer`. */
export function containsCidr(outer: Cidr, inner: Cidr): boolean {
  return inner.prefixLen >= outer.prefixLen && containsIp(outer, inner.base);
}

/** Whether the two blocks share any address (CIDR blocks either nest or are disjoint). */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return containsIp(a, b.base) || containsIp(b, a.base);
}

/** Number of aligned /prefixLen blocks inside `c` (0 when c is smaller). */
export function alignedBlockCount(c: Cidr, prefixLen = 28): number {
  return prefixLen < c.prefixLen ? 0 : 2 ** (prefixLen - c.prefixLen);
}

/** The i-th aligned /prefixLen block inside `c`. */
export function alignedBlock(c: Cidr, i: number, prefixLen = 28): Cidr {
  return { base: c.base + i * blockSize(prefixLen), prefixLen };
}

/** All aligned /prefixLen blocks inside `c`, in address order (for small blocks and tests; the allocator indexes them). */
export function alignedBlocks(c: Cidr, prefixLen = 28): Cidr[] {
  const n = alignedBlockCount(c, prefixLen);
  const out: Cidr[] = [];
  for (let i = 0; i < n; i++) out.push(alignedBlock(c, i, prefixLen));
  return out;
}
