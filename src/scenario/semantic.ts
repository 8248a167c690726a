/**
 * Rules between fields of a structurally valid scenario (spec.ts): CIDR blocks that fit the VPC rules (spec
 * vpc.ts: /16–/28, no overlap, at most `cidrBlockLimit` blocks), subnets inside the VPC and not overlapping,
 * availability zones in the region, known instance types, node-group sizes, references between sections, and a
 * timeline in time order that only touches what exists by then (each step's own rules are its action's `check`,
 * actions/*.ts). Fills in defaults and builds the `Scenario`. Not here: per-field types and limits (validate.ts).
 */
import { ec2OptionsErrors, resolveEc2Options } from '../model/ec2/options.ts';
import { findInstanceType, instanceTypeNames } from '../model/ec2/instance-types.ts';
import { DEFAULT_VPC_CIDR_BLOCK_LIMIT } from '../model/vpc/vpc.ts';
import type { Cidr } from '../model/vpc/ipv4.ts';
import { formatDuration } from '../util/duration.ts';
import { didYouMean } from '../util/suggest.ts';
import type { CheckContext } from './actions/action.ts';
import createSubnet from './actions/aws-create-subnet.ts';
import eksctlScaleNodegroup from './actions/eksctl-scale-nodegroup.ts';
import { actionFor, type Action } from './actions/index.ts';
import { addVpcBlock, checkAz, checkEnvKey, checkSubnetCidr, unknownSubnet } from './rules.ts';
import type { Located } from './source.ts';
import type { Check, ClusterSpec, Ec2Spec, Expectation, NodeGroupSpec, Scenario, SubnetSpec } from './types.ts';
import { fail } from './validate.ts';

export const DEFAULT_CNI_VERSION = '1.23.1';
const DEFAULT_DURATION_MS = 600_000;
const AWS_RESERVED_PER_SUBNET = 5;

type Raw = Record<string, any>;
type Subnets = Map<string, { cidr: Cidr; az: string }>;

export function checkScenario(src: Located, v: Raw): Scenario {
  const region: string = v.region;
  const ec2: Ec2Spec = v.ec2 ?? {};
  const blockLimit = ec2.vpcCidrBlockLimit ?? DEFAULT_VPC_CIDR_BLOCK_LIMIT;
  for (const e of ec2OptionsErrors(resolveEc2Options(ec2))) {
    const [field, ...reason] = e.split(': ');
    fail(src, ['ec2', ...field.split('.')], reason.join(': '));
  }
  const blocks: Cidr[] = [];
  (v.vpc.cidrBlocks as string[]).forEach((text, i) => addVpcBlock(src, ['vpc', 'cidrBlocks', i], text, blocks, blockLimit));
  const subnetIds: Subnets = new Map();
  const subnets = checkSubnets(src, v.subnets, region, blocks, subnetIds);
  const timelineRaw = (v.timeline ?? []) as Raw[];
  const cluster = checkCluster(src, v, subnetIds, timelineRaw);
  const nodeGroups = checkNodeGroups(src, v.nodeGroups, new Set(subnetIds.keys()), timelineRaw);
  const groups = new Map(nodeGroups.map((g) => [g.name, g]));
  const ctx = { src, region, blocks, blockLimit, subnets: subnetIds, deployments: new Set<string>(), groups, written: {} };
  const timeline = checkTimeline(ctx, timelineRaw);
  const expect = ((v.expect ?? []) as Raw[]).map((e, i) => checkExpectation(src, e, i, subnetIds, groups));
  const duration = checkDuration(src, v.duration, timeline, expect);
  return {
    file: src.file,
    name: v.name,
    description: v.description ?? '',
    seed: v.seed ?? 1,
    region,
    duration,
    vpc: { cidrBlocks: v.vpc.cidrBlocks, ipv6: v.vpc.ipv6 ?? false },
    subnets,
    cluster,
    nodeGroups,
    ec2,
    deniedPermissions: v.deniedPermissions ?? [],
    timeline,
    expect,
  };
}

