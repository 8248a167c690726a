/**
 * `World`: one simulated EKS cluster in one VPC — the Simulation, the EC2/VPC model, the Kubernetes layer and one
 * ipamd per node — built from a plain `WorldSpec` (world/spec.ts). Scenarios drive it through effects shaped like
 * the CLI commands a user would type (the cluster's kubectl/eksctl actions and the VPC actions here, each returning
 * `{ ok, message }`, so a failure such as InvalidSubnet.Conflict is shown on a timeline instead of stopping the run),
 * plus one simulator control (`healFaults`, the step `sim heal-faults`); `act` records a command line and its outcome
 * (the caller renders the line: src/scenario/actions). They read it through queries (pods, nodes with their ENIs,
 * subnets, deployments, events, ipamd decisions, EC2 counters). What happens is told on one stream,
 * `happenings` (world/happenings.ts): the timeline, the decision log and the trace are its subscribers.
 *
 * Principals: ipamd calls EC2 as the node role (`<cluster>-node-role`), the Auto Scaling group as its
 * service-linked role, scenario actions as `admin`. Admin actions on the VPC (associate-vpc-cidr-block,
 * create-subnet, create-tags, delete-tags) apply at the moment they run, without API latency or throttling and
 * without counting in the EC2 call metrics; IAM denials for `admin` still apply (world/admin-actions.ts).
 * This file builds the world and runs it; the pieces live beside it: world/vpc.ts (VPC, subnets and their names),
 * world/node-cloud.ts (EC2 and ipamd for the Kubernetes layer), world/queries.ts, world/timeline.ts.
 * Not here: the rules of any component (src/model/ec2, src/model/ipamd, src/model/k8s), scenario files, reports.
 */
import type { RunOptions, Tracer } from '../sim/index.ts';
import { Simulation } from '../sim/index.ts';
import { InputError } from '../util/input-error.ts';
import { Stream } from '../util/stream.ts';
import { Ec2 } from './ec2/ec2-api.ts';
import type { Ec2CounterSet } from './ec2/metrics.ts';
import type { NetworkInterfaceView, Tags } from './ec2/types.ts';
import { MANIFEST_DEFAULT_ENV } from './ipamd/config.ts';
import type { DecisionRecord, EniConfigSpec, IpamdApi } from './ipamd/types.ts';
import type { Happening, IpamdFactory } from './k8s/cloud.ts';
import { Cluster, type ClusterConfig, type ClusterDeps } from './k8s/cluster.ts';
import { formatEvents } from './k8s/events.ts';
import type { ActionResult } from './k8s/types.ts';
import { adminDenied, associateVpcCidrBlock, createTags, deleteTags } from './world/admin-actions.ts';
import { adoptExistingInEc2 } from './world/existing.ts';
import { nodeCloud, realIpamd, type NodePoolPolicy } from './world/node-cloud.ts';
import { deploymentInfos, fleetSample, ipamdOf, nodeInfoOf, nodeInfos, podHistory, podInfos, subnetInfos } from './world/queries.ts';
import { clusterInfo, deploymentSpecs, instanceInfos, vpcInfo } from './world/object-queries.ts';
import { denyMap, groupAllocatable, groupMaxPods, type WorldSpec, type SubnetSpec } from './world/spec.ts';
import { TRACED, timelineEntry, traceHappening, type FleetSample, type WorldHappening } from './world/happenings.ts';
import { DecisionHappenings, EniAttachHappenings } from './world/timeline.ts';
import { buildVpc, reserveSubnetIds, SubnetDirectory } from './world/vpc.ts';
import type { PodTemplate } from './k8s/types.ts';
import type { ClusterInfo, DeploymentInfo, DeploymentSpecInfo, InstanceInfo, NodeInfo, PodEvents, PodInfo, SubnetInfo, VpcInfo } from './world/views.ts';

export type { WorldSpec } from './world/spec.ts';
export type { FleetSample, WorldHappening } from './world/happenings.ts';
export { ADMIN_PRINCIPAL } from './world/admin-actions.ts';
export { AUTOSCALING_PRINCIPAL } from './world/node-cloud.ts';
export type { NodePolicyContext, NodePoolPolicy } from './world/node-cloud.ts';

