/**
 * The World's read side: snapshots of pods (with the stuck-cause label, read from the node ipamd's recent decisions and
 * the newest decision of each kind), every pod ever created, nodes with their ENIs
 * as EC2 describes them, subnets and deployments (types in world/views.ts). Pure readings of the models — a query never
 * changes the world. Not here: the rules behind the values (src/model/ec2, ipamd, k8s), the stuck-cause rules
 * (world/stuck-cause.ts).
 */
import type { Ec2 } from '../ec2/ec2-api.ts';
import type { DecisionRecord, IpamdApi } from '../ipamd/types.ts';
import type { Cluster } from '../k8s/cluster.ts';
import type { Node, Pod } from '../k8s/types.ts';
import { stuckCause, withLatestOfEachKind } from './stuck-cause.ts';
import type { FleetSample } from './happenings.ts';
import type { SubnetDirectory } from './vpc.ts';
import { deploymentInfo, type DeploymentInfo, type EniInfo, type NodeInfo, type PodInfo, type SubnetInfo } from './views.ts';

/** What the queries read. */
export interface QuerySource {
  readonly cluster: Cluster;
  readonly ec2: Ec2;
  subnetName(subnetId: string): string;
}

/** The ipamd currently running on a node (undefined between containers or for unknown nodes). */
export function ipamdOf(cluster: Cluster, node: string): IpamdApi | undefined {
  return cluster.agentMap.get(node)?.ipamd;
}

/**
 * A pod as a report shows it: the fields both queries share, in one key order; `live` adds what only the live view
 * has (the ENI and DaemonSet).
 */
function podInfo(p: Pod, ready: boolean, ip: string | undefined, live: boolean): PodInfo {
  const info: PodInfo = {
    namespace: p.namespace,
    name: p.name,
    status: p.status,
    ready,
    labels: { ...p.template.labels },
    hostNetwork: p.hostNetwork,
    createdAt: p.createdAt,
    sandboxAttempts: p.sandboxAttempts,
    owner: { kind: p.owner.kind, name: p.owner.name },
    containers: p.template.containers,
    image: p.template.image,
    requestsStated: p.template.requestsStated.cpu || p.template.requestsStated.memory,
  };
  if (p.nodeName !== undefined) info.node = p.nodeName;
  if (ip !== undefined) info.ip = ip;
  if (live && p.eniId !== undefined) info.eniId = p.eniId;
  if (p.owner.deployment !== undefined) info.deployment = p.owner.deployment;
  if (live && p.owner.kind === 'DaemonSet') info.daemonSet = p.owner.name;
  if (p.scheduledAt !== undefined) info.scheduledAt = p.scheduledAt;
  if (p.ipAssignedAt !== undefined) info.ipAssignedAt = p.ipAssignedAt;
  if (p.runningAt !== undefined) info.runningAt = p.runningAt;
  if (p.deletedAt !== undefined) info.deletedAt = p.deletedAt;
  if (p.ipWaitMs !== undefined) info.ipWaitMs = p.ipWaitMs;
  if (p.lastCniError !== undefined) info.lastCniError = p.lastCniError;
  if (p.firstStuckAt !== undefined) info.firstStuckAt = p.firstStuckAt;
  return info;
}

/** Some node is Ready and schedulable (a Pending pod's stuck cause reads it). */
export function anyNodeReady(cluster: Cluster): boolean {
  return cluster.liveNodes().some((n) => n.ready && !n.cordoned);
}

/** Pods in the API server, each with its stuck cause when it is not Running. */
export function podInfos(w: QuerySource, filter: { namespace?: string; includeSystem?: boolean }): PodInfo[] {
  const read = podReader(w);
  const out: PodInfo[] = [];
  for (const p of w.cluster.podMap.values()) {
    if (filter.namespace !== undefined && p.namespace !== filter.namespace) continue;
    if (filter.includeSystem === false && p.namespace === 'kube-system') continue;
    out.push(read(p));
  }
  return out;
}

