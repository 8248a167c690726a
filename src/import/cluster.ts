/**
 * The files joined into one cluster: the VPC (every record must come from the same one), the EKS cluster (every
 * name that tells must agree), the nodes with their ENIs (nodes.ts), the pods (pods.ts), and each subnet's
 * `externalUse` — what describe-subnets reports as used (`size − 5 − AvailableIpAddressCount`) minus what the
 * cluster nodes' ENIs hold (each address, each /28 prefix 16). Not here: the scenario's YAML (scenario.ts).
 */
import { usableAddressCount } from '../model/vpc/address-allocator.ts';
import { containsIp, parseCidr, parseIpv4, type Cidr } from '../model/vpc/ipv4.ts';
import { IPS_PER_PREFIX } from '../model/max-pods.ts';
import type { SubnetRecord, VpcRecord } from './aws.ts';
import type { Bundle } from './bundle.ts';
import { joinNodes, type ImportedNode } from './nodes.ts';
import type { Notes } from './notes.ts';
import { selectPods, type ImportedPod } from './pods.ts';
import type { At } from './where.ts';

export interface ImportedSubnet {
  record: SubnetRecord;
  externalUse: number;
}

export interface ImportedCluster {
  vpcId: string;
  vpc?: VpcRecord;
  subnets: ImportedSubnet[];
  nodes: ImportedNode[];
  pods: ImportedPod[];
  clusterName?: string;
  bundle: Bundle;
}

export function joinCluster(b: Bundle, notes: Notes): ImportedCluster {
  const vpcId = checkOneVpc(b);
  const clusterName = checkOneCluster(b);
  const subnetMap = new Map<string, SubnetRecord>();
  for (const s of b.subnets) {
    const prev = subnetMap.get(s.subnetId);
    if (prev !== undefined) return s.at.at('SubnetId').fail(`${s.subnetId} is listed twice (also ${prev.at.path})`);
    subnetMap.set(s.subnetId, s);
  }
  const nodes = joinNodes(b, subnetMap, notes);
  for (const n of nodes) for (const e of n.enis) checkAddresses(e.at, subnetMap.get(e.subnetId)!, [e.primaryIp, ...e.secondaryIps], e.prefixes);
  const fargate = new Set(b.nodes.filter((n) => n.fargate).map((n) => n.name));
  const pods = b.pods === undefined ? [] : selectPods(b.pods, nodes, b.deployments ?? [], notes, fargate);
  if (b.pods === undefined) notes.warn(['existing', 'pods'], 'no `kubectl get pods -A -o json` output: no pods at t = 0 (Deployments create their replicas at t = 0)');
  return { vpcId, vpc: b.vpcs?.[0], subnets: accountSubnets(b, nodes, notes), nodes, pods, clusterName, bundle: b };
}

/** Every VPC id in the files must be the same one. */
function checkOneVpc(b: Bundle): string {
  if (b.vpcs !== undefined && b.vpcs.length > 1) b.vpcs[1].at.at('VpcId').fail(`a second VPC (${b.vpcs[1].vpcId}, after ${b.vpcs[0].vpcId}); import reads one VPC: describe-vpcs --vpc-ids $VPC`);
  if (b.vpcs !== undefined && b.vpcs.length === 0) b.vpcs = undefined;
  const first: { id: string; at: At } | undefined =
    b.vpcs !== undefined ? { id: b.vpcs[0].vpcId, at: b.vpcs[0].at } : b.cluster?.vpcId !== undefined ? { id: b.cluster.vpcId, at: b.cluster.at } : b.subnets[0] !== undefined ? { id: b.subnets[0].vpcId, at: b.subnets[0].at } : undefined;
  if (first === undefined) return b.subnets[0]?.vpcId ?? 'vpc-unknown';
  const check = (id: string | undefined, at: At) => {
    if (id !== undefined && id !== first.id) return at.fail(`${id}, but ${first.at.file} is of ${first.id}: the files come from two VPCs`);
  };
  check(b.cluster?.vpcId, b.cluster?.at.at('resourcesVpcConfig').at('vpcId') as At);
  for (const s of b.subnets) check(s.vpcId, s.at.at('VpcId'));
  for (const e of b.enis) check(e.vpcId, e.at.at('VpcId'));
  for (const i of b.instances ?? []) check(i.vpcId, i.at.at('VpcId'));
  return first.id;
}

