/**
 * `World`: one simulated EKS cluster in one VPC — the Simulation, the EC2/VPC model, the Kubernetes layer and one
 * ipamd per node — built from a plain `WorldSpec` (world/spec.ts). Scenarios drive it through actions shaped like
 * the CLI commands a user would type (each returns `{ ok, message }`, so a failure such as InvalidSubnet.Conflict is
 * shown on a timeline instead of stopping the run), plus one simulator control (`healFaults`, the step
 * `sim heal-faults`), and read it through queries (pods, nodes with their ENIs,
 * subnets, deployments, events, ipamd decisions, EC2 counters) and a timeline of notable happenings.
 *
 * Principals: ipamd calls EC2 as the node role (`<cluster>-node-role`), the Auto Scaling group as its
 * service-linked role, scenario actions as `admin`. Admin actions on the VPC (associate-vpc-cidr-block,
 * create-subnet, create-tags, delete-tags) apply at the moment they run, without API latency or throttling and
 * without counting in the EC2 call metrics; IAM denials for `admin` still apply (world/admin-actions.ts).
 * This file builds the world and runs it; the pieces live beside it: world/vpc.ts (VPC, subnets and their names),
 * world/node-cloud.ts (EC2 and ipamd for the Kubernetes layer), world/queries.ts, world/timeline.ts.
 * Not here: the rules of any component (src/model/ec2, src/model/ipamd, src/model/k8s), scenario files, reports.
 */
import type { RunOptions } from '../sim/index.ts';
import { Simulation } from '../sim/index.ts';
import { InputError } from '../util/input-error.ts';
import { Ec2 } from './ec2/ec2-api.ts';
import type { Ec2CounterSet } from './ec2/metrics.ts';
import type { Tags } from './ec2/types.ts';
import { MANIFEST_DEFAULT_ENV } from './ipamd/config.ts';
import { EVENT_MISSING_IAM_PERMISSIONS, missingIamPermissionsMessage } from './ipamd/ec2-client.ts';
import type { DecisionRecord, EniConfigSpec, IpamdApi } from './ipamd/types.ts';
import type { Happening, IpamdFactory } from './k8s/cloud.ts';
import { Cluster, type ClusterDeps } from './k8s/cluster.ts';
import { formatEvents } from './k8s/events.ts';
import type { ActionResult } from './k8s/types.ts';
import { adminDenied, associateVpcCidrBlock, createTags, deleteTags, type AdminAction } from './world/admin-actions.ts';
import { nodeCloud, realIpamd, type NodePoolPolicy } from './world/node-cloud.ts';
import { deploymentInfos, ipamdOf, nodeInfos, podHistory, podInfos, subnetInfos } from './world/queries.ts';
import { denyMap, groupAllocatable, groupMaxPods, type WorldSpec, type WorldSubnetSpec } from './world/spec.ts';
import { DecisionHappenings, EniAttachHappenings } from './world/timeline.ts';
import { buildVpc, SubnetDirectory } from './world/vpc.ts';
import type { DeploymentInfo, NodeInfo, PodEvents, PodInfo, SubnetInfo } from './world/views.ts';

