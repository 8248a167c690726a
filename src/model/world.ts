/**
 * `World`: one simulated EKS cluster in one VPC — the Simulation, the EC2/VPC model, the Kubernetes layer and one
 * ipamd per node — built from a plain `WorldSpec` (world/spec.ts). Scenarios drive it through actions shaped like
 * the CLI commands a user would type (each returns `{ ok, message }`, so a failure such as InvalidSubnet.Conflict is
 * shown on a timeline instead of stopping the run) and read it through queries (pods, nodes with their ENIs,
 * subnets, deployments, events, ipamd decisions, EC2 counters) and a timeline of notable happenings.
 *
 * Principals: ipamd calls EC2 as the node role (`<cluster>-node-role`), the Auto Scaling group as its
 * service-linked role, scenario actions as `admin`. Admin actions on the VPC (associate-vpc-cidr-block,
 * create-subnet, create-tags, delete-tags) apply at the moment they run, without API latency or throttling and
 * without counting in the EC2 call metrics; IAM denials for `admin` still apply.
 * Not here: the rules of any component (src/model/ec2, src/model/ipamd, src/model/k8s), scenario files, reports.
 */
import type { RunOptions } from '../sim/index.ts';
import { Simulation } from '../sim/index.ts';
import { InputError } from '../cli/input-error.ts';
import { Ec2 } from './ec2/ec2-api.ts';
import type { Ec2CounterSet } from './ec2/metrics.ts';
import type { EniChange } from './ec2/state.ts';
import type { Ec2Action, Ec2Result, Tags } from './ec2/types.ts';
import { errors } from './ec2/errors.ts';
import { MANIFEST_DEFAULT_ENV } from './ipamd/config.ts';
import { Ipamd } from './ipamd/ipamd.ts';
import type { DecisionRecord, EniConfigSpec, IpamdApi } from './ipamd/types.ts';
import type { Happening, IpamdFactory, LaunchResult, NodeCloud } from './k8s/cloud.ts';
import { Cluster } from './k8s/cluster.ts';
import { formatEvents } from './k8s/events.ts';
import type { SubnetRoute } from './k8s/node-join.ts';
import type { ActionResult, Node } from './k8s/types.ts';
import { denyMap, groupAllocatable, groupMaxPods, type WorldSpec, type WorldSubnetSpec } from './world/spec.ts';
import { stuckCause } from './world/stuck-cause.ts';
import { deploymentInfo, type DeploymentInfo, type EniInfo, type NodeInfo, type PodEvents, type PodInfo, type SubnetInfo } from './world/views.ts';

export type { WorldSpec } from './world/spec.ts';
export const ADMIN_PRINCIPAL = 'admin';
export const AUTOSCALING_PRINCIPAL = 'AWSServiceRoleForAutoScaling';

/** Options for tests and benchmarks: replace how each node's ipamd is built. */
export interface WorldOptions {
  ipamdFactory?: (deps: Parameters<IpamdFactory>[0], world: World) => IpamdApi;
}

function cliError(action: string, r: Ec2Result<unknown>): ActionResult | undefined {
  if (r.ok) return undefined;
  return { ok: false, message: `An error occurred (${r.error.code}) when calling the ${action} operation: ${r.error.message}` };
}

export class World {
  readonly spec: WorldSpec;
  readonly sim: Simulation;
  readonly ec2: Ec2;
  readonly cluster: Cluster;
  readonly vpcId: string;
  readonly nodeRole: string;
  /** Every notable happening so far, in time order. */
  readonly timeline: Happening[] = [];
  /** Every ipamd decision of every node, in time order. */
  readonly decisionLog: DecisionRecord[] = [];
  private readonly subnetByName = new Map<string, string>();
  private readonly nameBySubnet = new Map<string, string>();
  private readonly publicSubnet = new Map<string, boolean>();
  private readonly nodeByInstance = new Map<string, Node>();
  private readonly eventHooks: Array<(w: World) => void> = [];
  private readonly happeningHooks: Array<(h: Happening) => void> = [];
  private readonly lastEniFailure = new Map<string, string>();