/**
 * Reads live pods one at a time as `podInfos` shows them, each node's part of a stuck cause (its decisions, addresses
 * in flight) read once per reader: a reader answers for one instant, so make a new one whenever the world moved.
 */
export function podReader(w: QuerySource): (p: Pod) => PodInfo {
  const cluster = w.cluster;
  let anyReady: boolean | undefined;
  const perNode = new Map<string, { decisions: readonly DecisionRecord[]; inFlight: boolean }>();
  const nodeCtx = (name: string) => {
    let c = perNode.get(name);
    if (c === undefined) {
      const d = ipamdOf(cluster, name);
      c = { decisions: d === undefined ? [] : withLatestOfEachKind(d.decisions(), d.latestDecisions?.()), inFlight: addressesInFlight(w, name) };
      perNode.set(name, c);
    }
    return c;
  };
  return (p) => {
    const agent = p.nodeName === undefined ? undefined : cluster.agentMap.get(p.nodeName);
    const ready = p.status === 'Running' && (p.owner.name !== 'aws-node' || agent?.available === true);
    const info = podInfo(p, ready, p.status === 'Running' ? p.ip : undefined, true);
    // aws-node's container restarts (the daemon crashed on start-up) are the pod's RESTARTS column
    if (p.owner.name === 'aws-node' && agent !== undefined && agent.restarts > 0) {
      info.restarts = agent.restarts;
      if (agent.lastFailureAt !== undefined) info.lastRestartAt = agent.lastFailureAt;
    }
    const needsCtx = p.status === 'ContainerCreating' && p.nodeName !== undefined && p.lastCniError !== undefined;
    const ctx = needsCtx ? nodeCtx(p.nodeName!) : undefined;
    // only a Pending pod's cause reads whether some node is Ready
    if (p.status === 'Pending') anyReady ??= anyNodeReady(cluster);
    const cause = stuckCause(p, { anyNodeReady: anyReady ?? false, addressesInFlight: ctx?.inFlight ?? false, decisions: ctx?.decisions ?? [] });
    if (cause !== undefined) info.stuckCause = cause;
    return info;
  };
}

/** Every pod ever created (deleted ones included), for time-to-address statistics. */
export function podHistory(cluster: Cluster): PodInfo[] {
  return cluster.podLog.map((p) => podInfo(p, p.running, p.ip, false));
}

/** Nodes that are registered or still launching, by name. */
export function nodeInfos(w: QuerySource): NodeInfo[] {
  const podCount = new Map<string, number>();
  for (const p of w.cluster.podMap.values()) if (p.nodeName !== undefined) podCount.set(p.nodeName, (podCount.get(p.nodeName) ?? 0) + 1);
  return [...w.cluster.nodeMap.values()]
    .filter((n) => n.registered || !n.terminating)
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((n) => nodeInfo(w, n, podCount.get(n.name) ?? 0));
}

/** One node as `nodeInfos` lists it; undefined for a node it would not list. */
export function nodeInfoOf(w: QuerySource, name: string): NodeInfo | undefined {
  const n = w.cluster.nodeMap.get(name);
  if (n === undefined || (!n.registered && n.terminating)) return undefined;
  let pods = 0;
  for (const p of w.cluster.podMap.values()) if (p.nodeName === name) pods++;
  return nodeInfo(w, n, pods);
}

/** The VPC's subnets as `describe-subnets` shows them, named as the scenario names them. */
export function subnetInfos(ec2: Ec2, vpcId: string, dir: SubnetDirectory): SubnetInfo[] {
  const vpc = ec2.state.vpcs.get(vpcId)!;
  return vpc.subnets.map((s) => ({
    id: dir.name(s.id),
    subnetId: s.id,
    az: s.availabilityZone,
    cidr: s.cidrText,
    availableIpAddressCount: s.availableIpAddressCount,
    tags: { ...s.tags },
    route: s.routeKind,
    public: dir.isPublic(s.id, s.routeKind),
  }));
}