export type { WorldSpec } from './world/spec.ts';
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
   * timeline and every decision. Benchmarks turn it off and measure through the pod hooks, so a long run holds only
   * what is live.
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
  /** Every notable happening so far, in time order (empty without WorldOptions.keepHistory). */
  readonly timeline: Happening[] = [];
  /** Every ipamd decision of every node, in time order (empty without WorldOptions.keepHistory). */
  readonly decisionLog: DecisionRecord[] = [];
  private readonly keepHistory: boolean;
  private readonly subnetDir: SubnetDirectory;
  private readonly eventHooks: Array<(w: World) => void> = [];
  private readonly happeningHooks: Array<(h: Happening) => void> = [];
  private readonly decisionHappenings = new DecisionHappenings();
  private readonly attachHappenings: EniAttachHappenings;

  constructor(spec: WorldSpec, options: WorldOptions = {}) {
    this.spec = spec;
    this.keepHistory = options.keepHistory ?? true;
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
    this.subnetDir = new SubnetDirectory(this.ec2);
    this.vpcId = buildVpc(this.ec2, spec);
    spec.subnets.forEach((s, i) => {
      const r = this.subnetDir.add(this.vpcId, spec.vpc.ipv6 === true, s);
      if (!r.ok) throw new InputError({ field: `subnets[${i}]` }, r.message);
    });
    this.attachHappenings = new EniAttachHappenings(this.ec2, () => this.cluster, (id) => this.subnetName(id));
    this.ec2.state.onEniChange((c) => {
      const h = this.attachHappenings.happening(c, this.sim.now);
      if (h !== undefined) this.record(h);
    });

    const ipv6 = spec.cluster.ipFamily === 'ipv6';
    const env: Record<string, string> = {
      ...MANIFEST_DEFAULT_ENV,
      ...(ipv6 ? { ENABLE_IPv6: 'true', ENABLE_IPv4: 'false', ENABLE_PREFIX_DELEGATION: 'true' } : {}),
      ...(spec.cluster.vpcCni.env ?? {}),
    };
    const eniConfigs: EniConfigSpec[] = (spec.cluster.eniConfigs ?? []).map((e) => ({ name: e.name, subnet: e.subnet, securityGroups: e.securityGroups ?? [] }));
    const nodeGroups = spec.nodeGroups.map((g, i) => {
      const subnetIds = g.subnets.map((s, j) => {
        const id = this.resolveSubnet(s);
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
    const ipamdDeps = {
      sim: this.sim,
      ec2: this.ec2,
      vpcId: this.vpcId,
      nodeRole: this.nodeRole,
      spec,
      eniConfig: (name: string) => this.cluster.eniConfig(name),
      resolveSubnet: (s: string) => this.resolveSubnet(s),
      onNode: (instanceId: string, node: Parameters<IpamdFactory>[0]['node']) => this.attachHappenings.remember(instanceId, node),
      onDecision: (r: DecisionRecord) => this.onDecision(r),
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
      },
      {
        sim: this.sim,
        cloud: nodeCloud(this.sim, this.ec2, spec.cluster.name, ipv6, this.subnetDir),
        ipamdFactory: makeIpamd,
        onHappening: (h) => this.record(h),
        keepsHappenings: () => this.keepHistory || this.sim.tracing || this.happeningHooks.length > 0,
        subnetName: (id) => this.subnetName(id),
        ...options.pods,
        keepPodLog: this.keepHistory,
        keepPodEvents: this.keepHistory,
      },
    );
  }

  // ---- running -------------------------------------------------------------------------------------------------

  /** Runs the simulation (as `Simulation.run`); with event hooks, calls them after every event. */
  run(opts: RunOptions = {}): void {
    if (this.eventHooks.length === 0) {
      this.sim.run(opts);
      return;
    }
    const { until, stopWhen, maxEvents } = opts;
    const limit = maxEvents === undefined ? Infinity : this.sim.eventCount + maxEvents;
    for (;;) {
      const next = this.sim.peek();
      if (next === undefined || (until !== undefined && next > until)) break;
      this.sim.step();
      for (const h of this.eventHooks) h(this);
      if (stopWhen !== undefined && stopWhen()) return;
      if (this.sim.eventCount >= limit) throw new Error(`simulation exceeded ${maxEvents} events at t=${this.sim.now}ms`);
    }
    if (until !== undefined && until > this.sim.now) this.sim.run({ until });
  }

  /** Runs until virtual time `t` (ms). */
  runUntil(t: number): void {
    this.run({ until: t });
  }

  get now(): number {
    return this.sim.now;
  }

  /** Called after every simulation event while registered (invariant checkers). Returns an unsubscribe. */
  onEvent(fn: (w: World) => void): () => void {
    return subscribe(this.eventHooks, fn);
  }

  /** Called for every timeline entry as it happens. */
  onHappening(fn: (h: Happening) => void): () => void {
    return subscribe(this.happeningHooks, fn);
  }

  // ---- actions -------------------------------------------------------------------------------------------------

  kubectlApply(manifest: Record<string, unknown>): ActionResult {
    return this.act('kubectl apply', this.cluster.apply(manifest));
  }

  kubectlScale(namespace: string, name: string, replicas: number): ActionResult {
    return this.act(`kubectl scale deployment ${name} --replicas=${replicas}`, this.cluster.scale(namespace, name, replicas));
  }

  kubectlDelete(kind: string, namespace: string, name: string): ActionResult {
    return this.act(`kubectl delete ${kind} ${name}`, this.cluster.delete(kind, namespace, name));
  }

  setAwsNodeEnv(changes: Record<string, string | null>): ActionResult {
    return this.act('kubectl set env daemonset aws-node', this.cluster.setAwsNodeEnv(changes));
  }

  labelNode(name: string, labels: Record<string, string | null>): ActionResult {
    return this.act(`kubectl label node ${name}`, this.cluster.labelNode(name, labels));
  }

  annotateNode(name: string, annotations: Record<string, string | null>): ActionResult {
    return this.act(`kubectl annotate node ${name}`, this.cluster.annotateNode(name, annotations));
  }

  cordonNode(name: string): ActionResult {
    return this.act(`kubectl cordon ${name}`, this.cluster.cordon(name, true));
  }

  uncordonNode(name: string): ActionResult {
    return this.act(`kubectl uncordon ${name}`, this.cluster.cordon(name, false));
  }

  associateVpcCidrBlock(cidr: string): ActionResult {
    return this.actAdmin(associateVpcCidrBlock(this.ec2, this.vpcId, cidr));
  }

  createSubnet(s: WorldSubnetSpec): ActionResult {
    return this.act(
      `aws ec2 create-subnet --cidr-block ${s.cidr} --availability-zone ${s.az}`,
      adminDenied(this.ec2, 'CreateSubnet') ?? this.subnetDir.add(this.vpcId, this.spec.vpc.ipv6 === true, s),
    );
  }

  createTags(resourceIds: string[], tags: Tags): ActionResult {
    return this.actAdmin(createTags(this.ec2, resourceIds, (id) => this.resolveResource(id), tags));
  }

  deleteTags(resourceIds: string[], keys: string[]): ActionResult {
    return this.actAdmin(deleteTags(this.ec2, resourceIds, (id) => this.resolveResource(id), keys));
  }

  scaleNodegroup(name: string, desired: number): ActionResult {
    return this.act(`eksctl scale nodegroup ${name} --nodes=${desired}`, this.cluster.scaleNodeGroup(name, desired));
  }

  terminateInstance(nodeOrInstanceId: string): ActionResult {
    return this.act(`aws ec2 terminate-instances --instance-ids ${nodeOrInstanceId}`, this.cluster.terminate(nodeOrInstanceId));
  }

  /**
   * Simulator control (no real command): removes the injected EC2 faults — error rates, IAM denials, IMDS lag and
   * token buckets worse than the defaults (src/model/ec2/faults.ts).
   */
  healFaults(): ActionResult {
    const healed = this.ec2.faults.heal();
    return this.act('sim heal-faults', { ok: true, message: healed.length === 0 ? 'no injected fault was in force' : `removed ${healed.join('; ')}` });
  }

  // ---- queries (world/queries.ts) ------------------------------------------------------------------------------

  pods(filter: { namespace?: string; includeSystem?: boolean } = {}): PodInfo[] {
    return podInfos(this, filter);
  }

  nodes(): NodeInfo[] {
    return nodeInfos(this);
  }

  subnets(): SubnetInfo[] {
    return subnetInfos(this.ec2, this.vpcId, this.subnetDir);
  }

  deployments(): DeploymentInfo[] {
    return deploymentInfos(this.cluster);
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

  private record(h: Happening): void {
    if (this.keepHistory) this.timeline.push(h);
    if (this.sim.tracing) this.sim.trace('timeline', { ...h });
    for (const f of this.happeningHooks) f(h);
  }

  private act(command: string, r: ActionResult): ActionResult {
    this.record({ t: this.sim.now, kind: r.ok ? 'action' : 'action-failed', message: `$ ${command}${r.message === '' ? '' : `\n${r.message}`}` });
    return r;
  }

  private actAdmin(a: AdminAction): ActionResult {
    return this.act(a.command, a.result);
  }

  /** A scenario name of a subnet or node, as EC2 knows the resource. */
  private resolveResource(id: string): string {
    return this.subnetDir.idOf(id) ?? this.cluster.nodeMap.get(id)?.instanceId ?? id;
  }

  private onDecision(r: DecisionRecord): void {
    if (this.keepHistory) this.decisionLog.push(r);
    // §8.5: ipamd's event recorder puts MissingIAMPermissions on the node's aws-node pod
    if (r.data?.event === EVENT_MISSING_IAM_PERMISSIONS && typeof r.data.api === 'string') {
      this.cluster.agentMap.get(r.node)?.ipamdEvent('Warning', EVENT_MISSING_IAM_PERMISSIONS, missingIamPermissionsMessage(r.data.api));
    }
    const h = this.decisionHappenings.happening(r);
    if (h !== undefined) this.record(h);
  }
}

/** Adds a hook; returns the function that removes it. */
function subscribe<F>(hooks: F[], fn: F): () => void {
  hooks.push(fn);
  return () => {
    const i = hooks.indexOf(fn);
    if (i >= 0) hooks.splice(i, 1);
  };
}
