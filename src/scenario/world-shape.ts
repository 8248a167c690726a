/**
 * The rules of a cluster's shape, shared by scenario files and benchmark workloads: VPC blocks that fit the VPC rules
 * (spec vpc.ts: /16–/28, no overlap, at most `cidrBlockLimit` blocks), subnets inside the VPC and not overlapping,
 * availability zones in the region, known instance types, node-group sizes, ENIConfigs naming real subnets, EC2
 * options that resolve. Fills in every default and returns the World's own spec (src/model/world/spec.ts) — no
 * restatement in between. Not here: per-field types and limits (validate.ts), timelines and checks (semantic.ts).
 */
import { ec2OptionsErrors, resolveEc2Options, type Ec2OptionsInput } from '../model/ec2/options.ts';
import { findInstanceType, instanceTypeNames } from '../model/ec2/instance-types.ts';
import { usableAddressCount } from '../model/vpc/address-allocator.ts';
import type { Cidr } from '../model/vpc/ipv4.ts';
import { DEFAULT_VPC_CIDR_BLOCK_LIMIT } from '../model/vpc/vpc.ts';
import type { ClusterSpec, NodeGroupSpec, SubnetSpec, WorldSpec } from '../model/world/spec.ts';
import { didYouMean } from '../util/suggest.ts';
import createSubnet from './actions/aws-create-subnet.ts';
import eksctlScaleNodegroup from './actions/eksctl-scale-nodegroup.ts';
import { addVpcBlock, checkAz, checkEnvKey, checkSubnetCidr, unknownSubnet } from './rules.ts';
import type { Located } from './source.ts';
import { fail } from './validate.ts';

export const DEFAULT_CNI_VERSION = '1.23.1';

type Raw = Record<string, any>;
type Subnets = Map<string, { cidr: Cidr; az: string }>;

/** A WorldSpec as a loader makes it (no seed yet): every default the file left out filled in. */
export type LoadedWorldSpec = Omit<WorldSpec, 'seed'> & {
  vpc: Required<WorldSpec['vpc']>;
  subnets: Required<SubnetSpec>[];
  cluster: Required<Omit<ClusterSpec, 'coreDnsReplicas' | 'vpcCni'>> & { vpcCni: Required<ClusterSpec['vpcCni']> };
  ec2: Ec2OptionsInput;
  deniedPermissions: string[];
};

/** A checked cluster shape, and what later rules need to know of it. */
export interface WorldShape {
  spec: LoadedWorldSpec;
  /** VPC blocks at start (later steps may add to the list). */
  blocks: Cidr[];
  blockLimit: number;
  /** Subnets at start, by id. */
  subnets: Subnets;
}

/**
 * Checks `region`, `vpc`, `subnets`, `cluster`, `nodeGroups`, `ec2` and `deniedPermissions` of a validated file.
 * `timeline` is the file's steps as written (subnets created later, node-group scales), empty for a workload.
 */
export function checkWorldShape(src: Located, v: Raw, timeline: readonly Raw[]): WorldShape {
  const region: string = v.region;
  const ec2: Ec2OptionsInput = v.ec2 ?? {};
  const blockLimit = ec2.vpcCidrBlockLimit ?? DEFAULT_VPC_CIDR_BLOCK_LIMIT;
  for (const e of ec2OptionsErrors(resolveEc2Options(ec2))) {
    const [field, ...reason] = e.split(': ');
    fail(src, ['ec2', ...field.split('.')], reason.join(': '));
  }
  const blocks: Cidr[] = [];
  (v.vpc.cidrBlocks as string[]).forEach((text, i) => addVpcBlock(src, ['vpc', 'cidrBlocks', i], text, blocks, blockLimit));
  const subnetIds: Subnets = new Map();
  const subnets = checkSubnets(src, v.subnets, region, blocks, subnetIds);
  const cluster = checkCluster(src, v, subnetIds, timeline);
  const nodeGroups = checkNodeGroups(src, v.nodeGroups, new Set(subnetIds.keys()), timeline);
  const spec = { region, vpc: { cidrBlocks: v.vpc.cidrBlocks, ipv6: v.vpc.ipv6 ?? false }, subnets, cluster, nodeGroups, ec2, deniedPermissions: v.deniedPermissions ?? [] };
  return { spec, blocks, blockLimit, subnets: subnetIds };
}

function checkSubnets(src: Located, raw: Raw[], region: string, blocks: Cidr[], subnetIds: Subnets): Required<SubnetSpec>[] {
  return raw.map((s, i) => {
    const path: (string | number)[] = ['subnets', i];
    checkAz(src, [...path, 'az'], s.az, region);
    if (subnetIds.has(s.id)) fail(src, [...path, 'id'], `duplicate subnet id "${s.id}"`);
    const c = checkSubnetCidr(src, [...path, 'cidr'], s.cidr, blocks, subnetIds);
    const usable = usableAddressCount(c);
    const ext = s.externalUse ?? 0;
    if (ext > usable) fail(src, [...path, 'externalUse'], `${ext} addresses, but a /${c.prefixLen} has only ${usable} usable (AWS reserves 5)`);
    subnetIds.set(s.id, { cidr: c, az: s.az });
    const pub = s.public ?? false;
    return { id: s.id, az: s.az, cidr: s.cidr, public: pub, route: s.route ?? (pub ? 'igw' : 'nat'), tags: s.tags ?? {}, externalUse: ext };
  });
}

function checkCluster(src: Located, v: Raw, subnetIds: Subnets, timelineRaw: readonly Raw[]): WorldShape['spec']['cluster'] {
  const c = v.cluster as Raw;
  const env: Record<string, string> = c.vpcCni?.env ?? {};
  for (const k of Object.keys(env)) checkEnvKey(src, ['cluster', 'vpcCni', 'env', k], k);
  const cluster: WorldShape['spec']['cluster'] = {
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

function checkNodeGroups(src: Located, raw: Raw[], initialSubnets: Set<string>, timelineRaw: readonly Raw[]): NodeGroupSpec[] {
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