  constructor(spec: WorldSpec, options: WorldOptions = {}) {
    this.spec = spec;
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
    this.vpcId = this.buildVpc(spec);
    spec.subnets.forEach((s, i) => {
      const r = this.addSubnet(s);
      if (!r.ok) throw new InputError({ field: `subnets[${i}]` }, r.message);
    });
    this.ec2.state.onEniChange((c) => this.onEniChange(c));

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
    const makeIpamd: IpamdFactory = (p) => (options.ipamdFactory ? options.ipamdFactory(p, this) : this.realIpamd(p));
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
      { sim: this.sim, cloud: this.nodeCloud(), ipamdFactory: makeIpamd, onHappening: (h) => this.record(h), subnetName: (id) => this.subnetName(id) },
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
    this.eventHooks.push(fn);
    return () => {
      const i = this.eventHooks.indexOf(fn);
      if (i >= 0) this.eventHooks.splice(i, 1);
    };
  }

  /** Called for every timeline entry as it happens. */
  onHappening(fn: (h: Happening) => void): () => void {
    this.happeningHooks.push(fn);
    return () => {
      const i = this.happeningHooks.indexOf(fn);
      if (i >= 0) this.happeningHooks.splice(i, 1);
    };
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
    const denied = this.adminDenied('AssociateVpcCidrBlock');
    if (denied !== undefined) return this.act(`aws ec2 associate-vpc-cidr-block --cidr-block ${cidr}`, denied);
    const r = this.ec2.state.associateVpcCidrBlock(this.vpcId, cidr);
    const res =
      cliError('AssociateVpcCidrBlock', r) ??
      ({ ok: true, message: JSON.stringify({ CidrBlockAssociation: { CidrBlock: cidr, CidrBlockState: { State: 'associated' } }, VpcId: this.vpcId }) } as ActionResult);
    return this.act(`aws ec2 associate-vpc-cidr-block --cidr-block ${cidr}`, res);
  }

  createSubnet(s: WorldSubnetSpec): ActionResult {
    return this.act(`aws ec2 create-subnet --cidr-block ${s.cidr} --availability-zone ${s.az}`, this.adminDenied('CreateSubnet') ?? this.addSubnet(s));
  }

  createTags(resourceIds: string[], tags: Tags): ActionResult {
    const denied = this.adminDenied('CreateTags');
    if (denied !== undefined) return this.act(`aws ec2 create-tags --resources ${resourceIds.join(' ')}`, denied);
    const r = this.ec2.state.createTags(resourceIds.map((id) => this.resolveResource(id)), tags);
    return this.act(`aws ec2 create-tags --resources ${resourceIds.join(' ')}`, cliError('CreateTags', r) ?? { ok: true, message: '' });
  }

  deleteTags(resourceIds: string[], keys: string[]): ActionResult {
    const denied = this.adminDenied('DeleteTags');
    if (denied !== undefined) return this.act(`aws ec2 delete-tags --resources ${resourceIds.join(' ')}`, denied);
    const r = this.ec2.state.deleteTags(resourceIds.map((id) => this.resolveResource(id)), keys);
    return this.act(`aws ec2 delete-tags --resources ${resourceIds.join(' ')}`, cliError('DeleteTags', r) ?? { ok: true, message: '' });
  }

  scaleNodegroup(name: string, desired: number): ActionResult {
    return this.act(`eksctl scale nodegroup ${name} --nodes=${desired}`, this.cluster.scaleNodeGroup(name, desired));
  }

  terminateInstance(nodeOrInstanceId: string): ActionResult {
    return this.act(`aws ec2 terminate-instances --instance-ids ${nodeOrInstanceId}`, this.cluster.terminate(nodeOrInstanceId));
  }

  // ---- queries -------------------------------------------------------------------------------------------------

