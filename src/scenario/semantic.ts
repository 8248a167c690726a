/**
 * Rules between fields of a structurally valid scenario (spec.ts): CIDR blocks that fit the VPC rules (spec
 * vpc.ts: /16–/28, no overlap, at most `cidrBlockLimit` blocks), subnets inside the VPC and not overlapping,
 * availability zones in the region, known instance types, node-group sizes, references between sections, and a
 * timeline in time order that only touches what exists by then. Fills in defaults and builds the `Scenario`.
 * Not here: per-field types and limits (validate.ts).
 */
import { ec2OptionsErrors, resolveEc2Options } from '../model/ec2/options.ts';
import { findInstanceType, instanceTypeNames } from '../model/ec2/instance-types.ts';
import { KNOWN_ENV_KEYS } from '../model/ipamd/config.ts';
import { DEFAULT_VPC_CIDR_BLOCK_LIMIT } from '../model/vpc/vpc.ts';
import { containsCidr, formatCidr, overlaps, parseCidr, type Cidr } from '../model/vpc/ipv4.ts';
import { formatDuration } from './duration.ts';
import type { Located, Path } from './source.ts';
import { didYouMean, nearest } from '../util/suggest.ts';
import type { Action, Check, ClusterSpec, Ec2Spec, Expectation, NodeGroupSpec, Scenario, SubnetSpec } from './types.ts';
import { fail } from './validate.ts';

export const DEFAULT_CNI_VERSION = '1.23.1';
const DEFAULT_DURATION_MS = 600_000;
/**
 * Without a `duration`, a run whose last timeline step comes after its last expectation (or that has none) goes on
 * this long after that step, so the step's effect — an ENI attached, pods getting addresses — is in the report.
 * Two minutes covers a node joining (≈ 1 min), an ENI create-attach-IMDS round (≤ 20 s) and a pool pass, though not
 * a 120 s InsufficientFreeAddressesInSubnet freeze ending (docs/scenario-format.md "When the run ends").
 */
export const SETTLE_MS = 120_000;
/** Kinds `kubectl apply` understands in the simulator. */
export const APPLY_KINDS = ['Deployment', 'ENIConfig'] as const;
const AWS_RESERVED_PER_SUBNET = 5;

type Raw = Record<string, any>;

