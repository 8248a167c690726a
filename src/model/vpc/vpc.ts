/**
 * A VPC: a primary IPv4 CIDR block, secondary blocks (AssociateVpcCidrBlock), an optional Amazon-provided IPv6 /56,
 * a default security group and its subnets. Holds the creation rules EC2 applies:
 *   - VPC blocks are /16 to /28 and may not overlap (InvalidVpc.Range);
 *   - at most `cidrBlockLimit` blocks, the primary included (CidrLimitExceeded). The AWS quota "IPv4 CIDR blocks per
 *     VPC" is 5 (primary + 4 secondary), adjustable up to 50 (Amazon VPC User Guide, "Amazon VPC quotas");
 *   - a subnet is /16 to /28 and lies inside one VPC block (InvalidSubnet.Range), overlapping no other subnet
 *     (InvalidSubnet.Conflict).
 * Not here: the rule that secondary blocks come from ranges compatible with the primary (not modelled).
 */
import { ec2Error } from '../ec2/errors.ts';
import type { Ec2Error, Tags, VpcId } from '../ec2/types.ts';
import { type Cidr, containsCidr, formatCidr, overlaps } from './ipv4.ts';
import { type Ipv6Cidr, ipv6SubBlock } from './ipv6.ts';
import type { Subnet } from './subnet.ts';

/** Primary + 5 secondary blocks: the mission's rule (AWS's default quota is 5 including the primary, adjustable). */
export const DEFAULT_VPC_CIDR_BLOCK_LIMIT = 6;

export class Vpc {
  readonly cidrBlocks: Cidr[] = [];
  readonly subnets: Subnet[] = [];
  readonly tags: Tags = {};
  /** /64 indexes of the IPv6 /56 already given to subnets. */
  private readonly usedIpv6Subnets = new Set<number>();

  constructor(
    readonly id: VpcId,
    primary: Cidr,
    readonly defaultSecurityGroupId: string,
    readonly cidrBlockLimit = DEFAULT_VPC_CIDR_BLOCK_LIMIT,
    readonly ipv6Cidr?: Ipv6Cidr,
  ) {
    const err = vpcBlockSizeError(primary);
    if (err !== undefined) throw new Error(err.message);
    this.cidrBlocks.push(primary);
  }

  get primaryCidr(): Cidr {
    return this.cidrBlocks[0];
  }

  /** AssociateVpcCidrBlock's checks and effect. */
  associateCidrBlock(c: Cidr): Ec2Error | undefined {
    const sizeErr = vpcBlockSizeError(c);
    if (sizeErr !== undefined) return sizeErr;
    const clash = this.cidrBlocks.find((b) => overlaps(b, c));
    if (clash !== undefined) {
      return ec2Error('InvalidVpc.Range', `The CIDR '${formatCidr(c)}' conflicts with another CIDR block '${formatCidr(clash)}' of ${this.id}.`);
    }
    if (this.cidrBlocks.length >= this.cidrBlockLimit) {
      return ec2Error('CidrLimitExceeded', `This network '${this.id}' has met its maximum number of allowed CIDRs: ${this.cidrBlockLimit}`);
    }
    this.cidrBlocks.push(c);
    return undefined;
  }

  /** CreateSubnet's CIDR checks (the caller then builds and adds the Subnet). */
  subnetCidrError(c: Cidr): Ec2Error | undefined {
    if (c.prefixLen < 16 || c.prefixLen > 28 || !this.cidrBlocks.some((b) => containsCidr(b, c))) {
      return ec2Error('InvalidSubnet.Range', `The CIDR '${formatCidr(c)}' is invalid.`);
    }
    if (this.subnets.some((s) => overlaps(s.cidr, c))) {
      return ec2Error('InvalidSubnet.Conflict', `The CIDR '${formatCidr(c)}' conflicts with another subnet`);
    }
    return undefined;
  }

  /** A /64 of the VPC's /56 for a new subnet: the requested index, or the lowest unused one. */
  takeIpv6SubnetBlock(index?: number): Ipv6Cidr | Ec2Error {
    if (this.ipv6Cidr === undefined) return ec2Error('InvalidParameterValue', `${this.id} has no IPv6 CIDR block`);
    let i = index;
    if (i === undefined) {
      i = 0;
      while (this.usedIpv6Subnets.has(i)) i++;
    }
    if (i < 0 || i > 255) return ec2Error('InvalidParameterValue', `IPv6 subnet index ${i} is outside 0-255`);
    if (this.usedIpv6Subnets.has(i)) return ec2Error('InvalidSubnet.Conflict', `The IPv6 CIDR block index ${i} conflicts with another subnet`);
    this.usedIpv6Subnets.add(i);
    return ipv6SubBlock(this.ipv6Cidr, 64, i);
  }
}

function vpcBlockSizeError(c: Cidr): Ec2Error | undefined {
  if (c.prefixLen < 16 || c.prefixLen > 28) return ec2Error('InvalidVpc.Range', `The CIDR '${formatCidr(c)}' is invalid.`);
  return undefined;
}