  pods(filter: { namespace?: string; includeSystem?: boolean } = {}): PodInfo[] {
    const anyReady = this.cluster.liveNodes().some((n) => n.ready && !n.cordoned);
    const perNode = new Map<string, { decisions: DecisionRecord[]; inFlight: boolean }>();
    const nodeCtx = (name: string) => {
      let c = perNode.get(name);
      if (c === undefined) {
        c = { decisions: this.ipamdOf(name)?.decisions() ?? [], inFlight: this.addressesInFlight(name) };
        perNode.set(name, c);
      }
      return c;
    };
    const out: PodInfo[] = [];
    for (const p of this.cluster.podMap.values()) {
      if (filter.namespace !== undefined && p.namespace !== filter.namespace) continue;
      if (filter.includeSystem === false && p.namespace === 'kube-system') continue;
      const agent = p.nodeName === undefined ? undefined : this.cluster.agentMap.get(p.nodeName);
      const info: PodInfo = {
        namespace: p.namespace,
        name: p.name,
        status: p.status,
        ready: p.status === 'Running' && (p.owner.name !== 'aws-node' || agent?.available === true),
        labels: { ...p.template.labels },
        hostNetwork: p.hostNetwork,
        createdAt: p.createdAt,
        sandboxAttempts: p.sandboxAttempts,
      };
      if (p.nodeName !== undefined) info.node = p.nodeName;
      if (p.ip !== undefined && p.status === 'Running') info.ip = p.ip;
      if (p.eniId !== undefined) info.eniId = p.eniId;
      if (p.owner.deployment !== undefined) info.deployment = p.owner.deployment;
      if (p.owner.kind === 'DaemonSet') info.daemonSet = p.owner.name;
      if (p.scheduledAt !== undefined) info.scheduledAt = p.scheduledAt;
      if (p.ipAssignedAt !== undefined) info.ipAssignedAt = p.ipAssignedAt;
      if (p.runningAt !== undefined) info.runningAt = p.runningAt;
      if (p.deletedAt !== undefined) info.deletedAt = p.deletedAt;
      if (p.ipWaitMs !== undefined) info.ipWaitMs = p.ipWaitMs;
      if (p.lastCniError !== undefined) info.lastCniError = p.lastCniError;
      if (p.firstStuckAt !== undefined) info.firstStuckAt = p.firstStuckAt;
      const needsCtx = p.status === 'ContainerCreating' && p.nodeName !== undefined && p.lastCniError !== undefined;
      const ctx = needsCtx ? nodeCtx(p.nodeName!) : undefined;
      const cause = stuckCause(p, { anyNodeReady: anyReady, addressesInFlight: ctx?.inFlight ?? false, decisions: ctx?.decisions ?? [] });
      if (cause !== undefined) info.stuckCause = cause;
      out.push(info);
    }
    return out;
  }

  nodes(): NodeInfo[] {
    const podCount = new Map<string, number>();
    for (const p of this.cluster.podMap.values()) if (p.nodeName !== undefined) podCount.set(p.nodeName, (podCount.get(p.nodeName) ?? 0) + 1);
    return [...this.cluster.nodeMap.values()]
      .filter((n) => n.registered || !n.terminating)
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((n) => this.nodeInfo(n, podCount.get(n.name) ?? 0));
  }

  subnets(): SubnetInfo[] {
    const vpc = this.ec2.state.vpcs.get(this.vpcId)!;
    return vpc.subnets.map((s) => ({
      id: this.nameBySubnet.get(s.id) ?? s.id,
      subnetId: s.id,
      az: s.availabilityZone,
      cidr: s.cidrText,
      availableIpAddressCount: s.availableIpAddressCount,
      tags: { ...s.tags },
      route: s.routeKind,
      public: this.publicSubnet.get(s.id) ?? s.routeKind === 'igw',
    }));
  }

  deployments(): DeploymentInfo[] {
    return this.cluster.deployments().map((d) => deploymentInfo(d, this.cluster.pods().filter((p) => p.owner.deployment === d.name && p.namespace === d.namespace)));
  }

  /** A pod's events and their `kubectl describe` block (pods that are gone still answer). */
  podEvents(name: string, namespace = 'default'): PodEvents | undefined {
    const p = this.cluster.podMap.get(`${namespace}/${name}`) ?? [...this.cluster.podLog].reverse().find((x) => x.name === name && x.namespace === namespace);
    if (p === undefined) return undefined;
    return { events: p.events.events.map((e) => ({ ...e })), text: formatEvents(p.events.events, this.sim.now) };
  }

