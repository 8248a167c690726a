/**
 * The plain records ipamd shares with the layers around it and with its own parts: a pod sandbox's key (CNI
 * ADD/DEL), the Kubernetes Node as the daemon reads it, and the checkpoint file. Types (and the checkpoint's version)
 * only, importing nothing, so
 * the datastore and the ENIConfig choice can use them without reaching the daemon's contract (types.ts, which
 * re-exports them).
 */

/** A pod sandbox as the CNI plugin names it in AddNetwork/DelNetwork (spec §9.1, §3.1 IPAMKey). */
export interface PodKey {
  namespace: string;
  name: string;
  /** The sandbox (container) id; a kubelet retry uses a new one (§9.1 step 6). */
  containerId: string;
  /** Defaults to 'eth0'. */
  ifName?: string;
}

/** The Kubernetes Node as ipamd reads it (§2.1 j, §1 AWS_MANAGE_ENIS_NON_SCHEDULABLE, §4.3 ENIConfig choice). */
export interface NodeView {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** `.status.capacity.pods`; undefined → eni-max-pods.txt value for the type → 110 (§2.1 j). */
  maxPods: number | undefined;
  /** Carries the taint node.kubernetes.io/unschedulable:NoSchedule. */
  isCordoned(): boolean;
}

/** One checkpoint entry (§3.7), field names as in the real JSON. */
export interface CheckpointAllocation {
  networkName: string;
  containerID: string;
  ifName: string;
  ipv4?: string;
  ipv6?: string;
  /** Unix nanoseconds in the real file; here virtual ms × 1e6. */
  allocationTimestamp: number;
  metadata: { k8sPodNamespace: string; k8sPodName: string; interfacesCount?: number };
}

/** The version a checkpoint is written with and the only one ipamd reads (§3.7). */
export const CHECKPOINT_VERSION = 'vpc-cni-ipam/1';

/** The backing store `/var/run/aws-node/ipam.json` (§3.7). */
export interface Checkpoint {
  version: typeof CHECKPOINT_VERSION;
  allocations: CheckpointAllocation[];
}
