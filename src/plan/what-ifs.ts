/**
 * The what-ifs a plan simulates beside the cluster as it is, each an altered copy of the scenario (so the change and
 * the headroom search run on it unchanged):
 *   - `cni-subnets`: a `kubernetes.io/role/cni=1` subnet of the asked size in each AZ of the VPC (free CIDRs inside
 *     the VPC's blocks, else inside a new secondary block) — ipamd's subnet discovery (v1.18.0+) puts new ENIs there;
 *   - `lean-warm`: WARM_IP_TARGET / MINIMUM_IP_TARGET from the workload: the minimum is the pods a node will run after
 *     the change, the warm target a tenth of it (at least 1), instead of a spare ENI per node;
 *   - `prefix-delegation`: ENABLE_PREFIX_DELEGATION=true; nodes the groups launch get prefix delegation's max pods,
 *     nodes already running keep theirs (kubelet's --max-pods changes only with a new node); whether /28 blocks can be
 *     found in fragmented subnets is the simulated EC2 allocator's to say (InsufficientCidrBlocks);
 *   - `more-nodes`: enough nodes more in the largest group to hold the pods left waiting, by max pods;
 *   - `larger-nodes`: that group on the next larger type of its family (larger-type.ts), its running nodes too: the
 *     same nodes one size up at t = 0, ENIs and pods in place (a real replacement drains them onto new nodes).
 * Each is applied from the start (at t = 0 for a scenario with `existing:`: the cluster as it would be with it).
 * Not here: running them (plan.ts).
 */
import type { World } from '../model/world.ts';
import { findInstanceType } from '../model/ec2/instance-types.ts';
import { CNI_ROLE_TAG } from '../model/ipamd/subnet-discovery.ts';
import { NODE_DAEMONSETS } from '../model/k8s/system-pods.ts';
import { computeMaxPods, parseCniVersion } from '../model/max-pods.ts';
import { formatCidr } from '../model/vpc/ipv4.ts';
import type { Scenario } from '../scenario/types.ts';
import { currentSize, nodeGroupFor, type Change } from './change.ts';
import { suggestSubnets } from './free-cidrs.ts';
import { onLargerType } from './larger-nodes.ts';
import { maxPodsOf } from './larger-type.ts';

export const WHAT_IF_KEYS = ['cni-subnets', 'lean-warm', 'prefix-delegation', 'more-nodes', 'larger-nodes'] as const;
export type WhatIfKey = (typeof WHAT_IF_KEYS)[number];

/** A what-if: what it changes, in words, and the scenario with it; or why it cannot be tried. */
export type WhatIf = { key: WhatIfKey; title: string; changes: string[]; scenario: Scenario } | { key: WhatIfKey; title: string; unavailable: string };

/** What the what-ifs are derived from: the cluster just before the change, and the change's baseline result. */
export interface WhatIfContext {
  world: World;
  change: Change;
  /** Pods left waiting by the change as it is (worst seed). */
  stuck: number;
  /** `--subnet-prefix`: the size of the suggested subnets (default 19, as the walkthrough's). */
  subnetPrefix: number;
}


const MAKERS: Record<WhatIfKey, (s: Scenario, ctx: WhatIfContext) => WhatIf> = {
  'cni-subnets': cniSubnets,
  'lean-warm': leanWarm,
  'prefix-delegation': (s) => prefixDelegation(s),
  'more-nodes': moreNodes,
  'larger-nodes': largerNodes,
};

/** The what-ifs of `keys` (default all), in WHAT_IF_KEYS order. */
export function whatIfs(s: Scenario, ctx: WhatIfContext, keys: readonly WhatIfKey[] = WHAT_IF_KEYS): WhatIf[] {
  return WHAT_IF_KEYS.filter((k) => keys.includes(k)).map((k) => MAKERS[k](s, ctx));
}

function copy(s: Scenario): Scenario {
  return structuredClone(s);
}