export function deploymentInfos(cluster: Cluster): DeploymentInfo[] {
  return cluster.deployments().map((d) => deploymentInfo(d, cluster.pods().filter((p) => p.owner.deployment === d.name && p.namespace === d.namespace)));
}

/** EC2 shows more addresses on the node's ENIs than ipamd has in its datastore (IMDS has not caught up). */
function addressesInFlight(w: QuerySource, nodeName: string): boolean {
  const n = w.cluster.nodeMap.get(nodeName);
  const d = ipamdOf(w.cluster, nodeName);
  if (n === undefined || d === undefined || d.state !== 'ready') return false;
  const inst = w.ec2.state.instances.get(n.instanceId);
  if (inst === undefined) return false;
  const st = d.stats();
  let onEc2 = 0;
  for (const e of inst.enis) onEc2 += st.mode === 'pd' ? e.prefixes.length * 16 : e.secondaryIps.length;
  return onEc2 > st.totalIps;
}

/** The node's ENIs as EC2 describes them, by device index (one not attached, -1, first). */
export function nodeEnis(w: QuerySource, n: Node): EniInfo[] {
  const inst = w.ec2.state.instances.get(n.instanceId);
  const enis = (inst?.enis ?? []).map((e): EniInfo => {
    const v = e.view();
    return {
      eniId: v.networkInterfaceId,
      deviceIndex: v.attachment?.deviceIndex ?? -1,
      networkCardIndex: v.attachment?.networkCardIndex ?? 0,
      subnetId: v.subnetId,
      subnet: w.subnetName(v.subnetId),
      status: v.status,
      primaryIp: v.privateIpAddress,
      secondaryIps: v.secondaryPrivateIpAddresses,
      prefixes: v.ipv4Prefixes,
      ipv6Prefixes: v.ipv6Prefixes,
    };
  });
  return enis.sort((a, b) => a.deviceIndex - b.deviceIndex);
}

function nodeInfo(w: QuerySource, n: Node, pods: number): NodeInfo {
  const enis = nodeEnis(w, n);
  const agent = w.cluster.agentMap.get(n.name);
  const info: NodeInfo = {
    name: n.name,
    nodeGroup: n.nodeGroup,
    instanceId: n.instanceId,
    instanceType: n.instanceType,
    subnetId: n.subnetId,
    subnet: w.subnetName(n.subnetId),
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
  if (n.allocatable !== undefined) info.allocatable = { ...n.allocatable };
  if (n.registeredAt !== undefined) info.registeredAt = n.registeredAt;
  if (n.readyAt !== undefined) info.readyAt = n.readyAt;
  if (agent !== undefined)
    info.awsNode = { state: agent.state, restarts: agent.restarts, generation: agent.generation, ...(agent.lastFailure !== undefined ? { lastFailure: agent.lastFailure } : {}) };
  return info;
}

/**
 * The fleet's figures now: addresses and ENIs the ready daemons hold (nodes being terminated left out) and the free
 * addresses of `subnetIds`. Sums, so the order of nodes does not matter.
 */
export function fleetSample(w: QuerySource, subnetIds: readonly string[]): FleetSample {
  let held = 0;
  let used = 0;
  let enis = 0;
  for (const agent of w.cluster.agentMap.values()) {
    const d = agent.ipamd;
    if (agent.node.terminating || d === undefined || d.state !== 'ready') continue;
    const st = d.holdings();
    held += st.totalIps;
    used += st.assignedIps;
    enis += st.enis;
  }
  let subnetFree = 0;
  for (const id of subnetIds) subnetFree += w.ec2.state.subnets.get(id)?.availableIpAddressCount ?? 0;
  return { held, used, enis, subnetFree };
}
