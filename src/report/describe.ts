/**
 * Collecting what `--describe pod/…`, `deployment/…`, `node/…` and `stuck` show, from the World's queries at the end
 * of the run: the fields `kubectl describe` prints that the model has (describe-text.ts lays them out as kubectl
 * does), plus our "why it is not Running" chain. Reads only; not the layout.
 */
import type { World } from '../model/world.ts';
import { nodeTaints, podConditions, podLabels, qosClassOf, type NodeInfo, type PodInfo } from '../model/world/views.ts';
import { resolveNames } from './names.ts';
import type { StuckExplanation } from './types.ts';
import type { ContainerDescribe, DeploymentDescribe, NodeDescribe, PodDescribe, ViewRecord } from './view-types.ts';
import { shortNode } from '../model/k8s/names.ts';
import { explainPod } from './why.ts';

const notRunning = (p: PodInfo) => p.status !== 'Running' && p.status !== 'Terminating';

/** kubectl's pod phase: a pod whose sandbox is still being created is `Pending`. */
function phaseOf(p: PodInfo): string {
  return p.status === 'ContainerCreating' ? 'Pending' : p.status;
}

/** A container as describeContainerState shows it: Running since, or Waiting (ContainerCreating once scheduled). */
function containerOf(p: PodInfo, name: string, running: boolean): ContainerDescribe {
  const c: ContainerDescribe = { name, image: p.image, state: running ? 'Running' : 'Waiting', ready: p.ready, restartCount: p.restarts ?? 0 };
  if (running && p.runningAt !== undefined) c.startedAt = p.runningAt;
  if (!running && p.node !== undefined) c.reason = 'ContainerCreating';
  return c;
}

function podDescribe(world: World, p: PodInfo): PodDescribe {
  const node = p.node === undefined ? undefined : world.node(p.node);
  const labels = podLabels(p);
  const running = p.status === 'Running' || (p.status === 'Terminating' && p.runningAt !== undefined);
  const d: PodDescribe = {
    name: p.name,
    namespace: p.namespace,
    labels,
    status: phaseOf(p),
    containers: p.containers.map((name) => containerOf(p, name, running)),
    conditions: podConditions(p, p.ipAssignedAt !== undefined || running),
    qosClass: qosClassOf(p),
    hostNetwork: p.hostNetwork,
    events: world.podEvents(p.name, p.namespace)?.text ?? 'Events:  <none>',
  };
  if (p.owner.kind !== 'None') d.controlledBy = `${p.owner.kind}/${p.owner.name}`;
  if (p.node !== undefined) d.node = p.node;
  if (node !== undefined) d.nodeIp = node.privateIp;
  if (p.scheduledAt !== undefined) d.startTime = p.scheduledAt;
  if (p.ip !== undefined) d.ip = p.ip;
  if (p.deletedAt !== undefined) d.deletedAt = p.deletedAt;
  if (notRunning(p)) d.why = explainPod(world, p);
  return d;
}

function deploymentDescribe(world: World, name: string, namespace: string, pods: readonly PodInfo[]): DeploymentDescribe {
  const info = world.deployments().find((x) => x.name === name && x.namespace === namespace)!;
  const mine = pods.filter((p) => p.deployment === name && p.namespace === namespace);
  const sample = mine[0];
  const total = mine.filter((p) => p.status !== 'Terminating').length;
  const d: DeploymentDescribe = {
    name,
    namespace,
    selector: sample?.labels ?? {},
    replicas: { desired: info.replicas, updated: info.upToDate, total, available: info.available, unavailable: Math.max(0, total - info.available) },
    template: { labels: sample?.labels ?? {}, containers: (sample?.containers ?? []).map((c) => ({ name: c, image: sample!.image })) },
    podsByStatus: Object.fromEntries(Object.entries(info.byStatus).filter(([, v]) => v > 0)),
  };
  if (sample !== undefined) d.newReplicaSet = sample.owner.name;
  return d;
}

