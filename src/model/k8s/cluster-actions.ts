/**
 * The kubectl- and eksctl-shaped actions a scenario performs on the cluster — apply (Deployment, Pod, ENIConfig), scale,
 * delete, set env on aws-node, label, annotate, cordon, scale a node group, terminate an instance — each answering
 * `{ ok, message }` with the text the real tool prints. They validate and change the API objects; the controllers
 * that react (ReplicaSet, rollout, scheduler, node lifecycle) are cluster-pods.ts, cluster.ts, rollout.ts and
 * node-group.ts.
 */
import type { Simulation } from '../../sim/index.ts';
import type { EniConfigSpec } from '../ipamd/types.ts';
import type { Happening } from './cloud.ts';
import { parseDeployment, parseEniConfig, parsePod, type DeploymentManifest, type PodManifest } from './manifest.ts';
import type { NodeGroup } from './node-group.ts';
import type { AwsNodeRollout } from './rollout.ts';
import type { ActionResult, Deployment, Node, Pod } from './types.ts';

/** The part of the cluster the actions use (its public side). */
export interface ActionHost {
  readonly sim: Simulation;
  readonly nodeMap: Map<string, Node>;
  readonly podMap: Map<string, Pod>;
  readonly deploymentMap: Map<string, Deployment>;
  readonly eniConfigMap: Map<string, EniConfigSpec>;
  readonly groups: Map<string, NodeGroup>;
  readonly rollout: AwsNodeRollout;
  activePodsOf(d: Deployment): Pod[];
  deletePod(pod: Pod, reconcile?: boolean): void;
  terminateNode(node: Node, why: string): void;
  requestSchedule(): void;
  happen(h: Omit<Happening, 't'>): void;
  /** Tells the stream that this node may have changed (`node-changed`). */
  nodeChanged(node: Node): void;
}

/** The cluster's Deployment controller (and its API server for bare Pods), which apply and scale hand their changes to. */
export interface DeploymentWriter {
  create(d: DeploymentManifest): void;
  setReplicas(d: Deployment, replicas: number): void;
  createPod(p: PodManifest): void;
}

const nodeNotFound = (name: string): ActionResult => ({ ok: false, message: `Error from server (NotFound): nodes "${name}" not found` });

/** A registered node that is not terminating. */
export function liveNode(nodeMap: Map<string, Node>, name: string): Node | undefined {
  const n = nodeMap.get(name);
  return n !== undefined && n.registered && !n.terminating ? n : undefined;
}

export function apply(c: ActionHost, w: DeploymentWriter, manifest: Record<string, unknown>): ActionResult {
  const kind = manifest.kind;
  if (kind === 'Deployment') {
    const p = parseDeployment(manifest);
    if (!p.ok) return p;
    const d = p.value;
    const existing = c.deploymentMap.get(`${d.namespace}/${d.name}`);
    if (existing === undefined) {
      w.create(d);
      return { ok: true, message: `deployment.apps/${d.name} created` };
    }
    const changed = existing.replicas !== d.replicas || JSON.stringify(existing.template) !== JSON.stringify(d.template);
    if (!changed) return { ok: true, message: `deployment.apps/${d.name} unchanged` };
    existing.template = d.template;
    w.setReplicas(existing, d.replicas);
    return { ok: true, message: `deployment.apps/${d.name} configured` };
  }
  if (kind === 'Pod') {
    const p = parsePod(manifest);
    if (!p.ok) return p;
    // A Pod's spec is immutable once created; applying the same name again changes nothing here.
    if (c.podMap.has(`${p.value.namespace}/${p.value.name}`)) return { ok: true, message: `pod/${p.value.name} unchanged` };
    w.createPod(p.value);
    return { ok: true, message: `pod/${p.value.name} created` };
  }
  if (kind === 'ENIConfig') {
    const p = parseEniConfig(manifest);
    if (!p.ok) return p;
    const had = c.eniConfigMap.get(p.value.name);
    c.eniConfigMap.set(p.value.name, p.value);
    const verb = had === undefined ? 'created' : JSON.stringify(had) === JSON.stringify(p.value) ? 'unchanged' : 'configured';
    return { ok: true, message: `eniconfig.crd.k8s.amazonaws.com/${p.value.name} ${verb}` };
  }
  const name = typeof manifest.metadata === 'object' && manifest.metadata !== null ? String((manifest.metadata as Record<string, unknown>).name ?? '') : '';
  return {
    ok: false,
    message: `error: resource mapping not found for name: "${name}" namespace: "" from "STDIN": no matches for kind "${String(kind)}" (the simulator supports Deployment, Pod and ENIConfig)`,
  };
}

export function scale(c: ActionHost, w: DeploymentWriter, namespace: string, name: string, replicas: number): ActionResult {
  const d = c.deploymentMap.get(`${namespace}/${name}`);
  if (d === undefined) return { ok: false, message: `Error from server (NotFound): deployments.apps "${name}" not found` };
  if (!Number.isInteger(replicas) || replicas < 0) return { ok: false, message: `error: --replicas=${replicas}: must be a non-negative integer` };
  w.setReplicas(d, replicas);
  return { ok: true, message: `deployment.apps/${name} scaled` };
}

