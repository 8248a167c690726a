/**
 * `WorldSpec`: the plain object a World is built from — the one declaration of a cluster's shape (`SubnetSpec`,
 * `NodeGroupSpec`, `ClusterSpec`) that scenario and workload files load into directly — with its defaults and the
 * checks that turn a bad value into an `InputError` naming the field. Types, defaults and validation only;
 * building happens in world.ts.
 */
import { InputError } from '../../util/input-error.ts';
import type { Ec2Action, Tags } from '../ec2/types.ts';
import type { Ec2OptionsInput } from '../ec2/options.ts';
import { findInstanceType } from '../ec2/instance-types.ts';
import { computeMaxPods } from '../max-pods.ts';
import type { EndpointAccess, SubnetRoute } from '../k8s/node-join.ts';
import type { KubernetesOptions, Range } from '../k8s/options.ts';
import { parseCpuMilli, parseMemoryBytes } from '../k8s/quantity.ts';
import type { Requests } from '../k8s/scheduler.ts';

export interface SubnetSpec {
  /** The scenario's name for the subnet ("private-a"); EC2 gives it a real id (`subnet-…`). Either works in actions. */
  id: string;
  az: string;
  cidr: string;
  /** Instances get a public IPv4 address (MapPublicIpOnLaunch); default: route is 'igw'. */
  public?: boolean;
  /** Default route: internet gateway, NAT gateway or none (default 'nat'). */
  route?: SubnetRoute;
  tags?: Tags;
  /** Addresses held by things outside the cluster (NAT gateways, load balancers, control-plane ENIs). */
  externalUse?: number;
}

export interface NodeGroupSpec {
  name: string;
  instanceType: string;
  /** Subnet ids (scenario names or EC2 ids). */
  subnets: string[];
  desiredCapacity: number;
  /**
   * Scaling bounds of the managed node group (EKS scalingConfig minSize/maxSize). The loaders refuse a
   * desiredCapacity or a later scale outside them; the World itself sets sizes as told.
   */
  minSize?: number;
  maxSize?: number;
  /** kubelet --max-pods; default ENIs × (IPv4 − 1) + 2 for the type (eni-max-pods.txt, §7). */
  maxPods?: number;
  /** Allocatable resources as quantities ("1930m", "7Gi"); unstated: not limited. */
  allocatable?: { cpu?: string | number; memory?: string | number };
  labels?: Record<string, string>;
  /** RunInstances → kubelet registration, ms (default KubernetesOptions.nodeLaunchMs). */
  launchLatencyMs?: Range;
}

export interface ClusterSpec {
  name: string;
  kubernetesVersion: string;
  ipFamily?: 'ipv4' | 'ipv6';
  endpointAccess?: EndpointAccess;
  /** VPC CNI version ("1.18.0") and the aws-node env, merged over the manifest defaults. */
  vpcCni: { version: string; env?: Record<string, string> };
  /** ENIConfig objects (custom networking); `subnet` may be a scenario name. */
  eniConfigs?: Array<{ name: string; subnet: string; securityGroups?: string[] }>;
  /** CoreDNS replicas (default 2, as EKS). */
  coreDnsReplicas?: number;
}

/** An IAM denial: `principal` defaults to the node role; `action` is `CreateTags`, `ec2:CreateTags` or `*`. */
export type DeniedPermission = { principal?: string; action: string } | string;

export interface WorldSpec {
  seed: number | string;
  region: string;
  vpc: { cidrBlocks: string[]; ipv6?: boolean };
  subnets: SubnetSpec[];
  cluster: ClusterSpec;
  nodeGroups: NodeGroupSpec[];
  /** Any subset of the EC2 model's options (latencies, throttling, faults …). */
  ec2?: Ec2OptionsInput;
  deniedPermissions?: DeniedPermission[];
  /** Timing knobs of the Kubernetes layer. */
  kubernetes?: Partial<KubernetesOptions>;
  /** The cluster's state at t = 0: nodes running with their ENIs, pods running on their addresses (existing.ts). */
  existing?: ExistingSpec;
}

/** One ENI attached to an existing node, as EC2 describes it (describe-network-interfaces). */
export interface ExistingEniSpec {
  id: string;
  deviceIndex: number;
  /** Scenario name or EC2 id; the node's AZ. */
  subnet: string;
  primaryIp: string;
  secondaryIps?: string[];
  /** /28 IPv4 prefixes (prefix delegation). */
  prefixes?: string[];
}

