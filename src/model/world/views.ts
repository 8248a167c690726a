/**
 * What the World's queries return: plain, serialisable snapshots of pods, nodes (with their ENIs as EC2 describes
 * them), subnets and deployments, shaped for reports, expectations and metrics. Types and small builders only.
 */
import type { K8sEvent } from '../k8s/events.ts';
import type { AwsNodeState } from '../k8s/aws-node.ts';
import type { NetworkInterfaceView, Tags } from '../ec2/types.ts';
import type { EniConfigSpec } from '../ipamd/types.ts';
import type { EndpointAccess } from '../k8s/node-join.ts';
import type { Deployment, PodOwner, PodStatus, PodTemplate } from '../k8s/types.ts';
import type { Pod } from '../k8s/types.ts';
import type { Requests } from '../k8s/scheduler.ts';
import type { StuckCause } from './stuck-cause.ts';

export interface PodInfo {
  namespace: string;
  name: string;
  status: PodStatus;
  /** `Ready` column: running (and, for aws-node, ipamd ready). */
  ready: boolean;
  node?: string;
  ip?: string;
  eniId?: string;
  deployment?: string;
  daemonSet?: string;
  labels: Record<string, string>;
  hostNetwork: boolean;
  createdAt: number;
  scheduledAt?: number;
  ipAssignedAt?: number;
  runningAt?: number;
  deletedAt?: number;
  /** Scheduled → address assigned, ms. */
  ipWaitMs?: number;
  sandboxAttempts: number;
  /** The controller: `ReplicaSet/inflate-5c8d4f7b9d` or `DaemonSet/aws-node`; kind None for a bare Pod. */
  owner: { kind: PodOwner['kind']; name: string };
  containers: readonly string[];
  image: string;
  /** A container states a CPU or memory request (QoS Burstable rather than BestEffort; limits are not modelled). */
  requestsStated: boolean;
  /** Container restarts (live view; only aws-node's crash restarts are modelled); absent when none. */
  restarts?: number;
  /** When the last restarted container exited (kubectl's "RESTARTS 1 (9m ago)"). */
  lastRestartAt?: number;
  lastCniError?: string;
  firstStuckAt?: number;
  stuckCause?: StuckCause;
}

export interface EniInfo {
  eniId: string;
  deviceIndex: number;
  networkCardIndex: number;
  /** EC2 subnet id and the scenario's name for it. */
  subnetId: string;
  subnet: string;
  status: string;
  primaryIp: string;
  secondaryIps: string[];
  prefixes: string[];
  ipv6Prefixes: string[];
}

export interface NodeInfo {
  name: string;
  nodeGroup: string;
  instanceId: string;
  instanceType: string;
  subnetId: string;
  subnet: string;
  az: string;
  privateIp: string;
  maxPods: number;
  registered: boolean;
  ready: boolean;
  /** `kubectl get nodes` STATUS ("Ready", "NotReady,SchedulingDisabled"). */
  status: string;
  notReadyReason?: string;
  cordoned: boolean;
  terminating: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Pods bound to the node (host-network and terminating ones included). */
  pods: number;
  launchedAt: number;
  /** `.status.allocatable` cpu and memory, when the node group states them. */
  allocatable?: Requests;
  registeredAt?: number;
  readyAt?: number;
  enis: EniInfo[];
  awsNode?: { state: AwsNodeState; restarts: number; lastFailure?: string; generation: number };
}

export interface SubnetInfo {
  /** The scenario's name (the EC2 id for subnets created without one). */
  id: string;
  subnetId: string;
  az: string;
  cidr: string;
  availableIpAddressCount: number;
  tags: Record<string, string>;
  route: string;
  public: boolean;
}

export interface DeploymentInfo {
  namespace: string;
  name: string;
  replicas: number;
  /** Running pods (READY x/y). */
  ready: number;
  upToDate: number;
  available: number;
  byStatus: Record<PodStatus, number>;
}

export interface PodEvents {
  events: K8sEvent[];
  /** The `Events:` block as `kubectl describe pod` prints it now. */
  text: string;
}