/** Options for tests and benchmarks. */
export interface WorldOptions {
  /**
   * The pool policy of each node's real ipamd, asked at every start of the daemon (benchmark plugin policies);
   * returning undefined, or no option, keeps the real decisions. Everything else is the World's own wiring.
   */
  poolPolicy?: NodePoolPolicy;
  /**
   * Keep the run's history for reports (default true): every pod ever created (`cluster.podLog`), pods' events, the
   * timeline and every decision. Benchmarks turn it off and measure through the pod hooks and the happenings they
   * subscribe to, so a long run holds only what is live and builds no happening nobody hears.
   */
  keepHistory?: boolean;
  /** Told of every pod as it is created and as it leaves the API server. */
  pods?: Pick<ClusterDeps, 'onPodCreated' | 'onPodGone'>;
}

export class World {
  readonly spec: WorldSpec;
  readonly sim: Simulation;
  readonly ec2: Ec2;
  readonly cluster: Cluster;
  readonly vpcId: string;
  readonly nodeRole: string;
  /** Everything that happens, as it happens: subscribe to observe a run (`happenings.subscribe`). */
  readonly happenings = new Stream<WorldHappening>();
  /** Every notable happening so far, in time order (empty without WorldOptions.keepHistory). */
  readonly timeline: Happening[] = [];
  /** Every ipamd decision of every node, in time order (empty without WorldOptions.keepHistory). */
  readonly decisionLog: DecisionRecord[] = [];
  private readonly subnetDir: SubnetDirectory;
  private eventHooks: ReadonlyArray<(w: World) => void> = [];
  private readonly decisionHappenings = new DecisionHappenings();
  private readonly attachHappenings: EniAttachHappenings;

  constructor(spec: WorldSpec, options: WorldOptions = {}) {
    this.spec = spec;
    if (options.keepHistory ?? true) this.keepHistory();
    this.sim = new Simulation(spec.seed);
    this.nodeRole = `${spec.cluster.name}-node-role`;
    const ec2Input = { ...(spec.ec2 ?? {}) };
    const deny = denyMap(spec.deniedPermissions ?? [], this.nodeRole);
    ec2Input.deny = { ...(ec2Input.deny ?? {}) };
    for (const [p, actions] of Object.entries(deny)) ec2Input.deny[p] = [...(ec2Input.deny[p] ?? []), ...actions];
    try {
      this.ec2 = new Ec2(this.sim, ec2Input);
    } catch (err) {
      throw new InputError({ field: 'ec2' }, (err as Error).message);
    }
    this.ec2.happenings = this.happenings;
    this.subnetDir = new SubnetDirectory(this.ec2);
    this.vpcId = buildVpc(this.ec2, spec);
    reserveSubnetIds(this.ec2, spec.subnets);
    // with an existing state, outside users are placed after the existing ENIs' addresses (world/existing.ts)
    spec.subnets.forEach((s, i) => {
      const r = this.subnetDir.add(this.vpcId, spec.vpc.ipv6 === true, spec.existing === undefined ? s : { ...s, externalUse: 0 });
      if (!r.ok) throw new InputError({ field: `subnets[${i}]` }, r.message);
    });
    const existing = spec.existing === undefined ? undefined : adoptExistingInEc2(this.ec2, this.subnetDir, spec, spec.existing);
    this.attachHappenings = new EniAttachHappenings(this.ec2, () => this.cluster, (id) => this.subnetName(id));
    this.ec2.state.onEniChange((c) => {
      if (!this.happenings.wants('timeline')) return;
      const h = this.attachHappenings.happening(c, this.sim.now);
      if (h !== undefined) this.happenings.emit({ type: 'timeline', entry: h });
    });

    const ipv6 = spec.cluster.ipFamily === 'ipv6';
    const env: Record<string, string> = {
      ...MANIFEST_DEFAULT_ENV,
      ...(ipv6 ? { ENABLE_IPv6: 'true', ENABLE_IPv4: 'false', ENABLE_PREFIX_DELEGATION: 'true' } : {}),
      ...(spec.cluster.vpcCni.env ?? {}),
    };
    const eniConfigs: EniConfigSpec[] = (spec.cluster.eniConfigs ?? []).map((e) => ({ name: e.name, subnet: e.subnet, securityGroups: e.securityGroups ?? [] }));
    const nodeGroups = nodeGroupsOf(spec, (s) => this.resolveSubnet(s));
    const ipamdDeps = {
      sim: this.sim,
      ec2: this.ec2,
      vpcId: this.vpcId,
      nodeRole: this.nodeRole,
      spec,
      eniConfig: (name: string) => this.cluster.eniConfig(name),
      resolveSubnet: (s: string) => this.resolveSubnet(s),
      onNode: (instanceId: string, node: Parameters<IpamdFactory>[0]['node']) => this.attachHappenings.remember(instanceId, node),
      onDecision: (r: DecisionRecord, daemon: IpamdApi | undefined) => this.onDecision(r, daemon),
      onDatastoreChange: (node: string) => {
        if (this.happenings.wants('datastore')) this.happenings.emit({ type: 'datastore', t: this.sim.now, node });
      },
      ...(options.poolPolicy !== undefined ? { poolPolicy: options.poolPolicy } : {}),
    };
    const makeIpamd: IpamdFactory = (p) => realIpamd(ipamdDeps, p);
    this.cluster = new Cluster(
      {
        name: spec.cluster.name,
        kubernetesVersion: spec.cluster.kubernetesVersion,
        region: spec.region,
        endpointAccess: spec.cluster.endpointAccess ?? 'public-and-private',
        awsNodeEnv: env,
        nodeGroups,
        eniConfigs,
        coreDnsReplicas: spec.cluster.coreDnsReplicas,
        options: spec.kubernetes,
        ...(existing !== undefined ? { existing } : {}),
      },
      {
        sim: this.sim,
        cloud: nodeCloud(this.sim, this.ec2, spec.cluster.name, ipv6, this.subnetDir),
        ipamdFactory: makeIpamd,
        happenings: this.happenings,
        subnetName: (id) => this.subnetName(id),
        ...options.pods,
        keepPodLog: options.keepHistory ?? true,
        keepPodEvents: options.keepHistory ?? true,
      },
    );
  }