/** An instance already running and Ready at t = 0, with aws-node Running. */
export interface ExistingNodeSpec {
  /** The Kubernetes node name. */
  name: string;
  instanceId: string;
  instanceType: string;
  /** The primary ENI's subnet (scenario name or EC2 id); the AZ follows from it. */
  subnet: string;
  /** A group of `nodeGroups` whose desiredCapacity counts this node; absent: a standalone node. */
  nodeGroup?: string;
  /** kubelet --max-pods; default the group's, else the type's eni-max-pods value. */
  maxPods?: number;
  labels?: Record<string, string>;
  /** Every ENI attached, device index 0 (the primary) first. */
  enis: ExistingEniSpec[];
}

/** A pod bound and Running at t = 0 (not aws-node or kube-proxy: the World runs those on every node). */
export interface ExistingPodSpec {
  namespace?: string;
  name: string;
  node: string;
  /** Required unless hostNetwork (then the node's primary IP). */
  ip?: string;
  hostNetwork?: boolean;
  labels?: Record<string, string>;
  /** Owned by this Deployment of `deployments` (same namespace). */
  deployment?: string;
  requests?: { cpu?: string | number; memory?: string | number };
}

/**
 * The cluster at t = 0 (Contract 1 of docs/scenario-format.md "existing"): its nodes, pods and Deployments. Each
 * node's ipamd starts as after a restart from its checkpoint; a Deployment's shortfall is created at t = 0.
 */
export interface ExistingSpec {
  nodes: ExistingNodeSpec[];
  pods?: ExistingPodSpec[];
  /** Deployment manifests as `kubectl apply` takes them (metadata.namespace default "default"). */
  deployments?: Record<string, unknown>[];
}

const ACTIONS: readonly string[] = [
  'DescribeSubnets',
  'DescribeNetworkInterfaces',
  'DescribeInstances',
  'DescribeSecurityGroups',
  'CreateNetworkInterface',
  'AttachNetworkInterface',
  'DetachNetworkInterface',
  'DeleteNetworkInterface',
  'ModifyNetworkInterfaceAttribute',
  'AssignPrivateIpAddresses',
  'UnassignPrivateIpAddresses',
  'AssignIpv6Addresses',
  'UnassignIpv6Addresses',
  'CreateTags',
  'DeleteTags',
  'AssociateVpcCidrBlock',
  'CreateSubnet',
  'CreateSubnetCidrReservation',
  'RunInstances',
  'TerminateInstances',
];

/** `ec2:CreateTags` / `CreateTags` / `*` → the action, or undefined when unknown. */
export function parseAction(a: string): Ec2Action | '*' | undefined {
  const name = a.startsWith('ec2:') ? a.slice(4) : a;
  if (name === '*') return '*';
  return ACTIONS.includes(name) ? (name as Ec2Action) : undefined;
}

/** The IAM deny map for Ec2Options.deny. */
export function denyMap(list: readonly DeniedPermission[], nodeRole: string): Record<string, Array<Ec2Action | '*'>> {
  const out: Record<string, Array<Ec2Action | '*'>> = {};
  list.forEach((d, i) => {
    const principal = typeof d === 'string' ? nodeRole : (d.principal ?? nodeRole);
    const raw = typeof d === 'string' ? d : d.action;
    const a = parseAction(raw);
    if (a === undefined) throw new InputError({ field: `deniedPermissions[${i}]` }, `unknown EC2 action "${raw}"`);
    (out[principal] ??= []).push(a);
  });
  return out;
}

/** max pods for a group: stated, else the eni-max-pods value of the type. */
export function groupMaxPods(g: NodeGroupSpec, i: number): number {
  const t = findInstanceType(g.instanceType);
  if (t === undefined) throw new InputError({ field: `nodeGroups[${i}].instanceType` }, `unknown instance type "${g.instanceType}"`);
  if (g.maxPods !== undefined) {
    if (!Number.isInteger(g.maxPods) || g.maxPods < 1) throw new InputError({ field: `nodeGroups[${i}].maxPods` }, 'must be a positive integer');
    return g.maxPods;
  }
  return computeMaxPods(t).maxPods;
}

export function groupAllocatable(g: NodeGroupSpec, i: number): Requests | undefined {
  if (g.allocatable === undefined) return undefined;
  const cpu = g.allocatable.cpu === undefined ? Number.MAX_SAFE_INTEGER : parseCpuMilli(g.allocatable.cpu);
  const mem = g.allocatable.memory === undefined ? Number.MAX_SAFE_INTEGER : parseMemoryBytes(g.allocatable.memory);
  if (cpu === undefined) throw new InputError({ field: `nodeGroups[${i}].allocatable.cpu` }, `not a quantity: "${String(g.allocatable.cpu)}"`);
  if (mem === undefined) throw new InputError({ field: `nodeGroups[${i}].allocatable.memory` }, `not a quantity: "${String(g.allocatable.memory)}"`);
  return { cpuMilli: cpu, memoryBytes: mem };
}
