/**
 * The one place the benchmark builds a World: a workload holds its WorldSpec (src/model/world/spec.ts) as loaded;
 * the job adds its seed and the policy's env; a plugin policy becomes the World's `poolPolicy` option, so plugin runs go through the
 * World's own daemon wiring (decision log, timeline, metrics) like named ones. The World and its subnet ids are
 * handed to run-job.ts as a `BenchWorld`. Nothing else in src/bench knows how a World is made.
 */
import { World, type WorldOptions } from '../model/world.ts';
import type { WorldSpec } from '../model/world/spec.ts';
import { instantiatePolicy, type PolicyPlugin } from './policies.ts';
import type { Workload } from '../scenario/workload.ts';

export const BENCH_NAMESPACE = 'default';

/** A built world as the job (run-job.ts) needs it. */
export interface BenchWorld {
  world: World;
  /** EC2 subnet ids of the workload's subnets, in workload order. */
  subnetIds: string[];
}

/** The WorldSpec of a workload under a policy's env: the workload's own, with the seed and the policy's env on top. */
export function worldSpecFor(w: Workload, policyEnv: Record<string, string>, seed: number): WorldSpec {
  const spec = structuredClone(w.world);
  const cni = spec.cluster.vpcCni;
  return { ...spec, seed, cluster: { ...spec.cluster, vpcCni: { ...cni, env: { ...(cni.env ?? {}), ...policyEnv } } } };
}

/**
 * The World of a job: the workload under a policy's env and, for a plugin policy, one instance per node start.
 * Given pod hooks, the job measures through them and the World keeps no history (gone pods, timeline, decisions)
 * unless `keepHistory` (a run record of the job).
 */
export function buildWorld(w: Workload, policyEnv: Record<string, string>, seed: number, plugin?: PolicyPlugin, pods?: WorldOptions['pods'], keepHistory = false): World {
  const spec = worldSpecFor(w, policyEnv, seed);
  return new World(spec, {
    ...(plugin === undefined ? {} : { poolPolicy: (ctx) => instantiatePolicy(plugin, ctx) }),
    ...(pods === undefined ? {} : { pods, keepHistory }),
  });
}

export function buildBenchWorld(w: Workload, policyEnv: Record<string, string>, seed: number, plugin?: PolicyPlugin, pods?: WorldOptions['pods'], keepHistory = false): BenchWorld {
  const world = buildWorld(w, policyEnv, seed, plugin, pods, keepHistory);
  const subnetIds = w.world.subnets.map((s) => {
    const id = world.resolveSubnet(s.id);
    if (id === undefined) throw new Error(`bench: subnet ${s.id} was not created`);
    return id;
  });
  return { world, subnetIds };
}
