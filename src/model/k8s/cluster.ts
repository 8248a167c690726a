/**
 * The Kubernetes cluster as the simulator needs it: the API objects (nodes, pods, deployments, ENIConfigs), the
 * controllers that change them (ReplicaSet, DaemonSets aws-node and kube-proxy, node lifecycle), the scheduler cycle
 * and one kubelet per node, plus the kubectl-shaped actions a scenario performs. It talks to EC2 and ipamd only
 * through `NodeCloud` and `IpamdFactory` (cloud.ts), so it runs against fakes in tests.
 *
 * A node's life: RunInstances → boot → the kubelet registers (if it can reach the endpoint, node-join.ts) → NotReady
 * ("cni plugin not initialized") with aws-node and kube-proxy bound → ipamd ready, CNI config written (§2.1 step 1)
 * → Ready → the scheduler places pods. The scheduler knows nothing of addresses (scheduler.ts), so a node whose ipamd
 * has none left gets pods anyway and they sit in ContainerCreating (§9.1, user-scenarios §B.1).
 * This file holds the nodes' objects and lifecycle and the host interfaces; beside it: cluster-pods.ts (the pods,
 * the scheduling queue and the ReplicaSet controller), cluster-actions.ts (the kubectl-shaped actions),
 * cluster-schedule.ts (one scheduling cycle and the nodes' views it reads; their index is sched-index.ts),
 * cluster-nodes.ts (the Node a launched instance becomes), system-pods.ts (CoreDNS, aws-node and kube-proxy
 * templates).
 * Not here: Services, ReplicaSet slow-start batches, preemption, PodDisruptionBudgets, node drain.
 */
import type { Simulation } from '../../sim/index.ts';
import { silentSink, type Sink } from '../../util/stream.ts';
import type { Checkpoint, EniConfigSpec } from '../ipamd/types.ts';
import { AwsNodeAgent, type AwsNodeHost } from './aws-node.ts';
import type { Happening, IpamdFactory, K8sHappening, LaunchedInstance, NodeCloud } from './cloud.ts';
import * as actions from './cluster-actions.ts';
import { adoptExisting, type ExistingCluster } from './cluster-existing.ts';
import { CNI_NOT_INITIALIZED, nodeForInstance } from './cluster-nodes.ts';
import { PodBook } from './cluster-pods.ts';
import { NodeView, NodeViews, scheduleCycle, type ScheduleHost } from './cluster-schedule.ts';
import { Kubelet, type CniBackend, type KubeletHost } from './kubelet.ts';
import { NodeGroup, type NodeGroupHost, type NodeGroupConfig } from './node-group.ts';
import type { EndpointAccess } from './node-join.ts';
import { DEFAULT_KUBERNETES_OPTIONS, draw, type KubernetesOptions } from './options.ts';
import { AwsNodeRollout, type RolloutHost } from './rollout.ts';
import { assume } from './scheduler.ts';
import { COREDNS_TEMPLATE, daemonTemplate } from './system-pods.ts';
import type { ActionResult, Deployment, Node, Pod } from './types.ts';

export { CNI_NOT_INITIALIZED } from './cluster-nodes.ts';

export interface ClusterConfig {
  name: string;
  kubernetesVersion: string;
  region: string;
  endpointAccess: EndpointAccess;
  /** The aws-node container env at cluster creation (manifest defaults merged with the scenario's). */
  awsNodeEnv: Record<string, string>;
  nodeGroups: NodeGroupConfig[];
  eniConfigs?: EniConfigSpec[];
  /** CoreDNS replicas in kube-system (EKS: 2); none made when the cluster starts from `existing`. */
  coreDnsReplicas?: number;
  /** The nodes, pods and Deployments running at t = 0 (cluster-existing.ts). */
  existing?: ExistingCluster;
  options?: Partial<KubernetesOptions>;
}