function liveNodes(world: World) {
  return world.cluster.liveNodes().filter((n) => n.registered && !n.terminating);
}

function cniSubnets(s: Scenario, ctx: WhatIfContext): WhatIf {
  const title = `a ${CNI_ROLE_TAG}=1 /${ctx.subnetPrefix} subnet in each AZ`;
  // every AZ the VPC has subnets in (as the walkthrough's rescue: one per AZ), and any a node runs in
  const azs = [...new Set([...ctx.world.subnets().map((x) => x.az), ...liveNodes(ctx.world).map((n) => n.az)])].sort();
  if (azs.length === 0) return { key: 'cni-subnets', title, unavailable: 'the VPC has no subnet, so no AZ to add one to' };
  // placed among the blocks the scenario starts with, clear of every block and subnet its timeline adds
  const vpc = ctx.world.ec2.state.vpcs.get(ctx.world.vpcId)!;
  const avoid = vpc.cidrBlocks.map(formatCidr);
  const sug = suggestSubnets(azs, { blocks: s.vpc.cidrBlocks, avoid, subnets: vpc.subnets.map((x) => x.cidrText) }, ctx.subnetPrefix);
  if (sug === undefined) return { key: 'cni-subnets', title, unavailable: `no free /${ctx.subnetPrefix} in the VPC's blocks and no free /16 to add` };
  if (sug.associate !== undefined && avoid.length >= vpc.cidrBlockLimit) {
    return { key: 'cni-subnets', title, unavailable: `no free /${ctx.subnetPrefix} in the VPC's blocks, and the VPC has its ${vpc.cidrBlockLimit} CIDR blocks already` };
  }
  const out = copy(s);
  const changes: string[] = [];
  if (sug.associate !== undefined) {
    out.vpc.cidrBlocks.push(sug.associate);
    changes.push(`aws ec2 associate-vpc-cidr-block --vpc-id ${ctx.world.vpcId} --cidr-block ${sug.associate}`);
  }
  const names = new Set(out.subnets.map((x) => x.id));
  for (const { az, cidr } of sug.subnets) {
    let id = `subnet-cni-${az.slice(-1)}`;
    for (let i = 2; names.has(id); i++) id = `subnet-cni-${az.slice(-1)}-${i}`;
    names.add(id);
    out.subnets.push({ id, az, cidr, public: false, route: 'nat', tags: { [CNI_ROLE_TAG]: '1' }, externalUse: 0 });
    changes.push(`aws ec2 create-subnet --vpc-id ${ctx.world.vpcId} --availability-zone ${az} --cidr-block ${cidr} --tag-specifications 'ResourceType=subnet,Tags=[{Key=${CNI_ROLE_TAG},Value=1}]'`);
  }
  return { key: 'cni-subnets', title, changes, scenario: out };
}

/** Pods a node runs after the change: the pods with an address now plus the change's, spread over the nodes. */
function podsPerNodeAfter(ctx: WhatIfContext): number {
  const nodes = liveNodes(ctx.world).length + ctx.change.addNodes;
  if (nodes === 0) return 0;
  let pods = 0;
  for (const p of ctx.world.cluster.podMap.values()) if (!p.hostNetwork && p.status !== 'Terminating') pods++;
  pods += ctx.change.n - (currentSize(ctx.world, ctx.change) ?? 0);
  // no node runs more than its max pods (less aws-node and kube-proxy)
  const cap = Math.max(...liveNodes(ctx.world).map((n) => n.maxPods - NODE_DAEMONSETS.length), 1);
  return Math.min(cap, Math.max(1, Math.ceil(pods / nodes)));
}

