/**
 * What the invariant checkers read: a read-only, plain-data picture of one world at one instant (EC2 subnets, ENIs
 * and token buckets; nodes with their ipamd datastore; pods). The checkers depend on this file only, never on the
 * model classes, so each checker is a small pure function over facts and can be tested with hand-made views.
 * `world-view.ts` builds a view from a running `World`; nothing here knows how.
 * Not here: the rules themselves (one file per invariant beside this one) or what to do with a violation (checker.ts).
 */
import type { IpamdConfig } from '../model/ipamd/config.ts';

/** One subnet as EC2 accounts for it (user-scenarios §C.6). */
export interface SubnetFacts {
  id: string;
  /** "10.0.1.0/24". */
  cidr: string;
  az: string;
  tags: Record<string, string>;
  /** Block size minus the five AWS-reserved addresses. */
  usable: number;
  /** Addresses held (single IPs, 16 per prefix), by ENIs and by outside users. */
  used: number;
  /** What DescribeSubnets reports (AvailableIpAddressCount). */
  available: number;
  /** Addresses held by outside users (NAT gateways, load balancers…); undefined when the model does not say. */
  external?: number;
  /** Aligned /28 blocks that could be delegated now (prefix delegation room). */
  freePrefixBlocks: number;
  /** Addresses that could be handed out as single IPs now. */
  freeAddresses: number;
}

/** One ENI as EC2 holds it (DescribeNetworkInterfaces). */
export interface EniFacts {
  id: string;
  subnetId: string;
  status: string;
  interfaceType: string;
  /** The instance it is attached to, if any. */
  instanceId?: string;
  deviceIndex?: number;
  /** Addresses as unsigned 32-bit numbers (src/model/vpc/ipv4.ts); format them only to report. */
  primaryIp: number;
  secondaryIps: readonly number[];
  /** Base addresses of the delegated /28 prefixes. */
  prefixes: readonly number[];
  tags: Record<string, string>;
}

/** One address in an ipamd datastore (spec §3.1 AddressInfo). */
export interface DsAddressFacts {
  ip: string;
  /** The IPAMKey's owner as "namespace/name/containerId"; undefined when unassigned. */
  owner?: string;
  /** Virtual ms of the last unassignment (spec §3.3); undefined if never unassigned. */
  unassignedAt?: number;
}

/** One CIDR of a datastore ENI: a /32 secondary IP or a /28 prefix (spec glossary). */
export interface DsCidrFacts {
  cidr: string;
  prefix: boolean;
  addresses: readonly DsAddressFacts[];
}

export interface DsEniFacts {
  id: string;
  primary: boolean;
  excluded: boolean;
  trunk: boolean;
  efa: boolean;
  /** The ENI's subnet (from EC2 when the datastore does not record it). */
  subnetId?: string;
  /** Virtual ms the ENI entered the datastore (minENILifeTime, §2.7). */
  createdAt?: number;
  cidrs: readonly DsCidrFacts[];
}

/** The daemon settings the invariants need (parsed env, §1; limits from the glossary). */
export interface IpamdSettingsFacts
  extends Pick<
    IpamdConfig,
    'warmEniTarget' | 'warmIpTarget' | 'minimumIpTarget' | 'warmPrefixTarget' | 'subnetDiscovery' | 'customNetworking' | 'ipCooldownMs' | 'manageEnisNonSchedulable'
  > {
  /** Effective prefix delegation (after the non-Nitro fallback, §5). */
  prefixDelegation: boolean;
  /** min(MAX_ENI, ENILimit) (glossary maxENI). */
  maxEni: number;
  /** Per-ENI CIDR slots: maxIPsPerENI (SIP) or maxPrefixesPerENI (PD). */
  maxCidrsPerEni: number;
  /** Kubelet max pods as ipamd uses it (§2.1 j). */
  maxPods: number;
  /** DISABLE_NETWORK_RESOURCE_PROVISIONING / IMDS-only. */
  provisioningDisabled: boolean;
  ipv6: boolean;
  /** The §4.7 behaviour era of the daemon's CNI version ('1.18.x', '1.23+' …); undefined when the daemon does not say. */
  cniEra?: string;
  /** CLUSTER_NAME ('' = unset; the §4.1 cluster-tag check); undefined when the daemon does not say. */
  clusterName?: string;
}

/** One decision record the daemon emitted (types.ts DecisionRecord), as far as the checkers need it. */
export interface DecisionFacts {
  t: number;
  kind: string;
  message?: string;
  data?: Record<string, unknown>;
}

