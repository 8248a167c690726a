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
 * Not here: Services, ReplicaSet slow-start batches, preemption, PodDisruptionBudgets, node drain.
 */
import type { Simulation } from '../../sim/index.ts';
import type { EniConfigSpec } from '../ipamd/types.ts';
import { AwsNodeAgent, type AwsNodeHost } from './aws-node.ts';
import type { Happening, IpamdFactory, LaunchedInstance, NodeCloud } from './cloud.ts';
import { Kubelet, type CniBackend, type KubeletHost } from './kubelet.ts';
import { parseDeployment, parseEniConfig } from './manifest.ts';
import { nodeNameFor, podSuffix, templateHash } from './names.ts';
import { NodeGroup, type NodeGroupHost, type NodeGroupSpec } from './node-group.ts';
import type { EndpointAccess } from './node-join.ts';
import { DEFAULT_KUBERNETES_OPTIONS, draw, type KubernetesOptions } from './options.ts';
import { podsToDelete } from './replicaset.ts';
import { AwsNodeRollout, type RolloutHost } from './rollout.ts';
import { assume, schedulePod, type SchedNode } from './scheduler.ts';
import { Node, Pod, type ActionResult, type Deployment, type PodTemplate } from './types.ts';

export interface ClusterConfig {
  name: string;
  kubernetesVersion: string;
  region: string;
  endpointAccess: EndpointAccess;
  /** The aws-node container env at cluster creation (manifest defaults merged with the scenario's). */
  awsNodeEnv: Record<string, string>;
  nodeGroups: NodeGroupSpec[];
  eniConfigs?: EniConfigSpec[];
  /** CoreDNS replicas in kube-system (EKS: 2). */
  coreDnsReplicas?: number;
  options?: Partial<KubernetesOptions>;
}

export interface ClusterDeps {
  sim: Simulation;
  cloud: NodeCloud;
  ipamdFactory: IpamdFactory;
  onHappening?: (h: Happening) => void;
  /** How reports name a subnet (a scenario's name for it); default the id. */
  subnetName?: (subnetId: string) => string;
}

/** The kubelet's NotReady reason until the CNI config exists. */
export const CNI_NOT_INITIALIZED =
  'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

const UNREACHABLE: CniBackend = {
  add: () => ({ ok: false, error: 'add cmd: failed to connect to backend server' }),
  del: () => undefined,
};

const COREDNS_TEMPLATE: PodTemplate = {
  labels: { 'k8s-app': 'kube-dns', 'eks.amazonaws.com/component': 'coredns' },
  containers: ['coredns'],
  image: '602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/coredns:v1.11.1-eksbuild.4',
  hostNetwork: false,
  nodeSelector: {},
  requests: { cpuMilli: 100, memoryBytes: 70 * 1024 * 1024 },
  requestsStated: { cpu: true, memory: true },
  terminationGracePeriodSeconds: 30,
};

function daemonTemplate(name: string): PodTemplate {
  return {
    labels: { 'k8s-app': name },
    containers: [name],
    image: '',
    hostNetwork: true,
    nodeSelector: {},
    requests: { cpuMilli: name === 'aws-node' ? 25 : 100, memoryBytes: 0 },
    requestsStated: { cpu: true, memory: false },
    terminationGracePeriodSeconds: name === 'aws-node' ? 10 : 30,
  };
}

export class Cluster implements KubeletHost, AwsNodeHost, RolloutHost, NodeGroupHost {
  readonly sim: Simulation;
  readonly opts: KubernetesOptions;
  readonly cloud: NodeCloud;
  readonly ipamdFactory: IpamdFactory;
  readonly endpointAccess: EndpointAccess;
  readonly config: ClusterConfig;
  /** Every node ever launched, by name (unregistered and terminated ones included). */
  readonly nodeMap = new Map<string, Node>();
  /** Pods in the API server, by namespace/name. */
  readonly podMap = new Map<string, Pod>();
  /** Every pod ever created, in creation order (for reports and metrics). */
  readonly podLog: Pod[] = [];
  readonly deploymentMap = new Map<string, Deployment>();
  readonly eniConfigMap = new Map<string, EniConfigSpec>();
  readonly groups = new Map<string, NodeGroup>();
  readonly agentMap = new Map<string, AwsNodeAgent>();
  readonly rollout: AwsNodeRollout;
  private readonly kubelets = new Map<string, Kubelet>();
  private readonly nodeGroupOf = new Map<Node, NodeGroup>();
  private readonly onHappening: ((h: Happening) => void) | undefined;
  private readonly subnetName: (subnetId: string) => string;
  private scheduleTimerPending = false;
  private nextUid = 1;
  /** Bound pods per node name (not yet gone), kept up to date for the scheduler. */
  private readonly boundPods = new Map<string, Set<Pod>>();