  /** The ipamd currently running on a node (undefined between containers or for unknown nodes). */
  ipamdOf(node: string): IpamdApi | undefined {
    return this.cluster.agentMap.get(node)?.ipamd;
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
    return this.cluster.podLog.map((p) => ({
      namespace: p.namespace,
      name: p.name,
      status: p.status,
      ready: p.running,
      labels: { ...p.template.labels },
      hostNetwork: p.hostNetwork,
      createdAt: p.createdAt,
      sandboxAttempts: p.sandboxAttempts,
      ...(p.nodeName !== undefined ? { node: p.nodeName } : {}),
      ...(p.ip !== undefined ? { ip: p.ip } : {}),
      ...(p.owner.deployment !== undefined ? { deployment: p.owner.deployment } : {}),
      ...(p.scheduledAt !== undefined ? { scheduledAt: p.scheduledAt } : {}),
      ...(p.ipAssignedAt !== undefined ? { ipAssignedAt: p.ipAssignedAt } : {}),
      ...(p.runningAt !== undefined ? { runningAt: p.runningAt } : {}),
      ...(p.deletedAt !== undefined ? { deletedAt: p.deletedAt } : {}),
      ...(p.ipWaitMs !== undefined ? { ipWaitMs: p.ipWaitMs } : {}),
      ...(p.lastCniError !== undefined ? { lastCniError: p.lastCniError } : {}),
      ...(p.firstStuckAt !== undefined ? { firstStuckAt: p.firstStuckAt } : {}),
    }));
  }

  /** EC2 subnet id for a scenario name or an EC2 id. */
  resolveSubnet(idOrName: string): string | undefined {
    if (this.subnetByName.has(idOrName)) return this.subnetByName.get(idOrName);
    return this.ec2.state.subnets.has(idOrName) ? idOrName : undefined;
  }

  /** The scenario's name of a subnet (the EC2 id when it has none). */
  subnetName(subnetId: string): string {
    return this.nameBySubnet.get(subnetId) ?? subnetId;
  }

  // ---- internals -----------------------------------------------------------------------------------------------

  private record(h: Happening): void {
    this.timeline.push(h);
    if (this.sim.tracing) this.sim.trace('timeline', { ...h });
    for (const f of this.happeningHooks) f(h);
  }

  private act(command: string, r: ActionResult): ActionResult {
    this.record({ t: this.sim.now, kind: r.ok ? 'action' : 'action-failed', message: `$ ${command}${r.message === '' ? '' : `\n${r.message}`}` });
    return r;
  }

  private buildVpc(spec: WorldSpec): string {
    const [first, ...rest] = spec.vpc.cidrBlocks;
    if (first === undefined) throw new InputError({ field: 'vpc.cidrBlocks' }, 'needs at least one CIDR block');
    const r = this.ec2.state.createVpc({ cidrBlock: first, amazonProvidedIpv6CidrBlock: spec.vpc.ipv6 === true });
    if (!r.ok) throw new InputError({ field: 'vpc.cidrBlocks[0]' }, `${r.error.code}: ${r.error.message}`);
    rest.forEach((c, i) => {
      const a = this.ec2.state.associateVpcCidrBlock(r.value.id, c);
      if (!a.ok) throw new InputError({ field: `vpc.cidrBlocks[${i + 1}]` }, `${a.error.code}: ${a.error.message}`);
    });
    return r.value.id;
  }

  private addSubnet(s: WorldSubnetSpec): ActionResult {
    if (s.id !== '' && this.subnetByName.has(s.id)) return { ok: false, message: `subnet name "${s.id}" is already used` };
    const route: SubnetRoute = s.route ?? 'nat';
    const r = this.ec2.state.createSubnet({
      vpcId: this.vpcId,
      cidrBlock: s.cidr,
      availabilityZone: s.az,
      tags: { ...(s.tags ?? {}) },
      routeKind: route,
      externalUse: s.externalUse ?? 0,
      ipv6: this.spec.vpc.ipv6 === true,
    });
    if (!r.ok) return cliError('CreateSubnet', r)!;
    const sub = r.value;
    if (s.id !== '' && s.id !== sub.id) {
      this.subnetByName.set(s.id, sub.id);
      this.nameBySubnet.set(sub.id, s.id);
    }
    this.publicSubnet.set(sub.id, s.public ?? route === 'igw');
    return {
      ok: true,
      message: JSON.stringify({
        Subnet: { SubnetId: sub.id, VpcId: sub.vpcId, CidrBlock: sub.cidrText, AvailabilityZone: sub.availabilityZone, AvailableIpAddressCount: sub.availableIpAddressCount, Tags: Object.entries(sub.tags).map(([Key, Value]) => ({ Key, Value })) },
      }),
    };
  }