function leanWarm(s: Scenario, ctx: WhatIfContext): WhatIf {
  const min = podsPerNodeAfter(ctx);
  const warm = Math.max(1, Math.ceil(min / 10));
  const title = `lean warm targets (WARM_IP_TARGET=${warm}, MINIMUM_IP_TARGET=${min})`;
  if (s.cluster.vpcCni.env.ENABLE_PREFIX_DELEGATION === 'true') return { key: 'lean-warm', title, unavailable: 'prefix delegation is on: its warm targets count /28 prefixes' };
  const out = copy(s);
  out.cluster.vpcCni.env = { ...out.cluster.vpcCni.env, WARM_IP_TARGET: String(warm), MINIMUM_IP_TARGET: String(min) };
  return { key: 'lean-warm', title, changes: [`kubectl set env daemonset aws-node -n kube-system WARM_IP_TARGET=${warm} MINIMUM_IP_TARGET=${min}`], scenario: out };
}

function prefixDelegation(s: Scenario): WhatIf {
  const title = 'prefix delegation';
  const v = parseCniVersion(s.cluster.vpcCni.version);
  if (s.cluster.vpcCni.env.ENABLE_PREFIX_DELEGATION === 'true') return { key: 'prefix-delegation', title, unavailable: 'prefix delegation is already on' };
  if (v !== undefined && !(v.major > 1 || v.minor >= 9)) return { key: 'prefix-delegation', title, unavailable: `VPC CNI ${s.cluster.vpcCni.version} has no prefix delegation (1.9.0+)` };
  const out = copy(s);
  out.cluster.vpcCni.env = { ...out.cluster.vpcCni.env, ENABLE_PREFIX_DELEGATION: 'true' };
  const changes = ['kubectl set env daemonset aws-node -n kube-system ENABLE_PREFIX_DELEGATION=true'];
  for (const g of out.nodeGroups) {
    const t = findInstanceType(g.instanceType);
    if (t === undefined || g.maxPods !== undefined) continue;
    const mp = maxPodsOf(t, { prefixDelegation: true, ...(v === undefined ? {} : { cniVersion: v }) });
    g.maxPods = mp;
    changes.push(`node group ${g.name}: new nodes get --max-pods ${mp}; running nodes keep theirs until replaced`);
  }
  return { key: 'prefix-delegation', title, changes, scenario: out };
}

/** The node group the node what-ifs grow or resize: the one the change would add nodes to by default. */
function grownGroup(s: Scenario, ctx: WhatIfContext): Scenario['nodeGroups'][number] | undefined {
  const group = nodeGroupFor(ctx.world, { ...ctx.change, nodeGroup: undefined });
  return s.nodeGroups.find((x) => x.name === group);
}

function moreNodes(s: Scenario, ctx: WhatIfContext): WhatIf {
  const g = grownGroup(s, ctx);
  if (g === undefined) return { key: 'more-nodes', title: 'more nodes', unavailable: 'the cluster has no node group to grow' };
  const t = findInstanceType(g.instanceType);
  const maxPods = g.maxPods ?? (t === undefined ? 0 : computeMaxPods(t).maxPods);
  // aws-node and kube-proxy take two of a new node's pods
  const perNode = Math.max(1, maxPods - NODE_DAEMONSETS.length);
  const k = Math.max(1, Math.ceil(ctx.stuck / perNode));
  const out = copy(s);
  const og = out.nodeGroups.find((x) => x.name === g.name)!;
  og.desiredCapacity += k;
  if (og.maxSize !== undefined && og.maxSize < og.desiredCapacity) og.maxSize = og.desiredCapacity;
  const title = `${k} more ${g.instanceType} node${k === 1 ? '' : 's'} in ${g.name}`;
  return { key: 'more-nodes', title, changes: [`eksctl scale nodegroup --cluster ${s.cluster.name} --name ${g.name} --nodes ${og.desiredCapacity}`], scenario: out };
}

function largerNodes(s: Scenario, ctx: WhatIfContext): WhatIf {
  const g = grownGroup(s, ctx);
  if (g === undefined) return { key: 'larger-nodes', title: 'larger nodes', unavailable: 'the cluster has no node group to resize' };
  return { key: 'larger-nodes', ...onLargerType(s, ctx.world, g.name) };
}
