/**
 * The vocabulary of the simulated EC2/VPC as callers see it: resources (read-only views), call parameters,
 * results and the real error codes. The implementation lives in ec2-api.ts and its neighbours; ipamd, the
 * Kubernetes layer and scenarios depend only on this file and on `Ec2Api`.
 */
import type { SimEvent } from '../../sim/index.ts';

export type VpcId = string;
export type SubnetId = string;
export type EniId = string;
export type InstanceId = string;
export type Tags = Record<string, string>;

/** Error codes exactly as EC2 returns them. */
export type Ec2ErrorCode =
  | 'InsufficientFreeAddressesInSubnet'
  | 'InsufficientCidrBlocks'
  | 'AttachmentLimitExceeded'
  | 'PrivateIpAddressLimitExceeded'
  | 'InvalidNetworkInterfaceID.NotFound'
  | 'InvalidSubnetID.NotFound'
  | 'InvalidInstanceID.NotFound'
  | 'InvalidVpcID.NotFound'
  | 'InvalidParameterValue'
  | 'InvalidSubnet.Range'
  | 'InvalidSubnet.Conflict'
  | 'InvalidVpc.Range'
  | 'CidrLimitExceeded'
  | 'InvalidNetworkInterface.InUse'
  | 'InvalidAttachmentID.NotFound'
  | 'OperationNotPermitted'
  | 'UnauthorizedOperation'
  | 'RequestLimitExceeded'
  | 'InternalError';

export interface Ec2Error {
  code: Ec2ErrorCode;
  message: string;
}

export type Ec2Result<T> = { ok: true; value: T } | { ok: false; error: Ec2Error };

/** API actions, named as in the EC2 API and in IAM (`ec2:<Action>`). */
export type Ec2Action =
  | 'DescribeSubnets'
  | 'DescribeNetworkInterfaces'
  | 'DescribeInstances'
  | 'DescribeSecurityGroups'
  | 'CreateNetworkInterface'
  | 'AttachNetworkInterface'
  | 'DetachNetworkInterface'
  | 'DeleteNetworkInterface'
  | 'ModifyNetworkInterfaceAttribute'
  | 'AssignPrivateIpAddresses'
  | 'UnassignPrivateIpAddresses'
  | 'AssignIpv6Addresses'
  | 'UnassignIpv6Addresses'
  | 'CreateTags'
  | 'DeleteTags'
  | 'AssociateVpcCidrBlock'
  | 'CreateSubnet'
  | 'CreateSubnetCidrReservation'
  | 'RunInstances'
  | 'TerminateInstances';

/** Who calls: the IAM principal (e.g. the node role) — scenarios may deny actions per principal. */
export type Principal = string;

export interface SubnetView {
  subnetId: SubnetId;
  vpcId: VpcId;
  cidrBlock: string;
  ipv6CidrBlock?: string;
  availabilityZone: string;
  availableIpAddressCount: number;
  tags: Tags;
  /** Route to an internet gateway (public) or not (private; may still have a NAT route). */
  mapPublicIpOnLaunch: boolean;
}

export type EniStatus = 'available' | 'in-use' | 'attaching' | 'detaching';
export type InterfaceType = 'interface' | 'trunk' | 'efa' | 'efa-only';

export interface EniAttachment {
  attachmentId: string;
  instanceId: InstanceId;
  deviceIndex: number;
  networkCardIndex: number;
  deleteOnTermination: boolean;
}

export interface NetworkInterfaceView {
  networkInterfaceId: EniId;
  subnetId: SubnetId;
  vpcId: VpcId;
  availabilityZone: string;
  description: string;
  interfaceType: InterfaceType;
  status: EniStatus;
  privateIpAddress: string;
  /** Secondary private IPv4 addresses (the primary excluded), in assignment order. */
  secondaryPrivateIpAddresses: string[];
  /** Delegated IPv4 prefixes, as CIDR strings ("10.0.1.16/28"). */
  ipv4Prefixes: string[];
  /** Delegated IPv6 prefixes, as CIDR strings ("2600:1f14::/80"). */
  ipv6Prefixes: string[];
  ipv6Addresses: string[];
  securityGroups: string[];
  tags: Tags;
  attachment?: EniAttachment;
}