  constructor(config: ClusterConfig, deps: ClusterDeps) {
    this.config = config;
    this.sim = deps.sim;
    this.cloud = deps.cloud;
    this.ipamdFactory = deps.ipamdFactory;
    this.onHappening = deps.onHappening;
    this.subnetName = deps.subnetName ?? ((id) => id);
    this.endpointAccess = config.endpointAccess;
    this.opts = { ...DEFAULT_KUBERNETES_OPTIONS, ...config.options };
    this.rollout = new AwsNodeRollout(this, { ...config.awsNodeEnv });
    for (const e of config.eniConfigs ?? []) this.eniConfigMap.set(e.name, e);
    const dns = config.coreDnsReplicas ?? 2;
    if (dns > 0) this.createDeployment({ namespace: 'kube-system', name: 'coredns', replicas: dns, selector: { 'k8s-app': 'kube-dns' }, template: COREDNS_TEMPLATE }, false);
    for (const g of config.nodeGroups) {
      const group = new NodeGroup(this, { ...g, labels: { ...g.labels } });
      this.groups.set(g.name, group);
      group.reconcile();
    }
  }

  // ---- host interfaces -------------------------------------------------------------------------------------

  happen(h: Omit<Happening, 't'>): void {
    if (this.onHappening !== undefined) this.onHappening({ t: this.sim.now, ...h } as Happening);
  }

  cni(nodeName: string): CniBackend {
    return this.agentMap.get(nodeName) ?? UNREACHABLE;
  }

  podStarted(pod: Pod): void {
    if (pod.owner.kind === 'ReplicaSet' && this.sim.tracing) this.sim.trace('pod-running', { pod: pod.key, node: pod.nodeName, ip: pod.ip });
  }

  podGone(pod: Pod): void {
    if (pod.goneAt !== undefined) return;
    pod.goneAt = this.sim.now;
    pod.running = false;
    if (this.podMap.get(pod.key) === pod) this.podMap.delete(pod.key);
    if (pod.nodeName !== undefined) this.boundPods.get(pod.nodeName)?.delete(pod);
    if (pod.owner.kind === 'ReplicaSet' && pod.owner.deployment !== undefined) {
      const d = this.deploymentMap.get(`${pod.namespace}/${pod.owner.deployment}`);
      if (d !== undefined) this.reconcileDeployment(d);
    }
    this.requestSchedule();
  }

  createDaemonPod(daemonSet: string, node: Node): Pod {
    const r = this.sim.random(`names/kube-system/${daemonSet}`);
    let name = `${daemonSet}-${podSuffix(r)}`;
    while (this.podMap.has(`kube-system/${name}`)) name = `${daemonSet}-${podSuffix(r)}`;
    const pod = this.newPod('kube-system', name, { kind: 'DaemonSet', name: daemonSet }, daemonTemplate(daemonSet));
    this.bind(pod, node, false);
    return pod;
  }

  removePod(pod: Pod): void {
    if (pod.deletedAt === undefined) pod.deletedAt = this.sim.now;
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

  nodeLaunched(group: NodeGroupSpec, inst: LaunchedInstance): Node {
    const name = nodeNameFor(inst.privateIp, this.config.region);
    const node = new Node({
      name,
      nodeGroup: group.name,
      instanceId: inst.instanceId,
      instanceType: group.instanceType,
      subnetId: inst.subnetId,
      az: inst.az,
      privateIp: inst.privateIp,
      launchedAt: this.sim.now,
      maxPods: group.maxPods,
      allocatable: group.allocatable === undefined ? undefined : { ...group.allocatable },
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': name,
        'node.kubernetes.io/instance-type': group.instanceType,
        'topology.kubernetes.io/region': this.config.region,
        'topology.kubernetes.io/zone': inst.az,
        'eks.amazonaws.com/nodegroup': group.name,
        'eks.amazonaws.com/capacityType': 'ON_DEMAND',
        ...group.labels,
      },
    });
    node.notReadyReason = 'instance launching: the kubelet has not registered yet';
    this.nodeMap.set(name, node);
    const g = this.groups.get(group.name);
    if (g !== undefined) this.nodeGroupOf.set(node, g);
    return node;
  }

