/**
 * The rules an `existing` section (spec.ts ExistingSpec) must keep before a World can start from it: every name it
 * uses is known (subnets, node groups, nodes, Deployments), every address lies in its ENI's subnet and is held once,
 * every ENI and node stays inside its instance type's limits (ENIs, IPv4 slots per ENI, prefix delegation), every pod
 * sits on a known node on an address that node's ENIs hold, within the node's max pods. A pure function of the spec:
 * the scenario loader calls it to point at the line, the World calls it again before building. Returns the first
 * problem as a path below `existing` and a reason; nothing is thrown. Not here: building (existing.ts).
 */
import { findInstanceType, supportsPrefixDelegation, type InstanceType } from '../ec2/instance-types.ts';
import { NODE_DAEMONSETS } from '../k8s/system-pods.ts';
import { computeMaxPods } from '../max-pods.ts';
import { isAwsReserved, usableAddressCount } from '../vpc/address-allocator.ts';
import { type Cidr, cidrLast, containsIp, formatCidr, parseCidr, parseIpv4 } from '../vpc/ipv4.ts';
import { didYouMean } from '../../util/suggest.ts';
import { groupMaxPods, type ExistingEniSpec, type ExistingNodeSpec, type ExistingPodSpec, type ExistingSpec, type WorldSpec } from './spec.ts';

/** A problem: where below the document's root (`['existing', 'nodes', 0, 'enis', 1, 'primaryIp']`) and why. */
export interface ExistingProblem {
  path: (string | number)[];
  reason: string;
}

/** What the rules need to know of the rest of the cluster. */
export interface ExistingContext {
  /** The subnet a scenario name or EC2 id means, with its key (one per subnet), CIDR and zone; undefined: unknown. */
  subnet(idOrName: string): Subnet | undefined;
  /** Every subnet name in the document's order, for did-you-mean and `externalUse`. */
  subnetNames: readonly string[];
  /** A subnet's `externalUse`, by name. */
  externalUse(name: string): number;
  /** Node groups by name: desired capacity and the group's max pods. */
  groups: ReadonlyMap<string, { desiredCapacity: number; maxPods: number }>;
  ipFamily: 'ipv4' | 'ipv6';
}

/** The context of `spec`'s subnets, node groups and IP family, with `subnet` to resolve a subnet's name or id. */
export function existingContext(spec: Pick<WorldSpec, 'subnets' | 'nodeGroups' | 'cluster'>, subnet: ExistingContext['subnet']): ExistingContext {
  return {
    subnet,
    subnetNames: spec.subnets.map((s) => s.id),
    externalUse: (name) => spec.subnets.find((s) => s.id === name)?.externalUse ?? 0,
    groups: new Map(spec.nodeGroups.map((g, i) => [g.name, { desiredCapacity: g.desiredCapacity, maxPods: groupMaxPods(g, i) }])),
    ipFamily: spec.cluster.ipFamily ?? 'ipv4',
  };
}

type Subnet = { key: string; cidr: Cidr; az: string };

class Problem extends Error {
  constructor(readonly problem: ExistingProblem) {
    super(problem.reason);
  }
}

function bad(path: (string | number)[], reason: string): never {
  throw new Problem({ path: ['existing', ...path], reason });
}

/** The first broken rule of `e`, or undefined when a World can start from it. */
export function checkExisting(e: ExistingSpec, ctx: ExistingContext): ExistingProblem | undefined {
  try {
    if (ctx.ipFamily === 'ipv6') bad([], 'an existing state is IPv4 only (the cluster is ipv6)');
    const held = new Map<number, string>();
    const nodes = new Map<string, { spec: ExistingNodeSpec; maxPods: number; podIps: Set<number>; prefixes: Cidr[]; pods: number }>();
    const ids = new Set<string>();
    const perGroup = new Map<string, number>();
    e.nodes.forEach((n, i) => {
      if (nodes.has(n.name)) bad(['nodes', i, 'name'], `duplicate node "${n.name}"`);
      if (ids.has(n.instanceId)) bad(['nodes', i, 'instanceId'], `duplicate instance id "${n.instanceId}"`);
      ids.add(n.instanceId);
      const t = findInstanceType(n.instanceType);
      if (t === undefined) bad(['nodes', i, 'instanceType'], `unknown instance type "${n.instanceType}"`);
      const subnet = knownSubnet(ctx, n.subnet, ['nodes', i, 'subnet']);
      let maxPods = n.maxPods;
      if (n.nodeGroup !== undefined) {
        const g = ctx.groups.get(n.nodeGroup);
        if (g === undefined) bad(['nodes', i, 'nodeGroup'], `no node group "${n.nodeGroup}"${didYouMean(n.nodeGroup, ctx.groups.keys())}`);
        perGroup.set(n.nodeGroup, (perGroup.get(n.nodeGroup) ?? 0) + 1);
        if (perGroup.get(n.nodeGroup)! > g.desiredCapacity) {
          bad(['nodes', i, 'nodeGroup'], `node group "${n.nodeGroup}" has desiredCapacity ${g.desiredCapacity}, fewer than its existing nodes (${perGroup.get(n.nodeGroup)} so far)`);
        }
        maxPods ??= g.maxPods;
      }
      const node = { spec: n, maxPods: maxPods ?? computeMaxPods(t).maxPods, podIps: new Set<number>(), prefixes: [] as Cidr[], pods: 0 };
      checkEnis(n, i, t, subnet, ctx, held, node, ids);
      nodes.set(n.name, node);
    });
    checkPods(e, nodes);
    checkExternalUse(ctx, held);
    return undefined;
  } catch (err) {
    if (err instanceof Problem) return err.problem;
    throw err;
  }
}

