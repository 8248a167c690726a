/**
 * The liveness bound: how long, at most, a pod may wait for an address on a node that can get one, once every fault
 * has healed. Derived term by term from the daemon's rules (docs/testing.md "The liveness bound" walks through it):
 *
 *   inflight  a retry sleep already running when the faults heal: the longest single backoff sleep of any ipamd
 *             retry loop, 60 s cap + 15 % jitter (spec §8.2 IMDS wait, §8.3 detach/delete), = 69 s;
 *   pass      the pool loop runs every 5 s plus the work of the pass in progress (§2.2); that work is at most the
 *             reconcile's calls (§2.10): 4 EC2 calls;
 *   freeze    an insufficient-capacity error just before the subnet got room freezes growth for 120 s (§2.9);
 *   orphan    an ENI whose IMDS wait gave up is adopted by the next reconcile, > 60 s after the last pool action,
 *             plus one pass (§2.10 step 2, §8.2);
 *   grow      one growth step, worst case a new ENI (§2.5, §8.1): failed top-ups on every candidate ENI (2 calls
 *             each, §2.5 step 1), DescribeSubnets, one CreateNetworkInterface per subnet tried (§4.1), DescribeInstances,
 *             Attach, Modify, the IMDS wait until the ENI shows (the first poll after the IMDS lag, on the
 *             0.1 s × 2ⁿ schedule with 15 % jitter, §8.2) and the exclusion DescribeSubnets (§4.5);
 *   cooldown  the address ipamd hands out may still be cooling (IP_COOLDOWN_PERIOD, §3.3);
 *   kubelet   the pod's next sandbox retry: 10 s back-off + 50 % jitter = 15 s (§9.1 step 6).
 *
 * One growth step is enough for the first waiting pod: when a pod waits, available = 0, so every pool mode is "low"
 * (§2.4) and grows by at least one address — except warm-IP mode with WARM_IP_TARGET = 0 once TotalIPs ≥
 * MINIMUM_IP_TARGET, which never grows (the cni#2650 / cni#3685 finding, findings.ts). The checker applies the bound
 * to progress on a node (some waiting pod gets an address), so k waiting pods are served within k bounds.
 */

export interface BoundInputs {
  /** Worst latency of one EC2 call (ms). */
  ec2CallMaxMs: number;
  /** Worst lag before IMDS shows a new ENI or address (ms). */
  imdsLagMaxMs: number;
  ipCooldownMs: number;
  /** maxENI of the node: the most candidate ENIs a top-up can try. */
  maxEni: number;
  /** Subnets a new ENI may be tried in (§4.1). */
  subnetsTried: number;
}

export interface BoundTerm {
  name: string;
  ms: number;
}

export const MAX_BACKOFF_SLEEP_MS = 69_000;
export const POOL_INTERVAL_MS = 5_000;
export const RECONCILE_CALLS = 4;
export const INSUFFICIENT_FREEZE_MS = 120_000;
export const RECONCILE_GATE_MS = 60_000;
export const KUBELET_RETRY_MAX_MS = 15_000;

/** ms from the first IMDS poll until the poll that sees an ENI `lagMs` after attach (§8.2 schedule, +15 %). */
export function imdsWaitMs(lagMs: number): number {
  let t = 0;
  let sleep = 100;
  for (let attempt = 0; attempt < 12; attempt++) {
    if (t >= lagMs) return Math.ceil(t * 1.15);
    t += sleep;
    sleep = Math.min(sleep * 2, 60_000);
  }
  return Math.ceil(t * 1.15);
}

export function livenessBound(i: BoundInputs): { totalMs: number; terms: BoundTerm[] } {
  const call = i.ec2CallMaxMs;
  const terms: BoundTerm[] = [
    { name: 'inflight', ms: MAX_BACKOFF_SLEEP_MS + call },
    { name: 'pass', ms: POOL_INTERVAL_MS + RECONCILE_CALLS * call },
    { name: 'freeze', ms: INSUFFICIENT_FREEZE_MS },
    { name: 'orphan', ms: RECONCILE_GATE_MS + POOL_INTERVAL_MS },
    { name: 'grow', ms: (2 * i.maxEni + 5 + i.subnetsTried) * call + imdsWaitMs(i.imdsLagMaxMs) },
    { name: 'cooldown', ms: i.ipCooldownMs },
    { name: 'kubelet', ms: KUBELET_RETRY_MAX_MS },
  ];
  return { totalMs: terms.reduce((s, t) => s + t.ms, 0), terms };
}
