/**
 * The cluster's pods and Deployments as the API server and the ReplicaSet controller keep them: the pod map (by
 * namespace/name), the log of every pod created, the scheduling queue, each Deployment's ReplicaSet state (its active
 * pods, its names stream, the owner of its pods), and the controller that creates or deletes pods to match a
 * Deployment's replicas. It is the `DeploymentWriter` the apply and scale actions (cluster-actions.ts) hand their
 * changes to. Not here: binding, the kubelet's deletion and a pod leaving the API server (cluster.ts), which pods a
 * scale-down picks (replicaset.ts), pod names (names.ts).
 */
import type { Random, Simulation } from '../../sim/index.ts';
import type { Sink } from '../../util/stream.ts';
import type { Happening, K8sHappening } from './cloud.ts';
import type { DeploymentWriter } from './cluster-actions.ts';
import { UNKEPT_EVENTS } from './events.ts';
import type { DeploymentManifest, PodManifest } from './manifest.ts';
import { podSuffix, templateHash } from './names.ts';
import { podsToDelete } from './replicaset.ts';
import { objectKey, Pod, type Deployment, type PodOwner, type PodTemplate } from './types.ts';

/**
 * The ReplicaSet controller's state for one Deployment name (`namespace/name`), kept by name like the Deployment: a
 * Deployment deleted and created again under the name finds it as it was (its names stream drawn on).
 */
export interface ReplicaSetState {
  /** objectKey of the Deployment. */
  readonly key: string;
  /** Pods not yet deleted, in creation order. */
  readonly active: Set<Pod>;
  /** The stream the pod-template-hash and the pod names are drawn from. */
  readonly names: Random;
  /** The owner of the current Deployment's pods (its ReplicaSet), and their names' prefix `<replicaset>-`. */
  owner: PodOwner | undefined;
  namePrefix: string;
}

/** What the pods' bookkeeping uses of the cluster (its public side). */
export interface PodBookHost {
  readonly sim: Simulation;
  happen(h: Omit<Happening, 't'>): void;
  requestSchedule(): void;
  /** Sets the deletionTimestamp and hands the pod to its kubelet (or lets it go at once). */
  deletePod(pod: Pod, reconcile?: boolean): void;
}

/** What the cluster's creator asked to be told of pods, and what to keep of them (ClusterDeps). */
export interface PodHooks {
  onPodCreated?: (pod: Pod) => void;
  onPodGone?: (pod: Pod) => void;
  keepPodLog: boolean;
  keepPodEvents: boolean;
}

export class PodBook implements DeploymentWriter {
  /** Pods in the API server, by namespace/name. */
  readonly podMap = new Map<string, Pod>();
  /** Every pod ever created, in creation order (for reports); empty when PodHooks.keepPodLog is false. */
  readonly podLog: Pod[] = [];
  readonly deploymentMap = new Map<string, Deployment>();
  /** Pods neither bound nor deleted, in creation order (the scheduling queue). */
  readonly pending = new Set<Pod>();
  /** ReplicaSet state by Deployment key. */
  private readonly replicaSets = new Map<string, ReplicaSetState>();
  private nextUid = 1;

  constructor(
    private readonly host: PodBookHost,
    private readonly happenings: Sink<K8sHappening>,
    readonly hooks: PodHooks,
  ) {}

  // ---- DeploymentWriter (apply and scale) ---------------------------------------------------------------------

  create(d: DeploymentManifest): void {
    this.createDeployment(d, true);
  }

  createPod(p: PodManifest): void {
    this.addPod(p.namespace, p.name, { kind: 'None', name: p.name }, p.template);
    this.host.requestSchedule();
  }

  setReplicas(d: Deployment, replicas: number): void {
    const from = d.replicas;
    d.replicas = replicas;
    if (from !== replicas)
      this.host.happen({ kind: 'deployment-scaled', namespace: d.namespace, deployment: d.name, message: `deployment ${d.namespace}/${d.name} scaled from ${from} to ${replicas}` });
    this.reconcileDeployment(d);
  }

  // ---- pods --------------------------------------------------------------------------------------------------

  activePodsOf(d: Deployment): Pod[] {
    return [...(this.replicaSets.get(objectKey(d.namespace, d.name))?.active ?? [])];
  }

  /**
   * A new pod named `<prefix><suffix>` with a suffix drawn from `names` that no pod in the namespace has
   * (`generateName`), in the scheduling queue; `rs`: the ReplicaSet it counts for.
   */
  newPod(namespace: string, prefix: string, names: Random, owner: PodOwner, template: PodTemplate, rs?: ReplicaSetState): Pod {
    let name = prefix + podSuffix(names);
    while (this.podMap.has(objectKey(namespace, name))) name = prefix + podSuffix(names);
    return this.addPod(namespace, name, owner, template, rs);
  }

