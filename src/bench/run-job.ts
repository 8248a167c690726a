/**
 * One benchmark job: a workload under one policy with one seed, from an empty cluster to its figures.
 *
 *   1. build the World (VPC, subnets, node groups, aws-node env = manifest defaults + workload env + policy env;
 *      a plugin policy goes to every node's daemon, one instance per node for factory plugins);
 *   2. warm up: run until every initial node is Ready, then create the workload's deployments (and one per churn
 *      pattern) and run until every initial pod has an address — at most WARMUP_MAX_MS in all;
 *   3. start the patterns (arrivals.ts) and sample pools, ENIs and subnets every `sampleEvery` for `duration`
 *      (`World.sample`; the samples are read back from the World's stream, where any other subscriber sees them too);
 *   4. reduce: pod waits from the pods' scheduled/address times, EC2 calls as the difference of the counters
 *      between the start and the end of measurement, then computeRunMetrics.
 * Deterministic: nothing here reads the wall clock, and everything random comes from the job's Simulation.
 * It is not the World (src/model/world.ts) nor the arithmetic (metrics.ts).
 */
import type { Tracer } from '../sim/index.ts';
import type { Ec2 } from '../model/ec2/ec2-api.ts';
import type { World } from '../model/world.ts';
import type { Pod } from '../model/k8s/types.ts';
import { churnDeploymentName, startPatterns, type PatternTarget } from './arrivals.ts';
import { computeRunMetrics, type JobRecord, type Sample } from './metrics.ts';
import { loadPolicyPlugin, type PolicyPlugin, type PolicySpec } from './policies.ts';
import type { JobResult } from './report.ts';
import { BENCH_NAMESPACE, buildBenchWorld } from './world-adapter.ts';
import { workloadSize, type Workload } from '../scenario/workload.ts';

export interface JobInput {
  workload: Workload;
  policy: PolicySpec;
  seed: number;
}

/** Longest warm-up before measuring starts anyway. */
export const WARMUP_MAX_MS = 15 * 60_000;
/** How often the warm-up checks whether the cluster has settled. */
const WARMUP_CHECK_MS = 5_000;
const INSUFFICIENT_CODES = ['InsufficientFreeAddressesInSubnet', 'InsufficientCidrBlocks'] as const;

const plugins = new Map<string, Promise<PolicyPlugin>>();

/** Loads a plugin once per thread. */
function pluginFor(path: string): Promise<PolicyPlugin> {
  let p = plugins.get(path);
  if (p === undefined) {
    p = loadPolicyPlugin(path);
    plugins.set(path, p);
  }
  return p;
}

export async function runJob(input: JobInput): Promise<JobResult> {
  const plugin = input.policy.plugin === undefined ? undefined : await pluginFor(input.policy.plugin);
  return runJobSync(input, plugin);
}

/**
 * The job once its plugin (if any) is loaded: synchronous from here on. A tracer sees the whole run; so does `observe`,
 * called with the World before it runs (the World then keeps its history — pods' events, the timeline, decisions — as
 * a scenario's does, for a run record of the job).
 */
export function runJobSync(input: JobInput, plugin: PolicyPlugin | undefined, tracer?: Tracer, observe?: (world: World) => void): JobResult {
  const { workload: w, policy, seed } = input;
  const watch = new PodWatch();
  const bench = buildBenchWorld(w, policy.env, seed, plugin, watch.hooks, observe !== undefined);
  const { world } = bench;
  const { sim, cluster, ec2 } = world;
  if (tracer !== undefined) world.traceTo(tracer);
  observe?.(world);

  // 2. deployments and warm-up
  const deps = [...w.deployments.map((d) => ({ name: d.name, replicas: d.replicas }))];
  w.patterns.forEach((p, i) => {
    if (p.kind === 'churn') deps.push({ name: churnDeploymentName(i), replicas: p.pods });
  });
  const initialNodes = workloadSize(w).nodes;
  const initialPods = deps.reduce((a, d) => a + d.replicas, 0);
  // nodes first (as a fleet that exists before its workloads), then the pods
  while (sim.now < WARMUP_MAX_MS && !nodesReady(world, initialNodes)) world.run({ until: sim.now + WARMUP_CHECK_MS });
  for (const d of deps) applyDeployment(world, d.name, d.replicas);
  while (sim.now < WARMUP_MAX_MS && !podsAssigned(world, initialPods)) world.run({ until: sim.now + WARMUP_CHECK_MS });
  const t0 = sim.now;
  const end = t0 + w.duration;
  watch.measure(t0, end);

  // 3. patterns and sampling
  const target = patternTarget(world, watch);
  startPatterns(target, w.patterns);
  const calls0 = { ...ec2.metrics.total.calls } as Record<string, number>;
  const throttled0 = sumCounts(ec2.metrics.total.throttledAttempts);
  const insufficient0 = insufficientErrors(ec2);
  const rec: JobRecord = { start: t0, end, held: [], used: [], subnetFree: [], enis: [], waits: watch.waits, ec2Calls: {}, throttled: 0 };
  world.happenings.subscribe(
    (h) => {
      if (h.type !== 'sample') return;
      push(rec.held, h.t, h.held);
      push(rec.used, h.t, h.used);
      push(rec.enis, h.t, h.enis);
      push(rec.subnetFree, h.t, h.subnetFree);
      if (rec.subnetRanOutAt === undefined && insufficientErrors(ec2) > insufficient0) rec.subnetRanOutAt = h.t;
    },
    ['sample'],
  );
  world.sample(bench.subnetIds);
  while (sim.now < end) {
    world.run({ until: Math.min(end, sim.now + w.sampleEvery) });
    world.sample(bench.subnetIds);
  }

  // 4. reduce: the waits of pods still in the API server join those of pods gone during measurement
  for (const pod of cluster.podMap.values()) watch.measured(pod);
  const calls = ec2.metrics.total.calls as Record<string, number>;
  for (const [api, n] of Object.entries(calls)) {
    const d = n - (calls0[api] ?? 0);
    if (d > 0) rec.ec2Calls[api] = d;
  }
  rec.throttled = sumCounts(ec2.metrics.total.throttledAttempts) - throttled0;
  return { policy: policy.name, seed, metrics: computeRunMetrics(rec), events: sim.eventCount, simMs: sim.now, warmupMs: t0 };
}

