/**
 * The one place the benchmark builds a World: a workload's cluster shape and the policy's env become a WorldSpec
 * (src/model/world/spec.ts); a plugin policy becomes the World's `poolPolicy` option, so plugin runs go through the
 * World's own daemon wiring (decision log, timeline, metrics) like named ones. The World's parts are handed to
 * run-job.ts. Nothing else in src/bench knows how a World is made.
 */
import { World, type WorldOptions } from '../model/world.ts';
import type { WorldSpec } from '../model/world/spec.ts';
import { instantiatePolicy, type PolicyPlugin } from './policies.ts';
import type { Workload } from './workload.ts';

export const BENCH_NAMESPACE = 'default';

/** A built world as the job (run-job.ts) needs it. */
export interface BenchWorld {
  world: World;
  /** EC2 subnet ids of the workload's subnets, in workload order. */
  subnetIds: string[];
}

/** The WorldSpec of a workload under a policy's env. */
export function worldSpecFor(w: Workload, policyEnv: Record<string, string>, seed: number): WorldSpec {
  return {
    seed,
    region: 'us-east-1',
    vpc: { cidrBlocks: [...w.cluster.vpcCidrs] },
    subnets: w.cluster.subnets.map((s) => ({ id: s.name, az: s.az, cidr: s.cidr, tags: { ...s.tags } })),
    cluster: {
      name: 'bench',
      kubernetesVersion: '1.29',
      vpcCni: { version: w.cluster.cniVersion, env: { ...w.cluster.env, ...policyEnv } },
    },
    nodeGroups: w.cluster.nodegroups.map((g) => ({
      name: g.name,
      instanceType: g.instanceType,
      subnets: [...g.subnets],
      desiredCapacity: g.nodes,
      ...(g.maxPods !== undefined ? { maxPods: g.maxPods } : {}),
    })),
    ec2: { throttling: { enabled: w.cluster.throttling } },
  };
}

/**
 * The World of a job: the workload under a policy's env and, for a plugin policy, one instance per node start.
 * Given pod hooks, the job measures through them and the World keeps no history (gone pods, timeline, decisions).
 */
export function buildWorld(w: Workload, policyEnv: Record<string, string>, seed: number, plugin?: PolicyPlugin, pods?: WorldOptions['pods']): World {
  const spec = worldSpecFor(w, policyEnv, seed);
  return new World(spec, {
    ...(plugin === undefined ? {} : { poolPolicy: (ctx) => instantiatePolicy(plugin, ctx) }),
    ...(pods === undefined ? {} : { pods, keepHistory: false }),
  });
}

export function buildBenchWorld(w: Workload, policyEnv: Record<string, string>, seed: number, plugin?: PolicyPlugin, pods?: WorldOptions['pods']): BenchWorld {
  const world = buildWorld(w, policyEnv, seed, plugin, pods);
  const subnetIds = w.cluster.subnets.map((s) => {
    const id = world.resolveSubnet(s.name);
    if (id === undefined) throw new Error(`bench: subnet ${s.name} was not created`);
    return id;
  });
  return { world, subnetIds };
}
