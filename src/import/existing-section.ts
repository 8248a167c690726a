/**
 * The scenario's `nodeGroups` and `existing` sections (Contract 1) from the joined files: nodes grouped by their
 * `eks.amazonaws.com/nodegroup` or `alpha.eksctl.io/nodegroup-name` label into node groups whose desiredCapacity
 * counts them (others standalone), each node with its ENIs as EC2 lists them; the Running pods with their
 * addresses and owning Deployment; the Deployments as the manifests `kubectl apply` takes, cut to what the
 * simulator reads (replicas, labels, selector, containers' requests, nodeSelector, hostNetwork). Labels the world
 * sets on every node itself (hostname, instance type, region, zone, node group) are not repeated. Not here: the
 * other sections (cluster-section.ts).
 */
import { findInstanceType } from '../model/ec2/instance-types.ts';
import { computeMaxPods } from '../model/max-pods.ts';
import { parseCpuMilli, parseMemoryBytes } from '../model/k8s/quantity.ts';
import { NAME } from '../scenario/fields.ts';
import type { ImportedCluster } from './cluster.ts';
import type { DeploymentRecord } from './k8s.ts';
import { nodeGroupOf, type ImportedNode } from './nodes.ts';
import type { Notes } from './notes.ts';
import type { ImportedPod } from './pods.ts';
import { isObject, type At, type JsonObject } from './where.ts';

type Obj = Record<string, unknown>;

/** Node labels the simulated world sets itself (src/model/k8s/cluster-nodes.ts). */
const WORLD_NODE_LABELS = new Set(['kubernetes.io/hostname', 'node.kubernetes.io/instance-type', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'eks.amazonaws.com/nodegroup']);
/** A scenario's node group is at most this large (src/scenario/spec.ts). */
const MAX_GROUP = 1000;

interface Group {
  name: string;
  original: string;
  members: ImportedNode[];
  labels: Record<string, string>;
  /** The group's instance type (the most common among its members) and max pods (its own, else that type's). */
  instanceType?: string;
  maxPods?: number;
}

export function nodeGroupsSection(c: ImportedCluster, notes: Notes): { section: Obj[]; groupOf: Map<ImportedNode, Group> } {
  const groups = new Map<string, Group>();
  const groupOf = new Map<ImportedNode, Group>();
  for (const n of c.nodes) {
    const original = nodeGroupOf(n);
    if (original === undefined) continue;
    const name = scenarioName(original, 'group');
    const g = groups.get(name) ?? { name, original, members: [], labels: {} };
    g.members.push(n);
    groups.set(name, g);
    groupOf.set(n, g);
  }
  const section = [...groups.values()].map((g, i) => {
    const path = ['nodeGroups', i];
    if (g.name !== g.original) notes.remark(path, `node group "${g.original}", renamed to a scenario name`);
    if (g.members.length > MAX_GROUP) g.members[MAX_GROUP].record.at.fail(`node group ${g.original} has ${g.members.length} nodes; a scenario's node group holds at most ${MAX_GROUP}`);
    const types = countBy(g.members.map((n) => n.instanceType.name));
    const type = types[0][0];
    g.instanceType = type;
    if (types.length > 1) notes.remark(path, `mixed instance types (${types.map(([t, k]) => `${k} × ${t}`).join(', ')}); nodes it launches are ${type}`);
    const subnets = [...new Set(g.members.map((n) => n.subnetId))];
    notes.remark(path, 'subnets: those its nodes sit in (the Auto Scaling group is not among the files)');
    g.labels = commonLabels(g.members);
    const maxPods = countBy(g.members.map((n) => n.allocatablePods ?? computeMaxPods(n.instanceType).maxPods));
    const out: Obj = { name: g.name, instanceType: type, desiredCapacity: g.members.length, subnets };
    if (Object.keys(g.labels).length > 0) out.labels = g.labels;
    // The most common max pods of its members, when it is not the type's eni-max-pods value.
    const typeDefault = computeMaxPods(findInstanceType(type)!).maxPods;
    g.maxPods = maxPods[0][0];
    if (g.maxPods !== typeDefault) out.maxPods = g.maxPods;
    return out;
  });
  if (c.nodes.some((n) => n.allocatablePods === undefined)) notes.warn(['existing', 'nodes'], 'some nodes have no status.allocatable.pods: their maxPods is the eni-max-pods.txt value of their type');
  return { section, groupOf };
}