  // ---- running -------------------------------------------------------------------------------------------------

  /**
   * Runs the simulation: the engine's own loop (`Simulation.run`), with the after-event hooks (`onEvent`) called
   * from its after-event test before the caller's stop condition.
   */
  run(opts: RunOptions = {}): void {
    const hooks = this.eventHooks;
    if (hooks.length === 0) return this.sim.run(opts);
    const stop = opts.stopWhen;
    this.sim.run({
      ...opts,
      stopWhen: () => {
        for (const h of this.eventHooks) h(this);
        return stop !== undefined && stop();
      },
    });
  }

  /** Runs until virtual time `t` (ms). */
  runUntil(t: number): void {
    this.run({ until: t });
  }

  get now(): number {
    return this.sim.now;
  }

  /**
   * Called after every simulation event of `run` while registered: for checks of the whole state after each event
   * (invariant checkers); what happened is on `happenings`. Returns an unsubscribe.
   */
  onEvent(fn: (w: World) => void): () => void {
    this.eventHooks = [...this.eventHooks, fn];
    return () => {
      this.eventHooks = this.eventHooks.filter((f) => f !== fn);
    };
  }

  /** Writes the run's trace to `tracer` from now on (every happening but samples, world/happenings.ts); returns the stop. */
  traceTo(tracer: Tracer): () => void {
    this.sim.tracer = tracer;
    const off = this.happenings.subscribe((h) => traceHappening(tracer, this.sim.now, h), TRACED);
    return () => {
      off();
      if (this.sim.tracer === tracer) this.sim.tracer = null;
    };
  }

  /** Reads the fleet's figures now (ready daemons' holdings, free addresses of `subnetIds`) and tells the stream. */
  sample(subnetIds: readonly string[]): FleetSample {
    const s = fleetSample(this, subnetIds);
    if (this.happenings.wants('sample')) this.happenings.emit({ type: 'sample', t: this.sim.now, ...s });
    return s;
  }