/** Each subnet's outside users must still fit beside the existing ENIs' addresses (they are placed after them). */
function checkExternalUse(ctx: ExistingContext, held: ReadonlyMap<number, string>): void {
  ctx.subnetNames.forEach((name, i) => {
    const want = ctx.externalUse(name);
    const s = ctx.subnet(name);
    if (want === 0 || s === undefined) return;
    let used = 0;
    for (let ip = s.cidr.base; ip <= cidrLast(s.cidr); ip++) if (held.has(ip)) used++;
    const free = usableAddressCount(s.cidr) - used;
    if (want > free) throw new Problem({ path: ['subnets', i, 'externalUse'], reason: `${want} addresses held outside the cluster, but only ${free} are free besides the existing ENIs'` });
  });
}

function knownSubnet(ctx: ExistingContext, name: string, path: (string | number)[]): Subnet {
  const s = ctx.subnet(name);
  if (s === undefined) bad(path, `unknown subnet "${name}"${didYouMean(name, ctx.subnetNames)}`);
  return s;
}

function checkEnis(
  n: ExistingNodeSpec,
  i: number,
  t: InstanceType,
  nodeSubnet: Subnet,
  ctx: ExistingContext,
  held: Map<number, string>,
  node: { podIps: Set<number>; prefixes: Cidr[] },
  ids: Set<string>,
): void {
  const at = (j: number, ...rest: (string | number)[]) => ['nodes', i, 'enis', j, ...rest];
  if (n.enis.length === 0) bad(['nodes', i, 'enis'], 'a node needs its primary ENI (device index 0)');
  if (n.enis.length > t.enis) bad(['nodes', i, 'enis'], `${n.enis.length} ENIs, but a ${t.name} takes at most ${t.enis}`);
  const devices = new Set<number>();
  n.enis.forEach((eni: ExistingEniSpec, j) => {
    if (j === 0 && eni.deviceIndex !== 0) bad(at(j, 'deviceIndex'), 'the first ENI is the primary: device index 0');
    if (devices.has(eni.deviceIndex)) bad(at(j, 'deviceIndex'), `device index ${eni.deviceIndex} is used twice on ${n.name}`);
    devices.add(eni.deviceIndex);
    if (ids.has(eni.id)) bad(at(j, 'id'), `duplicate ENI id "${eni.id}"`);
    ids.add(eni.id);
    const s = knownSubnet(ctx, eni.subnet, at(j, 'subnet'));
    if (j === 0 && s.key !== nodeSubnet.key) bad(at(j, 'subnet'), `the primary ENI is in the node's subnet ("${n.subnet}")`);
    if (s.az !== nodeSubnet.az) bad(at(j, 'subnet'), `subnet "${eni.subnet}" is in ${s.az}, the node in ${nodeSubnet.az}`);
    const secondaries = eni.secondaryIps ?? [];
    const prefixes = eni.prefixes ?? [];
    if (secondaries.length + prefixes.length > t.ipv4PerEni - 1) {
      bad(at(j), `${secondaries.length} secondary IPs and ${prefixes.length} prefixes, but a ${t.name} ENI holds at most ${t.ipv4PerEni - 1} besides its primary`);
    }
    if (prefixes.length > 0 && !supportsPrefixDelegation(t)) bad(at(j, 'prefixes'), `prefix delegation is not supported for instance type ${t.name}`);
    const label = `${n.name} ${eni.id}`;
    holdAddress(held, s.cidr, eni.primaryIp, label, at(j, 'primaryIp'), eni.subnet);
    secondaries.forEach((ip, k) => node.podIps.add(holdAddress(held, s.cidr, ip, label, at(j, 'secondaryIps', k), eni.subnet)));
    prefixes.forEach((p, k) => node.prefixes.push(holdPrefix(held, s.cidr, p, label, at(j, 'prefixes', k), eni.subnet)));
  });
}

