/**
 * A cluster that was already running at t = 0: its nodes registered and Ready with aws-node and kube-proxy Running,
 * its Deployments with their ReplicaSets owning the pods already running, and those pods bound and Running on their
 * addresses, each node's ipamd handed the checkpoint those pods make (§3.7) and resumed from it. A Deployment's
 * shortfall is created at t = 0, as its controller would. The Kubernetes side only: the instances and their ENIs exist
 * in EC2 before this runs (world/existing.ts); the cluster's own lifecycle code is cluster.ts.
 */
import type { Random } from '../../sim/index.ts';
import { checkpointFor } from '../ipamd/datastore-checkpoint.ts';
import type { Checkpoint } from '../ipamd/types.ts';
import type { LaunchedInstance } from './cloud.ts';
import type { PodBook } from './cluster-pods.ts';
import type { DeploymentManifest } from './manifest.ts';
import { sandboxId } from './names.ts';
import type { NodeGroup, NodeGroupConfig } from './node-group.ts';
import type { Requests } from './scheduler.ts';
import { objectKey, type Deployment, type Node, type Pod, type PodTemplate } from './types.ts';

/** A node running at t = 0, its instance already in EC2. */
export interface ExistingNode {
  name: string;
  /** Its managed node group (whose desired capacity counts it), or undefined for a standalone node. */
  nodeGroup: string | undefined;
  instance: LaunchedInstance;
  instanceType: string;
  maxPods: number;
  allocatable: Requests | undefined;
  /** Labels on top of the well-known ones. */
  labels: Record<string, string>;
}

/** A pod Running at t = 0. */
export interface ExistingPod {
  namespace: string;
  name: string;
  node: string;
  /** Undefined for a host-network pod (it shows the node's address). */
  ip: string | undefined;
  /** The ENI holding `ip`. */
  eniId: string | undefined;
  /** Its Deployment's name (same namespace), or undefined for a bare pod. */
  deployment: string | undefined;
  hostNetwork: boolean;
  /** A bare pod's own template; a Deployment's pods share the Deployment's (undefined here). */
  template: PodTemplate | undefined;
}

export interface ExistingCluster {
  nodes: ExistingNode[];
  pods: ExistingPod[];
  deployments: DeploymentManifest[];
}

/** The cluster's node lifecycle (cluster.ts), which adopted nodes go through as launched ones do. */
export interface AdoptNodes {
  nodeLaunched(group: NodeGroupConfig, inst: LaunchedInstance, name: string): Node;
  nodeRegistered(node: Node, running: { checkpoint: Checkpoint }): void;
}

/** The cluster's pods and groups. */
export interface AdoptHost {
  readonly book: PodBook;
  readonly groups: ReadonlyMap<string, NodeGroup>;
  /** The stream sandbox ids of the running pods are drawn from. */
  readonly sandboxes: Random;
  /** Binds the pod to its node as Running. */
  adoptPod(pod: Pod, node: Node): void;
}

/**
 * Builds the running cluster: nodes launched, registered and Ready at once, each aws-node handed the checkpoint of
 * its node's pods. Returns the Deployments, whose controllers the caller lets make up any shortfall.
 */
export function adoptExisting(cluster: AdoptNodes, host: AdoptHost, e: ExistingCluster): Deployment[] {
  const deployments = new Map<string, Deployment>();
  const hashes = hashesFromPods(e.pods);
  for (const m of e.deployments) {
    const hash = hashes.get(objectKey(m.namespace, m.name));
    deployments.set(objectKey(m.namespace, m.name), host.book.createDeployment(m, false, { reconcile: false, ...(hash !== undefined ? { hash } : {}) }));
  }
  const sandbox = new Map<ExistingPod, string>();
  const byNode = new Map<string, ExistingPod[]>();
  for (const p of e.pods) {
    if (p.ip !== undefined) sandbox.set(p, sandboxId(host.sandboxes));
    const list = byNode.get(p.node);
    if (list === undefined) byNode.set(p.node, [p]);
    else list.push(p);
  }
  const nodes = new Map<string, Node>();
  for (const n of e.nodes) {
    const group: NodeGroupConfig = { name: n.nodeGroup ?? '', instanceType: n.instanceType, subnetIds: [n.instance.subnetId], desired: 1, maxPods: n.maxPods, allocatable: n.allocatable, labels: n.labels };
    const node = cluster.nodeLaunched(group, n.instance, n.name);
    if (n.nodeGroup !== undefined) host.groups.get(n.nodeGroup)?.adopt(node, n.instance);
    const running = (byNode.get(n.name) ?? []).filter((p) => p.ip !== undefined);
    const now = node.launchedAt;
    cluster.nodeRegistered(node, { checkpoint: checkpointFor(running.map((p) => ({ containerId: sandbox.get(p)!, ip: p.ip!, namespace: p.namespace, name: p.name, assignedAt: now }))) });
    nodes.set(n.name, node);
  }
  for (const p of e.pods) {
    const d = p.deployment === undefined ? undefined : deployments.get(objectKey(p.namespace, p.deployment));
    const pod = host.book.adopt(p.namespace, p.name, templateOf(p, d), d);
    pod.sandboxId = sandbox.get(p);
    pod.eniId = p.eniId;
    if (p.ip !== undefined) pod.ip = p.ip;
    host.adoptPod(pod, nodes.get(p.node)!);
  }
  return [...deployments.values()];
}

/** A Deployment's pods share its template, but each keeps its own host networking (what the state says it runs with). */
function templateOf(p: ExistingPod, d: Deployment | undefined): PodTemplate {
  if (d === undefined) return p.template!;
  return d.template.hostNetwork === p.hostNetwork ? d.template : { ...d.template, hostNetwork: p.hostNetwork };
}

/**
 * The pod-template-hash the running pods' names carry (`inflate-5d8c7f9b6d-abcde` → `5d8c7f9b6d`), so pods made
 * later are named like them: by Deployment (objectKey), the hash of its first pod named so, in one pass over the
 * pods; a Deployment none of whose pods has such a name is absent.
 */
function hashesFromPods(pods: readonly ExistingPod[]): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const p of pods) {
    if (p.deployment === undefined || !p.name.startsWith(`${p.deployment}-`)) continue;
    const key = objectKey(p.namespace, p.deployment);
    if (hashes.has(key)) continue;
    const parts = p.name.slice(p.deployment.length + 1).split('-');
    if (parts.length === 2 && /^[a-z0-9]{1,10}$/.test(parts[0])) hashes.set(key, parts[0]);
  }
  return hashes;
}
