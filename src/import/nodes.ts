/**
 * Kubernetes nodes joined to EC2: each node's instance (by `spec.providerID`), instance type and zone, and the ENIs
 * attached to it (describe-network-interfaces' `Attachment.InstanceId`), device index 0 first, each checked against
 * the type's limits (ENIs per instance, IPv4 addresses per ENI — a /28 prefix takes one slot, as EC2 counts it).
 * Not here: the subnets' accounting or the pods (cluster.ts, pods.ts).
 */
import { findInstanceType, instanceTypeHint, type InstanceType } from '../model/ec2/instance-types.ts';
import type { EniRecord, InstanceRecord, SubnetRecord } from './aws.ts';
import type { Bundle } from './bundle.ts';
import type { NodeRecord } from './k8s.ts';
import type { Notes } from './notes.ts';

export interface ImportedNode {
  name: string;
  instanceId: string;
  instanceType: InstanceType;
  az: string;
  /** The primary ENI's subnet. */
  subnetId: string;
  labels: Record<string, string>;
  allocatablePods?: number;
  /** Device index 0 first. */
  enis: EniRecord[];
  record: NodeRecord;
}

/** Label keys naming a node's managed node group (EKS) or eksctl node group, in that order. */
const NODE_GROUP_LABELS = ['eks.amazonaws.com/nodegroup', 'alpha.eksctl.io/nodegroup-name'] as const;

export function joinNodes(b: Bundle, subnets: Map<string, SubnetRecord>, notes: Notes): ImportedNode[] {
  const instances = new Map<string, InstanceRecord>();
  for (const i of b.instances ?? []) instances.set(i.instanceId, i);
  const enisOf = new Map<string, EniRecord[]>();
  const otherCards: string[] = [];
  for (const e of b.enis) {
    if (e.instanceId === undefined) continue;
    // The model has the default network card only; an ENI on another card is held outside, like any other.
    if (e.networkCard !== 0) {
      otherCards.push(e.id);
      continue;
    }
    const list = enisOf.get(e.instanceId) ?? [];
    list.push(e);
    enisOf.set(e.instanceId, list);
  }
  if (otherCards.length > 0) notes.warn(['existing', 'nodes'], `ENIs on network cards other than 0 left out (the simulator models the default card; their addresses count in externalUse): ${otherCards.slice(0, 3).join(', ')}${otherCards.length > 3 ? `, … (${otherCards.length})` : ''}`);
  if (b.instances === undefined) notes.warn(['existing', 'nodes'], `no describe-instances output: each node's instance type is its node.kubernetes.io/instance-type label and its zone the one in spec.providerID`);
  const seen = new Map<string, NodeRecord>();
  const fargate = b.nodes.filter((n) => n.fargate).map((n) => n.name);
  if (fargate.length > 0) notes.warn(['existing', 'nodes'], `Fargate nodes left out, with their pods (no EC2 instance or ipamd to simulate): ${fargate.slice(0, 3).join(', ')}${fargate.length > 3 ? `, … (${fargate.length})` : ''}`);
  return b.nodes.filter((n) => !n.fargate).map((n) => {
    const pat = n.at.at('spec').at('providerID');
    if (n.instanceId === undefined) return pat.fail('missing: a node without aws:///ZONE/i-… is not an EC2 instance import can place');
    const twin = seen.get(n.instanceId);
    if (twin !== undefined) return pat.fail(`instance ${n.instanceId} is also node ${twin.name}`);
    seen.set(n.instanceId, n);
    const inst = instances.get(n.instanceId);
    if (b.instances !== undefined && inst === undefined) return pat.fail(`instance ${n.instanceId} is not in ${b.files.instances} (describe-instances of the VPC): a node of another VPC?`);
    const typeName = inst?.instanceType ?? n.labels['node.kubernetes.io/instance-type'];
    const typeAt = inst !== undefined ? inst.at.at('InstanceType') : n.at.at('metadata').at('labels').at('node.kubernetes.io/instance-type');
    if (typeName === undefined) return typeAt.fail('missing: the node has no instance type');
    const type = findInstanceType(typeName);
    if (type === undefined) return typeAt.fail(`unknown instance type ${JSON.stringify(typeName)}${instanceTypeHint(typeName)}`);
    const enis = (enisOf.get(n.instanceId) ?? []).slice().sort((x, y) => (x.deviceIndex ?? 0) - (y.deviceIndex ?? 0));
    if (enis.length === 0 || enis[0].deviceIndex !== 0) return pat.fail(`instance ${n.instanceId} has no ENI at device index 0 in ${b.files['network-interfaces']}`);
    checkLimits(n, type, enis);
    for (const e of enis) if (!subnets.has(e.subnetId)) return e.at.at('SubnetId').fail(`subnet ${e.subnetId} is not in ${b.files.subnets}`);
    return {
      name: n.name,
      instanceId: n.instanceId,
      instanceType: type,
      az: inst?.az ?? n.az ?? subnets.get(enis[0].subnetId)!.az,
      subnetId: enis[0].subnetId,
      labels: n.labels,
      allocatablePods: n.allocatablePods,
      enis,
      record: n,
    };
  });
}

function checkLimits(n: NodeRecord, type: InstanceType, enis: EniRecord[]): void {
  if (enis.length > type.enis) enis[type.enis].at.at('Attachment').fail(`${n.instanceId} (${type.name}) has ${enis.length} ENIs; the type allows ${type.enis}`);
  for (const e of enis) {
    const slots = 1 + e.secondaryIps.length + e.prefixes.length;
    if (slots > type.ipv4PerEni) {
      const what = e.prefixes.length > 0 ? `${1 + e.secondaryIps.length} addresses and ${e.prefixes.length} prefixes` : `${slots} addresses`;
      e.at.at(e.prefixes.length > 0 && e.secondaryIps.length === 0 ? 'Ipv4Prefixes' : 'PrivateIpAddresses').fail(`${e.id} on ${n.instanceId} (${type.name}) holds ${what}; the type allows ${type.ipv4PerEni} per ENI`);
    }
  }
}

/** A node's group from its labels, or undefined for a standalone node. */
export function nodeGroupOf(n: ImportedNode): string | undefined {
  for (const k of NODE_GROUP_LABELS) if (n.labels[k] !== undefined && n.labels[k] !== '') return n.labels[k];
  return undefined;
}