export interface ClusterDeps {
  sim: Simulation;
  cloud: NodeCloud;
  ipamdFactory: IpamdFactory;
  /** Where the layer's happenings go (the World's stream); none is built that nobody wants. */
  happenings?: Sink<K8sHappening>;
  /** How reports name a subnet (a scenario's name for it); default the id. */
  subnetName?: (subnetId: string) => string;
  /** Told of every pod as it is created and as it leaves the API server. */
  onPodCreated?: (pod: Pod) => void;
  onPodGone?: (pod: Pod) => void;
  /**
   * Keep every pod ever created in `podLog` (default true: reports and the why-chain read gone pods). Benchmarks
   * turn it off and take what they need from the hooks, so a long churn does not hold every pod it ever ran.
   */
  keepPodLog?: boolean;
  /** Record pods' Kubernetes events (default true: `describe` and the why-chain read them); benchmarks read none. */
  keepPodEvents?: boolean;
}

const UNREACHABLE: CniBackend = {
  add: () => ({ ok: false, error: 'add cmd: failed to connect to backend server' }),
  del: () => undefined,
};

export class Cluster implements KubeletHost, AwsNodeHost, RolloutHost, NodeGroupHost {
  readonly sim: Simulation;
  readonly opts: KubernetesOptions;
  readonly cloud: NodeCloud;
  readonly ipamdFactory: IpamdFactory;
  readonly endpointAccess: EndpointAccess;
  readonly config: ClusterConfig;
  /** Every node ever launched, by name (unregistered and terminated ones included). */
  readonly nodeMap = new Map<string, Node>();
  /** Pods in the API server, by namespace/name (the PodBook's). */
  readonly podMap: Map<string, Pod>;
  /** Every pod ever created, in creation order (for reports); empty when ClusterDeps.keepPodLog is false. */
  readonly podLog: Pod[];
  readonly deploymentMap: Map<string, Deployment>;
  readonly eniConfigMap = new Map<string, EniConfigSpec>();
  readonly groups = new Map<string, NodeGroup>();
  readonly agentMap = new Map<string, AwsNodeAgent>();
  readonly rollout: AwsNodeRollout;
  private readonly kubelets = new Map<string, Kubelet>();
  private readonly nodeGroupOf = new Map<Node, NodeGroup>();
  private readonly happenings: Sink<K8sHappening>;
  /** The pods, the scheduling queue and the ReplicaSet controller (also the actions' DeploymentWriter). */
  private readonly book: PodBook;
  private readonly subnetName: (subnetId: string) => string;
  private scheduleTimerPending = false;
  /** Each registered node's view (bound pods and what they add up to), the live nodes, the scheduler's index. */
  private readonly views = new NodeViews(this.nodeMap);
  /** The cluster as a scheduling cycle sees it. */
  private readonly scheduleHost: ScheduleHost = {
    now: () => this.sim.now,
    pending: () => this.book.pending,
    nodes: () => this.views.schedNodes(),
    bind: (pod, view) => {
      // a view the cluster does not keep (see NodeViews.schedNodes) counts the pod only for the rest of the cycle
      if (this.bind(pod, view.node, true) !== view) {
        assume(pod.template, view);
        this.views.podsChanged(view);
      }
    },
    happen: (h) => this.happen(h),
  };

  constructor(config: ClusterConfig, deps: ClusterDeps) {
    this.config = config;
    this.sim = deps.sim;
    this.cloud = deps.cloud;
    this.ipamdFactory = deps.ipamdFactory;
    this.happenings = deps.happenings ?? silentSink();
    this.book = new PodBook(this, this.happenings, { onPodCreated: deps.onPodCreated, onPodGone: deps.onPodGone, keepPodLog: deps.keepPodLog ?? true, keepPodEvents: deps.keepPodEvents ?? true });
    this.podMap = this.book.podMap;
    this.podLog = this.book.podLog;
    this.deploymentMap = this.book.deploymentMap;
    this.subnetName = deps.subnetName ?? ((id) => id);
    this.endpointAccess = config.endpointAccess;
    this.opts = { ...DEFAULT_KUBERNETES_OPTIONS, ...config.options };
    this.rollout = new AwsNodeRollout(this, { ...config.awsNodeEnv });
    for (const e of config.eniConfigs ?? []) this.eniConfigMap.set(e.name, e);
    if (config.existing !== undefined) {
      this.startFrom(config.existing);
      return;
    }
    const dns = config.coreDnsReplicas ?? 2;
    if (dns > 0) this.book.createDeployment({ namespace: 'kube-system', name: 'coredns', replicas: dns, selector: { 'k8s-app': 'kube-dns' }, template: COREDNS_TEMPLATE }, false);
    for (const g of config.nodeGroups) {
      const group = new NodeGroup(this, { ...g, labels: { ...g.labels } });
      this.groups.set(g.name, group);
      group.reconcile();
    }
  }

