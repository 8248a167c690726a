/**
 * The ipamd daemon's public contract: what the Kubernetes layer, scenarios and the CLI see of one node's
 * `aws-node` (L-IPAMD). The daemon itself is `Ipamd` in ipamd.ts; its rules live in the files named in
 * docs/ipamd-model.md. This file holds types only (no behaviour) and is kept stable.
 */
import type { Simulation } from '../../sim/index.ts';
import type { Ec2Api, EniId, ImdsEni, InstanceId, Principal, SubnetId, SubnetView, VpcId } from '../ec2/types.ts';
import type { DatastoreView } from './datastore.ts';
import type { PoolPolicy } from './pool-policy.ts';
import type { Checkpoint, NodeView, PodKey } from './records.ts';

export type { Checkpoint, CheckpointAllocation, NodeView, PodKey } from './records.ts';

/**
 * CNI ADD answer (§9.1). On failure `error` is ipamd's message, e.g.
 * 'AssignPodIPv4Address: no available IP/Prefix addresses'; the plugin turns any failure into
 * 'add cmd: failed to assign an IP address to container' (see ADD_CMD_ERROR).
 */
export type AddResult = { ok: true; ip: string; eniId: string } | { ok: false; error: string };

/** CNI DEL answer (§9.2). `datastore: unknown pod` is treated as success by the plugin. */
export type DelResult = { ok: true; ip?: string } | { ok: false; error: string };

/** Error strings as the real components print them. */
export const ERR_NO_AVAILABLE_IP = 'AssignPodIPv4Address: no available IP/Prefix addresses';
export const ERR_UNKNOWN_POD = 'datastore: unknown pod';
export const ERR_NOT_READY = 'add cmd: failed to connect to backend server';
export const ADD_CMD_ERROR = 'add cmd: failed to assign an IP address to container';

/**
 * One decision of the daemon, structured so that a `--describe pod/NAME` view can chain them into an
 * explanation. `kind` is one of DECISION_KINDS; `data` holds the numbers behind `message`.
 */
export interface DecisionRecord {
  /** Virtual time, ms. */
  t: number;
  /** Node name. */
  node: string;
  kind: string;
  message: string;
  data?: Record<string, unknown>;
}

/**
 * The decision kinds the daemon emits (data fields in brackets):
 * - config-warning: an env value ignored or a fallback applied [key, value, reason]
 * - start-failed: aws-node did not start [message]
 * - init: nodeInit finished, the daemon is ready [enis, totalIps, mode, maxPods, maxEni, era]
 * - restore: nodeInit restored pod allocations from the checkpoint (§2.1 g, §3.7) [restored, dropped]
 * - pool-grow: an IP/prefix top-up or an ENI was added [eniId, amount, unit, reason, available, target, …]
 * - pool-no-grow: the pool is low but did not grow [reason: 'insufficient-freeze' | 'max-pods' | 'max-eni'
 *   | 'cordoned' | 'terminating' | 'no-short', until?, …]
 * - pool-shrink: free IPs/prefixes released [eniId, cidrs, over]
 * - eni-create: a new ENI is attached and set up [eniId, subnetId, deviceIndex, amount]
 * - eni-create-failed: ENI creation failed [subnetId?, code, message]
 * - subnet-choice: the ranking used for a new ENI [chosen, candidates, skipped]
 * - eni-free: an ENI was detached and deleted [eniId]
 * - ec2-error: an EC2 call failed [api, code, message]
 * - assign-failed: a pod ADD found no address [pod, totalIps, assignedIps, cooldownIps, reason]
 * - reconcile: the IMDS/EC2 reconcile changed the datastore [added, removed, eniId]
 * - leaked-eni: the leaked-ENI sweep deleted or tagged ENIs [eniIds]
 * - terminating: SIGTERM received
 */