function nodeDescribe(world: World, n: NodeInfo, pods: readonly PodInfo[]): NodeDescribe {
  const d = world.ipamdOf(n.name);
  const taints = nodeTaints(n).map((t) => `${t.key}:${t.effect}`);
  const perEni = new Map((d?.datastoreView === undefined ? [] : [...d.datastoreView().enis.values()]).map((e) => [e.id, e]));
  const out: NodeDescribe = {
    name: n.name,
    labels: n.labels,
    unschedulable: n.cordoned,
    taints,
    ready: n.ready,
    internalIp: n.privateIp,
    providerId: `aws:///${n.az}/${n.instanceId}`,
    instanceType: n.instanceType,
    maxPods: n.maxPods,
    nonTerminatedPods: pods.filter((p) => p.node === n.name && p.status !== 'Terminating').map((p) => ({ namespace: p.namespace, name: p.name, age: world.now - p.createdAt })),
    enis: n.enis.map((e) => {
      const ds = perEni.get(e.eniId);
      let assigned: number | undefined;
      if (ds !== undefined) {
        assigned = 0;
        for (const c of ds.cidrs.values()) assigned += c.assigned;
        for (const c of ds.v6Cidrs.values()) assigned += c.assigned;
      }
      return { id: e.eniId, deviceIndex: e.deviceIndex, subnet: e.subnet, primaryIp: e.primaryIp, addresses: e.secondaryIps.length, prefixes: e.prefixes.length + e.ipv6Prefixes.length, ...(assigned !== undefined ? { assigned } : {}) };
    }),
  };
  if (n.notReadyReason !== undefined) out.notReadyReason = n.notReadyReason;
  if (n.awsNode !== undefined) out.awsNode = { state: n.awsNode.state, restarts: n.awsNode.restarts, ...(n.awsNode.lastFailure !== undefined ? { lastFailure: n.awsNode.lastFailure } : {}) };
  if (d !== undefined) {
    const s = d.stats();
    out.pool = { totalIps: s.totalIps, assignedIps: s.assignedIps, cooldownIps: s.cooldownIps, maxEnis: s.maxEnis, mode: s.mode };
  }
  return out;
}

/** Every pod not Running (app pods first, then kube-system), grouped by cause with one example chain each. */
export function stuckGroups(stuck: readonly StuckExplanation[]): { cause: string; status: string; pods: string[]; example: StuckExplanation }[] {
  const groups = new Map<string, { cause: string; status: string; pods: string[]; example: StuckExplanation }>();
  for (const s of stuck) {
    const key = `${s.cause}\u0000${s.status}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { cause: s.cause, status: s.status, pods: [`${s.namespace}/${s.pod}`], example: s });
    else g.pods.push(`${s.namespace}/${s.pod}`);
  }
  return [...groups.values()];
}

/** The records of one `--describe` request. */
export function collectDescribe(world: World, resource: 'pod' | 'deployment' | 'node' | 'stuck', name: string): ViewRecord[] {
  const pods = world.pods();
  if (resource === 'stuck') {
    const stuck = pods.filter(notRunning).map((p) => explainPod(world, p));
    return [{ kind: 'describe-stuck', time: world.now, groups: stuckGroups(stuck) }];
  }
  if (resource === 'pod') {
    const named = pods.map((p) => ({ name: p.name, p }));
    return resolveNames('--describe', 'pod', name, named).map(({ p }) => describePod(world, p));
  }
  if (resource === 'deployment') {
    const named = world.deployments().map((d) => ({ name: d.name, d }));
    return resolveNames('--describe', 'deployment', name, named).map(({ d }) => ({ kind: 'describe-deployment', deployment: deploymentDescribe(world, d.name, d.namespace, pods) }));
  }
  const nodes = world.nodes();
  return resolveNodes('--describe', name, nodes).map((n) => ({ kind: 'describe-node', node: nodeDescribe(world, n, pods) }));
}

/** `--describe pod/NAME` of one pod already read (the run record takes these as the run goes). */
export function describePod(world: World, p: PodInfo): ViewRecord {
  return { kind: 'describe-pod', pod: podDescribe(world, p) };
}

/** Nodes by full name, short name (`ip-10-0-0-109`) or instance id; one node only. */
export function resolveNodes(flag: string, query: string, nodes: readonly NodeInfo[]): NodeInfo[] {
  const named = nodes.map((n) => ({ name: n.name, aliases: [shortNode(n.name), n.instanceId], n }));
  return resolveNames(flag, 'node', query, named, true).map((x) => x.n);
}