/** A node's aws-node daemon. */
export interface IpamdFacts {
  /** Increases on every (re)start of the daemon on this node; cooldown and pass history reset with it. */
  incarnation: number;
  state: 'starting' | 'ready' | 'failed' | 'stopped';
  settings: IpamdSettingsFacts;
  datastore: readonly DsEniFacts[];
  /**
   * Checkpoint entries this incarnation dropped at start (spec §3.7 "presuming stale/dead"): their addresses and pods
   * (namespace/name); undefined when the daemon does not say.
   */
  droppedAllocations?: readonly { ip: string; pod: string }[];
  /** Addresses (or /28s) this incarnation set up from IMDS that EC2 no longer listed on the ENI; undefined when not said. */
  staleAtStart?: readonly { eniId: string; ip: string }[];
  /** Decisions of this incarnation, oldest first (a bounded ring). The checkers read only the new tail each time. */
  decisions: readonly DecisionFacts[];
  /**
   * The newest decision of each kind of this incarnation, oldest first, kept even when the ring has dropped it;
   * undefined when the daemon does not keep them.
   */
  latestDecisions?: readonly DecisionFacts[];
  /** The daemon's pass markers (§2.2); undefined when the daemon does not keep them (then per-pass rules are not judged). */
  passes?: PassFacts;
}

/**
 * Where the daemon's loop stands (§2.2: sleep 2.5 s → pool pass → sleep 2.5 s → reconcile), as counters the daemon
 * keeps (src/model/ipamd/types.ts IpamdPassMarkers). Checked after every event, and a pass starts in an event of its
 * own (after a sleep), so a checker attributes what it sees between two checks to the pass current at the second.
 */
export interface PassFacts {
  /** Pool passes started by this incarnation; 0 during nodeInit (its pre-scaling step counts as pass 0). */
  pool: number;
  /** Virtual ms the latest pool pass started (-1 before the first). */
  poolStartedAt: number;
  /** Reconcile passes started (past the > 60 s gate, §2.10). */
  reconcile: number;
  /** Ordinal of the latest reconcile pass that ran every step with no EC2 failure meanwhile; 0 when none. */
  reconcileCompleted: number;
}

/** One Kubernetes node and the EC2 instance under it. */
export interface NodeFacts {
  name: string;
  instanceId: string;
  instanceType: string;
  /** ENILimit and IPv4Limit of the type (glossary); undefined for an unknown type. */
  eniLimit?: number;
  ipv4PerEni?: number;
  az: string;
  /** The primary ENI's subnet. */
  subnetId: string;
  /** EC2 instance state. */
  state: 'pending' | 'running' | 'shutting-down' | 'terminated';
  cordoned: boolean;
  /** SIGTERM received / being drained. */
  terminating: boolean;
  /** EC2 id of the subnet of the node's ENIConfig (custom networking), if any. */
  eniConfigSubnetId?: string;
  ipamd?: IpamdFacts;
}

export type PodPhase = 'Pending' | 'ContainerCreating' | 'Running' | 'Terminating' | 'Succeeded' | 'Failed' | 'Deleted';

export interface PodFacts {
  /** "namespace/name". */
  id: string;
  node?: string;
  phase: PodPhase;
  hostNetwork: boolean;
  ip?: string;
  /** Virtual ms the pod was bound to its node (start of its wait for an address). */
  boundAt?: number;
}

/** One EC2 token bucket (user-scenarios §C.1). */
export interface BucketFacts {
  name: string;
  tokens: number;
  capacity: number;
}

/** Fault state of the run: liveness is judged only once every fault has healed (house-style, TigerBeetle). */
export interface FaultFacts {
  /** Virtual ms from which no fault is active and none is scheduled; undefined while faults may still occur. */
  healedAt?: number;
  /** Actions denied to some principal right now (IAM), e.g. ['CreateNetworkInterface']. */
  deniedActions: readonly string[];
  /**
   * The worst IMDS propagation lag in force at any time of the run so far, ms (IMDS changes drawn under a faulted lag
   * may still be arriving after the faults heal, src/model/ec2/imds.ts). Undefined: use latencyBounds().
   */
  imdsLagMaxMs?: number;
}

/** The whole picture. Methods so a builder can compute each part lazily, once per check. */
export interface WorldView {
  readonly now: number;
  readonly seed: number | string;
  subnets(): readonly SubnetFacts[];
  enis(): readonly EniFacts[];
  nodes(): readonly NodeFacts[];
  pods(): readonly PodFacts[];
  buckets(): readonly BucketFacts[];
  faults(): FaultFacts;
  /** Worst-case latency of one EC2 call and worst IMDS propagation lag, in ms, from the EC2 options (liveness bound). */
  latencyBounds(): { ec2CallMaxMs: number; imdsLagMaxMs: number };
}