export function deleteObject(c: ActionHost, kind: string, namespace: string, name: string): ActionResult {
  const k = kind.toLowerCase();
  if (k === 'deployment' || k === 'deployments' || k === 'deploy' || k === 'deployment.apps') {
    const d = c.deploymentMap.get(`${namespace}/${name}`);
    if (d === undefined) return { ok: false, message: `Error from server (NotFound): deployments.apps "${name}" not found` };
    c.deploymentMap.delete(`${namespace}/${name}`);
    for (const p of c.activePodsOf(d)) c.deletePod(p, false);
    c.happen({ kind: 'deployment-deleted', namespace, deployment: name, message: `deployment ${namespace}/${name} deleted (${d.replicas} replicas)` });
    return { ok: true, message: `deployment.apps "${name}" deleted` };
  }
  if (k === 'pod' || k === 'pods' || k === 'po') {
    const p = c.podMap.get(`${namespace}/${name}`);
    if (p === undefined) return { ok: false, message: `Error from server (NotFound): pods "${name}" not found` };
    c.deletePod(p);
    return { ok: true, message: `pod "${name}" deleted` };
  }
  if (k === 'node' || k === 'nodes' || k === 'no') {
    const n = liveNode(c.nodeMap, name);
    if (n === undefined) return nodeNotFound(name);
    c.terminateNode(n, 'node object deleted');
    return { ok: true, message: `node "${name}" deleted` };
  }
  if (k === 'eniconfig' || k === 'eniconfigs') {
    if (!c.eniConfigMap.delete(name)) return { ok: false, message: `Error from server (NotFound): eniconfigs.crd.k8s.amazonaws.com "${name}" not found` };
    return { ok: true, message: `eniconfig.crd.k8s.amazonaws.com "${name}" deleted` };
  }
  return { ok: false, message: `error: the server doesn't have a resource type "${kind}"` };
}

/** `kubectl set env daemonset aws-node -n kube-system KEY=VALUE … KEY-` (null removes a key). */
export function setAwsNodeEnv(c: ActionHost, changes: Record<string, string | null>): ActionResult {
  const env = { ...c.rollout.env };
  for (const [k, v] of Object.entries(changes)) {
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(k)) return { ok: false, message: `error: invalid env: ${k}: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.'` };
    if (v === null) delete env[k];
    else env[k] = v;
  }
  if (JSON.stringify(env) === JSON.stringify(c.rollout.env)) return { ok: true, message: 'daemonset.apps/aws-node env unchanged' };
  const list = Object.entries(changes)
    .map(([k, v]) => (v === null ? `${k}-` : `${k}=${v}`))
    .join(' ');
  c.happen({ kind: 'aws-node-rollout', message: `kubectl set env daemonset aws-node ${list}: rolling update started` });
  c.rollout.setEnv(env);
  return { ok: true, message: 'daemonset.apps/aws-node env updated' };
}

/** Sets (string) or removes (null) keys of a string map. */
function patch(target: Record<string, string>, changes: Record<string, string | null>): void {
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete target[k];
    else target[k] = v;
  }
}

export function labelNode(c: ActionHost, name: string, labels: Record<string, string | null>): ActionResult {
  const n = liveNode(c.nodeMap, name);
  if (n === undefined) return nodeNotFound(name);
  patch(n.labels, labels);
  c.requestSchedule();
  return { ok: true, message: `node/${name} labeled` };
}

export function annotateNode(c: ActionHost, name: string, annotations: Record<string, string | null>): ActionResult {
  const n = liveNode(c.nodeMap, name);
  if (n === undefined) return nodeNotFound(name);
  patch(n.annotations, annotations);
  return { ok: true, message: `node/${name} annotated` };
}

export function cordon(c: ActionHost, name: string, on: boolean): ActionResult {
  const n = liveNode(c.nodeMap, name);
  if (n === undefined) return nodeNotFound(name);
  const verb = on ? 'cordoned' : 'uncordoned';
  if (n.cordoned === on) return { ok: true, message: `node/${name} already ${verb}` };
  n.cordoned = on;
  c.nodeChanged(n);
  n.events.record(c.sim.now, 'Normal', on ? 'NodeNotSchedulable' : 'NodeSchedulable', 'kubelet', `Node ${name} status is now: ${on ? 'NodeNotSchedulable' : 'NodeSchedulable'}`);
  if (!on) c.requestSchedule();
  return { ok: true, message: `node/${name} ${verb}` };
}

export function scaleNodeGroup(c: ActionHost, name: string, desired: number): ActionResult {
  const g = c.groups.get(name);
  if (g === undefined) return { ok: false, message: `An error occurred (ResourceNotFoundException) when calling the UpdateNodegroupConfig operation: No node group found for name: ${name}.` };
  if (!Number.isInteger(desired) || desired < 0) return { ok: false, message: `An error occurred (InvalidParameterException) when calling the UpdateNodegroupConfig operation: desired size ${desired} must be a non-negative integer` };
  const from = g.desired;
  g.setDesired(desired);
  return { ok: true, message: `node group ${name}: desired size ${from} → ${desired}` };
}

/** Terminates the instance behind a node (by node name or instance id); its group replaces it. */
export function terminate(c: ActionHost, nodeOrInstanceId: string): ActionResult {
  const n = [...c.nodeMap.values()].find((x) => (x.name === nodeOrInstanceId || x.instanceId === nodeOrInstanceId) && !x.terminating);
  if (n === undefined) return { ok: false, message: `An error occurred (InvalidInstanceID.NotFound) when calling the TerminateInstances operation: The instance ID '${nodeOrInstanceId}' does not exist` };
  c.terminateNode(n, 'terminated by the scenario');
  const previous = n.registered || n.ready ? 'running' : 'pending';
  const code = previous === 'running' ? 16 : 0;
  return {
    ok: true,
    message: JSON.stringify({
      TerminatingInstances: [{ CurrentState: { Code: 32, Name: 'shutting-down' }, InstanceId: n.instanceId, PreviousState: { Code: code, Name: previous } }],
    }),
  };
}
