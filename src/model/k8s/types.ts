/**
 * The Kubernetes objects the simulator keeps: pods, nodes, deployments, and what each remembers for reports
 * (scheduled time, address time, sandbox attempts, the last CNI error, the events). State only; the controllers
 * that change it live in cluster.ts (and its cluster-*.ts helpers), kubelet.ts, aws-node.ts and node-join.ts.
 */
import type { Timer } from '../../sim/index.ts';
import { EventLog } from './events.ts';
import type { Requests } from './scheduler.ts';

/** A pod template, reduced to what scheduling and the kubelet need. */
export interface PodTemplate {
  labels: Record<string, string>;
  /** Container names (events name the first). */
  containers: string[];
  image: string;
  hostNetwork: boolean;
  nodeSelector: Record<string, string>;
  /** Summed over containers; 0 where unstated. */
  requests: Requests;
  requestsStated: { cpu: boolean; memory: boolean };
  terminationGracePeriodSeconds: number;
}

/** The STATUS column of `kubectl get pods`. */
export type PodStatus = 'Pending' | 'ContainerCreating' | 'Running' | 'Terminating';

export interface PodOwner {
  /** `None`: a bare Pod applied on its own (no controller recreates it). */
  kind: 'ReplicaSet' | 'DaemonSet' | 'None';
  /** The ReplicaSet (`inflate-5c8d4f7b9d`) or DaemonSet (`aws-node`) name; a bare Pod's own name. */
  name: string;
  /** For ReplicaSet pods, the Deployment. */
  deployment?: string;
}

/** `namespace/name`: how the cluster keys pods and Deployments. */
export function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export class Pod {
  /** Creation order, unique in the cluster. */
  readonly uid: number;
  readonly namespace: string;
  readonly name: string;
  /** `namespace/name`. */
  readonly key: string;
  /** objectKey of the Deployment of a ReplicaSet pod. */
  readonly deploymentKey: string | undefined;
  readonly owner: PodOwner;
  readonly template: PodTemplate;
  readonly createdAt: number;
  readonly events: EventLog;
  nodeName: string | undefined;
  scheduledAt: number | undefined;
  /** When CNI ADD returned an address (host-network pods: when the sandbox started). */
  ipAssignedAt: number | undefined;
  runningAt: number | undefined;
  /** deletionTimestamp. */
  deletedAt: number | undefined;
  /** When the object left the API server. */
  goneAt: number | undefined;
  ip: string | undefined;
  eniId: string | undefined;
  /** The live sandbox id (the last one tried while it keeps failing). */
  sandboxId: string | undefined;
  sandboxAttempts = 0;
  /** Attempts that failed because aws-node was not answering. */
  connectFailures = 0;
  lastCniError: string | undefined;
  lastCniErrorAt: number | undefined;
  /** First FailedCreatePodSandBox. */
  firstStuckAt: number | undefined;
  running = false;
  /** The scheduler has failed to place it at least once (it then has a FailedScheduling event, if events are kept). */
  failedScheduling = false;
  /**
   * The kubelet worker's next step (its last once the containers started), from admission until deletion
   * (kubelet.ts); 'starting' while its first step is queued (that one is never cancelled: it finds the worker gone);
   * 'running' for a pod that was Running before t = 0 (no step left).
   */
  kubeletStep: Timer | 'starting' | 'running' | undefined;

  /**
   * `deploymentKey`: the one string the pods of a Deployment can share; `key`, when the caller has built it;
   * `events`: UNKEPT_EVENTS for a pod whose events no one will read.
   */
  constructor(
    uid: number,
    namespace: string,
    name: string,
    owner: PodOwner,
    template: PodTemplate,
    now: number,
    deploymentKey = owner.deployment === undefined ? undefined : objectKey(namespace, owner.deployment),
    key = objectKey(namespace, name),
    events = new EventLog(),
  ) {
    this.uid = uid;
    this.namespace = namespace;
    this.name = name;
    this.key = key;
    this.deploymentKey = deploymentKey;
    this.owner = owner;
    this.template = template;
    this.createdAt = now;
    this.events = events;
  }

  get hostNetwork(): boolean {
    return this.template.hostNetwork;
  }

  get status(): PodStatus {
    if (this.deletedAt !== undefined) return 'Terminating';
    if (this.nodeName === undefined) return 'Pending';
    return this.running ? 'Running' : 'ContainerCreating';
  }

  /** Time from being scheduled to having an address, once it has one. */
  get ipWaitMs(): number | undefined {
    return this.scheduledAt === undefined || this.ipAssignedAt === undefined ? undefined : this.ipAssignedAt - this.scheduledAt;
  }
}

export class Node {
  readonly name: string;
  readonly nodeGroup: string;
  readonly instanceId: string;
  readonly instanceType: string;
  readonly subnetId: string;
  readonly az: string;
  readonly privateIp: string;
  readonly launchedAt: number;
  readonly events = new EventLog();
  labels: Record<string, string>;
  annotations: Record<string, string> = {};
  /** `.status.capacity.pods` (kubelet --max-pods). */
  maxPods: number;
  allocatable: Requests | undefined;
  /** The kubelet reached the API server and created its Node object. */
  registered = false;
  registeredAt: number | undefined;
  ready = false;
  readyAt: number | undefined;
  notReadyReason: string | undefined;
  cordoned = false;
  /** The instance is shutting down or gone. */
  terminating = false;
  terminatedAt: number | undefined;
  /** The CNI config (10-aws.conflist) has been written: aws-node started successfully at least once (§2.1 step 1). */
  cniConfigured = false;

  constructor(init: {
    name: string;
    nodeGroup: string;
    instanceId: string;
    instanceType: string;
    subnetId: string;
    az: string;
    privateIp: string;
    launchedAt: number;
    labels: Record<string, string>;
    maxPods: number;
    allocatable: Requests | undefined;
  }) {
    this.name = init.name;
    this.nodeGroup = init.nodeGroup;
    this.instanceId = init.instanceId;
    this.instanceType = init.instanceType;
    this.subnetId = init.subnetId;
    this.az = init.az;
    this.privateIp = init.privateIp;
    this.launchedAt = init.launchedAt;
    this.labels = init.labels;
    this.maxPods = init.maxPods;
    this.allocatable = init.allocatable;
  }

  /** The node.kubernetes.io/unschedulable:NoSchedule taint (ipamd's NodeView). */
  isCordoned(): boolean {
    return this.cordoned;
  }

  /** STATUS as `kubectl get nodes` prints it. */
  get status(): string {
    const base = this.ready ? 'Ready' : 'NotReady';
    return this.cordoned ? `${base},SchedulingDisabled` : base;
  }
}

export interface Deployment {
  namespace: string;
  name: string;
  replicas: number;
  selector: Record<string, string>;
  template: PodTemplate;
  /** pod-template-hash of its ReplicaSet. */
  hash: string;
  createdAt: number;
}

/** The result of a kubectl-like action, shaped as its CLI output. */
export interface ActionResult {
  ok: boolean;
  message: string;
}