function checkSubnets(src: Located, raw: Raw[], region: string, blocks: Cidr[], subnetIds: Subnets): SubnetSpec[] {
  return raw.map((s, i) => {
    const path: (string | number)[] = ['subnets', i];
    checkAz(src, [...path, 'az'], s.az, region);
    if (subnetIds.has(s.id)) fail(src, [...path, 'id'], `duplicate subnet id "${s.id}"`);
    const c = checkSubnetCidr(src, [...path, 'cidr'], s.cidr, blocks, subnetIds);
    const usable = 2 ** (32 - c.prefixLen) - AWS_RESERVED_PER_SUBNET;
    const ext = s.externalUse ?? 0;
    if (ext > usable) fail(src, [...path, 'externalUse'], `${ext} addresses, but a /${c.prefixLen} has only ${usable} usable (AWS reserves 5)`);
    subnetIds.set(s.id, { cidr: c, az: s.az });
    const pub = s.public ?? false;
    return { id: s.id, az: s.az, cidr: s.cidr, public: pub, route: s.route ?? (pub ? 'igw' : 'nat'), tags: s.tags ?? {}, externalUse: ext };
  });
}

function checkCluster(src: Located, v: Raw, subnetIds: Subnets, timelineRaw: Raw[]): ClusterSpec {
  const c = v.cluster as Raw;
  const env: Record<string, string> = c.vpcCni?.env ?? {};
  for (const k of Object.keys(env)) checkEnvKey(src, ['cluster', 'vpcCni', 'env', k], k);
  const cluster: ClusterSpec = {
    name: c.name,
    kubernetesVersion: c.kubernetesVersion,
    ipFamily: c.ipFamily ?? 'ipv4',
    endpointAccess: c.endpointAccess ?? 'public',
    vpcCni: { version: c.vpcCni?.version ?? DEFAULT_CNI_VERSION, env },
    eniConfigs: ((c.eniConfigs ?? []) as Raw[]).map((e) => ({ name: e.name, subnet: e.subnet, securityGroups: e.securityGroups ?? [] })),
  };
  if (cluster.ipFamily === 'ipv6' && v.vpc.ipv6 !== true) fail(src, ['cluster', 'ipFamily'], 'an ipv6 cluster needs an IPv6 VPC: set vpc.ipv6: true');
  const minor = Number(cluster.kubernetesVersion.split('.')[1]);
  if (minor < 23 || minor > 34) fail(src, ['cluster', 'kubernetesVersion'], `"${cluster.kubernetesVersion}" is not an EKS version the simulator knows (1.23 to 1.34)`);
  // An ENIConfig may name a subnet the timeline creates later.
  const createdLater = new Set(timelineRaw.filter((a) => a.run === createSubnet.run).map((a) => a.id as string));
  const eniNames = new Set<string>();
  cluster.eniConfigs.forEach((e, i) => {
    if (eniNames.has(e.name)) fail(src, ['cluster', 'eniConfigs', i, 'name'], `duplicate ENIConfig "${e.name}"`);
    eniNames.add(e.name);
    if (!subnetIds.has(e.subnet) && !createdLater.has(e.subnet)) unknownSubnet(src, ['cluster', 'eniConfigs', i, 'subnet'], e.subnet, subnetIds.keys());
  });
  return cluster;
}

function checkNodeGroups(src: Located, raw: Raw[], initialSubnets: Set<string>, timelineRaw: Raw[]): NodeGroupSpec[] {
  const groupNames = new Set<string>();
  // The default maxSize leaves room for every later scale of the group.
  const scaleTargets = new Map<string, number>();
  for (const a of timelineRaw) if (a.run === eksctlScaleNodegroup.run) scaleTargets.set(a.nodegroup, Math.max(scaleTargets.get(a.nodegroup) ?? 0, a.nodes));
  return raw.map((g, i) => {
    const path: (string | number)[] = ['nodeGroups', i];
    if (groupNames.has(g.name)) fail(src, [...path, 'name'], `duplicate node group "${g.name}"`);
    groupNames.add(g.name);
    if (findInstanceType(g.instanceType) === undefined) {
      fail(src, [...path, 'instanceType'], `unknown instance type "${g.instanceType}"${didYouMean(g.instanceType, instanceTypeNames)}`);
    }
    (g.subnets as string[]).forEach((s, j) => {
      if (!initialSubnets.has(s)) unknownSubnet(src, [...path, 'subnets', j], s, initialSubnets);
    });
    const minSize = g.minSize ?? 0;
    const maxSize = g.maxSize ?? Math.max(g.desiredCapacity, scaleTargets.get(g.name) ?? 0);
    if (minSize > g.desiredCapacity) fail(src, [...path, 'minSize'], `minSize ${minSize} is above desiredCapacity ${g.desiredCapacity}`);
    if (maxSize < g.desiredCapacity) fail(src, [...path, 'maxSize'], `maxSize ${maxSize} is below desiredCapacity ${g.desiredCapacity}`);
    const out: NodeGroupSpec = { name: g.name, instanceType: g.instanceType, desiredCapacity: g.desiredCapacity, minSize, maxSize, subnets: g.subnets, labels: g.labels ?? {} };
    if (g.maxPods !== undefined) out.maxPods = g.maxPods;
    return out;
  });
}