  /** The cluster as it was running at t = 0 (cluster-existing.ts): no CoreDNS of its own; groups make up the rest. */
  private startFrom(existing: ExistingCluster): void {
    for (const g of this.config.nodeGroups) this.groups.set(g.name, new NodeGroup(this, { ...g, labels: { ...g.labels } }));
    const host = { book: this.book, groups: this.groups, sandboxes: this.sim.random('existing/sandboxes'), adoptPod: (pod: Pod, node: Node) => this.bind(pod, node, false, true) };
    for (const d of adoptExisting(this, host, existing)) this.book.setReplicas(d, d.replicas);
    for (const g of this.groups.values()) g.reconcile();
  }

  // ---- host interfaces -------------------------------------------------------------------------------------

  happen(h: Omit<Happening, 't'>): void {
    if (this.happenings.wants('timeline')) this.happenings.emit({ type: 'timeline', entry: { t: this.sim.now, ...h } as Happening });
  }

  /** Whether a happening would be heard now (KubeletHost): else none is built. */
  get hearsHappenings(): boolean {
    return this.happenings.wants('timeline');
  }

  cni(nodeName: string): CniBackend {
    return this.agentMap.get(nodeName) ?? UNREACHABLE;
  }

  podChanged(pod: Pod): void {
    this.book.changed(pod);
  }

  nodeChanged(node: Node): void {
    if (this.happenings.wants('node-changed')) this.happenings.emit({ type: 'node-changed', t: this.sim.now, node: node.name });
  }

  podStarted(pod: Pod): void {
    if (pod.owner.kind === 'ReplicaSet' && this.happenings.wants('pod-running')) this.happenings.emit({ type: 'pod-running', t: this.sim.now, pod: pod.key, node: pod.nodeName, ip: pod.ip });
  }

  podGone(pod: Pod): void {
    if (pod.goneAt !== undefined) return;
    pod.goneAt = this.sim.now;
    pod.running = false;
    // keys are unique among the pods in the API server, and a pod leaves it only here
    this.podMap.delete(pod.key);
    // a deleted pod was untracked when its deletionTimestamp was set
    if (pod.deletedAt === undefined) this.book.untrack(pod);
    const view = pod.nodeName === undefined ? undefined : this.views.byName.get(pod.nodeName);
    if (view?.bound.delete(pod) === true) this.views.loadChange(view, pod, -1);
    this.book.hooks.onPodGone?.(pod);
    this.book.changed(pod);
    this.book.replicaSetLost(pod);
    this.requestSchedule();
  }

  /** `running`: the pod was Running before t = 0. */
  createDaemonPod(daemonSet: string, node: Node, running = false): Pod {
    const names = this.sim.random(`names/kube-system/${daemonSet}`);
    const pod = this.book.newPod('kube-system', `${daemonSet}-`, names, { kind: 'DaemonSet', name: daemonSet }, daemonTemplate(daemonSet));
    this.bind(pod, node, false, running);
    return pod;
  }

  removePod(pod: Pod): void {
    this.book.markDeleted(pod);
    this.podGone(pod);
  }

  awsNodeReady(agent: AwsNodeAgent): void {
    const node = agent.node;
    this.happen({ kind: 'aws-node-ready', node: node.name, message: `aws-node ready on ${node.name}${agent.restarts > 0 ? ` after ${agent.restarts} restart(s)` : ''}` });
    if (!node.cniConfigured) {
      node.cniConfigured = true;
      this.sim.schedule(draw(this.sim.random(`kubelet/${node.name}/status`), this.opts.nodeReadyMs), () => this.markReady(node));
    }
    this.rollout.tick();
  }

  awsNodeFailed(agent: AwsNodeAgent, message: string): void {
    const node = agent.node;
    if (!node.cniConfigured) node.notReadyReason = `${CNI_NOT_INITIALIZED} (aws-node: ${message})`;
    this.happen({ kind: 'aws-node-failed', node: node.name, message: `aws-node on ${node.name} failed to start (restart ${agent.restarts}): ${message}` });
  }