export interface InstanceView {
  instanceId: InstanceId;
  instanceType: string;
  state: 'pending' | 'running' | 'shutting-down' | 'terminated';
  subnetId: SubnetId;
  availabilityZone: string;
  privateIpAddress: string;
  primaryEniId: EniId;
  /** ENIs attached, by device index on each network card. */
  networkInterfaces: { eniId: EniId; deviceIndex: number; networkCardIndex: number }[];
  tags: Tags;
}

export interface CreateNetworkInterfaceParams {
  subnetId: SubnetId;
  description: string;
  securityGroups: string[];
  secondaryPrivateIpAddressCount?: number;
  ipv4PrefixCount?: number;
  ipv6AddressCount?: number;
  tags?: Tags;
}

export interface AssignPrivateIpParams {
  eniId: EniId;
  /** Exactly one of the two. */
  secondaryPrivateIpAddressCount?: number;
  ipv4PrefixCount?: number;
}

export interface AssignPrivateIpResult {
  assignedPrivateIpAddresses: string[];
  assignedIpv4Prefixes: string[];
}

export interface UnassignPrivateIpParams {
  eniId: EniId;
  privateIpAddresses?: string[];
  ipv4Prefixes?: string[];
}

export interface DescribeNetworkInterfacesParams {
  /** By id: a missing id fails the whole call with InvalidNetworkInterfaceID.NotFound, as EC2 does. */
  networkInterfaceIds?: EniId[];
  vpcId?: VpcId;
  status?: EniStatus;
  /** ENIs carrying each of these tag keys (any value). */
  tagKeys?: string[];
  /** ENIs carrying each of these exact tag values. */
  tags?: Tags;
  attachedInstanceId?: InstanceId;
}

/** The EC2 API as a caller sees it: every call takes simulated time and may fail with a real error code. */
export interface Ec2Api {
  describeSubnets(p: Principal, filter: { vpcId?: VpcId; availabilityZone?: string; subnetIds?: SubnetId[] }): SimEvent<Ec2Result<SubnetView[]>>;
  describeNetworkInterfaces(p: Principal, params: DescribeNetworkInterfacesParams): SimEvent<Ec2Result<NetworkInterfaceView[]>>;
  describeInstances(p: Principal, instanceIds: InstanceId[]): SimEvent<Ec2Result<InstanceView[]>>;
  createNetworkInterface(p: Principal, params: CreateNetworkInterfaceParams): SimEvent<Ec2Result<NetworkInterfaceView>>;
  attachNetworkInterface(p: Principal, params: { eniId: EniId; instanceId: InstanceId; deviceIndex: number; networkCardIndex?: number }): SimEvent<Ec2Result<{ attachmentId: string }>>;
  detachNetworkInterface(p: Principal, params: { attachmentId: string; force?: boolean }): SimEvent<Ec2Result<void>>;
  deleteNetworkInterface(p: Principal, eniId: EniId): SimEvent<Ec2Result<void>>;
  modifyNetworkInterfaceAttribute(p: Principal, params: { eniId: EniId; deleteOnTermination?: boolean; groups?: string[] }): SimEvent<Ec2Result<void>>;
  assignPrivateIpAddresses(p: Principal, params: AssignPrivateIpParams): SimEvent<Ec2Result<AssignPrivateIpResult>>;
  unassignPrivateIpAddresses(p: Principal, params: UnassignPrivateIpParams): SimEvent<Ec2Result<void>>;
  assignIpv6Addresses(p: Principal, params: { eniId: EniId; ipv6PrefixCount?: number; ipv6AddressCount?: number }): SimEvent<Ec2Result<{ assignedIpv6Prefixes: string[]; assignedIpv6Addresses: string[] }>>;
  createTags(p: Principal, resourceIds: string[], tags: Tags): SimEvent<Ec2Result<void>>;
  deleteTags(p: Principal, resourceIds: string[], tagKeys: string[]): SimEvent<Ec2Result<void>>;
}

/** What the instance metadata service shows an instance about its ENIs (possibly lagging EC2, spec §8.6). */
export interface ImdsEni {
  eniId: EniId;
  mac: string;
  deviceIndex: number;
  networkCardIndex: number;
  subnetId: SubnetId;
  subnetCidr: string;
  /** IPv4 addresses, the primary first. */
  localIpv4s: string[];
  ipv4Prefixes: string[];
  ipv6Prefixes: string[];
  ipv6s: string[];
  securityGroupIds: string[];
}