/** Steps in time order, each checked by its action's rules against the file as read so far. */
function checkTimeline(ctx: CheckContext, raw: Raw[]): Action[] {
  let prevAt = 0;
  let prevIndex = -1;
  const written = ((ctx.src.value as Raw).timeline ?? []) as Raw[];
  return raw.map((a, i) => {
    const path: (string | number)[] = ['timeline', i];
    if (a.at < prevAt) {
      fail(ctx.src, [...path, 'at'], `${formatDuration(a.at)} is before the step above it (timeline[${prevIndex}] at ${formatDuration(prevAt)}); list steps in time order`);
    }
    prevAt = a.at;
    prevIndex = i;
    const step = { ...a, index: i } as Action;
    actionFor(a.run).check?.(step as never, { ...ctx, written: written[i] ?? {} }, path);
    return step;
  });
}

function checkExpectation(src: Located, e: Raw, i: number, subnetIds: Subnets, groups: Map<string, NodeGroupSpec>): Expectation {
  const path: (string | number)[] = ['expect', i];
  const check = toCheck(e);
  if (check.kind === 'subnet' && !subnetIds.has(check.id)) unknownSubnet(src, [...path, 'subnet', 'id'], check.id, subnetIds.keys());
  if (check.kind === 'enis' && check.nodeGroup !== undefined && !groups.has(check.nodeGroup)) {
    fail(src, [...path, 'enis', 'nodeGroup'], `no node group "${check.nodeGroup}"${didYouMean(check.nodeGroup, groups.keys())}`);
  }
  if (check.kind === 'enis' && [check.node, check.selector, check.nodeGroup].filter((x) => x !== undefined).length > 1) {
    fail(src, [...path, 'enis'], 'give at most one of node, selector, nodeGroup');
  }
  if (check.kind === 'pods' && check.count.all === true && check.phase === undefined) {
    fail(src, [...path, 'pods', 'count'], '`all` needs a phase (e.g. phase: Running, count: all)');
  }
  const out: Expectation = { at: e.at, check, index: i };
  if (e.description !== undefined) out.description = e.description;
  return out;
}

/** The run's length: as given (every step and check inside it), else up to the last step or check. */
function checkDuration(src: Located, given: number | undefined, timeline: Action[], expect: Expectation[]): number {
  const lastAction = timeline.length > 0 ? timeline[timeline.length - 1].at : 0;
  const lastExpect = expect.reduce((m, e) => Math.max(m, e.at), 0);
  const duration = given ?? (Math.max(lastAction, lastExpect) || DEFAULT_DURATION_MS);
  if (given === undefined) return duration;
  for (const [section, items] of [['timeline', timeline], ['expect', expect]] as const) {
    for (const x of items) {
      if (x.at > duration) fail(src, [section, x.index, 'at'], `${formatDuration(x.at)} is after the end of the run (duration ${formatDuration(duration)})`);
    }
  }
  return duration;
}

function toCheck(e: Raw): Check {
  for (const kind of ['pods', 'subnet', 'enis', 'nodes', 'stuck', 'ec2'] as const) {
    if (e[kind] !== undefined) return { kind, ...e[kind] } as Check;
  }
  throw new Error('unreachable: validate() enforces exactly one check');
}

