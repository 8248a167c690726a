/**
 * Rules between fields that more than one part of a scenario obeys — a VPC block's size, overlap and quota; a
 * subnet's zone and CIDR; a reference to a subnet; an aws-node variable name — shared by semantic.ts (the file's
 * sections) and actions/*.ts (the timeline's steps). Each failure is one InputError via fail().
 * Not here: per-field types and limits (validate.ts).
 */
import { KNOWN_ENV_KEYS } from '../model/ipamd/config.ts';
import { containsCidr, formatCidr, overlaps, parseCidr, type Cidr } from '../model/vpc/ipv4.ts';
import { didYouMean, nearest } from '../util/suggest.ts';
import type { Located, Path } from './source.ts';
import { fail } from './validate.ts';

/** Adds a VPC block to `blocks`, refusing a bad size, an overlap, or one beyond the quota. */
export function addVpcBlock(src: Located, path: Path, text: string, blocks: Cidr[], blockLimit: number): void {
  const c = parseCidr(text);
  if (c.prefixLen < 16 || c.prefixLen > 28) fail(src, path, `a VPC block must be /16 to /28, got /${c.prefixLen}`);
  const clash = blocks.find((b) => overlaps(b, c));
  if (clash !== undefined) fail(src, path, `${text} overlaps ${formatCidr(clash)}, already a block of this VPC`);
  blocks.push(c);
  if (blocks.length > blockLimit) {
    fail(src, path, `the VPC would hold ${blocks.length} IPv4 CIDR blocks; the quota is ${blockLimit} (primary + ${blockLimit - 1} secondary; raise ec2.vpcCidrBlockLimit, at most 50)`);
  }
}

export function checkAz(src: Located, path: Path, az: string, region: string): void {
  if (!az.startsWith(region) || az.length !== region.length + 1) {
    fail(src, path, `availability zone "${az}" is not in region ${region} (expected ${region}a, ${region}b, …)`);
  }
}

export function checkSubnetCidr(src: Located, path: Path, text: string, blocks: Cidr[], existing: Map<string, { cidr: Cidr }>, later = false): Cidr {
  const c = parseCidr(text);
  if (c.prefixLen < 16 || c.prefixLen > 28) fail(src, path, `a subnet must be /16 to /28, got /${c.prefixLen}`);
  if (!blocks.some((b) => containsCidr(b, c))) {
    const inVpc = blocks.map(formatCidr).join(', ');
    fail(src, path, `${text} is outside the VPC (blocks ${later ? 'by then' : 'at start'}: ${inVpc})${later ? '' : '; add the block to vpc.cidrBlocks or create the subnet after an associate-vpc-cidr-block step'}`);
  }
  for (const [id, s] of existing) {
    if (overlaps(s.cidr, c)) fail(src, path, `${text} overlaps subnet ${id} (${formatCidr(s.cidr)})`);
  }
  return c;
}

export function unknownSubnet(src: Located, path: Path, id: string, known: Iterable<string>, what = 'subnet'): never {
  const list = [...known];
  fail(src, path, `unknown ${what} "${id}"${didYouMean(id, list) || (list.length > 0 && list.length <= 8 ? ` (subnets: ${list.join(', ')})` : '')}`);
}

/** Every resource of a tagging step (`aws ec2 create-tags`, `delete-tags`) is a known subnet. */
export function checkTagResources(src: Located, path: Path, resources: readonly string[], subnets: ReadonlyMap<string, unknown>): void {
  resources.forEach((r, j) => {
    if (!subnets.has(r)) unknownSubnet(src, [...path, 'resources', j], r, subnets.keys(), 'resource');
  });
}

export function checkEnvKey(src: Located, path: Path, key: string): void {
  if (KNOWN_ENV_KEYS.includes(key)) return;
  const near = nearest(key, KNOWN_ENV_KEYS, 1);
  if (near.length > 0) fail(src, path, `unknown aws-node variable "${key}" (did you mean "${near[0]}"?)`, true);
}
