/**
 * Builds the checkers' `WorldView` from the running model: EC2 state and options (src/model/ec2), the Kubernetes
 * cluster and each node's aws-node agent with its current ipamd (src/model/k8s, src/model/ipamd). Read-only: it calls
 * only query methods and never changes the model, so checking cannot alter a run (the determinism tests hold with
 * checking on). Each part is computed at most once per check. A daemon's datastore is read through its read-only
 * `datastoreView()` and its loop position through `passMarkers()` (both optional on IpamdApi; without the first the
 * introspection endpoint is used, without the second the per-pass checks skip that daemon).
 *
 * Fault state is asked of EC2's fault module (`ec2.faults`, src/model/ec2/faults.ts): the run is "healed" from the
 * first check at which it reports no fault active, however the faults were removed (a scenario step or a harness).
 * Not here: the rules (one file per invariant), what to do with violations (checker.ts).
 */
import type { Simulation } from '../sim/index.ts';
import type { Ec2 } from '../model/ec2/ec2-api.ts';
import { worstMs as worst } from '../model/ec2/faults.ts';
import { findInstanceType } from '../model/ec2/instance-types.ts';
import { DEFAULT_ENI_CONFIG_KEY, type IpamdConfig } from '../model/ipamd/config.ts';
import { eniConfigName } from '../model/ipamd/eni-config.ts';
import { parseRfc3339 } from '../model/ipamd/introspect.ts';
import { DECISION_RING } from '../model/ipamd/core.ts';
import type { DecisionRecord, IpamdApi, IpamdStats } from '../model/ipamd/types.ts';
import type { Cluster } from '../model/k8s/cluster.ts';
import type {
  BucketFacts,
  DecisionFacts,
  DsAddressFacts,
  DsCidrFacts,
  DsEniFacts,
  EniFacts,
  FaultFacts,
  IpamdFacts,
  NodeFacts,
  PassFacts,
  PodFacts,
  SubnetFacts,
  WorldView,
} from './view.ts';

/** The parts of a world the view reads. */
export interface WorldParts {
  sim: Simulation;
  ec2: Ec2;
  cluster: Cluster;
  /** A scenario's subnet name (or EC2 id) → the EC2 id, as ENIConfigs name subnets; without it names are taken as ids. */
  resolveSubnet?(idOrName: string): string | undefined;
}

/**
 * One daemon's datastore as facts: from its read-only datastore view (`Ipamd.datastoreView()`, no formatting of every
 * address on every event), else through its introspection endpoint.
 */
function datastoreFacts(d: IpamdApi, eniSubnets: Map<string, string>): DsEniFacts[] {
  const ds = d.datastoreView?.();
  if (ds === undefined) return introspectedFacts(d, eniSubnets);
  const out: DsEniFacts[] = [];
  for (const e of ds.enis.values()) {
    const cidrs: DsCidrFacts[] = [];
    for (const c of e.cidrs.values()) {
      const addresses: DsAddressFacts[] = [];
      for (const a of c.addresses.values()) {
        const f: DsAddressFacts = { ip: a.address };
        if (a.key !== undefined) f.owner = a.pod === undefined ? a.key.containerId : `${a.pod.namespace}/${a.pod.name}`;
        if (a.unassignedAt !== undefined) f.unassignedAt = a.unassignedAt;
        addresses.push(f);
      }
      cidrs.push({ cidr: c.cidr, prefix: c.isPrefix, addresses });
    }
    out.push({ id: e.id, primary: e.primary, excluded: e.excluded, trunk: e.trunk, efa: e.efa, subnetId: e.subnetId, createdAt: e.createTime, cidrs });
  }
  return out;
}