  // ---- actions -------------------------------------------------------------------------------------------------
  // The Kubernetes-side actions are the cluster's own (`world.cluster.apply`, `.scale`, …, k8s/cluster-actions.ts);
  // the ones below need the World's VPC. None records anything: the caller that knows the command line (a scenario
  // step, src/scenario/actions) passes it with the outcome to `act`.

  /** Puts a command and its outcome on the timeline (`$ command` and what the tool printed). */
  act(command: string, r: ActionResult): ActionResult {
    if (this.happenings.wants('action')) this.happenings.emit({ type: 'action', t: this.sim.now, command, ok: r.ok, message: r.message });
    return r;
  }

  associateVpcCidrBlock(cidr: string): ActionResult {
    return associateVpcCidrBlock(this.ec2, this.vpcId, cidr);
  }

  createSubnet(s: SubnetSpec): ActionResult {
    return adminDenied(this.ec2, 'CreateSubnet') ?? this.subnetDir.add(this.vpcId, this.spec.vpc.ipv6 === true, s);
  }

  createTags(resourceIds: string[], tags: Tags): ActionResult {
    return createTags(this.ec2, resourceIds, (id) => this.resolveResource(id), tags);
  }

  deleteTags(resourceIds: string[], keys: string[]): ActionResult {
    return deleteTags(this.ec2, resourceIds, (id) => this.resolveResource(id), keys);
  }

  /**
   * Simulator control (no real command): removes the injected EC2 faults — error rates, IAM denials, IMDS lag and
   * token buckets worse than the defaults (src/model/ec2/faults.ts).
   */
  healFaults(): ActionResult {
    const healed = this.ec2.faults.heal();
    return { ok: true, message: healed.length === 0 ? 'no injected fault was in force' : `removed ${healed.join('; ')}` };
  }

  // ---- queries (world/queries.ts) ------------------------------------------------------------------------------

  pods(filter: { namespace?: string; includeSystem?: boolean } = {}): PodInfo[] {
    return podInfos(this, filter);
  }

  nodes(): NodeInfo[] {
    return nodeInfos(this);
  }

  /** One node as `nodes()` lists it (undefined if it does not). */
  node(name: string): NodeInfo | undefined {
    return nodeInfoOf(this, name);
  }

  subnets(): SubnetInfo[] {
    return subnetInfos(this.ec2, this.vpcId, this.subnetDir);
  }

  /** Every network interface in the VPC as EC2 describes it (`describe-network-interfaces --filters vpc-id`), by id. */
  networkInterfaces(): NetworkInterfaceView[] {
    return [...this.ec2.state.enis.values()]
      .map((e) => e.view())
      .filter((v) => v.vpcId === this.vpcId)
      .sort((a, b) => (a.networkInterfaceId < b.networkInterfaceId ? -1 : a.networkInterfaceId > b.networkInterfaceId ? 1 : 0));
  }

  deployments(): DeploymentInfo[] {
    return deploymentInfos(this.cluster);
  }

  /** The VPC's blocks and tags (`describe-vpcs`). */
  vpc(): VpcInfo {
    return vpcInfo(this.ec2, this.vpcId);
  }

  /** Every instance in the VPC with its attached ENIs (`describe-instances --filters vpc-id`), by id. */
  instances(): InstanceInfo[] {
    return instanceInfos(this.ec2, this.vpcId);
  }

  /** The Deployments' specs (`kubectl get deployments -A`). */
  deploymentSpecs(): DeploymentSpecInfo[] {
    return deploymentSpecs(this.cluster);
  }

  /**
   * A pod's template (containers, requests, node selector, grace period) and the address it holds — a Terminating
   * pod's too, which `pods()` does not show — by namespace and name.
   */
  podSpec(namespace: string, name: string): { template: PodTemplate; ip?: string } | undefined {
    const p = this.cluster.podMap.get(`${namespace}/${name}`);
    return p === undefined ? undefined : { template: p.template, ...(p.ip !== undefined ? { ip: p.ip } : {}) };
  }