  nodeRegistered(node: Node): void {
    node.registered = true;
    node.registeredAt = this.sim.now;
    node.notReadyReason = CNI_NOT_INITIALIZED;
    node.events.record(this.sim.now, 'Normal', 'RegisteredNode', 'node-controller', `Node ${node.name} event: Registered Node ${node.name} in Controller`);
    this.happen({ kind: 'node-registered', node: node.name, subnetId: node.subnetId, message: `${node.name} (${node.instanceId}, ${node.instanceType}, ${this.subnetName(node.subnetId)}, ${node.az}) registered` });
    this.boundPods.set(node.name, new Set());
    this.kubelets.set(node.name, new Kubelet(this, node));
    const agent = new AwsNodeAgent(this, node);
    this.agentMap.set(node.name, agent);
    agent.start(this.rollout.env, this.rollout.generation);
    this.createDaemonPod('kube-proxy', node);
  }

  terminateNode(node: Node, why: string): void {
    if (node.terminating) return;
    node.terminating = true;
    node.terminatedAt = this.sim.now;
    const wasReady = node.ready;
    node.ready = false;
    node.notReadyReason = `instance ${node.instanceId} terminated (${why})`;
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
    const kind = manifest.kind;
    if (kind === 'Deployment') {
      const p = parseDeployment(manifest);
      if (!p.ok) return p;
      const d = p.value;
      const existing = this.deploymentMap.get(`${d.namespace}/${d.name}`);
      if (existing === undefined) {
        this.createDeployment(d, true);
        return { ok: true, message: `deployment.apps/${d.name} created` };
      }
      const changed = existing.replicas !== d.replicas || JSON.stringify(existing.template) !== JSON.stringify(d.template);
      if (!changed) return { ok: true, message: `deployment.apps/${d.name} unchanged` };
      existing.template = d.template;
      this.setReplicas(existing, d.replicas);
      return { ok: true, message: `deployment.apps/${d.name} configured` };
    }
    if (kind === 'ENIConfig') {
      const p = parseEniConfig(manifest);
      if (!p.ok) return p;
      const had = this.eniConfigMap.get(p.value.name);
      this.eniConfigMap.set(p.value.name, p.value);
      const verb = had === undefined ? 'created' : JSON.stringify(had) === JSON.stringify(p.value) ? 'unchanged' : 'configured';
      return { ok: true, message: `eniconfig.crd.k8s.amazonaws.com/${p.value.name} ${verb}` };
    }
    const name = typeof manifest.metadata === 'object' && manifest.metadata !== null ? String((manifest.metadata as Record<string, unknown>).name ?? '') : '';
    return {
      ok: false,
      message: `error: resource mapping not found for name: "${name}" namespace: "" from "STDIN": no matches for kind "${String(kind)}" (the simulator supports Deployment and ENIConfig)`,
    };
  }

  scale(namespace: string, name: string, replicas: number): ActionResult {
    const d = this.deploymentMap.get(`${namespace}/${name}`);
    if (d === undefined) return { ok: false, message: `Error from server (NotFound): deployments.apps "${name}" not found` };
    if (!Number.isInteger(replicas) || replicas < 0) return { ok: false, message: `error: --replicas=${replicas}: must be a non-negative integer` };
    this.setReplicas(d, replicas);
    return { ok: true, message: `deployment.apps/${name} scaled` };
  }

  delete(kind: string, namespace: string, name: string): ActionResult {
    const k = kind.toLowerCase();
    if (k === 'deployment' || k === 'deployments' || k === 'deploy' || k === 'deployment.apps') {
      const d = this.deploymentMap.get(`${namespace}/${name}`);
      if (d === undefined) return { ok: false, message: `Error from server (NotFound): deployments.apps "${name}" not found` };
      this.deploymentMap.delete(`${namespace}/${name}`);
      for (const p of this.activePodsOf(d)) this.deletePod(p, false);
      this.happen({ kind: 'deployment-deleted', namespace, deployment: name, message: `deployment ${namespace}/${name} deleted (${d.replicas} replicas)` });
      return { ok: true, message: `deployment.apps "${name}" deleted` };
    }
    if (k === 'pod' || k === 'pods' || k === 'po') {
      const p = this.podMap.get(`${namespace}/${name}`);
      if (p === undefined) return { ok: false, message: `Error from server (NotFound): pods "${name}" not found` };
      this.deletePod(p);
      return { ok: true, message: `pod "${name}" deleted` };
    }
    if (k === 'node' || k === 'nodes' || k === 'no') {
      const n = this.nodeMap.get(name);
      if (n === undefined || !n.registered || n.terminating) return { ok: false, message: `Error from server (NotFound): nodes "${name}" not found` };
      this.terminateNode(n, 'node object deleted');
      return { ok: true, message: `node "${name}" deleted` };
    }
    if (k === 'eniconfig' || k === 'eniconfigs') {
      if (!this.eniConfigMap.delete(name)) return { ok: false, message: `Error from server (NotFound): eniconfigs.crd.k8s.amazonaws.com "${name}" not found` };
      return { ok: true, message: `eniconfig.crd.k8s.amazonaws.com "${name}" deleted` };
    }
    return { ok: false, message: `error: the server doesn't have a resource type "${kind}"` };
  }