  /** Scenario actions honour IAM denials for `admin` (deniedPermissions with principal 'admin'). */
  private adminDenied(action: Ec2Action): ActionResult | undefined {
    const list = this.ec2.options.deny[ADMIN_PRINCIPAL];
    if (list === undefined || !(list.includes(action) || list.includes('*'))) return undefined;
    return cliError(action, { ok: false, error: errors.unauthorized(ADMIN_PRINCIPAL, action) });
  }

  private resolveResource(id: string): string {
    return this.subnetByName.get(id) ?? this.nodeByName(id)?.instanceId ?? id;
  }

  private nodeByName(name: string): Node | undefined {
    return this.cluster.nodeMap.get(name);
  }

  private nodeCloud(): NodeCloud {
    const ec2 = this.ec2;
    const clusterName = this.spec.cluster.name;
    const ipv6 = this.spec.cluster.ipFamily === 'ipv6';
    return {
      runInstance: (p) => {
        const ev = this.sim.event<LaunchResult>();
        ec2
          .runInstances(AUTOSCALING_PRINCIPAL, {
            instanceType: p.instanceType,
            subnetId: p.subnetId,
            tags: { 'eks:nodegroup-name': p.nodeGroup, 'eks:cluster-name': clusterName, [`kubernetes.io/cluster/${clusterName}`]: 'owned' },
            ...(ipv6 ? { ipv6AddressCount: 1 } : {}),
          })
          .then((r) => {
            if (!r.ok) return ev.succeed({ ok: false, code: r.error.code, message: r.error.message });
            const v = r.value[0];
            ev.succeed({ ok: true, instance: { instanceId: v.instanceId, privateIp: v.privateIpAddress, subnetId: v.subnetId, az: v.availabilityZone } });
          });
        return ev;
      },
      instanceRunning: (id) => ec2.state.instances.get(id)?.state === 'running',
      terminateInstance: (id) => {
        ec2.terminateInstances(ADMIN_PRINCIPAL, [id]);
      },
      subnet: (id) => {
        const s = ec2.state.subnets.get(id);
        if (s === undefined) return undefined;
        return { subnetId: id, az: s.availabilityZone, route: s.routeKind, public: this.publicSubnet.get(id) ?? s.routeKind === 'igw' };
      },
    };
  }

  private realIpamd(p: Parameters<IpamdFactory>[0]): IpamdApi {
    const inst = this.ec2.state.instances.get(p.node.instanceId);
    if (inst === undefined) throw new Error(`no instance ${p.node.instanceId} for node ${p.node.name}`);
    this.nodeByInstance.set(inst.id, p.node);
    const v = inst.view();
    return new Ipamd({
      sim: this.sim,
      ec2: this.ec2,
      principal: this.nodeRole,
      imds: () => this.ec2.imds.enis(inst.id),
      instance: {
        instanceId: inst.id,
        instanceType: v.instanceType,
        vpcId: this.vpcId,
        az: v.availabilityZone,
        primaryEniId: v.primaryEniId,
        subnetId: v.subnetId,
        privateIp: v.privateIpAddress,
      },
      node: p.node,
      clusterName: this.spec.cluster.name,
      cniVersion: this.spec.cluster.vpcCni.version,
      env: p.env,
      eniConfigs: (name) => {
        const c = this.cluster.eniConfig(name);
        return c === undefined ? undefined : { ...c, subnet: this.resolveSubnet(c.subnet) ?? c.subnet };
      },
      checkpoint: p.checkpoint,
      onDecision: (r) => this.onDecision(r),
    });
  }