  /** The cluster, its aws-node DaemonSet and ENIConfigs (`describe-cluster`, `kubectl get daemonset aws-node`). */
  clusterInfo(): ClusterInfo {
    return clusterInfo(this.spec, this.cluster);
  }

  /** A pod's events and their `kubectl describe` block (pods that are gone still answer). */
  podEvents(name: string, namespace = 'default'): PodEvents | undefined {
    const p = this.cluster.podMap.get(`${namespace}/${name}`) ?? [...this.cluster.podLog].reverse().find((x) => x.name === name && x.namespace === namespace);
    if (p === undefined) return undefined;
    return { events: p.events.events.map((e) => ({ ...e })), text: formatEvents(p.events.events, this.sim.now) };
  }

  /** The ipamd currently running on a node (undefined between containers or for unknown nodes). */
  ipamdOf(node: string): IpamdApi | undefined {
    return ipamdOf(this.cluster, node);
  }

  /** ipamd decisions, all nodes or one, across restarts. */
  decisions(node?: string): DecisionRecord[] {
    return node === undefined ? [...this.decisionLog] : this.decisionLog.filter((d) => d.node === node);
  }

  ec2Counters(): { total: Ec2CounterSet; byPrincipal: Record<string, Ec2CounterSet> } {
    return this.ec2.metrics.snapshot();
  }

  /** The node ipamd's Prometheus text (`:61678/metrics`). */
  metrics(node: string): string | undefined {
    return this.ipamdOf(node)?.metricsText();
  }

  /** Every pod ever created (deleted ones included), for time-to-address statistics. */
  podHistory(): PodInfo[] {
    return podHistory(this.cluster);
  }

  /** EC2 subnet id for a scenario name or an EC2 id. */
  resolveSubnet(idOrName: string): string | undefined {
    return this.subnetDir.resolve(idOrName);
  }

  /** The scenario's name of a subnet (the EC2 id when it has none). */
  subnetName(subnetId: string): string {
    return this.subnetDir.name(subnetId);
  }

  // ---- internals -----------------------------------------------------------------------------------------------

  /** The timeline and the decision log: subscribers of the stream like any other. */
  private keepHistory(): void {
    this.happenings.subscribe(
      (h) => {
        if (h.type === 'decision') this.decisionLog.push(h.record);
        const e = timelineEntry(h);
        if (e !== undefined) this.timeline.push(e);
      },
      ['decision', 'timeline', 'action'],
    );
  }

  /** A scenario name of a subnet or node, as EC2 knows the resource. */
  private resolveResource(id: string): string {
    return this.subnetDir.idOf(id) ?? this.cluster.nodeMap.get(id)?.instanceId ?? id;
  }

  private onDecision(r: DecisionRecord, daemon: IpamdApi | undefined): void {
    // the derived line first, then the decision: the order the trace has always had
    const h = this.decisionHappenings.happening(r);
    if (h !== undefined && this.happenings.wants('timeline')) this.happenings.emit({ type: 'timeline', entry: h });
    if (this.happenings.wants('decision')) this.happenings.emit({ type: 'decision', record: r, daemon });
  }
}

/** The Kubernetes layer's node groups from the spec's, subnets resolved to EC2 ids. */
function nodeGroupsOf(spec: WorldSpec, resolveSubnet: (s: string) => string | undefined): ClusterConfig['nodeGroups'] {
  return spec.nodeGroups.map((g, i) => {
    const subnetIds = g.subnets.map((s, j) => {
      const id = resolveSubnet(s);
      if (id === undefined) throw new InputError({ field: `nodeGroups[${i}].subnets[${j}]` }, `unknown subnet "${s}"`);
      return id;
    });
    if (!Number.isInteger(g.desiredCapacity) || g.desiredCapacity < 0)
      throw new InputError({ field: `nodeGroups[${i}].desiredCapacity` }, 'must be a non-negative integer');
    return {
      name: g.name,
      instanceType: g.instanceType,
      subnetIds,
      desired: g.desiredCapacity,
      maxPods: groupMaxPods(g, i),
      allocatable: groupAllocatable(g, i),
      labels: { ...(g.labels ?? {}) },
      launchMs: g.launchLatencyMs,
    };
  });
}