function parseAddress(text: string, path: (string | number)[]): number {
  try {
    return parseIpv4(text);
  } catch (err) {
    bad(path, (err as Error).message);
  }
}

function holdAddress(held: Map<number, string>, c: Cidr, text: string, by: string, path: (string | number)[], subnet: string): number {
  const ip = parseAddress(text, path);
  if (!containsIp(c, ip)) bad(path, `${text} is outside subnet "${subnet}" (${formatCidr(c)})`);
  if (isAwsReserved(c, ip)) bad(path, `${text} is one of the five addresses AWS reserves in ${formatCidr(c)}`);
  const prev = held.get(ip);
  if (prev !== undefined) bad(path, `${text} is already held by ${prev}`);
  held.set(ip, by);
  return ip;
}

function holdPrefix(held: Map<number, string>, c: Cidr, text: string, by: string, path: (string | number)[], subnet: string): Cidr {
  let p: Cidr;
  try {
    p = parseCidr(text);
  } catch (err) {
    bad(path, (err as Error).message);
  }
  if (p.prefixLen !== 28) bad(path, `${text} is not a /28 (delegated prefixes are /28s)`);
  if (!containsIp(c, p.base)) bad(path, `${text} is outside subnet "${subnet}" (${formatCidr(c)})`);
  for (let ip = p.base; ip < p.base + 16; ip++) {
    if (isAwsReserved(c, ip)) bad(path, `${text} overlaps the addresses AWS reserves in ${formatCidr(c)}`);
    const prev = held.get(ip);
    if (prev !== undefined) bad(path, `${text} overlaps an address already held by ${prev}`);
  }
  for (let ip = p.base; ip < p.base + 16; ip++) held.set(ip, by);
  return p;
}

function checkPods(e: ExistingSpec, nodes: Map<string, { spec: ExistingNodeSpec; maxPods: number; podIps: Set<number>; prefixes: Cidr[]; pods: number }>): void {
  const deployments = new Set<string>();
  (e.deployments ?? []).forEach((d, i) => {
    const meta = (d.metadata ?? {}) as { name?: unknown; namespace?: unknown };
    const key = `${typeof meta.namespace === 'string' ? meta.namespace : 'default'}/${String(meta.name)}`;
    if (deployments.has(key)) bad(['deployments', i, 'metadata', 'name'], `duplicate Deployment ${key}`);
    deployments.add(key);
  });
  const pods = new Set<string>();
  const podAt = new Map<number, string>();
  (e.pods ?? []).forEach((p: ExistingPodSpec, i) => {
    const ns = p.namespace ?? 'default';
    const key = `${ns}/${p.name}`;
    if (pods.has(key)) bad(['pods', i, 'name'], `duplicate pod ${key}`);
    pods.add(key);
    const node = nodes.get(p.node);
    if (node === undefined) bad(['pods', i, 'node'], `no existing node "${p.node}"${didYouMean(p.node, nodes.keys())}`);
    if (p.deployment !== undefined && !deployments.has(`${ns}/${p.deployment}`)) {
      bad(['pods', i, 'deployment'], `no Deployment ${ns}/${p.deployment} in existing.deployments${didYouMean(`${ns}/${p.deployment}`, deployments)}`);
    }
    // aws-node and kube-proxy run on every node besides these
    if (++node.pods + NODE_DAEMONSETS.length > node.maxPods) bad(['pods', i, 'node'], `more pods on ${p.node} than its max pods ${node.maxPods} (aws-node and kube-proxy count too)`);
    if (p.hostNetwork === true) return;
    if (p.ip === undefined) bad(['pods', i, 'ip'], 'a pod that is not hostNetwork needs its ip');
    const ip = parseAddress(p.ip, ['pods', i, 'ip']);
    if (!node.podIps.has(ip) && !node.prefixes.some((c) => containsIp(c, ip))) {
      bad(['pods', i, 'ip'], `${p.ip} is not a secondary IP or in a prefix of ${p.node}'s ENIs`);
    }
    const prev = podAt.get(ip);
    if (prev !== undefined) bad(['pods', i, 'ip'], `${p.ip} is already the address of pod ${prev}`);
    podAt.set(ip, key);
  });
}