export function checkScenario(src: Located, v: Raw): Scenario {
  const region: string = v.region;
  const ec2: Ec2Spec = v.ec2 ?? {};
  const blockLimit = ec2.vpcCidrBlockLimit ?? DEFAULT_VPC_CIDR_BLOCK_LIMIT;
  for (const e of ec2OptionsErrors(resolveEc2Options(ec2))) {
    const [field, ...reason] = e.split(': ');
    fail(src, ['ec2', ...field.split('.')], reason.join(': '));
  }

  // VPC blocks (vpc.ts rules).
  const blocks: Cidr[] = [];
  (v.vpc.cidrBlocks as string[]).forEach((text, i) => {
    const c = parseCidr(text);
    const path = ['vpc', 'cidrBlocks', i];
    if (c.prefixLen < 16 || c.prefixLen > 28) fail(src, path, `a VPC block must be /16 to /28, got /${c.prefixLen}`);
    const clash = blocks.find((b) => overlaps(b, c));
    if (clash !== undefined) fail(src, path, `${text} overlaps ${formatCidr(clash)}, already a block of this VPC`);
    blocks.push(c);
    if (blocks.length > blockLimit) {
      fail(src, path, `the VPC would hold ${blocks.length} IPv4 CIDR blocks; the quota is ${blockLimit} (primary + ${blockLimit - 1} secondary; raise ec2.vpcCidrBlockLimit, at most 50)`);
    }
  });

  // Subnets.
  const subnetIds = new Map<string, { cidr: Cidr; az: string }>();
  const subnets: SubnetSpec[] = (v.subnets as Raw[]).map((s, i) => {
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
  const initialSubnets = new Set(subnetIds.keys());

  // Cluster.
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

  // Timeline (first pass: collect subnets created later, for ENIConfig references).
  const timelineRaw = (v.timeline ?? []) as Raw[];
  const createdLater = new Set(timelineRaw.filter((a) => a.run === 'aws ec2 create-subnet').map((a) => a.id as string));
  const eniNames = new Set<string>();
  cluster.eniConfigs.forEach((e, i) => {
    if (eniNames.has(e.name)) fail(src, ['cluster', 'eniConfigs', i, 'name'], `duplicate ENIConfig "${e.name}"`);
    eniNames.add(e.name);
    if (!subnetIds.has(e.subnet) && !createdLater.has(e.subnet)) unknownSubnet(src, ['cluster', 'eniConfigs', i, 'subnet'], e.subnet, subnetIds.keys());
  });

  // Node groups.
  const groupNames = new Set<string>();
  const scaleTargets = new Map<string, number>();
  for (const a of timelineRaw) if (a.run === 'eksctl scale nodegroup') scaleTargets.set(a.nodegroup, Math.max(scaleTargets.get(a.nodegroup) ?? 0, a.nodes));
  const nodeGroups: NodeGroupSpec[] = (v.nodeGroups as Raw[]).map((g, i) => {
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
  const groupsByName = new Map(nodeGroups.map((g) => [g.name, g]));

  // Timeline, in order.
  let prevAt = 0;
  let prevIndex = -1;
  const deployments = new Set<string>();
  const timeline: Action[] = timelineRaw.map((a, i) => {
    const path: (string | number)[] = ['timeline', i];
    if (a.at < prevAt) {
      fail(src, [...path, 'at'], `${formatDuration(a.at)} is before the step above it (timeline[${prevIndex}] at ${formatDuration(prevAt)}); list steps in time order`);
    }
    prevAt = a.at;
    prevIndex = i;
    switch (a.run) {
      case 'kubectl apply':
        (a.manifest as unknown[]).forEach((m, j) => {
          const mp = Array.isArray((src.value as Raw).timeline[i].manifest) ? [...path, 'manifest', j] : [...path, 'manifest'];
          const d = checkManifest(src, mp, m);
          if (d !== undefined) deployments.add(d);
        });
        break;
      case 'kubectl scale':
        if (!deployments.has(`${a.namespace ?? 'default'}/${a.deployment}`)) {
          fail(src, [...path, 'deployment'], `no Deployment "${a.deployment}" is applied before ${formatDuration(a.at)}${didYouMean(a.deployment, [...deployments].map((d) => d.split('/')[1]))}`);
        }
        break;
      case 'kubectl delete': {
        const [kind, name] = (a.resource as string).split('/');
        if (/^deploy/.test(kind) && !deployments.has(`${a.namespace ?? 'default'}/${name}`)) {
          fail(src, [...path, 'resource'], `no Deployment "${name}" is applied before ${formatDuration(a.at)}`);
        }
        break;
      }
      case 'kubectl set env daemonset aws-node':
        for (const k of Object.keys(a.env)) checkEnvKey(src, [...path, 'env', k], k);
        break;
      case 'aws ec2 associate-vpc-cidr-block': {
        const cb = parseCidr(a.cidrBlock);
        if (cb.prefixLen < 16 || cb.prefixLen > 28) fail(src, [...path, 'cidrBlock'], `a VPC block must be /16 to /28, got /${cb.prefixLen}`);
        const clash = blocks.find((b) => overlaps(b, cb));
        if (clash !== undefined) fail(src, [...path, 'cidrBlock'], `${a.cidrBlock} overlaps ${formatCidr(clash)}, already a block of this VPC`);
        blocks.push(cb);
        if (blocks.length > blockLimit) {
          fail(src, [...path, 'cidrBlock'], `the VPC would hold ${blocks.length} IPv4 CIDR blocks; the quota is ${blockLimit} (primary + ${blockLimit - 1} secondary; raise ec2.vpcCidrBlockLimit, at most 50)`);
        }
        break;
      }
      case 'aws ec2 create-subnet': {
        checkAz(src, [...path, 'availabilityZone'], a.availabilityZone, region);
        if (subnetIds.has(a.id)) fail(src, [...path, 'id'], `duplicate subnet id "${a.id}"`);
        const sc = checkSubnetCidr(src, [...path, 'cidrBlock'], a.cidrBlock, blocks, subnetIds, true);
        subnetIds.set(a.id, { cidr: sc, az: a.availabilityZone });
        break;
      }
      case 'aws ec2 create-tags':
      case 'aws ec2 delete-tags':
        (a.resources as string[]).forEach((r, j) => {
          if (!subnetIds.has(r)) unknownSubnet(src, [...path, 'resources', j], r, subnetIds.keys(), 'resource');
        });
        break;
      case 'eksctl scale nodegroup': {
        const g = groupsByName.get(a.nodegroup);
        if (g === undefined) fail(src, [...path, 'nodegroup'], `no node group "${a.nodegroup}"${didYouMean(a.nodegroup, groupsByName.keys())}`);
        if (a.nodes > g.maxSize) fail(src, [...path, 'nodes'], `${a.nodes} nodes is above the group's maxSize ${g.maxSize}`);
        if (a.nodes < g.minSize) fail(src, [...path, 'nodes'], `${a.nodes} nodes is below the group's minSize ${g.minSize}`);
        break;
      }
    }
    return { ...a, index: i } as Action;
  });

  // Expectations.
  const lastAction = timeline.length > 0 ? timeline[timeline.length - 1].at : 0;
  const expect: Expectation[] = ((v.expect ?? []) as Raw[]).map((e, i) => {
    const path: (string | number)[] = ['expect', i];
    const check = toCheck(e);
    if (check.kind === 'subnet' && !subnetIds.has(check.id)) unknownSubnet(src, [...path, 'subnet', 'id'], check.id, subnetIds.keys());
    if (check.kind === 'enis' && check.nodeGroup !== undefined && !groupsByName.has(check.nodeGroup)) {
      fail(src, [...path, 'enis', 'nodeGroup'], `no node group "${check.nodeGroup}"${didYouMean(check.nodeGroup, groupsByName.keys())}`);
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
  });
  const lastExpect = expect.reduce((m, e) => Math.max(m, e.at), 0);
  const lastActionSettled = lastAction > lastExpect || expect.length === 0 ? lastAction + SETTLE_MS : lastAction;
  const duration: number = v.duration ?? (Math.max(lastAction, lastExpect) === 0 ? DEFAULT_DURATION_MS : Math.max(lastActionSettled, lastExpect));
  if (v.duration !== undefined) {
    timeline.forEach((a) => {
      if (a.at > duration) fail(src, ['timeline', a.index, 'at'], `${formatDuration(a.at)} is after the end of the run (duration ${formatDuration(duration)})`);
    });
    expect.forEach((e) => {
      if (e.at > duration) fail(src, ['expect', e.index, 'at'], `${formatDuration(e.at)} is after the end of the run (duration ${formatDuration(duration)})`);
    });
  }

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

function toCheck(e: Raw): Check {
  for (const kind of ['pods', 'subnet', 'enis', 'nodes', 'stuck', 'ec2'] as const) {
    if (e[kind] !== undefined) return { kind, ...e[kind] } as Check;
  }
  throw new Error('unreachable: validate() enforces exactly one check');
}

function checkAz(src: Located, path: Path, az: string, region: string): void {
  if (!az.startsWith(region) || az.length !== region.length + 1) {
    fail(src, path, `availability zone "${az}" is not in region ${region} (expected ${region}a, ${region}b, …)`);
  }
}

function checkSubnetCidr(src: Located, path: Path, text: string, blocks: Cidr[], existing: Map<string, { cidr: Cidr }>, later = false): Cidr {
  const c = parseCidr(text);
  if (c.prefixLen < 16 || c.prefixLen > 28) fail(src, path, `a subnet must be /16 to /28, got /${c.prefixLen}`);
  if (!blocks.some((b) => containsCidr(b, c))) {
    const inVpc = blocks.map(formatCidr).join(', ');
    fail(src, path, `${text} is outside the VPC (blocks ${later ? 'by then' : 'at start'}: ${inVpc})${later ? '' : '; add the block to vpc.cidrBlocks or create the subnet after an associate-vpc-cidr-block step'}`);
  }
  for (const [id, s] of existing) {
    if (overlaps(s.cidr, c)) fail(src, path, `${text} overlaps subnet ${id} (${formatCidr(s.cidr)})`);
  }
  return c;
}

function unknownSubnet(src: Located, path: Path, id: string, known: Iterable<string>, what = 'subnet'): never {
  const list = [...known];
  fail(src, path, `unknown ${what} "${id}"${didYouMean(id, list) || (list.length > 0 && list.length <= 8 ? ` (subnets: ${list.join(', ')})` : '')}`);
}

function checkEnvKey(src: Located, path: Path, key: string): void {
  if (KNOWN_ENV_KEYS.includes(key)) return;
  const near = nearest(key, KNOWN_ENV_KEYS, 1);
  if (near.length > 0) fail(src, path, `unknown aws-node variable "${key}" (did you mean "${near[0]}"?)`, true);
}

/** Light checks of a manifest as `kubectl apply` would make them; returns "ns/name" of a Deployment. */
function checkManifest(src: Located, path: Path, m: unknown): string | undefined {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) fail(src, path, 'expected a Kubernetes object (a map with apiVersion, kind, metadata)');
  const o = m as Raw;
  if (typeof o.apiVersion !== 'string') fail(src, [...path, 'apiVersion'], 'missing apiVersion (e.g. apps/v1)');
  if (typeof o.kind !== 'string') fail(src, [...path, 'kind'], 'missing kind (e.g. Deployment)');
  if (!(APPLY_KINDS as readonly string[]).includes(o.kind)) {
    fail(src, [...path, 'kind'], `kind "${o.kind}" is not simulated (supported: ${APPLY_KINDS.join(', ')})${didYouMean(o.kind, APPLY_KINDS)}`);
  }
  const name = o.metadata?.name;
  if (typeof name !== 'string' || !/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(name)) {
    fail(src, [...path, 'metadata', 'name'], `expected a lower-case object name, got ${JSON.stringify(name) ?? 'nothing'}`);
  }
  const ns = o.metadata?.namespace ?? 'default';
  if (o.kind === 'Deployment') {
    const spec = o.spec;
    if (typeof spec !== 'object' || spec === null) fail(src, [...path, 'spec'], `a ${o.kind} needs a spec`);
    if (o.kind === 'Deployment') {
      const r = spec.replicas ?? 1;
      if (typeof r !== 'number' || !Number.isInteger(r)) fail(src, [...path, 'spec', 'replicas'], `expected a whole number of replicas, got ${JSON.stringify(r)}`);
      if (r < 0) fail(src, [...path, 'spec', 'replicas'], `replicas must not be negative (got ${r})`);
      if (r > 100_000) fail(src, [...path, 'spec', 'replicas'], `${r} replicas is more than the simulator's 100000`);
    }
    const podSpec = spec.template?.spec;
    const specPath = [...path, 'spec', 'template', 'spec'];
    if (typeof podSpec !== 'object' || podSpec === null) fail(src, specPath, 'missing the pod spec');
    if (!Array.isArray(podSpec.containers) || podSpec.containers.length === 0) fail(src, [...specPath, 'containers'], 'a pod needs at least one container');
    podSpec.containers.forEach((ct: Raw, i: number) => {
      if (typeof ct?.name !== 'string') fail(src, [...specPath, 'containers', i, 'name'], 'a container needs a name');
      if (typeof ct?.image !== 'string') fail(src, [...specPath, 'containers', i, 'image'], 'a container needs an image');
    });
    {
      const sel = spec.selector?.matchLabels;
      const labels = spec.template?.metadata?.labels;
      if (typeof sel !== 'object' || sel === null) fail(src, [...path, 'spec', 'selector'], 'missing spec.selector.matchLabels');
      for (const [k, val] of Object.entries(sel)) {
        if (labels?.[k] !== val) fail(src, [...path, 'spec', 'selector', 'matchLabels', k], `selector does not match template labels (${k}=${String(val)})`);
      }
    }
  }
  return o.kind === 'Deployment' ? `${ns}/${name}` : undefined;
}