  /** aws-node agents of live nodes, by node name (RolloutHost). */
  agents(): AwsNodeAgent[] {
    return [...this.agentMap.values()].filter((a) => !a.node.terminating).sort((a, b) => (a.node.name < b.node.name ? -1 : 1));
  }

  rolloutDone(generation: number): void {
    this.happen({ kind: 'aws-node-rollout', message: `daemonset "aws-node" successfully rolled out (generation ${generation + 1})` });
  }

  /** `name`: the node's name when it is not the one its private IP makes (a node of an existing state). */
  nodeLaunched(group: NodeGroupConfig, inst: LaunchedInstance, name?: string): Node {
    const node = nodeForInstance(group, inst, this.config.region, this.sim.now, name);
    node.events.tell(this.happenings, { kind: 'Node', name: node.name });
    this.nodeMap.set(node.name, node);
    this.views.liveSetChanged();
    this.nodeChanged(node);
    const g = this.groups.get(group.name);
    if (g !== undefined) this.nodeGroupOf.set(node, g);
    return node;
  }

  /** `running`: the node was Ready before t = 0, its aws-node to resume from `checkpoint` and kube-proxy Running. */
  nodeRegistered(node: Node, running?: { checkpoint: Checkpoint }): void {
    node.registered = true;
    this.views.liveSetChanged();
    node.registeredAt = this.sim.now;
    this.nodeChanged(node);
    node.notReadyReason = CNI_NOT_INITIALIZED;
    node.events.record(this.sim.now, 'Normal', 'RegisteredNode', 'node-controller', `Node ${node.name} event: Registered Node ${node.name} in Controller`);
    this.happen({ kind: 'node-registered', node: node.name, subnetId: node.subnetId, message: `${node.name} (${node.instanceId}, ${node.instanceType}, ${this.subnetName(node.subnetId)}, ${node.az}) registered` });
    this.views.byName.set(node.name, new NodeView(node));
    this.kubelets.set(node.name, new Kubelet(this, node));
    const agent = new AwsNodeAgent(this, node);
    this.agentMap.set(node.name, agent);
    if (running === undefined) agent.start(this.rollout.env, this.rollout.generation);
    else agent.adopt(this.rollout.env, this.rollout.generation, running.checkpoint);
    this.createDaemonPod('kube-proxy', node, running !== undefined);
    if (running === undefined) return;
    node.cniConfigured = true;
    this.markReady(node);
  }

  terminateNode(node: Node, why: string): void {
    if (node.terminating) return;
    node.terminating = true;
    this.views.liveSetChanged();
    node.terminatedAt = this.sim.now;
    const wasReady = node.ready;
    node.ready = false;
    node.notReadyReason = `instance ${node.instanceId} terminated (${why})`;
    this.nodeChanged(node);
    this.cloud.terminateInstance(node.instanceId);
    this.kubelets.get(node.name)?.shutdown();
    this.agentMap.get(node.name)?.shutdown();
    this.happen({ kind: 'node-terminated', node: node.name, message: `${node.name} (${node.instanceId}) terminated: ${why}` });
    if (wasReady) this.happen({ kind: 'node-not-ready', node: node.name, message: `${node.name} NotReady: ${node.notReadyReason}` });
    const g = this.nodeGroupOf.get(node);
    this.sim.schedule(draw(this.sim.random('node-lifecycle'), this.opts.nodeDeleteMs), () => this.deleteNodeObject(node));
    g?.forget(node);
    this.rollout.tick();
  }

  // ---- kubectl-shaped actions --------------------------------------------------------------------------------

  apply(manifest: Record<string, unknown>): ActionResult {
    return actions.apply(this, this.book, manifest);
  }

  scale(namespace: string, name: string, replicas: number): ActionResult {
    return actions.scale(this, this.book, namespace, name, replicas);
  }

  delete(kind: string, namespace: string, name: string): ActionResult {
    return actions.deleteObject(this, kind, namespace, name);
  }

  /** `kubectl set env daemonset aws-node -n kube-system KEY=VALUE … KEY-` (null removes a key). */
  setAwsNodeEnv(changes: Record<string, string | null>): ActionResult {
    return actions.setAwsNodeEnv(this, changes);
  }

  labelNode(name: string, labels: Record<string, string | null>): ActionResult {
    return actions.labelNode(this, name, labels);
  }

  annotateNode(name: string, annotations: Record<string, string | null>): ActionResult {
    return actions.annotateNode(this, name, annotations);
  }