/** A name as the scenario format takes it (lower case; other characters → `-`), else `fallback`. */
export function scenarioName(s: string, fallback: string): string {
  const n = s.toLowerCase().replace(/[^a-z0-9._-]/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '').slice(0, 100);
  return NAME.test(n) ? n : fallback;
}

function countBy<T>(xs: T[]): [T, number][] {
  const m = new Map<T, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
}

function ownLabels(n: ImportedNode): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(n.labels)) if (!WORLD_NODE_LABELS.has(k)) out[k] = v;
  return out;
}

function commonLabels(nodes: ImportedNode[]): Record<string, string> {
  const [first, ...rest] = nodes.map(ownLabels);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(first)) if (rest.every((l) => l[k] === v)) out[k] = v;
  return out;
}

export function existingSection(c: ImportedCluster, groupOf: Map<ImportedNode, Group>, notes: Notes): Obj {
  const nodes = c.nodes.map((n) => existingNode(n, groupOf.get(n)));
  const pods = c.pods.map(existingPod);
  if (pods.some((p) => p.deployment !== undefined)) notes.remark(['existing', 'pods'], "a Deployment's pods take their labels and requests from its template");
  const deployments = (c.bundle.deployments ?? []).map((d, i) => deploymentManifest(d, ['existing', 'deployments', i], notes));
  if (c.bundle.deployments === undefined) notes.warn(['existing', 'deployments'], 'no `kubectl get deployments -A -o json` output: no Deployments; their pods are kept as bare pods');
  return { nodes, pods, deployments };
}

function existingNode(n: ImportedNode, g: Group | undefined): Obj {
  const out: Obj = { name: n.name, instanceId: n.instanceId, instanceType: n.instanceType.name, subnet: n.subnetId };
  if (g !== undefined) out.nodeGroup = g.name;
  // Written where the loader's default (the group's, else the type's) would differ from the kubelet's value.
  const dflt = g?.maxPods ?? computeMaxPods(n.instanceType).maxPods;
  if (n.allocatablePods !== undefined && (n.allocatablePods !== dflt || (g !== undefined && g.instanceType !== n.instanceType.name))) out.maxPods = n.allocatablePods;
  const labels = ownLabels(n);
  for (const k of Object.keys(g?.labels ?? {})) delete labels[k];
  if (Object.keys(labels).length > 0) out.labels = labels;
  out.enis = n.enis.map((e) => {
    const o: Obj = { id: e.id, deviceIndex: e.deviceIndex, subnet: e.subnetId, primaryIp: e.primaryIp };
    if (e.secondaryIps.length > 0) o.secondaryIps = e.secondaryIps;
    if (e.prefixes.length > 0) o.prefixes = e.prefixes;
    return o;
  });
  return out;
}

/**
 * A pod: a Deployment's pod takes its labels and requests from the Deployment's template (Contract 1), so they are
 * not repeated, nor is the namespace `default` — a 20,000-pod cluster stays a file the loader reads.
 */
function existingPod({ pod: p, node, deployment }: ImportedPod): Obj {
  const out: Obj = p.namespace === 'default' ? {} : { namespace: p.namespace };
  out.name = p.name;
  out.node = node.name;
  if (p.hostNetwork) out.hostNetwork = true;
  else out.ip = p.podIP;
  if (deployment !== undefined) {
    out.deployment = deployment.name;
    return out;
  }
  const labels = { ...p.labels };
  delete labels['pod-template-hash'];
  if (Object.keys(labels).length > 0) out.labels = labels;
  const requests = sumRequests(p.requests, p.at);
  if (requests !== undefined) out.requests = requests;
  return out;
}