/** describe-cluster's name, describe-addon's clusterName, aws-node's CLUSTER_NAME and eksctl's node label agree. */
function checkOneCluster(b: Bundle): string | undefined {
  const names: { name: string; at: At }[] = [];
  if (b.cluster !== undefined) names.push({ name: b.cluster.name, at: b.cluster.at.at('name') });
  if (b.addon?.clusterName !== undefined) names.push({ name: b.addon.clusterName, at: b.addon.at.at('clusterName') });
  const envName = b.awsNode?.env.find((e) => e.name === 'CLUSTER_NAME')?.value;
  if (envName !== undefined && envName !== '') names.push({ name: envName, at: b.awsNode!.at.at('env') });
  for (const n of b.nodes) {
    const l = n.labels['alpha.eksctl.io/cluster-name'];
    if (l !== undefined) names.push({ name: l, at: n.at.at('metadata').at('labels').at('alpha.eksctl.io/cluster-name') });
  }
  for (const x of names.slice(1)) if (x.name !== names[0].name) return x.at.fail(`cluster ${JSON.stringify(x.name)}, but ${names[0].at.file} is of cluster ${JSON.stringify(names[0].name)}: the files come from two clusters`);
  return names[0]?.name;
}

/** Addresses and prefixes of an ENI well formed and inside its subnet. */
function checkAddresses(at: At, s: SubnetRecord, ips: string[], prefixes: string[]): void {
  const subnet = parseCidrAt(s.cidr, s.at.at('CidrBlock'));
  ips.forEach((ip, i) => {
    const a = i === 0 ? at.at('PrivateIpAddress') : at.at('PrivateIpAddresses');
    let v: number;
    try {
      v = parseIpv4(ip);
    } catch (err) {
      return a.fail((err as Error).message);
    }
    if (!containsIp(subnet, v)) return a.fail(`${ip} is outside its subnet ${s.subnetId} (${s.cidr})`);
  });
  prefixes.forEach((p, i) => {
    const c = parseCidrAt(p, at.at('Ipv4Prefixes').at(i));
    if (c.prefixLen !== 28 || !containsIp(subnet, c.base)) return at.at('Ipv4Prefixes').at(i).fail(`${p} is not a /28 inside its subnet ${s.subnetId} (${s.cidr})`);
  });
}

function parseCidrAt(s: string, at: At): Cidr {
  try {
    return parseCidr(s);
  } catch (err) {
    return at.fail((err as Error).message);
  }
}

/** externalUse per subnet: used by the subnet's own count, less what the cluster's nodes hold there. */
function accountSubnets(b: Bundle, nodes: ImportedNode[], notes: Notes): ImportedSubnet[] {
  const held = new Map<string, number>();
  for (const n of nodes) {
    for (const e of n.enis) held.set(e.subnetId, (held.get(e.subnetId) ?? 0) + 1 + e.secondaryIps.length + IPS_PER_PREFIX * e.prefixes.length);
  }
  return b.subnets.map((s, i) => {
    const usable = usableAddressCount(parseCidrAt(s.cidr, s.at.at('CidrBlock')));
    if (s.available > usable) return s.at.at('AvailableIpAddressCount').fail(`${s.available} is more than the ${usable} usable addresses of ${s.cidr}`);
    const external = usable - s.available - (held.get(s.subnetId) ?? 0);
    if (external < 0) {
      notes.warn(['subnets', i, 'externalUse'], `${s.subnetId}: the nodes' ENIs hold ${-external} more addresses than describe-subnets counts as used (files collected at different times?); externalUse 0`);
    }
    return { record: s, externalUse: Math.max(0, external) };
  });
}
