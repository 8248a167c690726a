/**
 * Timing knobs of the Kubernetes layer (all virtual milliseconds). Ranges are drawn uniformly from the named stream
 * of the component that waits. Defaults follow the spec where it has numbers (§9.1 step 6: sandbox retry 10 s + up
 * to 50 % jitter; user-scenarios §C.3 for launch times) and are otherwise "a few seconds" as observed on EKS.
 */
import type { Random } from '../../sim/index.ts';

export interface Range {
  min: number;
  max: number;
}

export interface KubernetesOptions {
  /** EC2 RunInstances → the kubelet has booted and tries to register its Node (cold launch ≈ 25–45 s, §C.3). */
  nodeLaunchMs: Range;
  /** Node registered → aws-node's container is running and ipamd starts (image pull, entrypoint checks, §2.1). */
  awsNodeStartMs: Range;
  /** aws-node SIGTERM → its container is gone (ipamd exits promptly; manifest grace 10 s is the ceiling). */
  awsNodeStopMs: Range;
  /** CNI config written → kubelet reports NetworkReady and the Node turns Ready. */
  nodeReadyMs: Range;
  /** Host-network pods (kube-proxy, hostNetwork deployments): bound → Running. */
  hostPodStartMs: Range;
  /** Pod bound → kubelet's first RunPodSandbox reaches the CNI ADD. */
  sandboxSetupMs: Range;
  /** CNI ADD returned an address → containers started, pod Running (~1–2 s). */
  containerStartMs: Range;
  /** Kubelet pod-worker backoff after a failed sync (`backOffPeriod`, §9.1 step 6). */
  sandboxRetryMs: number;
  /** Up to this fraction of `sandboxRetryMs` is added at random (`workerBackOffPeriodJitterFactor`). */
  sandboxRetryJitter: number;
  /** The first failures are retried sooner, woken by the pod's own status update (events 1–2 s apart at first). */
  quickRetries: number;
  quickRetryMs: Range;
  /** aws-node crash-loop restart backoff: first delay, doubled per crash up to the cap (CrashLoopBackOff). */
  crashLoopBackoffMs: number;
  crashLoopBackoffMaxMs: number;
  /** The scheduler reacts to a change (pod created, node Ready, pod gone) after this delay. */
  schedulerDelayMs: number;
  /** Instance shutting down → its Node object is deleted and its pods garbage-collected. */
  nodeDeleteMs: Range;
  /** A failed RunInstances is retried by the Auto Scaling group after this delay. */
  launchRetryMs: number;
}

export const DEFAULT_KUBERNETES_OPTIONS: KubernetesOptions = {
  nodeLaunchMs: { min: 30_000, max: 45_000 },
  awsNodeStartMs: { min: 2_000, max: 5_000 },
  awsNodeStopMs: { min: 500, max: 1_500 },
  nodeReadyMs: { min: 500, max: 2_000 },
  hostPodStartMs: { min: 1_000, max: 3_000 },
  sandboxSetupMs: { min: 200, max: 800 },
  containerStartMs: { min: 1_000, max: 2_000 },
  sandboxRetryMs: 10_000,
  sandboxRetryJitter: 0.5,
  quickRetries: 1,
  quickRetryMs: { min: 1_000, max: 2_000 },
  crashLoopBackoffMs: 10_000,
  crashLoopBackoffMaxMs: 300_000,
  schedulerDelayMs: 1,
  nodeDeleteMs: { min: 5_000, max: 15_000 },
  launchRetryMs: 30_000,
};

export function draw(r: Random, range: Range): number {
  return range.max <= range.min ? range.min : r.intBetween(Math.round(range.min), Math.round(range.max));
}