/** The containers' requests summed, written as Kubernetes quantities (`150m`, `192Mi`). */
function sumRequests(r: { cpu: string[]; memory: string[] }, at: At): Obj | undefined {
  const out: Obj = {};
  if (r.cpu.length > 0) {
    let m = 0;
    for (const q of r.cpu) m += parseCpuMilli(q) ?? at.at('spec').at('containers').fail(`resources.requests.cpu ${JSON.stringify(q)} is not a quantity`);
    out.cpu = `${m}m`;
  }
  if (r.memory.length > 0) {
    let bytes = 0;
    for (const q of r.memory) bytes += parseMemoryBytes(q) ?? at.at('spec').at('containers').fail(`resources.requests.memory ${JSON.stringify(q)} is not a quantity`);
    out.memory = bytes % 1048576 === 0 ? `${bytes / 1048576}Mi` : bytes % 1024 === 0 ? `${bytes / 1024}Ki` : String(bytes);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Pod spec fields the simulated scheduler does not model (src/scenario/manifest-check.ts), dropped with a note. */
const DROPPED_PLACEMENT = ['affinity', 'tolerations', 'topologySpreadConstraints'];

function deploymentManifest(d: DeploymentRecord, path: (string | number)[], notes: Notes): Obj {
  const spec = d.manifest.spec as JsonObject;
  const at = d.at.at('spec');
  const sel = isObject(spec.selector) ? spec.selector : {};
  if (!isObject(sel.matchLabels)) return at.at('selector').at('matchLabels').fail('missing: import reads Deployments selected by matchLabels');
  if (sel.matchExpressions !== undefined) notes.remark(path, `${d.namespace}/${d.name}: selector.matchExpressions left out (the simulator selects by matchLabels)`);
  const tmpl = isObject(spec.template) ? spec.template : at.at('template').fail('missing');
  const tmeta = isObject(tmpl.metadata) ? tmpl.metadata : {};
  const ps = isObject(tmpl.spec) ? tmpl.spec : at.at('template').at('spec').fail('missing');
  const containers = (Array.isArray(ps.containers) ? ps.containers : []).filter(isObject).map((ct) => {
    const o: Obj = { name: ct.name, image: ct.image };
    const res = isObject(ct.resources) && isObject(ct.resources.requests) ? ct.resources.requests : undefined;
    if (res !== undefined) {
      const req: Obj = {};
      if (res.cpu !== undefined) req.cpu = res.cpu;
      if (res.memory !== undefined) req.memory = res.memory;
      if (Object.keys(req).length > 0) o.resources = { requests: req };
    }
    return o;
  });
  const podSpec: Obj = { containers };
  if (isObject(ps.nodeSelector) && Object.keys(ps.nodeSelector).length > 0) podSpec.nodeSelector = ps.nodeSelector;
  if (ps.hostNetwork === true) podSpec.hostNetwork = true;
  if (typeof ps.terminationGracePeriodSeconds === 'number') podSpec.terminationGracePeriodSeconds = ps.terminationGracePeriodSeconds;
  const dropped = DROPPED_PLACEMENT.filter((k) => ps[k] !== undefined);
  if (dropped.length > 0) notes.remark(path, `${d.namespace}/${d.name}: ${dropped.join(', ')} left out (not modelled: the scheduler places pods by nodeSelector, resources and max pods)`);
  const meta = d.manifest.metadata as Obj;
  return {
    apiVersion: d.manifest.apiVersion,
    kind: 'Deployment',
    metadata: meta,
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 1, selector: { matchLabels: sel.matchLabels }, template: { metadata: { labels: tmeta.labels ?? {} }, spec: podSpec } },
  };
}
