/**
 * The VPC's subnets and network interfaces in the AWS CLI's own JSON shape — what `aws ec2 describe-subnets
 * --filters Name=vpc-id,Values=VPC` and `aws ec2 describe-network-interfaces --filters Name=vpc-id,Values=VPC`
 * print: `{"Subnets": [...]}` and `{"NetworkInterfaces": [...]}` with EC2's member names in the order of the EC2 API
 * model (botocore's `Subnet` and `NetworkInterface` shapes), `Tags` / `TagSet` as `[{Key, Value}]`. Members the
 * simulator has no value for (OwnerId, AvailabilityZoneId, SubnetArn, MacAddress, AttachTime, association, DNS
 * names) are left out rather than invented. A subnet's scenario name is its `Name` tag unless the scenario set one.
 * Read from the World's queries at the end of the run; `--format json` carries them as `describeSubnets` and
 * `describeNetworkInterfaces`.
 */
import type { NetworkInterfaceView, Tags } from '../model/ec2/types.ts';
import type { World } from '../model/world.ts';

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

function networkInterface(v: NetworkInterfaceView): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (v.attachment !== undefined) {
    out.Attachment = {
      AttachmentId: v.attachment.attachmentId,
      DeleteOnTermination: v.attachment.deleteOnTermination,
      DeviceIndex: v.attachment.deviceIndex,
      NetworkCardIndex: v.attachment.networkCardIndex,
      InstanceId: v.attachment.instanceId,
      Status: v.status === 'detaching' ? 'detaching' : v.status === 'attaching' ? 'attaching' : 'attached',
    };
  }
  out.AvailabilityZone = v.availabilityZone;
  out.Description = v.description;
  out.Groups = v.securityGroups.map((GroupId) => ({ GroupId }));
  out.InterfaceType = v.interfaceType;
  out.Ipv6Addresses = v.ipv6Addresses.map((Ipv6Address) => ({ Ipv6Address }));
  out.NetworkInterfaceId = v.networkInterfaceId;
  out.PrivateIpAddress = v.privateIpAddress;
  out.PrivateIpAddresses = [{ Primary: true, PrivateIpAddress: v.privateIpAddress }, ...v.secondaryPrivateIpAddresses.map((a) => ({ Primary: false, PrivateIpAddress: a }))];
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