export const DECISION_KINDS = [
  'config-warning',
  'start-failed',
  'init',
  'pool-grow',
  'pool-no-grow',
  'pool-shrink',
  'eni-create',
  'eni-create-failed',
  'subnet-choice',
  'eni-free',
  'ec2-error',
  'assign-failed',
  'reconcile',
  'leaked-eni',
  'terminating',
  'restore',
] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** An ENIConfig custom resource (custom networking, §4.3). */
export interface EniConfigSpec {
  name: string;
  subnet: SubnetId;
  /** Empty → the primary ENI's security groups. */
  securityGroups: string[];
}

/** What ipamd reads from IMDS about its own instance at start (§2.1 step 3). */
export interface InstanceInfo {
  instanceId: InstanceId;
  instanceType: string;
  vpcId: VpcId;
  az: string;
  primaryEniId: EniId;
  subnetId: SubnetId;
  privateIp: string;
}

/** A checkpoint entry nodeInit dropped because its address was in no known CIDR (§3.7): the address and its pod. */
export interface DroppedAllocation {
  ip: string;
  /** namespace/name from the entry's metadata. */
  pod: string;
}

/** An address (or /28) nodeInit took from IMDS for an ENI that EC2 no longer listed on it (IMDS lagging a release). */
export interface StaleAddress {
  eniId: string;
  ip: string;
}

export interface IpamdDeps {
  sim: Simulation;
  ec2: Ec2Api;
  /** The IAM principal of EC2 calls (the node role name). */
  principal: Principal;
  /** The instance metadata service's current view of this instance's ENIs (§8.6). */
  imds: () => ImdsEni[];
  /** Same number while `imds()` shows the same thing, undefined while a change lags (`Imds.settled`); optional. */
  imdsSettled?: () => number | undefined;
  instance: InstanceInfo;
  node: NodeView;
  /**
   * The cluster's name, for records only. The daemon's CLUSTER_NAME behaviour (ENI tags, subnet cluster tags,
   * leaked-ENI scoping) follows `env.CLUSTER_NAME`, as the real container does; the manifest leaves it unset.
   */
  clusterName: string;
  /** The VPC CNI version ('1.18.0', '1.23.1' …); selects the §4.7 subnet-discovery era. */
  cniVersion: string;
  /** The aws-node container env, string values as in the manifest (§1). */
  env: Record<string, string>;
  /** ENIConfig lookup by name (custom networking). */
  eniConfigs: (name: string) => EniConfigSpec | undefined;
  /** The backing store left by a previous ipamd on this node (restart). */
  checkpoint?: Checkpoint;
  /**
   * Resume a daemon that was already running on a running node (a World that starts from an existing state): start()
   * restores the datastore at once from IMDS and the checkpoint, makes no EC2 call and changes nothing (node-init.ts
   * resumeInit). `subnet` is the subnet as the daemon last read it (for the exclusion check, §4.5).
   */
  resume?: { subnet(subnetId: string): Pick<SubnetView, 'tags'> | undefined };
  /**
   * Whether a sandbox's host-side veth still exists (checkpoint entries for vanished sandboxes are dropped at
   * restore, §3.7). Default: every entry is kept.
   */
  sandboxExists?: (containerId: string) => boolean;
  onDecision?: (r: DecisionRecord) => void;
  /** Told of every change of the datastore (what `Datastore.changes` counts), for observers outside the daemon. */
  onDatastoreChange?: () => void;
  /**
   * ipamd's Kubernetes event recorder (eventrecorder.SendPodEvent, §8.5): puts an event on this node's aws-node pod.
   * Without it the daemon records none.
   */
  recordEvent?: (type: 'Normal' | 'Warning', reason: string, message: string) => void;
  /** Alternative pool policy for benchmarks; default `ipamdPolicy` (the real daemon). */
  policy?: PoolPolicy;
}

export type IpamdState = 'starting' | 'ready' | 'failed';

