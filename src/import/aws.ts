/**
 * Records read out of the AWS CLI's JSON (`--output json`), member names as botocore's output shapes spell them
 * (AWS CLI reference: ec2 describe-vpcs `Vpcs[].{VpcId, CidrBlock, CidrBlockAssociationSet[].{CidrBlock,
 * CidrBlockState.State}, Ipv6CidrBlockAssociationSet}`; describe-subnets `Subnets[].{SubnetId, VpcId,
 * AvailabilityZone, CidrBlock, AvailableIpAddressCount, MapPublicIpOnLaunch, Tags}`; describe-network-interfaces
 * `NetworkInterfaces[].{NetworkInterfaceId, VpcId, SubnetId, AvailabilityZone, Attachment.{DeviceIndex,
 * NetworkCardIndex, InstanceId},
 * PrivateIpAddress, PrivateIpAddresses[].{Primary, PrivateIpAddress}, Ipv4Prefixes[].Ipv4Prefix, InterfaceType,
 * Status, TagSet}`; describe-instances `Reservations[].Instances[].{InstanceId, InstanceType, VpcId, SubnetId,
 * Placement.AvailabilityZone, PrivateIpAddress, State.Name, Tags}`; eks describe-cluster `cluster.{name, version,
 * resourcesVpcConfig.{vpcId, endpointPublicAccess, endpointPrivateAccess}, kubernetesNetworkConfig.ipFamily}`;
 * eks describe-addon `addon.{clusterName, addonVersion}`). Members import has no use for are not read.
 * Not here: how the records join into one cluster (cluster.ts).
 */
import type { Recognised } from './input.ts';
import { arr, At, int, isObject, obj, optArr, optBool, optObj, optStr, str, tagList, type JsonObject } from './where.ts';

export interface VpcRecord {
  vpcId: string;
  /** IPv4 blocks in the state `associated`, the primary first. */
  cidrBlocks: string[];
  ipv6: boolean;
  at: At;
}

export interface SubnetRecord {
  subnetId: string;
  vpcId: string;
  az: string;
  cidr: string;
  available: number;
  mapPublicIpOnLaunch: boolean;
  tags: Record<string, string>;
  at: At;
}

export interface EniRecord {
  id: string;
  vpcId: string;
  subnetId: string;
  instanceId?: string;
  deviceIndex?: number;
  /** Attachment.NetworkCardIndex (0 on single-card types). */
  networkCard: number;
  primaryIp: string;
  secondaryIps: string[];
  prefixes: string[];
  interfaceType: string;
  at: At;
}

export interface InstanceRecord {
  instanceId: string;
  instanceType: string;
  vpcId?: string;
  subnetId?: string;
  az: string;
  state: string;
  tags: Record<string, string>;
  at: At;
}

export interface ClusterRecord {
  name: string;
  version?: string;
  vpcId?: string;
  endpointPublicAccess?: boolean;
  endpointPrivateAccess?: boolean;
  ipFamily?: string;
  at: At;
}

export interface AddonRecord {
  clusterName?: string;
  addonVersion?: string;
  at: At;
}

function each(r: Recognised, key: string, read: (o: JsonObject, at: At) => void): void {
  arr(r.doc, key, r.at).forEach((x, i) => {
    const at: At = r.at.at(key).at(i);
    if (!isObject(x)) return at.fail('expected an object');
    read(x, at);
  });
}

export function readVpcs(r: Recognised): VpcRecord[] {
  const out: VpcRecord[] = [];
  each(r, 'Vpcs', (v, at) => {
    const primary = str(v, 'CidrBlock', at);
    const blocks = [primary];
    optArr(v, 'CidrBlockAssociationSet', at).forEach((a, i) => {
      const aat: At = at.at('CidrBlockAssociationSet').at(i);
      if (!isObject(a)) return aat.fail('expected an object');
      const cidr = str(a, 'CidrBlock', aat);
      const state = optObj(a, 'CidrBlockState', aat);
      const s = state === undefined ? 'associated' : str(state, 'State', aat.at('CidrBlockState'));
      if (s === 'associated' && !blocks.includes(cidr)) blocks.push(cidr);
    });
    out.push({ vpcId: str(v, 'VpcId', at), cidrBlocks: blocks, ipv6: optArr(v, 'Ipv6CidrBlockAssociationSet', at).length > 0, at });
  });
  return out;
}