  /** A pod that was running before t = 0 (cluster-existing.ts), owned by `d`'s ReplicaSet when given; the caller binds it. */
  adopt(namespace: string, name: string, template: PodTemplate, d: Deployment | undefined): Pod {
    const rs = d === undefined ? undefined : this.replicaSetState(objectKey(d.namespace, d.name));
    return this.addPod(namespace, name, rs?.owner ?? { kind: 'None', name }, template, rs);
  }

  /** A new pod with this name (free in the namespace), in the scheduling queue; `rs`: the ReplicaSet it counts for. */
  private addPod(namespace: string, name: string, owner: PodOwner, template: PodTemplate, rs?: ReplicaSetState): Pod {
    const key = objectKey(namespace, name);
    const events = this.hooks.keepPodEvents ? undefined : UNKEPT_EVENTS;
    const pod = new Pod(this.nextUid++, namespace, name, owner, template, this.host.sim.now, rs?.key, key, events);
    if (events === undefined) pod.events.tell(this.happenings, { kind: 'Pod', namespace, name });
    this.podMap.set(pod.key, pod);
    if (this.hooks.keepPodLog) this.podLog.push(pod);
    this.pending.add(pod);
    rs?.active.add(pod);
    this.hooks.onPodCreated?.(pod);
    this.changed(pod);
    return pod;
  }

  /** Sets the deletionTimestamp if it is not set; false if it was. */
  markDeleted(pod: Pod): boolean {
    if (pod.deletedAt !== undefined) return false;
    pod.deletedAt = this.host.sim.now;
    this.untrack(pod);
    this.changed(pod);
    return true;
  }

  /** Tells the stream that this pod may have changed (`pod-changed`). */
  changed(pod: Pod): void {
    if (this.happenings.wants('pod-changed')) this.happenings.emit({ type: 'pod-changed', t: this.host.sim.now, key: pod.key });
  }

  /** The pod no longer waits for a node nor counts for its ReplicaSet. */
  untrack(pod: Pod): void {
    // bind takes a pod out of the queue
    if (pod.nodeName === undefined) this.pending.delete(pod);
    if (pod.deploymentKey !== undefined) this.replicaSets.get(pod.deploymentKey)?.active.delete(pod);
  }

  // ---- the ReplicaSet controller -----------------------------------------------------------------------------

  private replicaSetState(key: string): ReplicaSetState {
    let rs = this.replicaSets.get(key);
    if (rs === undefined) this.replicaSets.set(key, (rs = { key, active: new Set(), names: this.host.sim.random(`names/${key}`), owner: undefined, namePrefix: '' }));
    return rs;
  }

  /**
   * `opts.hash`: the pod-template-hash its running pods already carry (drawn all the same, so the stream stays where
   * it would be); `opts.reconcile: false` leaves creating the pods to a later `setReplicas` (adopted pods first).
   */
  createDeployment(
    m: { namespace: string; name: string; replicas: number; selector: Record<string, string>; template: PodTemplate },
    notify: boolean,
    opts: { hash?: string; reconcile?: boolean } = {},
  ): Deployment {
    const rs = this.replicaSetState(objectKey(m.namespace, m.name));
    const drawn = templateHash(rs.names);
    const hash = opts.hash ?? drawn;
    const d: Deployment = { ...m, hash, createdAt: this.host.sim.now };
    rs.owner = { kind: 'ReplicaSet', name: `${d.name}-${hash}`, deployment: d.name };
    rs.namePrefix = `${rs.owner.name}-`;
    this.deploymentMap.set(rs.key, d);
    if (notify)
      this.host.happen({ kind: 'deployment-created', namespace: m.namespace, deployment: m.name, message: `deployment ${m.namespace}/${m.name} created with ${m.replicas} replicas` });
    if (opts.reconcile !== false) this.reconcileDeployment(d);
    return d;
  }

  private reconcileDeployment(d: Deployment, rs = this.replicaSetState(objectKey(d.namespace, d.name))): void {
    if (this.deploymentMap.get(rs.key) !== d) return;
    const diff = d.replicas - rs.active.size;
    if (diff > 0) {
      for (let i = 0; i < diff; i++) this.newPod(d.namespace, rs.namePrefix, rs.names, rs.owner!, d.template, rs);
      this.host.requestSchedule();
    } else if (diff < 0) {
      for (const p of podsToDelete([...rs.active], -diff)) this.host.deletePod(p, false);
    }
  }

  /** A pod of a Deployment was deleted or is gone: its ReplicaSet makes up the count. */
  replicaSetLost(pod: Pod): void {
    if (pod.owner.kind !== 'ReplicaSet' || pod.deploymentKey === undefined) return;
    const d = this.deploymentMap.get(pod.deploymentKey);
    if (d !== undefined) this.reconcileDeployment(d, this.replicaSets.get(pod.deploymentKey));
  }
}