  /** `kubectl set env daemonset aws-node -n kube-system KEY=VALUE … KEY-` (null removes a key). */
  setAwsNodeEnv(changes: Record<string, string | null>): ActionResult {
    const env = { ...this.rollout.env };
    for (const [k, v] of Object.entries(changes)) {
      if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(k)) return { ok: false, message: `error: invalid env: ${k}: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.'` };
      if (v === null) delete env[k];
      else env[k] = v;
    }
    if (JSON.stringify(env) === JSON.stringify(this.rollout.env)) return { ok: true, message: 'daemonset.apps/aws-node env unchanged' };
    const list = Object.entries(changes)
      .map(([k, v]) => (v === null ? `${k}-` : `${k}=${v}`))
      .join(' ');
    this.happen({ kind: 'aws-node-rollout', message: `kubectl set env daemonset aws-node ${list}: rolling update started` });
    this.rollout.setEnv(env);
    return { ok: true, message: 'daemonset.apps/aws-node env updated' };
  }

  labelNode(name: string, labels: Record<string, string | null>): ActionResult {
    const n = this.liveNode(name);
    if (n === undefined) return { ok: false, message: `Error from server (NotFound): nodes "${name}" not found` };
    for (const [k, v] of Object.entries(labels)) {
      if (v === null) delete n.labels[k];
      else n.labels[k] = v;
    }
    this.requestSchedule();
    return { ok: true, message: `node/${name} labeled` };
  }

  annotateNode(name: string, annotations: Record<string, string | null>): ActionResult {
    const n = this.liveNode(name);
    if (n === undefined) return { ok: false, message: `Error from server (NotFound): nodes "${name}" not found` };
    for (const [k, v] of Object.entries(annotations)) {
      if (v === null) delete n.annotations[k];
      else n.annotations[k] = v;
    }
    return { ok: true, message: `node/${name} annotated` };
  }

  cordon(name: string, on = true): ActionResult {
    const n = this.liveNode(name);
    if (n === undefined) return { ok: false, message: `Error from server (NotFound): nodes "${name}" not found` };
    const verb = on ? 'cordoned' : 'uncordoned';
    if (n.cordoned === on) return { ok: true, message: `node/${name} already ${verb}` };
    n.cordoned = on;
    n.events.record(this.sim.now, 'Normal', on ? 'NodeNotSchedulable' : 'NodeSchedulable', 'kubelet', `Node ${name} status is now: ${on ? 'NodeNotSchedulable' : 'NodeSchedulable'}`);
    if (!on) this.requestSchedule();
    return { ok: true, message: `node/${name} ${verb}` };
  }

  scaleNodeGroup(name: string, desired: number): ActionResult {
    const g = this.groups.get(name);
    if (g === undefined) return { ok: false, message: `An error occurred (ResourceNotFoundException) when calling the UpdateNodegroupConfig operation: No node group found for name: ${name}.` };
    if (!Number.isInteger(desired) || desired < 0) return { ok: false, message: `An error occurred (InvalidParameterException) when calling the UpdateNodegroupConfig operation: desired size ${desired} must be a non-negative integer` };
    const from = g.desired;
    g.setDesired(desired);
    return { ok: true, message: `node group ${name}: desired size ${from} → ${desired}` };
  }

  /** Terminates the instance behind a node (by node name or instance id); its group replaces it. */
  terminate(nodeOrInstanceId: string): ActionResult {
    const n = [...this.nodeMap.values()].find((x) => (x.name === nodeOrInstanceId || x.instanceId === nodeOrInstanceId) && !x.terminating);
    if (n === undefined) return { ok: false, message: `An error occurred (InvalidInstanceID.NotFound) when calling the TerminateInstances operation: The instance ID '${nodeOrInstanceId}' does not exist` };
    this.terminateNode(n, 'terminated by the scenario');
    const previous = n.registered || n.ready ? 'running' : 'pending';
    const code = previous === 'running' ? 16 : 0;
    return {
      ok: true,
      message: JSON.stringify({
        TerminatingInstances: [{ CurrentState: { Code: 32, Name: 'shutting-down' }, InstanceId: n.instanceId, PreviousState: { Code: code, Name: previous } }],
      }),
    };
  }

  // ---- queries -----------------------------------------------------------------------------------------------

  /** Registered, live nodes by name. */
  liveNodes(): Node[] {
    return [...this.nodeMap.values()].filter((n) => n.registered && !n.terminating).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  pods(): Pod[] {
    return [...this.podMap.values()];
  }

  deployments(): Deployment[] {
    return [...this.deploymentMap.values()];
  }

  activePodsOf(d: Deployment): Pod[] {
    const out: Pod[] = [];
    for (const p of this.podMap.values()) if (p.owner.deployment === d.name && p.namespace === d.namespace && p.deletedAt === undefined) out.push(p);
    return out;
  }

  eniConfig(name: string): EniConfigSpec | undefined {
    return this.eniConfigMap.get(name);
  }

  // ---- internals ---------------------------------------------------------------------------------------------

  private liveNode(name: string): Node | undefined {
    const n = this.nodeMap.get(name);
    return n !== undefined && n.registered && !n.terminating ? n : undefined;
  }

  private newPod(namespace: string, name: string, owner: Pod['owner'], template: PodTemplate): Pod {
    const pod = new Pod(this.nextUid++, namespace, name, owner, template, this.sim.now);
    this.podMap.set(pod.key, pod);
    this.podLog.push(pod);
    return pod;
  }

  private createDeployment(m: { namespace: string; name: string; replicas: number; selector: Record<string, string>; template: PodTemplate }, notify: boolean): Deployment {
    const hash = templateHash(this.sim.random(`names/${m.namespace}/${m.name}`));
    const d: Deployment = { ...m, hash, createdAt: this.sim.now };
    this.deploymentMap.set(`${m.namespace}/${m.name}`, d);
    if (notify)
      this.happen({ kind: 'deployment-created', namespace: m.namespace, deployment: m.name, message: `deployment ${m.namespace}/${m.name} created with ${m.replicas} replicas` });
    this.reconcileDeployment(d);
    return d;
  }

  private setReplicas(d: Deployment, replicas: number): void {
    const from = d.replicas;
    d.replicas = replicas;
    if (from !== replicas)
      this.happen({ kind: 'deployment-scaled', namespace: d.namespace, deployment: d.name, message: `deployment ${d.namespace}/${d.name} scaled from ${from} to ${replicas}` });
    this.reconcileDeployment(d);
  }

  private reconcileDeployment(d: Deployment): void {
    if (this.deploymentMap.get(`${d.namespace}/${d.name}`) !== d) return;
    const active = this.activePodsOf(d);
    const diff = d.replicas - active.length;
    if (diff > 0) {
      const r = this.sim.random(`names/${d.namespace}/${d.name}`);
      const rs = `${d.name}-${d.hash}`;
      for (let i = 0; i < diff; i++) {
        let name = `${rs}-${podSuffix(r)}`;
        while (this.podMap.has(`${d.namespace}/${name}`)) name = `${rs}-${podSuffix(r)}`;
        this.newPod(d.namespace, name, { kind: 'ReplicaSet', name: rs, deployment: d.name }, d.template);
      }
      this.requestSchedule();
    } else if (diff < 0) {
      for (const p of podsToDelete(active, -diff)) this.deletePod(p, false);
    }
  }

  /** Sets the deletionTimestamp; the kubelet finishes the job (or the pod goes at once if it never reached one). */
  deletePod(pod: Pod, reconcile = true): void {
    if (pod.deletedAt !== undefined) return;
    pod.deletedAt = this.sim.now;
    const k = pod.nodeName === undefined ? undefined : this.kubelets.get(pod.nodeName);
    if (k === undefined || this.nodeMap.get(pod.nodeName!)?.terminating) this.podGone(pod);
    else k.delete(pod);
    if (reconcile && pod.owner.kind === 'ReplicaSet' && pod.owner.deployment !== undefined) {
      const d = this.deploymentMap.get(`${pod.namespace}/${pod.owner.deployment}`);
      if (d !== undefined) this.reconcileDeployment(d);
    }
  }

  private bind(pod: Pod, node: Node, viaScheduler: boolean): void {
    pod.nodeName = node.name;
    pod.scheduledAt = this.sim.now;
    this.boundPods.get(node.name)?.add(pod);
    if (viaScheduler) pod.events.record(this.sim.now, 'Normal', 'Scheduled', 'default-scheduler', `Successfully assigned ${pod.key} to ${node.name}`);
    if (!(pod.owner.kind === 'DaemonSet' && pod.owner.name === 'aws-node')) this.kubelets.get(node.name)?.admit(pod);
  }

  private markReady(node: Node): void {
    if (node.terminating || node.ready) return;
    node.ready = true;
    node.readyAt = this.sim.now;
    node.notReadyReason = undefined;
    node.events.record(this.sim.now, 'Normal', 'NodeReady', 'kubelet', `Node ${node.name} status is now: NodeReady`);
    this.happen({ kind: 'node-ready', node: node.name, subnetId: node.subnetId, message: `${node.name} Ready (${node.instanceType}, ${this.subnetName(node.subnetId)}, ${node.az}, max pods ${node.maxPods})` });
    this.requestSchedule();
  }

  private deleteNodeObject(node: Node): void {
    for (const p of [...(this.boundPods.get(node.name) ?? [])]) {
      if (p.deletedAt === undefined) p.deletedAt = this.sim.now;
      this.podGone(p);
    }
    this.boundPods.delete(node.name);
    this.kubelets.delete(node.name);
    this.agentMap.delete(node.name);
    node.registered = false;
    this.requestSchedule();
  }

  /** Asks for a scheduling cycle soon (coalesced). */
  requestSchedule(): void {
    if (this.scheduleTimerPending) return;
    this.scheduleTimerPending = true;
    this.sim.schedule(this.opts.schedulerDelayMs, () => {
      this.scheduleTimerPending = false;
      this.scheduleCycle();
    });
  }

  private scheduleCycle(): void {
    const pending: Pod[] = [];
    for (const p of this.podMap.values()) if (p.nodeName === undefined && p.deletedAt === undefined) pending.push(p);
    if (pending.length === 0) return;
    pending.sort((a, b) => a.createdAt - b.createdAt || a.uid - b.uid);
    const nodes = this.liveNodes();
    const views: SchedNode[] = nodes.map((n) => {
      const v: SchedNode = {
        name: n.name,
        ready: n.ready,
        unschedulable: n.cordoned,
        labels: n.labels,
        maxPods: n.maxPods,
        pods: 0,
        allocatable: n.allocatable,
        requested: { cpuMilli: 0, memoryBytes: 0 },
        nonZeroRequested: { cpuMilli: 0, memoryBytes: 0 },
      };
      for (const p of this.boundPods.get(n.name) ?? []) assume({ nodeSelector: {}, requests: p.template.requests }, v);
      return v;
    });
    const byName = new Map(nodes.map((n) => [n.name, n]));
    const viewByName = new Map(views.map((v) => [v.name, v]));
    /** First-time failures, grouped by owner and message, for one timeline line each. */
    const firstFailures = new Map<string, { pod: Pod; message: string; count: number }>();
    for (const pod of pending) {
      const sp = { nodeSelector: pod.template.nodeSelector, requests: pod.template.requests };
      const r = schedulePod(sp, views);
      if (r.ok) {
        assume(sp, viewByName.get(r.node)!);
        this.bind(pod, byName.get(r.node)!, true);
      } else {
        const first = pod.events.events.every((e) => e.reason !== 'FailedScheduling');
        pod.events.record(this.sim.now, 'Warning', 'FailedScheduling', 'default-scheduler', r.message);
        if (first && nodes.length > 0) {
          const key = `${pod.namespace}/${pod.owner.name}\u0000${r.message}`;
          const f = firstFailures.get(key);
          if (f === undefined) firstFailures.set(key, { pod, message: r.message, count: 1 });
          else f.count++;
        }
      }
    }
    for (const { pod, message, count } of firstFailures.values()) {
      const who = count === 1 ? pod.key : `${count} pods of ${pod.namespace}/${pod.owner.deployment ?? pod.owner.name}`;
      this.happen({ kind: 'pod-unschedulable', pod: pod.name, namespace: pod.namespace, deployment: pod.owner.deployment, message: `${who} Pending: ${message}` });
    }
  }
}