/** Reads the datastore of one daemon through its introspection endpoint (spec §10). */
function introspectedFacts(d: IpamdApi, eniSubnets: Map<string, string>): DsEniFacts[] {
  const intro = d.introspectEnis() as Record<string, { ENIs: Record<string, Record<string, unknown>> }>;
  const out: DsEniFacts[] = [];
  for (const card of Object.values(intro)) {
    for (const e of Object.values(card.ENIs)) {
      const cidrs: DsCidrFacts[] = [];
      const v4 = e.AvailableIPv4Cidrs as Record<string, { IsPrefix: boolean; IPAddresses: Record<string, Record<string, unknown>> }>;
      for (const [cidr, c] of Object.entries(v4)) {
        const addresses = Object.values(c.IPAddresses).map((a) => {
          const meta = a.IPAMMetadata as { k8sPodNamespace?: string; k8sPodName?: string };
          const key = a.IPAMKey as { networkName: string };
          const owner = key.networkName !== '' && meta.k8sPodName !== undefined ? `${meta.k8sPodNamespace}/${meta.k8sPodName}` : undefined;
          const un = parseRfc3339(String(a.UnassignedTime));
          const f: { ip: string; owner?: string; unassignedAt?: number } = { ip: String(a.Address) };
          if (owner !== undefined) f.owner = owner;
          if (un !== undefined && un >= 0) f.unassignedAt = un;
          return f;
        });
        cidrs.push({ cidr, prefix: c.IsPrefix, addresses });
      }
      const id = String(e.ID);
      const f: DsEniFacts = {
        id,
        primary: e.IsPrimary === true,
        excluded: e.IsExcludedForPodIPs === true,
        trunk: e.IsTrunk === true,
        efa: e.IsEFA === true,
        cidrs,
      };
      const subnet = typeof e.SubnetID === 'string' ? e.SubnetID : eniSubnets.get(id);
      if (subnet !== undefined) f.subnetId = subnet;
      out.push(f);
    }
  }
  return out;
}

/** Per-world memory the view keeps between checks (incarnations, the heal time, each daemon's recent decisions). */
export class ViewState {
  healedAt: number | undefined;
  /** Each daemon's decisions as heard on the World's stream, trimmed to the daemon's own window at each view. */
  private readonly heardDecisions = new WeakMap<IpamdApi, DecisionRecord[]>();

  /**
   * A decision as the World's stream tells it (subscribed by attachInvariantChecker). The first one heard of a daemon
   * starts from the daemon's own log, which holds it already, so the two agree from then on.
   */
  heard(daemon: IpamdApi | undefined, r: DecisionRecord): void {
    if (daemon === undefined) return;
    const log = this.heardDecisions.get(daemon);
    if (log === undefined) this.heardDecisions.set(daemon, daemon.decisions());
    else log.push(r);
  }

  /** The daemon's recent decisions, oldest first: what `decisions()` would copy, without a copy per check. */
  decisionsOf(d: IpamdApi): readonly DecisionFacts[] {
    const log = this.heardDecisions.get(d);
    if (log === undefined) return d.decisions();
    if (log.length > DECISION_RING) log.splice(0, log.length - DECISION_RING);
    return log;
  }
  /** Worst IMDS lag in force at any check so far (ms). */
  imdsLagMaxMs = 0;
  private readonly incarnations = new WeakMap<IpamdApi, number>();
  private readonly counts = new Map<string, number>();

  incarnation(node: string, d: IpamdApi): number {
    let n = this.incarnations.get(d);
    if (n === undefined) {
      n = (this.counts.get(node) ?? 0) + 1;
      this.counts.set(node, n);
      this.incarnations.set(d, n);
    }
    return n;
  }
}

/** The parsed configuration of the simulator's own daemon (undefined for other IpamdApi implementations). */
function configOf(d: IpamdApi): IpamdConfig | undefined {
  return (d as { config?: IpamdConfig }).config;
}

/** The daemon's pass markers as facts (four numbers), when it keeps them. */
function passFacts(d: IpamdApi): { passes?: PassFacts } {
  const m = d.passMarkers?.();
  if (m === undefined) return {};
  return { passes: { pool: m.poolPasses, poolStartedAt: m.poolPassStartedAt, reconcile: m.reconcilePasses, reconcileCompleted: m.reconcileCompleted } };
}

/** Runs `f` on the first call only and returns its result ever after: each part of a view is computed at most once. */
function once<T>(f: () => T): () => T {
  let v: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      v = f();
      done = true;
    }
    return v as T;
  };
}

