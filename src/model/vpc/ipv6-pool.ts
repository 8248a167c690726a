/**
 * The IPv6 side of one subnet's /64: /80 prefixes for ipamd's IPv6 mode (spec §6) and single IPv6 addresses.
 * Block 0 of the 65,536 /80s holds single addresses (random interface ids, never the first four or the last
 * address of the /64, which AWS reserves); prefixes are random unused /80s among blocks 1..65535.
 * With 2^16 prefixes and 2^48 addresses per block there is effectively no exhaustion (spec §6).
 * Not here: IPv4 (address-allocator.ts).
 */
import type { Random } from '../../sim/index.ts';
import { type Ipv6Cidr, formatIpv6, formatIpv6Cidr, ipv6SubBlock, parseIpv6, parseIpv6Cidr } from './ipv6.ts';

const PREFIXES = 65536;

export class Ipv6Pool {
  private readonly prefixes = new Set<number>();
  private readonly addresses = new Set<bigint>();

  constructor(
    readonly cidr: Ipv6Cidr,
    private readonly rng: Random,
  ) {
    if (cidr.prefixLen !== 64) throw new Error(`subnet IPv6 block ${formatIpv6Cidr(cidr)} must be a /64`);
  }

  /** `n` random free /80s as CIDR strings, or undefined when too few are free. */
  allocatePrefixes(n: number): string[] | undefined {
    if (this.prefixes.size + n > PREFIXES - 1) return undefined;
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      let idx: number;
      do idx = 1 + this.rng.int(PREFIXES - 1);
      while (this.prefixes.has(idx));
      this.prefixes.add(idx);
      out.push(formatIpv6Cidr(ipv6SubBlock(this.cidr, 80, idx)));
    }
    return out;
  }

  /** `n` random free addresses in block 0, as text. */
  allocateAddresses(n: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      let a: bigint;
      do a = this.cidr.base + BigInt(this.rng.int(2 ** 24)) * 2n ** 24n + BigInt(this.rng.int(2 ** 24));
      while (a - this.cidr.base < 4n || this.addresses.has(a));
      this.addresses.add(a);
      out.push(formatIpv6(a));
    }
    return out;
  }

  releasePrefix(text: string): boolean {
    const c = parseIpv6Cidr(text);
    const idx = Number((c.base - this.cidr.base) >> 48n);
    return this.prefixes.delete(idx);
  }

  releaseAddress(text: string): boolean {
    return this.addresses.delete(parseIpv6(text));
  }

  get usedPrefixCount(): number {
    return this.prefixes.size;
  }
}
