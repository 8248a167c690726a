/**
 * Creating VPCs (with an Amazon-provided or given IPv6 /56), associating CIDR blocks, creating subnets (CIDR rules
 * against the VPC, outside users, a /64 each in IPv6, an id kept when given) and subnet CIDR reservations, against
 * the account state. Functions over the state (state.ts calls them); the VPC and subnet rules are src/model/vpc.
 */
import type { Random } from '../../sim/index.ts';
import { usableAddressCount } from '../vpc/address-allocator.ts';
import { formatCidr } from '../vpc/ipv4.ts';
import { parseIpv6Cidr } from '../vpc/ipv6.ts';
import { Subnet } from '../vpc/subnet.ts';
import { Vpc } from '../vpc/vpc.ts';
import { errors, fail, ok, parseCidrParam } from './errors.ts';
import type { CreateSubnetCidrReservationParams, CreateSubnetParams, CreateVpcParams, Ec2StateLimits } from './state-params.ts';
import type { Ec2Result, SubnetId, VpcId } from './types.ts';

/** What these change and use of the account state. */
export interface VpcHost {
  readonly vpcs: Map<VpcId, Vpc>;
  readonly subnets: Map<SubnetId, Subnet>;
  readonly limits: Ec2StateLimits;
  /** The next id of a kind (`vpc`, `sg`, `subnet`, `scr`). */
  nextId(prefix: string): string;
  reserveIds(ids: Iterable<string>): void;
  /** The run's named random stream. */
  random(name: string): Random;
}

export function createVpc(h: VpcHost, p: CreateVpcParams): Ec2Result<Vpc> {
  const c = parseCidrParam(p.cidrBlock);
  if ('code' in c) return { ok: false, error: c };
  if (c.prefixLen < 16 || c.prefixLen > 28) return fail('InvalidVpc.Range', `The CIDR '${p.cidrBlock}' is invalid.`);
  let ipv6;
  if (p.ipv6CidrBlock !== undefined) {
    try {
      ipv6 = parseIpv6Cidr(p.ipv6CidrBlock);
    } catch (err) {
      return fail('InvalidParameterValue', (err as Error).message);
    }
    if (ipv6.prefixLen !== 56) return fail('InvalidParameterValue', `The IPv6 CIDR '${p.ipv6CidrBlock}' must be a /56`);
  } else if (p.amazonProvidedIpv6CidrBlock === true) {
    // 2600:1f14::/32 is an AWS range; the next 24 bits come from the seed: 2600:1f14:xxxx:yy00::/56.
    const r = h.random('ec2/ipv6-vpc');
    const base = (0x26001f14n << 96n) | (BigInt(r.int(0x10000)) << 80n) | (BigInt(r.int(0x100)) << 72n);
    ipv6 = { base, prefixLen: 56 };
  }
  const vpc = new Vpc(h.nextId('vpc'), c, h.nextId('sg'), h.limits.vpcCidrBlockLimit, ipv6);
  Object.assign(vpc.tags, p.tags ?? {});
  h.vpcs.set(vpc.id, vpc);
  return ok(vpc);
}

export function associateVpcCidrBlock(h: VpcHost, vpcId: VpcId, cidrBlock: string): Ec2Result<{ cidrBlock: string }> {
  const vpc = h.vpcs.get(vpcId);
  if (vpc === undefined) return { ok: false, error: errors.vpcNotFound(vpcId) };
  const c = parseCidrParam(cidrBlock);
  if ('code' in c) return { ok: false, error: c };
  const err = vpc.associateCidrBlock(c);
  return err === undefined ? ok({ cidrBlock: formatCidr(c) }) : { ok: false, error: err };
}

export function createSubnet(h: VpcHost, p: CreateSubnetParams): Ec2Result<Subnet> {
  const vpc = h.vpcs.get(p.vpcId);
  if (vpc === undefined) return { ok: false, error: errors.vpcNotFound(p.vpcId) };
  const c = parseCidrParam(p.cidrBlock);
  if ('code' in c) return { ok: false, error: c };
  const err = vpc.subnetCidrError(c);
  if (err !== undefined) return { ok: false, error: err };
  const external = p.externalUse ?? 0;
  if (!Number.isInteger(external) || external < 0) return fail('InvalidParameterValue', `externalUse must be a non-negative integer, got ${external}`);
  if (external > usableAddressCount(c)) return { ok: false, error: errors.insufficientAddresses() };
  let ipv6;
  if (p.ipv6 === true || p.ipv6SubnetIndex !== undefined) {
    const b = vpc.takeIpv6SubnetBlock(p.ipv6SubnetIndex);
    if ('code' in b) return { ok: false, error: b };
    ipv6 = b;
  }
  if (p.subnetId !== undefined && h.subnets.has(p.subnetId)) return fail('InvalidParameterValue', `subnet id ${p.subnetId} is in use`);
  if (p.subnetId !== undefined) h.reserveIds([p.subnetId]);
  const id = p.subnetId ?? h.nextId('subnet');
  const subnet = new Subnet(id, vpc.id, c, p.availabilityZone, { ...(p.tags ?? {}) }, p.routeKind ?? 'nat', h.random(`ec2/addresses/${id}`), ipv6);
  subnet.addExternalUse(external);
  vpc.subnets.push(subnet);
  h.subnets.set(id, subnet);
  return ok(subnet);
}

export function createSubnetCidrReservation(h: VpcHost, p: CreateSubnetCidrReservationParams): Ec2Result<{ reservationId: string; cidr: string }> {
  const subnet = h.subnets.get(p.subnetId);
  if (subnet === undefined) return { ok: false, error: errors.subnetNotFound(p.subnetId) };
  const c = parseCidrParam(p.cidr);
  if ('code' in c) return { ok: false, error: c };
  if (p.reservationType !== 'prefix' && p.reservationType !== 'explicit') {
    return fail('InvalidParameterValue', `Invalid value '${String(p.reservationType)}' for reservationType (prefix or explicit)`);
  }
  const id = h.nextId('scr');
  const err = subnet.addReservation(id, c, p.reservationType, p.description ?? '');
  return err === undefined ? ok({ reservationId: id, cidr: formatCidr(c) }) : { ok: false, error: err };
}