/** Fault facts now; also moves the heal time and the worst IMDS lag kept in `state`. */
function faultFacts(w: WorldParts, state: ViewState): FaultFacts {
  const { sim, ec2 } = w;
  if (ec2.faults.active().length === 0) state.healedAt ??= sim.now;
  else state.healedAt = undefined;
  state.imdsLagMaxMs = Math.max(state.imdsLagMaxMs, ec2.faults.imdsLagWorstMs());
  const f: FaultFacts = { deniedActions: ec2.faults.deniedActions(), imdsLagMaxMs: state.imdsLagMaxMs };
  if (state.healedAt !== undefined) f.healedAt = state.healedAt;
  return f;
}

function subnetFacts(ec2: Ec2): SubnetFacts[] {
  return [...ec2.state.subnets.values()].map((s) => ({
    id: s.id,
    cidr: s.cidrText,
    az: s.availabilityZone,
    tags: s.tags,
    usable: s.allocator.usableCount,
    used: s.allocator.usedCount,
    available: s.allocator.availableCount,
    external: s.externalAddresses.length,
    freePrefixBlocks: s.allocator.freePrefixCount,
    freeAddresses: s.allocator.freeAddressCount,
  }));
}

function eniFacts(ec2: Ec2): EniFacts[] {
  return [...ec2.state.enis.values()].map((e) => {
    const f: EniFacts = {
      id: e.id,
      subnetId: e.subnet.id,
      status: e.status,
      interfaceType: e.interfaceType,
      primaryIp: e.primaryIp,
      secondaryIps: e.secondaryIps,
      prefixes: e.prefixes,
      tags: e.tags,
    };
    if (e.attachment !== undefined) {
      f.instanceId = e.attachment.instanceId;
      f.deviceIndex = e.attachment.deviceIndex;
    }
    return f;
  });
}

/** Every live node (its instance not terminated) with its ENIConfig subnet and its daemon's facts. */
function nodeFacts(w: WorldParts, state: ViewState): NodeFacts[] {
  const { ec2, cluster } = w;
  const eniSubnets = new Map([...ec2.state.enis.values()].map((e) => [e.id, e.subnet.id]));
  const out: NodeFacts[] = [];
  for (const n of cluster.nodeMap.values()) {
    const inst = ec2.state.instances.get(n.instanceId);
    if (inst === undefined || inst.state === 'terminated') continue;
    const it = findInstanceType(n.instanceType);
    const f: NodeFacts = {
      name: n.name,
      instanceId: n.instanceId,
      instanceType: n.instanceType,
      az: n.az,
      subnetId: n.subnetId,
      state: inst.state,
      cordoned: n.isCordoned(),
      terminating: n.terminating,
    };
    if (it !== undefined) {
      f.eniLimit = it.enis;
      f.ipv4PerEni = it.ipv4PerEni;
    }
    const agent = cluster.agentMap.get(n.name);
    const d = agent?.ipamd;
    // the ENIConfig the daemon would read (eni-config.ts, §4.3), its subnet as an EC2 id
    const cfg = d === undefined ? undefined : configOf(d);
    const ec = cluster.eniConfig(eniConfigName(n, cfg?.eniConfigAnnotationDef ?? DEFAULT_ENI_CONFIG_KEY, cfg?.eniConfigLabelDef ?? DEFAULT_ENI_CONFIG_KEY));
    if (ec !== undefined) f.eniConfigSubnetId = w.resolveSubnet?.(ec.subnet) ?? ec.subnet;
    if (agent !== undefined && d !== undefined) f.ipamd = ipamdFacts(n.name, d, agent.state === 'ready', it?.ipv4PerEni, eniSubnets, state);
    out.push(f);
  }
  return out;
}