/** Pool counters (§ glossary GetIPStats) plus a few extras. */
export interface IpamdStats {
  /** Σ CIDR sizes over non-excluded ENIs, current-mode CIDRs only. */
  totalIps: number;
  assignedIps: number;
  /** Unassigned addresses still within IP_COOLDOWN_PERIOD (counted in availableIps). */
  cooldownIps: number;
  /** totalIps − assignedIps (cooldown included, §1 glossary). */
  availableIps: number;
  /** ENIs in the datastore (primary, excluded and trunk included). */
  enis: number;
  /** Prefixes in the whole datastore. */
  prefixes: number;
  /** Prefixes with zero assigned addresses. */
  freePrefixes: number;
  /** Secondary /32s in the whole datastore (any mode). */
  secondaryIps: number;
  maxPods: number;
  maxEnis: number;
  mode: 'sip' | 'pd' | 'ipv6';
}

/**
 * Pass markers: cheap counters the daemon keeps of its own loop (§2.2: pool pass, then reconcile), read by the
 * invariant checkers to judge "per pass" rules at the real pass boundaries. Counters only — no decision record and
 * no trace record per pass, so idle passes stay cheap and traces do not grow. Reset with each daemon (restart).
 */
export interface IpamdPassMarkers {
  /**
   * Pool passes (updateIPPoolIfRequired, §2.3) the loop ran, each counted as it starts; 0 until the first (nodeInit's
   * pre-scaling step, §2.1 l, is "pass 0"). Passes an idle loop naps through (ipamd.ts idleNap) run nothing and are
   * not counted.
   */
  poolPasses: number;
  /** Virtual ms the latest pool pass started; -1 before the first. */
  poolPassStartedAt: number;
  /** Reconcile passes (nodeIPPoolReconcile, §2.10) that got past the > 60 s gate. */
  reconcilePasses: number;
  /** Ordinal (as counted by reconcilePasses) of the latest reconcile pass that ran all its steps with no EC2 call of the daemon failing meanwhile; 0 when none. */
  reconcileCompleted: number;
}

/** The daemon as other layers call it; implemented by `Ipamd`. */
export interface IpamdApi {
  readonly state: IpamdState;
  /** The real message when aws-node failed to start. */
  readonly failure?: string;
  /** Succeeds once `state` leaves 'starting' (with the new state). */
  readonly settled: import('../../sim/index.ts').SimEvent<IpamdState>;
  start(): void;
  addNetwork(pod: PodKey): AddResult;
  delNetwork(pod: PodKey): DelResult;
  stop(): void;
  checkpoint(): Checkpoint;
  terminating(): void;
  introspectEnis(): object;
  /** The introspection HTTP API by path (`/`, `/v1/enis`, …); undefined for an unknown path. Optional for other implementations. */
  introspect?(path: string): unknown;
  metricsText(): string;
  stats(): IpamdStats;
  /** `stats()`'s totalIps, assignedIps and enis, read without ending any address's cooldown. */
  holdings(): Pick<IpamdStats, 'totalIps' | 'assignedIps' | 'enis'>;
  /** The recent decisions (a bounded ring), oldest first. */
  decisions(): DecisionRecord[];
  /**
   * The newest record of each decision kind, oldest first, kept even after the ring dropped it (a long freeze fills
   * the ring with assign-failed records). Optional for other implementations.
   */
  latestDecisions?(): DecisionRecord[];
  /** The §4.7 behaviour era ('1.18.x', '1.23+' …, cni-version.ts CniEra); optional for other implementations. */
  readonly era?: string;
  /** Read-only view of the live datastore (spec §3), for checkers and reports; optional for other implementations. */
  datastoreView?(): DatastoreView;
  /** The pass markers (live object; read the numbers, do not keep it). Optional for other implementations. */
  passMarkers?(): Readonly<IpamdPassMarkers>;
  /** Checkpoint entries this daemon dropped at start as unknown addresses (§3.7). Optional for other implementations. */
  droppedAtRestore?(): readonly DroppedAllocation[];
  /** Addresses nodeInit set up from IMDS that EC2 did not list on the ENI. Optional for other implementations. */
  staleAtStart?(): readonly StaleAddress[];
}