  private onDecision(r: DecisionRecord): void {
    this.decisionLog.push(r);
    const data = r.data ?? {};
    if (r.kind === 'eni-create-failed') {
      const key = String(data.code);
      if (this.lastEniFailure.get(r.node) === key) return;
      this.lastEniFailure.set(r.node, key);
      this.record({ t: r.t, kind: 'eni-create-failed', node: r.node, message: `${r.node}: ${r.message}` });
    } else if (r.kind === 'pool-grow' && data.newEni === true) {
      this.lastEniFailure.delete(r.node);
    } else if (r.kind === 'eni-free') {
      this.record({ t: r.t, kind: 'eni-deleted', node: r.node, eniId: String(data.eniId ?? ''), message: `${r.node}: ${r.message}` });
    }
  }

  private onEniChange(c: EniChange): void {
    if (c.kind !== 'attach' || c.immediate === true || c.snapshot === null) return;
    let node = this.nodeByInstance.get(c.instanceId);
    if (node === undefined) {
      node = [...this.cluster.nodeMap.values()].find((n) => n.instanceId === c.instanceId);
      if (node !== undefined) this.nodeByInstance.set(c.instanceId, node);
    }
    const s = this.ec2.state.subnets.get(c.snapshot.subnetId);
    const where = s === undefined ? c.snapshot.subnetId : `${this.subnetName(s.id)} (${s.cidrText}, ${s.availabilityZone})`;
    this.record({
      t: this.sim.now,
      kind: 'eni-attached',
      node: node?.name,
      eniId: c.eniId,
      subnetId: c.snapshot.subnetId,
      message: `${c.eniId} attached to ${node?.name ?? c.instanceId} as device ${c.snapshot.deviceIndex}, subnet ${where}`,
    });
  }

  /** EC2 shows more addresses on the node's ENIs than ipamd has in its datastore (IMDS has not caught up). */
  private addressesInFlight(nodeName: string): boolean {
    const n = this.cluster.nodeMap.get(nodeName);
    const d = this.ipamdOf(nodeName);
    if (n === undefined || d === undefined || d.state !== 'ready') return false;
    const inst = this.ec2.state.instances.get(n.instanceId);
    if (inst === undefined) return false;
    const st = d.stats();
    let onEc2 = 0;
    for (const e of inst.enis) onEc2 += st.mode === 'pd' ? e.prefixes.length * 16 : e.secondaryIps.length;
    return onEc2 > st.totalIps;
  }

  private nodeInfo(n: Node, pods: number): NodeInfo {
    const inst = this.ec2.state.instances.get(n.instanceId);
    const enis: EniInfo[] = (inst?.enis ?? []).map((e) => {
      const v = e.view();
      return {
        eniId: v.networkInterfaceId,
        deviceIndex: v.attachment?.deviceIndex ?? -1,
        networkCardIndex: v.attachment?.networkCardIndex ?? 0,
        subnetId: v.subnetId,
        subnet: this.subnetName(v.subnetId),
        status: v.status,
        primaryIp: v.privateIpAddress,
        secondaryIps: v.secondaryPrivateIpAddresses,
        prefixes: v.ipv4Prefixes,
        ipv6Prefixes: v.ipv6Prefixes,
      };
    });
    const agent = this.cluster.agentMap.get(n.name);
    const info: NodeInfo = {
      name: n.name,
      nodeGroup: n.nodeGroup,
      instanceId: n.instanceId,
      instanceType: n.instanceType,
      subnetId: n.subnetId,
      subnet: this.subnetName(n.subnetId),
      az: n.az,
      privateIp: n.privateIp,
      maxPods: n.maxPods,
      registered: n.registered,
      ready: n.ready,
      status: n.registered ? n.status : 'NotRegistered',
      cordoned: n.cordoned,
      terminating: n.terminating,
      labels: { ...n.labels },
      annotations: { ...n.annotations },
      pods,
      launchedAt: n.launchedAt,
      enis,
    };
    if (n.notReadyReason !== undefined) info.notReadyReason = n.notReadyReason;
    if (n.registeredAt !== undefined) info.registeredAt = n.registeredAt;
    if (n.readyAt !== undefined) info.readyAt = n.readyAt;
    if (agent !== undefined)
      info.awsNode = { state: agent.state, restarts: agent.restarts, generation: agent.generation, ...(agent.lastFailure !== undefined ? { lastFailure: agent.lastFailure } : {}) };
    return info;
  }
}
