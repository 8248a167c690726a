/**
 * What the Kubernetes layer needs from the outside world, as interfaces the World fills in: launching and terminating
 * instances (the Auto Scaling group's EC2 calls), how a subnet routes (for node join), and a way to start one
 * aws-node's ipamd. Also the "happenings" the layer reports as they happen. No EC2 or ipamd implementation is
 * imported here, so the layer can be tested with fakes.
 */
import type { SimEvent } from '../../sim/index.ts';
import type { Checkpoint, IpamdApi } from '../ipamd/types.ts';
import type { EventType, K8sEventHappening } from './events.ts';
import type { SubnetReach } from './node-join.ts';
import type { Node } from './types.ts';

export interface LaunchedInstance {
  instanceId: string;
  privateIp: string;
  subnetId: string;
  az: string;
}

export type LaunchResult = { ok: true; instance: LaunchedInstance } | { ok: false; code: string; message: string };

export interface NodeCloud {
  /** RunInstances for one node of a group in one subnet. */
  runInstance(p: { nodeGroup: string; instanceType: string; subnetId: string }): SimEvent<LaunchResult>;
  /** The instance has left 'pending' for 'running' (the kubelet cannot register before). */
  instanceRunning(instanceId: string): boolean;
  /** TerminateInstances (the instance's ENIs go with it). */
  terminateInstance(instanceId: string): void;
  /** The subnet's AZ and route; undefined for an unknown subnet. */
  subnet(subnetId: string): (SubnetReach & { az: string }) | undefined;
}

/** Builds the ipamd of one aws-node container: the node, the container env, the checkpoint left on the host. */
export type IpamdFactory = (p: {
  node: Node;
  env: Record<string, string>;
  checkpoint: Checkpoint | undefined;
  /** Puts an event on this aws-node pod (ipamd's own event recorder, e.g. MissingIAMPermissions); none without a pod. */
  recordEvent?: (type: EventType, reason: string, message: string) => void;
  /** The daemon was already running before t = 0: resume it from the checkpoint (IpamdDeps.resume). */
  resume?: boolean;
}) => IpamdApi;

export type HappeningKind =
  | 'node-launch-failed'
  | 'node-join-failed'
  | 'node-registered'
  | 'node-ready'
  | 'node-not-ready'
  | 'node-terminated'
  | 'aws-node-ready'
  | 'aws-node-failed'
  | 'aws-node-rollout'
  | 'deployment-created'
  | 'deployment-scaled'
  | 'deployment-deleted'
  | 'pod-stuck'
  | 'pod-ip'
  | 'pod-unschedulable';

/** What the Kubernetes layer tells the World's stream (src/model/world/happenings.ts) as it happens. */
export type K8sHappening =
  | { type: 'timeline'; entry: Happening }
  /** A Kubernetes event recorded on a pod or a node (not for the pods of a World that keeps no history). */
  | K8sEventHappening
  /** A workload (ReplicaSet) pod's containers started: it has its address. */
  | { type: 'pod-running'; t: number; pod: string; node: string | undefined; ip: string | undefined }
  /**
   * Something `kubectl get pods` shows of this pod (`namespace/name`) may have changed: created, bound, given an
   * address, a failed sandbox, started, stopped (aws-node's container, whose readiness follows its daemon), deleted,
   * gone. Says which pod, not what: readers look at the pod.
   */
  | { type: 'pod-changed'; t: number; key: string }
  /** Something `kubectl get nodes` shows of this node may have changed: launched, registered, Ready, cordoned, terminated, deleted. */
  | { type: 'node-changed'; t: number; node: string };

/** A notable change, for the text report's timeline. */
export interface Happening {
  t: number;
  kind: HappeningKind | (string & {});
  message: string;
  node?: string;
  pod?: string;
  namespace?: string;
  deployment?: string;
  subnetId?: string;
  eniId?: string;
  ip?: string;
}