  cordon(name: string, on = true): ActionResult {
    return actions.cordon(this, name, on);
  }

  scaleNodeGroup(name: string, desired: number): ActionResult {
    return actions.scaleNodeGroup(this, name, desired);
  }

  /** Terminates the instance behind a node (by node name or instance id); its group replaces it. */
  terminate(nodeOrInstanceId: string): ActionResult {
    return actions.terminate(this, nodeOrInstanceId);
  }

  // ---- queries -----------------------------------------------------------------------------------------------

  /** Registered, live nodes by name. */
  liveNodes(): Node[] {
    return this.views.sortedLiveNodes().slice();
  }

  pods(): Pod[] {
    return [...this.podMap.values()];
  }

  deployments(): Deployment[] {
    return [...this.deploymentMap.values()];
  }

  activePodsOf(d: Deployment): Pod[] {
    return this.book.activePodsOf(d);
  }

  eniConfig(name: string): EniConfigSpec | undefined {
    return this.eniConfigMap.get(name);
  }

  // ---- internals ---------------------------------------------------------------------------------------------

  /** Sets the deletionTimestamp; the kubelet finishes the job (or the pod goes at once if it never reached one). */
  deletePod(pod: Pod, reconcile = true): void {
    if (!this.book.markDeleted(pod)) return;
    const k = pod.nodeName === undefined ? undefined : this.kubelets.get(pod.nodeName);
    if (k === undefined || this.nodeMap.get(pod.nodeName!)?.terminating) this.podGone(pod);
    else k.delete(pod);
    if (reconcile) this.book.replicaSetLost(pod);
  }

  /**
   * Binds the pod to the node; returns the view that counts it (the cluster's view of the node, if it has one).
   * `running`: it was Running before t = 0, so the kubelet takes it as it is.
   */
  private bind(pod: Pod, node: Node, viaScheduler: boolean, running = false): NodeView | undefined {
    pod.nodeName = node.name;
    pod.scheduledAt = this.sim.now;
    this.book.changed(pod);
    this.book.pending.delete(pod);
    const view = this.views.byName.get(node.name);
    if (view !== undefined) {
      const before = view.bound.size;
      // counted when it joins the set, not again
      if (view.bound.add(pod).size > before) this.views.loadChange(view, pod, 1);
    }
    if (viaScheduler) pod.events.record(this.sim.now, 'Normal', 'Scheduled', 'default-scheduler', `Successfully assigned ${pod.key} to ${node.name}`);
    if (pod.owner.kind === 'DaemonSet' && pod.owner.name === 'aws-node') return view;
    if (running) this.kubelets.get(node.name)?.adoptRunning(pod);
    else this.kubelets.get(node.name)?.admit(pod);
    return view;
  }

  private markReady(node: Node): void {
    if (node.terminating || node.ready) return;
    node.ready = true;
    node.readyAt = this.sim.now;
    node.notReadyReason = undefined;
    this.nodeChanged(node);
    node.events.record(this.sim.now, 'Normal', 'NodeReady', 'kubelet', `Node ${node.name} status is now: NodeReady`);
    this.happen({ kind: 'node-ready', node: node.name, subnetId: node.subnetId, message: `${node.name} Ready (${node.instanceType}, ${this.subnetName(node.subnetId)}, ${node.az}, max pods ${node.maxPods})` });
    this.requestSchedule();
  }

  private deleteNodeObject(node: Node): void {
    for (const p of [...(this.views.byName.get(node.name)?.bound ?? [])]) {
      this.book.markDeleted(p);
      this.podGone(p);
    }
    this.views.byName.delete(node.name);
    this.kubelets.delete(node.name);
    this.agentMap.delete(node.name);
    node.registered = false;
    this.views.liveSetChanged();
    this.nodeChanged(node);
    this.requestSchedule();
  }

  /** Asks for a scheduling cycle soon (coalesced). */
  requestSchedule(): void {
    if (this.scheduleTimerPending) return;
    this.scheduleTimerPending = true;
    this.sim.schedule(this.opts.schedulerDelayMs, this.runScheduleCycle);
  }

  private readonly runScheduleCycle = (): void => {
    this.scheduleTimerPending = false;
    scheduleCycle(this.scheduleHost);
  };
}
