/**
 * Where new subnets can go: free aligned blocks of a size inside a VPC's IPv4 blocks (not overlapping any subnet),
 * and, when there are not enough, a secondary VPC block to associate — a /16 from the primary's own private range
 * (RFC 1918), else from 100.64.0.0/10 (which any VPC may add), overlapping none of the VPC's blocks. Pure arithmetic
 * on the model's CIDR code (src/model/vpc/ipv4.ts). Not here: whether EC2 accepts them (the simulation does that).
 */
import { alignedBlock, alignedBlockCount, containsCidr, formatCidr, overlaps, parseCidr, type Cidr } from '../model/vpc/ipv4.ts';

/**
 * Where a secondary block may come from (Amazon VPC User Guide, "IPv4 CIDR block association restrictions"): a VPC
 * whose primary block is in one RFC 1918 range may not add blocks from the other two; 100.64.0.0/10 any VPC may add.
 */
const RFC1918 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(parseCidr);
const SHARED = parseCidr('100.64.0.0/10');

/** Up to `count` free /prefixLen blocks inside `blocks`, overlapping none of `taken`, lowest first. */
export function freeBlocks(blocks: readonly Cidr[], taken: readonly Cidr[], prefixLen: number, count: number): Cidr[] {
  const out: Cidr[] = [];
  const busy = [...taken];
  for (const b of blocks) {
    const n = alignedBlockCount(b, prefixLen);
    for (let i = 0; i < n && out.length < count; i++) {
      const c = alignedBlock(b, i, prefixLen);
      if (busy.some((t) => overlaps(t, c))) continue;
      out.push(c);
      busy.push(c);
    }
  }
  return out;
}

/** A block of /prefixLen (at most /16, the largest EC2 takes) to associate with the VPC, or undefined when none is free. */
export function secondaryBlock(vpcBlocks: readonly Cidr[], prefixLen: number): Cidr | undefined {
  const len = Math.max(16, prefixLen);
  const primary = vpcBlocks[0];
  const own = RFC1918.filter((r) => primary !== undefined && containsCidr(r, primary));
  for (const range of [...own, SHARED]) {
    const found = freeBlocks([range], vpcBlocks, len, 1)[0];
    if (found !== undefined) return found;
  }
  return undefined;
}

export interface SubnetSuggestion {
  az: string;
  cidr: string;
}

/**
 * One /prefixLen per AZ: inside `blocks` (the VPC's blocks at start) when each AZ finds one, else all of them inside a
 * new secondary /16 (`associate`) overlapping none of `avoid` (every block the VPC has or will have). `subnets`: every
 * subnet's CIDR, present or to come. Undefined when neither is possible.
 */
export function suggestSubnets(
  azs: readonly string[],
  where: { blocks: readonly string[]; avoid: readonly string[]; subnets: readonly string[] },
  prefixLen: number,
): { associate?: string; subnets: SubnetSuggestion[] } | undefined {
  const taken = where.subnets.map(parseCidr);
  const inside = freeBlocks(where.blocks.map(parseCidr), taken, prefixLen, azs.length);
  if (inside.length === azs.length) return { subnets: azs.map((az, i) => ({ az, cidr: formatCidr(inside[i]) })) };
  // a new /16, the largest block EC2 associates (the walkthrough's 10.1.0.0/16)
  const extra = secondaryBlock(where.avoid.map(parseCidr), 16);
  if (extra === undefined) return undefined;
  const carved = freeBlocks([extra], [], prefixLen, azs.length);
  if (carved.length < azs.length) return undefined;
  return { associate: formatCidr(extra), subnets: azs.map((az, i) => ({ az, cidr: formatCidr(carved[i]) })) };
}