export function deploymentInfo(d: Deployment, pods: readonly Pod[]): DeploymentInfo {
  const byStatus: Record<PodStatus, number> = { Pending: 0, ContainerCreating: 0, Running: 0, Terminating: 0 };
  let active = 0;
  for (const p of pods) {
    byStatus[p.status]++;
    if (p.deletedAt === undefined) active++;
  }
  return {
    namespace: d.namespace,
    name: d.name,
    replicas: d.replicas,
    ready: byStatus.Running,
    upToDate: active,
    available: byStatus.Running,
    byStatus,
  };
}

/** The VPC as `describe-vpcs` shows it: its IPv4 blocks, the primary first. */
export interface VpcInfo {
  vpcId: string;
  cidrBlocks: string[];
  ipv6CidrBlock?: string;
  tags: Tags;
}

/** An instance in the VPC as `describe-instances` shows it, with its attached ENIs by device index. */
export interface InstanceInfo {
  instanceId: string;
  instanceType: string;
  state: 'pending' | 'running' | 'shutting-down' | 'terminated';
  subnetId: string;
  az: string;
  privateIp: string;
  /** RunInstances' response, virtual ms. */
  launchedAt: number;
  tags: Tags;
  enis: NetworkInterfaceView[];
}

/** A Deployment's spec as the cluster keeps it (the object `kubectl get deployment -o json` shows). */
export interface DeploymentSpecInfo {
  namespace: string;
  name: string;
  replicas: number;
  selector: Record<string, string>;
  template: PodTemplate;
  createdAt: number;
}

/** The cluster itself: what `aws eks describe-cluster` and the aws-node DaemonSet say of it. */
export interface ClusterInfo {
  name: string;
  region: string;
  kubernetesVersion: string;
  ipFamily: 'ipv4' | 'ipv6';
  endpointAccess: EndpointAccess;
  vpcCniVersion: string;
  /** The aws-node DaemonSet: its container env now and its rollout's figures over live registered nodes. */
  awsNode: { env: Record<string, string>; generation: number; desired: number; updated: number; ready: number };
  eniConfigs: EniConfigSpec[];
}

/** A pod's labels as the API server shows them: a ReplicaSet's pods also carry its hash, its name's suffix. */
export function podLabels(p: Pick<PodInfo, 'labels' | 'owner' | 'deployment'>): Record<string, string> {
  const labels = { ...p.labels };
  if (p.owner.kind === 'ReplicaSet' && p.deployment !== undefined && p.owner.name.startsWith(`${p.deployment}-`)) labels['pod-template-hash'] = p.owner.name.slice(p.deployment.length + 1);
  return labels;
}

/**
 * A pod's conditions as the API server lists them: unscheduled, only PodScheduled False; scheduled, the five in
 * kubelet's order. `sandboxReady` is whether PodReadyToStartContainers is True (each caller says what it counts).
 */
export function podConditions(p: Pick<PodInfo, 'node' | 'ready'>, sandboxReady: boolean): { type: string; status: 'True' | 'False' }[] {
  if (p.node === undefined) return [{ type: 'PodScheduled', status: 'False' }];
  const cond = (type: string, ok: boolean) => ({ type, status: ok ? ('True' as const) : ('False' as const) });
  return [cond('PodReadyToStartContainers', sandboxReady), cond('Initialized', true), cond('Ready', p.ready), cond('ContainersReady', p.ready), cond('PodScheduled', true)];
}

/**
 * A node's taints as its spec lists them: `kubectl cordon`'s unschedulable, then the node lifecycle controller's
 * not-ready (the model has no others). describe prints them as `key:effect`, export as objects.
 */
export function nodeTaints(n: Pick<NodeInfo, 'ready' | 'cordoned'>): { key: string; effect: 'NoSchedule' }[] {
  const taints: { key: string; effect: 'NoSchedule' }[] = [];
  if (n.cordoned) taints.push({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
  if (!n.ready) taints.push({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' });
  return taints;
}

/** A pod's QoS class: Burstable when it states requests, BestEffort when not (the model has no limits). */
export function qosClassOf(p: Pick<PodInfo, 'requestsStated'>): 'Burstable' | 'BestEffort' {
  return p.requestsStated ? 'Burstable' : 'BestEffort';
}
