/**
 * The vocabulary of the EC2 account state (state.ts): the ENI changes it tells IMDS of, the parameters of its
 * operations, its limits and their defaults. Declarations only; state.ts re-exports them.
 */
import type { ReservationType } from '../vpc/address-allocator.ts';
import type { RouteKind } from '../vpc/subnet.ts';
import { DEFAULT_VPC_CIDR_BLOCK_LIMIT } from '../vpc/vpc.ts';
import type { EniId, ImdsEni, InstanceId, SubnetId, Tags, VpcId } from './types.ts';

/** A change IMDS must eventually show (imds.ts applies it after a lag). `snapshot` is null when the ENI left. */
export interface EniChange {
  instanceId: InstanceId;
  eniId: EniId;
  kind: 'attach' | 'update' | 'detach';
  snapshot: ImdsEni | null;
  /** Visible at once (the primary ENI when the instance starts running). */
  immediate?: boolean;
}

export interface CreateVpcParams {
  cidrBlock: string;
  /** Give the VPC an Amazon-provided IPv6 /56 (deterministic from the run seed). */
  amazonProvidedIpv6CidrBlock?: boolean;
  /** An explicit IPv6 /56 instead of an Amazon-provided one. */
  ipv6CidrBlock?: string;
  tags?: Tags;
}

export interface CreateSubnetParams {
  vpcId: VpcId;
  cidrBlock: string;
  availabilityZone: string;
  tags?: Tags;
  /** Default 'nat' (a private subnet with a NAT route). */
  routeKind?: RouteKind;
  /** Addresses held by things outside the cluster (NAT GW, LBs, control-plane ENIs), taken at random. */
  externalUse?: number;
  /** Give the subnet a /64 of the VPC's /56 (the lowest free one unless `ipv6SubnetIndex`). */
  ipv6?: boolean;
  ipv6SubnetIndex?: number;
  /** The id it has in a real account (a state started from one): kept, and never made again. Default: the next counter. */
  subnetId?: SubnetId;
}

export interface CreateSubnetCidrReservationParams {
  subnetId: SubnetId;
  cidr: string;
  reservationType: ReservationType;
  description?: string;
}

export interface RunInstancesParams {
  instanceType: string;
  subnetId: SubnetId;
  /** Instances to launch (default 1); all or nothing. */
  count?: number;
  tags?: Tags;
  securityGroups?: string[];
  /** IPv6 addresses on the primary ENI (needs a subnet with IPv6). */
  ipv6AddressCount?: number;
}

/** An instance that was already running, with its ENIs as they are (a World starting from an existing state). */
export interface AdoptInstanceParams {
  instanceId: InstanceId;
  instanceType: string;
  tags: Tags;
  /** The primary (device index 0) first. Addresses as numbers, prefixes as /28 bases. */
  enis: Array<{ id: EniId; deviceIndex: number; subnetId: SubnetId; primaryIp: number; secondaryIps: number[]; prefixes: number[]; description: string; tags: Tags }>;
}

/** The description EC2 gives the network interface RunInstances creates. */
export const PRIMARY_ENI_DESCRIPTION = 'Primary network interface';

export interface Ec2StateLimits {
  /** IPv4 CIDR blocks per VPC, the primary included (AWS quota 5). */
  vpcCidrBlockLimit: number;
  /** IPv4 addresses (primary included) an unattached ENI may hold; checked against the type again at attach. */
  unattachedEniIpv4Limit: number;
}

export const DEFAULT_STATE_LIMITS: Ec2StateLimits = {
  vpcCidrBlockLimit: DEFAULT_VPC_CIDR_BLOCK_LIMIT,
  unattachedEniIpv4Limit: 50,
};