export function readSubnets(r: Recognised): SubnetRecord[] {
  const out: SubnetRecord[] = [];
  each(r, 'Subnets', (s, at) => {
    out.push({
      subnetId: str(s, 'SubnetId', at),
      vpcId: str(s, 'VpcId', at),
      az: str(s, 'AvailabilityZone', at),
      cidr: str(s, 'CidrBlock', at),
      available: int(s, 'AvailableIpAddressCount', at),
      mapPublicIpOnLaunch: optBool(s, 'MapPublicIpOnLaunch', at) ?? false,
      tags: tagList(s, 'Tags', at),
      at,
    });
  });
  return out;
}

export function readNetworkInterfaces(r: Recognised): EniRecord[] {
  const out: EniRecord[] = [];
  each(r, 'NetworkInterfaces', (e, at) => {
    const attachment = optObj(e, 'Attachment', at);
    const primaryIp = str(e, 'PrivateIpAddress', at);
    const secondaryIps: string[] = [];
    optArr(e, 'PrivateIpAddresses', at).forEach((p, i) => {
      const pat: At = at.at('PrivateIpAddresses').at(i);
      if (!isObject(p)) return pat.fail('expected {Primary, PrivateIpAddress}');
      const ip = str(p, 'PrivateIpAddress', pat);
      if (optBool(p, 'Primary', pat) === true) {
        if (ip !== primaryIp) return pat.at('PrivateIpAddress').fail(`the primary address ${ip} differs from PrivateIpAddress ${primaryIp}`);
      } else secondaryIps.push(ip);
    });
    const prefixes = optArr(e, 'Ipv4Prefixes', at).map((p, i) => {
      const pat: At = at.at('Ipv4Prefixes').at(i);
      if (!isObject(p)) return pat.fail('expected {Ipv4Prefix}');
      return str(p, 'Ipv4Prefix', pat);
    });
    const aat: At = at.at('Attachment');
    out.push({
      id: str(e, 'NetworkInterfaceId', at),
      vpcId: str(e, 'VpcId', at),
      subnetId: str(e, 'SubnetId', at),
      instanceId: attachment === undefined ? undefined : optStr(attachment, 'InstanceId', aat),
      deviceIndex: attachment === undefined || attachment.DeviceIndex === undefined ? undefined : int(attachment, 'DeviceIndex', aat),
      networkCard: attachment === undefined || attachment.NetworkCardIndex === undefined ? 0 : int(attachment, 'NetworkCardIndex', aat),
      primaryIp,
      secondaryIps,
      prefixes,
      interfaceType: optStr(e, 'InterfaceType', at) ?? 'interface',
      at,
    });
  });
  return out;
}

export function readInstances(r: Recognised): InstanceRecord[] {
  const out: InstanceRecord[] = [];
  each(r, 'Reservations', (res, rat) => {
    arr(res, 'Instances', rat).forEach((x, i) => {
      const at: At = rat.at('Instances').at(i);
      if (!isObject(x)) return at.fail('expected an object');
      out.push({
        instanceId: str(x, 'InstanceId', at),
        instanceType: str(x, 'InstanceType', at),
        vpcId: optStr(x, 'VpcId', at),
        subnetId: optStr(x, 'SubnetId', at),
        az: str(obj(x, 'Placement', at), 'AvailabilityZone', at.at('Placement')),
        state: str(obj(x, 'State', at), 'Name', at.at('State')),
        tags: tagList(x, 'Tags', at),
        at,
      });
    });
  });
  return out;
}

export function readCluster(r: Recognised): ClusterRecord {
  const at: At = r.at.at('cluster');
  const c = obj(r.doc, 'cluster', r.at);
  const vpc = optObj(c, 'resourcesVpcConfig', at);
  const vat: At = at.at('resourcesVpcConfig');
  const net = optObj(c, 'kubernetesNetworkConfig', at);
  return {
    name: str(c, 'name', at),
    version: optStr(c, 'version', at),
    vpcId: vpc === undefined ? undefined : optStr(vpc, 'vpcId', vat),
    endpointPublicAccess: vpc === undefined ? undefined : optBool(vpc, 'endpointPublicAccess', vat),
    endpointPrivateAccess: vpc === undefined ? undefined : optBool(vpc, 'endpointPrivateAccess', vat),
    ipFamily: net === undefined ? undefined : optStr(net, 'ipFamily', at.at('kubernetesNetworkConfig')),
    at,
  };
}

export function readAddon(r: Recognised): AddonRecord {
  const at: At = r.at.at('addon');
  const a = obj(r.doc, 'addon', r.at);
  return { clusterName: optStr(a, 'clusterName', at), addonVersion: optStr(a, 'addonVersion', at), at };
}