/** Appends a sample, replacing one taken at the same instant (the last sample can coincide with the end). */
function push(series: Sample[], t: number, v: number): void {
  const last = series[series.length - 1];
  if (last !== undefined && last.t === t) last.v = v;
  else series.push({ t, v });
}

function sumCounts(c: Record<string, number | undefined>): number {
  let n = 0;
  for (const v of Object.values(c)) n += v ?? 0;
  return n;
}

function insufficientErrors(ec2: Ec2): number {
  let n = 0;
  for (const byCode of Object.values(ec2.metrics.total.errors)) {
    if (byCode === undefined) continue;
    for (const code of INSUFFICIENT_CODES) n += byCode[code] ?? 0;
  }
  return n;
}

/** A workload pod's wait, if it was scheduled during the measured time. */
export function podWait(pod: Pod, t0: number, end: number): { ms: number; censored: boolean } | undefined {
  if (pod.hostNetwork || pod.owner.kind === 'DaemonSet' || pod.namespace === 'kube-system') return undefined;
  const s = pod.scheduledAt;
  if (s === undefined || s < t0 || s >= end) return undefined;
  if (pod.ipAssignedAt !== undefined && pod.ipAssignedAt <= end) return { ms: pod.ipAssignedAt - s, censored: false };
  const stop = Math.min(end, pod.deletedAt ?? end);
  return { ms: Math.max(0, stop - s), censored: true };
}

function nodesReady(world: World, nodes: number): boolean {
  let ready = 0;
  for (const n of world.cluster.nodeMap.values()) if (n.ready && !n.terminating) ready++;
  return ready >= nodes;
}

function podsAssigned(world: World, pods: number): boolean {
  let withIp = 0;
  for (const p of world.cluster.podMap.values()) {
    if (p.namespace === BENCH_NAMESPACE && p.deletedAt === undefined && p.ipAssignedAt !== undefined) withIp++;
  }
  return withIp >= pods;
}

function applyDeployment(world: World, name: string, replicas: number): void {
  const r = world.cluster.apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: BENCH_NAMESPACE },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'public.ecr.aws/eks-distro/kubernetes/pause:3.9', resources: { requests: { cpu: '1m', memory: '1Mi' } } }] },
      },
    },
  });
  if (!r.ok) throw new Error(`bench: cannot create deployment ${name}: ${r.message}`);
}

/**
 * What the job keeps of pods, through the cluster's pod hooks (the cluster itself keeps no gone pods): each workload
 * deployment's pods in creation order (churn deletes from these lists, swap-remove), and the wait of every pod that
 * leaves the API server while measuring (`measured` adds the rest at the end).
 */
class PodWatch {
  readonly live = new Map<string, Pod[]>();
  readonly waits: JobRecord['waits'] = [];
  private window: { t0: number; end: number } | undefined;
  readonly hooks = {
    onPodCreated: (p: Pod) => {
      if (p.namespace !== BENCH_NAMESPACE || p.owner.deployment === undefined) return;
      let l = this.live.get(p.owner.deployment);
      if (l === undefined) this.live.set(p.owner.deployment, (l = []));
      l.push(p);
    },
    // a pod gone before measuring starts was scheduled before it too: podWait would leave it out
    onPodGone: (p: Pod) => this.measured(p),
  };

  measure(t0: number, end: number): void {
    this.window = { t0, end };
  }

  measured(p: Pod): void {
    if (this.window === undefined) return;
    const wait = podWait(p, this.window.t0, this.window.end);
    if (wait !== undefined) this.waits.push(wait);
  }
}

/** The cluster as patterns see it. */
function patternTarget(world: World, watch: PodWatch): PatternTarget {
  const { cluster } = world;
  const live = watch.live;
  return {
    sim: world.sim,
    scaleDeployment(name, replicas) {
      const r = cluster.scale(BENCH_NAMESPACE, name, replicas);
      if (!r.ok) throw new Error(`bench: cannot scale ${name}: ${r.message}`);
    },
    deleteRandomPod(deployment, pick) {
      const l = live.get(deployment);
      if (l === undefined) return false;
      while (l.length > 0) {
        const i = pick(l.length);
        const p = l[i];
        l[i] = l[l.length - 1];
        l.pop();
        if (p.deletedAt !== undefined) continue; // gone by other means: drop it and draw again
        cluster.deletePod(p);
        return true;
      }
      return false;
    },
    nodesOf(nodegroup) {
      return cluster
        .liveNodes()
        .filter((n) => n.nodeGroup === nodegroup)
        .sort((a, b) => a.launchedAt - b.launchedAt || (a.name < b.name ? -1 : 1))
        .map((n) => n.name);
    },
    terminateNode(name) {
      cluster.terminate(name);
    },
  };
}