/** The daemon's settings as the checkers see them, with ipamd's defaults where the daemon has no parsed config. */
function ipamdSettings(d: IpamdApi, cfg: IpamdConfig | undefined, stats: IpamdStats, ipv4PerEni: number | undefined): IpamdFacts['settings'] {
  return {
    warmEniTarget: cfg?.warmEniTarget ?? 1,
    warmIpTarget: cfg?.warmIpTarget ?? 0,
    minimumIpTarget: cfg?.minimumIpTarget ?? 0,
    warmPrefixTarget: cfg?.warmPrefixTarget ?? 0,
    prefixDelegation: stats.mode === 'pd',
    subnetDiscovery: cfg?.subnetDiscovery ?? true,
    customNetworking: cfg?.customNetworking ?? false,
    ipCooldownMs: cfg?.ipCooldownMs ?? 30_000,
    maxEni: stats.maxEnis,
    maxCidrsPerEni: ipv4PerEni === undefined ? Infinity : ipv4PerEni - 1,
    maxPods: stats.maxPods,
    manageEnisNonSchedulable: cfg?.manageEnisNonSchedulable ?? false,
    provisioningDisabled: cfg?.disableProvisioning ?? false,
    ipv6: stats.mode === 'ipv6',
    ...(d.era === undefined ? {} : { cniEra: d.era }),
    ...(cfg === undefined ? {} : { clusterName: cfg.clusterName }),
  };
}

function ipamdFacts(
  node: string,
  d: IpamdApi,
  agentReady: boolean,
  ipv4PerEni: number | undefined,
  eniSubnets: Map<string, string>,
  viewState: ViewState,
): IpamdFacts {
  const stats = d.stats();
  const cfg = configOf(d);
  const decisions = viewState.decisionsOf(d);
  const state: IpamdFacts['state'] = d.state === 'ready' ? (agentReady ? 'ready' : 'stopped') : d.state;
  return {
    incarnation: viewState.incarnation(node, d),
    state,
    settings: ipamdSettings(d, cfg, stats, ipv4PerEni),
    datastore: datastoreFacts(d, eniSubnets),
    ...(d.droppedAtRestore === undefined ? {} : { droppedAllocations: d.droppedAtRestore() }),
    ...(d.staleAtStart === undefined ? {} : { staleAtStart: d.staleAtStart() }),
    decisions,
    ...(d.latestDecisions === undefined ? {} : { latestDecisions: d.latestDecisions() }),
    ...passFacts(d),
  };
}

function podFacts(cluster: Cluster): PodFacts[] {
  return cluster.pods().map((p) => {
    const f: PodFacts = { id: p.key, phase: p.goneAt !== undefined ? 'Deleted' : p.status, hostNetwork: p.hostNetwork };
    if (p.nodeName !== undefined) f.node = p.nodeName;
    if (p.ip !== undefined) f.ip = p.ip;
    if (p.scheduledAt !== undefined) f.boundAt = p.scheduledAt;
    return f;
  });
}

function bucketFacts(ec2: Ec2): BucketFacts[] {
  const levels = ec2.bucketLevels();
  return Object.entries(levels).map(([name, tokens]) => ({
    name,
    tokens,
    capacity: ec2.faults.buckets[name as keyof typeof levels]?.capacity ?? Infinity,
  }));
}

/** The slowest EC2 call and the longest IMDS lag the options and fault settings allow. */
function latencyBounds(ec2: Ec2): { ec2CallMaxMs: number; imdsLagMaxMs: number } {
  const o = ec2.options;
  let call = 0;
  for (const l of Object.values(o.latency)) call = Math.max(call, worst(l));
  const imds = Math.max(worst(ec2.faults.imdsLags.attachLag), worst(ec2.faults.imdsLags.ipLag));
  return { ec2CallMaxMs: call, imdsLagMaxMs: imds };
}

/** A fresh view of the world now. `state` carries memory from earlier checks of the same run. */
export function worldView(w: WorldParts, state: ViewState): WorldView {
  const { sim, ec2, cluster } = w;
  return {
    now: sim.now,
    seed: sim.seed,
    subnets: once(() => subnetFacts(ec2)),
    enis: once(() => eniFacts(ec2)),
    nodes: once(() => nodeFacts(w, state)),
    pods: once(() => podFacts(cluster)),
    buckets: once(() => bucketFacts(ec2)),
    faults: once(() => faultFacts(w, state)),
    latencyBounds: once(() => latencyBounds(ec2)),
  };
}
