/**
 * The VPC, its subnets, network interfaces and instances in the AWS CLI's own JSON shape — what `aws ec2
 * describe-vpcs --vpc-ids VPC`, `describe-subnets`, `describe-network-interfaces` and `describe-instances` (each
 * `--filters Name=vpc-id,Values=VPC`) print: `{"Vpcs": [...]}`, `{"Subnets": [...]}`, `{"NetworkInterfaces": [...]}`,
 * `{"Reservations": [{"Instances": [...]}]}`, with EC2's member names in the order of the EC2 API model (botocore's
 * `Vpc`, `Subnet`, `NetworkInterface`, `Reservation`, `Instance` and `InstanceNetworkInterface` shapes; the AWS CLI
 * builds its dicts in shape-member order), `Tags` / `TagSet` as `[{Key, Value}]`. Members the simulator has no value
 * for (OwnerId, AvailabilityZoneId, SubnetArn, MacAddress, AttachTime, ReservationId, ImageId, association ids,
 * public DNS names) are left out rather than invented; a terminated instance, which EC2 lists without a VPC, is not
 * listed. A subnet's scenario name is its `Name` tag unless the scenario set one. Read from the World's queries;
 * `--format json` carries the subnets and ENIs as `describeSubnets` and `describeNetworkInterfaces`, `run --export`
 * writes all four (src/report/export).
 */
import type { NetworkInterfaceView, Tags } from '../model/ec2/types.ts';
import { SIM_EPOCH_MS } from '../model/ipamd/introspect.ts';
import { nodeNameFor } from '../model/k8s/names.ts';
import type { World } from '../model/world.ts';
import type { InstanceInfo } from '../model/world/views.ts';

export interface AwsTag {
  Key: string;
  Value: string;
}

const tagList = (t: Tags): AwsTag[] => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));

export function describeSubnets(world: World): { Subnets: Record<string, unknown>[] } {
  return {
    Subnets: world.subnets().map((s) => {
      const tags: Tags = { ...s.tags };
      if (tags.Name === undefined && s.id !== s.subnetId) tags.Name = s.id;
      return {
        AvailabilityZone: s.az,
        AvailableIpAddressCount: s.availableIpAddressCount,
        CidrBlock: s.cidr,
        DefaultForAz: false,
        MapPublicIpOnLaunch: s.public,
        State: 'available',
        SubnetId: s.subnetId,
        VpcId: world.vpcId,
        AssignIpv6AddressOnCreation: false,
        Tags: tagList(tags),
      };
    }),
  };
}

/** `PrivateIpAddresses[]`: the primary first, then the secondary addresses in assignment order. */
function privateIpAddresses(v: NetworkInterfaceView): { Primary: boolean; PrivateIpAddress: string }[] {
  return [{ Primary: true, PrivateIpAddress: v.privateIpAddress }, ...v.secondaryPrivateIpAddresses.map((a) => ({ Primary: false, PrivateIpAddress: a }))];
}

/**
 * `Attachment` as each shape carries it: `NetworkInterfaceAttachment` (describe-network-interfaces: NetworkCardIndex,
 * InstanceId, then Status) or, `inInstance`, `InstanceNetworkInterfaceAttachment` (describe-instances: Status, then
 * NetworkCardIndex; no InstanceId).
 */
function attachment(a: NonNullable<NetworkInterfaceView['attachment']>, status: NetworkInterfaceView['status'], inInstance: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { AttachmentId: a.attachmentId, DeleteOnTermination: a.deleteOnTermination, DeviceIndex: a.deviceIndex };
  const Status = status === 'detaching' ? 'detaching' : status === 'attaching' ? 'attaching' : 'attached';
  if (inInstance) return { ...out, Status, NetworkCardIndex: a.networkCardIndex };
  return { ...out, NetworkCardIndex: a.networkCardIndex, InstanceId: a.instanceId, Status };
}

function networkInterface(v: NetworkInterfaceView): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (v.attachment !== undefined) out.Attachment = attachment(v.attachment, v.status, false);
  out.AvailabilityZone = v.availabilityZone;
  out.Description = v.description;
  out.Groups = v.securityGroups.map((GroupId) => ({ GroupId }));
  out.InterfaceType = v.interfaceType;
  out.Ipv6Addresses = v.ipv6Addresses.map((Ipv6Address) => ({ Ipv6Address }));
  out.NetworkInterfaceId = v.networkInterfaceId;
  out.PrivateIpAddress = v.privateIpAddress;
  out.PrivateIpAddresses = privateIpAddresses(v);
  if (v.ipv4Prefixes.length > 0) out.Ipv4Prefixes = v.ipv4Prefixes.map((Ipv4Prefix) => ({ Ipv4Prefix }));
  if (v.ipv6Prefixes.length > 0) out.Ipv6Prefixes = v.ipv6Prefixes.map((Ipv6Prefix) => ({ Ipv6Prefix }));
  out.RequesterManaged = false;
  out.SourceDestCheck = true;
  out.Status = v.status === 'available' ? 'available' : 'in-use';
  out.SubnetId = v.subnetId;
  out.TagSet = tagList(v.tags);
  out.VpcId = v.vpcId;
  return out;
}

