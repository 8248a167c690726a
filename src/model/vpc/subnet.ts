/**
 * One subnet: its CIDR inside a VPC block, AZ, tags, route kind, the addresses held by things outside the cluster
 * (`externalUse`: NAT gateways, load balancers, EKS control-plane ENIs), subnet CIDR reservations and the address
 * pools (IPv4 always, IPv6 when the subnet has a /64). DescribeSubnets' AvailableIpAddressCount = usable − used,
 * with AWS's five reserved addresses excluded from usable (user-scenarios §C.6).
 * Not here: creation rules against the VPC (vpc.ts), who holds which address (EC2 state).
 */
import type { Random } from '../../sim/index.ts';
import { errors, ec2Error } from '../ec2/errors.ts';
import type { Ec2Error, SubnetId, SubnetView, Tags, VpcId } from '../ec2/types.ts';
import { AddressAllocator, type ReservationType } from './address-allocator.ts';
import { type Cidr, containsCidr, formatCidr, overlaps } from './ipv4.ts';
import { type Ipv6Cidr, formatIpv6Cidr } from './ipv6.ts';
import { Ipv6Pool } from './ipv6-pool.ts';

/** Where the subnet's default route goes: an internet gateway (public), a NAT gateway, or nowhere. */
export type RouteKind = 'igw' | 'nat' | 'none';

export interface SubnetReservation {
  readonly id: string;
  readonly cidr: Cidr;
  readonly type: ReservationType;
  readonly description: string;
}

export class Subnet {
  readonly allocator: AddressAllocator;
  readonly ipv6: Ipv6Pool | undefined;
  readonly reservations: SubnetReservation[] = [];
  /** Addresses held outside the cluster, in allocation order. */
  readonly externalAddresses: number[] = [];

  constructor(
    readonly id: SubnetId,
    readonly vpcId: VpcId,
    readonly cidr: Cidr,
    readonly availabilityZone: string,
    readonly tags: Tags,
    readonly routeKind: RouteKind,
    rng: Random,
    ipv6Cidr?: Ipv6Cidr,
  ) {
    this.allocator = new AddressAllocator(cidr, rng);
    this.ipv6 = ipv6Cidr === undefined ? undefined : new Ipv6Pool(ipv6Cidr, rng);
  }

  get cidrText(): string {
    return formatCidr(this.cidr);
  }

  get availableIpAddressCount(): number {
    return this.allocator.availableCount;
  }

  view(): SubnetView {
    const v: SubnetView = {
      subnetId: this.id,
      vpcId: this.vpcId,
      cidrBlock: this.cidrText,
      availabilityZone: this.availabilityZone,
      availableIpAddressCount: this.allocator.availableCount,
      tags: { ...this.tags },
      mapPublicIpOnLaunch: this.routeKind === 'igw',
    };
    if (this.ipv6 !== undefined) v.ipv6CidrBlock = formatIpv6Cidr(this.ipv6.cidr);
    return v;
  }

  /** Takes `n` more random addresses for outside users. Fails (taking none) when the subnet has fewer free. */
  addExternalUse(n: number): Ec2Error | undefined {
    const got = this.allocator.allocateAddresses(n);
    if (typeof got === 'string') return errors.insufficientAddresses();
    this.externalAddresses.push(...got);
    return undefined;
  }

  /** Gives back the `n` most recently taken external addresses (all when n exceeds the count). */
  releaseExternalUse(n: number): void {
    for (let i = 0; i < n && this.externalAddresses.length > 0; i++) this.allocator.release(this.externalAddresses.pop()!);
  }

  /**
   * CreateSubnetCidrReservation: the block must lie in the subnet and overlap no other reservation.
   * Prefix reservations are where /28s are carved first; their addresses are never handed out as single IPs.
   */
  addReservation(id: string, cidr: Cidr, type: ReservationType, description = ''): Ec2Error | undefined {
    if (!containsCidr(this.cidr, cidr)) {
      return ec2Error('InvalidParameterValue', `The CIDR '${formatCidr(cidr)}' is not within the subnet CIDR '${this.cidrText}'.`);
    }
    const clash = this.reservations.find((r) => overlaps(r.cidr, cidr));
    if (clash !== undefined) {
      return ec2Error('InvalidParameterValue', `The CIDR '${formatCidr(cidr)}' overlaps with reservation ${clash.id} (${formatCidr(clash.cidr)}).`);
    }
    this.reservations.push({ id, cidr, type, description });
    this.allocator.reserve(cidr, type);
    return undefined;
  }
}
