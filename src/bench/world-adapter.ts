/**
 * The one place the benchmark builds a World: a workload's cluster shape, the policy's env and (for plugin
 * policies) the per-node pool policy become a WorldSpec (src/model/world/spec.ts), and the World's parts are
 * handed to run-job.ts. Nothing else in src/bench knows how a World is made.
 */
import { Ipamd } from '../model/ipamd/ipamd.ts';
import type { PoolPolicy } from '../model/ipamd/pool-policy.ts';
import type { IpamdApi } from '../model/ipamd/types.ts';
import type { IpamdFactory } from '../model/k8s/cloud.ts';
import { World, type WorldOptions } from '../model/world.ts';
import type { WorldSpec } from '../model/world/spec.ts';
import type { BenchWorld } from './run-job.ts';
import type { Workload } from './workload.ts';

export const BENCH_NAMESPACE = 'default';

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

export function buildBenchWorld(
  w: Workload,
  policyEnv: Record<string, string>,
  seed: number,
  policyFor: ((node: string, now: () => number) => PoolPolicy) | undefined,
): BenchWorld {
  const spec = worldSpecFor(w, policyEnv, seed);
  const options: WorldOptions = policyFor === undefined ? {} : { ipamdFactory: (p, world) => pluginIpamd(p, world, policyFor) };
  const world = new World(spec, options);
  const subnetIds = w.cluster.subnets.map((s) => {
    const id = world.resolveSubnet(s.name);
    if (id === undefined) throw new Error(`bench: subnet ${s.name} was not created`);
    return id;
  });
  return { sim: world.sim, ec2: world.ec2, cluster: world.cluster, subnetIds, namespace: BENCH_NAMESPACE };
}

/**
 * The daemon of one node with a plugin's pool policy. The same wiring as the World's own daemon (World.realIpamd)
 * plus `policy`; decision records are not collected (the benchmark does not read them). Replace with a World
 * option that passes a policy to its own factory when there is one.
 */
function pluginIpamd(p: Parameters<IpamdFactory>[0], world: World, policyFor: (node: string, now: () => number) => PoolPolicy): IpamdApi {
  const inst = world.ec2.state.instances.get(p.node.instanceId);
  if (inst === undefined) throw new Error(`no instance ${p.node.instanceId} for node ${p.node.name}`);
  const v = inst.view();
  const sim = world.sim;
  return new Ipamd({
    sim,
    ec2: world.ec2,
    principal: world.nodeRole,
    imds: () => world.ec2.imds.enis(inst.id),
    instance: {
      instanceId: inst.id,
      instanceType: v.instanceType,
      vpcId: world.vpcId,
      az: v.availabilityZone,
      primaryEniId: v.primaryEniId,
      subnetId: v.subnetId,
      privateIp: v.privateIpAddress,
    },
    node: p.node,
    clusterName: world.spec.cluster.name,
    cniVersion: world.spec.cluster.vpcCni.version,
    env: p.env,
    eniConfigs: (name) => {
      const c = world.cluster.eniConfig(name);
      return c === undefined ? undefined : { ...c, subnet: world.resolveSubnet(c.subnet) ?? c.subnet };
    },
    checkpoint: p.checkpoint,
    policy: policyFor(p.node.name, () => sim.now),
  });
}