export function describeNetworkInterfaces(world: World): { NetworkInterfaces: Record<string, unknown>[] } {
  return { NetworkInterfaces: world.networkInterfaces().map(networkInterface) };
}

/** `describe-vpcs --vpc-ids VPC`: the VPC with every associated IPv4 block (`CidrBlockAssociationSet`). */
export function describeVpcs(world: World): { Vpcs: Record<string, unknown>[] } {
  const v = world.vpc();
  const out: Record<string, unknown> = { CidrBlock: v.cidrBlocks[0], State: 'available', VpcId: v.vpcId };
  if (v.ipv6CidrBlock !== undefined) out.Ipv6CidrBlockAssociationSet = [{ Ipv6CidrBlock: v.ipv6CidrBlock, Ipv6CidrBlockState: { State: 'associated' } }];
  out.CidrBlockAssociationSet = v.cidrBlocks.map((CidrBlock) => ({ CidrBlock, CidrBlockState: { State: 'associated' } }));
  out.IsDefault = false;
  if (Object.keys(v.tags).length > 0) out.Tags = tagList(v.tags);
  return { Vpcs: [out] };
}

/** EC2's instance state codes (`InstanceState.Code`). */
const STATE_CODE: Record<InstanceInfo['state'], number> = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48 };

/** An ENI as `Instance.NetworkInterfaces[]` shows it (`InstanceNetworkInterface`: no AZ, no TagSet). */
function instanceNetworkInterface(v: NetworkInterfaceView): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (v.attachment !== undefined) out.Attachment = attachment(v.attachment, v.status, true);
  out.Description = v.description;
  out.Groups = v.securityGroups.map((GroupId) => ({ GroupId }));
  out.Ipv6Addresses = v.ipv6Addresses.map((Ipv6Address) => ({ Ipv6Address }));
  out.NetworkInterfaceId = v.networkInterfaceId;
  out.PrivateIpAddress = v.privateIpAddress;
  out.PrivateIpAddresses = privateIpAddresses(v);
  out.SourceDestCheck = true;
  out.Status = v.status === 'available' ? 'available' : 'in-use';
  out.SubnetId = v.subnetId;
  out.VpcId = v.vpcId;
  out.InterfaceType = v.interfaceType;
  if (v.ipv4Prefixes.length > 0) out.Ipv4Prefixes = v.ipv4Prefixes.map((Ipv4Prefix) => ({ Ipv4Prefix }));
  if (v.ipv6Prefixes.length > 0) out.Ipv6Prefixes = v.ipv6Prefixes.map((Ipv6Prefix) => ({ Ipv6Prefix }));
  return out;
}

/** Python's `datetime.isoformat()` of an EC2 timestamp (whole seconds, UTC), as the CLI prints `LaunchTime`. */
function isoSeconds(t: number): string {
  return new Date(SIM_EPOCH_MS + Math.floor(t / 1000) * 1000).toISOString().replace(/\.000Z$/, '+00:00');
}

/**
 * `describe-instances --filters Name=vpc-id,Values=VPC`: one reservation per instance (the Auto Scaling group launches
 * them one RunInstances call at a time), each instance with its ENIs; `PrivateDnsName` by EC2's rule
 * (`ip-10-0-0-101.<region>.compute.internal`); times from the simulator's epoch (virtual t = 0 is 2025-01-01T00:00Z).
 */
export function describeInstances(world: World): { Reservations: { Instances: Record<string, unknown>[] }[] } {
  const region = world.spec.region;
  return {
    Reservations: world
      .instances()
      .filter((i) => i.state !== 'terminated')
      .map((i) => {
        const out: Record<string, unknown> = {
          InstanceId: i.instanceId,
          InstanceType: i.instanceType,
          LaunchTime: isoSeconds(i.launchedAt),
          Placement: { AvailabilityZone: i.az },
          PrivateDnsName: nodeNameFor(i.privateIp, region),
          PrivateIpAddress: i.privateIp,
          State: { Code: STATE_CODE[i.state], Name: i.state },
          SubnetId: i.subnetId,
          VpcId: world.vpcId,
          NetworkInterfaces: i.enis.map(instanceNetworkInterface),
        };
        if (Object.keys(i.tags).length > 0) out.Tags = tagList(i.tags);
        return { Instances: [out] };
      }),
  };
}
