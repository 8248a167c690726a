/**
 * Benchmark workloads: the YAML format of bench/workloads/*.yaml and its loader. A workload is a cluster shape
 * (VPC, subnets, node groups), a list of arrival patterns (burst, churn, diurnal, rollout) and a duration; it says
 * nothing about the pool policy, which the bench command varies.
 *
 * The loader checks everything a run would trip over (unknown instance types, bad CIDRs, subnets outside the VPC,
 * references to undefined deployments or node groups, times beyond the duration) and reports each as one
 * InputError `file:line:col: field: reason`. The result is plain JSON (it crosses to worker threads).
 * It is not the driver that turns patterns into cluster actions (src/bench/arrivals.ts).
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../util/input-error.ts';
import { findInstanceType, suggestInstanceTypes } from '../model/ec2/instance-types.ts';
import { cidrError, containsCidr, overlaps, parseCidr } from '../model/vpc/ipv4.ts';
import { YamlValue } from './yaml-input.ts';

export interface SubnetSpec {
  name: string;
  cidr: string;
  az: string;
  /** Subnet tags, e.g. kubernetes.io/role/cni: "1" for subnet discovery (spec §4.1). */
  tags: Record<string, string>;
}

export interface NodegroupSpec {
  name: string;
  instanceType: string;
  /** Nodes at the start. */
  nodes: number;
  /** Subnets the nodes launch into (round robin); default all subnets not tagged as secondary-only. */
  subnets: string[];
  /** Kubelet max pods; default the eni-max-pods value for the type. */
  maxPods?: number;
}

export interface DeploymentSpec {
  name: string;
  /** Replicas at the start (before the first pattern acts). */
  replicas: number;
}

/** Scale a deployment to `replicas` at `at` (a burst up, or down). */
export interface BurstPattern {
  kind: 'burst';
  at: number;
  deployment: string;
  replicas: number;
}

/**
 * Steady churn: individual pods arrive as a Poisson process and live an exponential time, so that about `pods`
 * of them run at once (rate = pods / lifetime). The run starts in that steady state.
 */
export interface ChurnPattern {
  kind: 'churn';
  pods: number;
  lifetime: number;
  from: number;
  until: number;
}

/** A deployment whose replicas follow min + (max − min)(1 − cos 2πt/period)/2, updated every `step`. */
export interface DiurnalPattern {
  kind: 'diurnal';
  deployment: string;
  min: number;
  max: number;
  period: number;
  step: number;
  from: number;
  until: number;
}

/** Replace every node of a node group, `batch` at a time every `every`: launch the new ones, then terminate old ones. */
export interface RolloutPattern {
  kind: 'rollout';
  nodegroup: string;
  at: number;
  batch: number;
  every: number;
}

export type Pattern = BurstPattern | ChurnPattern | DiurnalPattern | RolloutPattern;

export interface Workload {
  name: string;
  description: string;
  /** The file it came from (for messages), as given. */
  file: string;
  /** Measured time, ms. */
  duration: number;
  /** Cluster-wide sampling interval of pool and subnet figures, ms. */
  sampleEvery: number;
  cluster: {
    cniVersion: string;
    /** VPC IPv4 blocks, the primary first (each /16 to /28, at most 5: the default quota). */
    vpcCidrs: string[];
    subnets: SubnetSpec[];
    nodegroups: NodegroupSpec[];
    /** aws-node env under every policy (a policy's own settings win). */
    env: Record<string, string>;
    /** EC2 API throttling (token buckets, user-scenarios §C.1); on by default. */
    throttling: boolean;
  };
  deployments: DeploymentSpec[];
  patterns: Pattern[];
  /** Policies compared when --policies is not given. */
  policies: string[];
  /** Named env-only policies this workload defines (usable in `policies` and --policies). */
  definePolicies: Record<string, Record<string, string>>;
}

const MAX_DURATION = 7 * 24 * 3_600_000;
const MAX_NODES = 10_000;
const MAX_PODS = 1_000_000;

export function loadWorkloadFile(file: string): Workload {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError({ file }, code === 'ENOENT' ? 'no such file' : `cannot read: ${(err as Error).message}`);
  }
  return parseWorkload(file, text);
}

export function parseWorkload(file: string, text: string): Workload {
  const root = YamlValue.parse(file, text);
  const f = root.fields(['name', 'description', 'duration', 'sampleEvery', 'cluster', 'deployments', 'patterns', 'policies', 'definePolicies']);
  const duration = f.duration.duration(60_000, MAX_DURATION);
  const sampleEvery = f.sampleEvery.duration(1000, 3_600_000, 15_000);
  if (sampleEvery > duration) throw f.sampleEvery.error('must not exceed the duration');

  // cluster
  const c = f.cluster.required().fields(['cniVersion', 'vpcCidrs', 'subnets', 'nodegroups', 'env', 'throttling']);
  const vpcCidrs: string[] = [];
  for (const v of c.vpcCidrs.present ? c.vpcCidrs.items() : []) {
    const text = v.str();
    const err = cidrError(text);
    if (err !== undefined) throw v.error(err);
    const parsed = parseCidr(text);
    if (parsed.prefixLen < 16) throw v.error('a VPC block is /16 to /28');
    if (vpcCidrs.some((o) => overlaps(parseCidr(o), parsed))) throw v.error('overlaps another VPC block');
    vpcCidrs.push(text);
  }
  if (vpcCidrs.length === 0) vpcCidrs.push('10.0.0.0/16');
  if (vpcCidrs.length > 5) throw c.vpcCidrs.error('at most 5 VPC blocks (the default quota)');
  const vpcBlocks = vpcCidrs.map(parseCidr);

  const subnets: SubnetSpec[] = [];
  const subnetItems = c.subnets.required().items();
  if (subnetItems.length === 0) throw c.subnets.error('at least one subnet');
  for (const [i, s] of subnetItems.entries()) {
    const sf = s.fields(['name', 'cidr', 'az', 'tags']);
    const cidr = sf.cidr.str();
    const err = cidrError(cidr);
    if (err !== undefined) throw sf.cidr.error(err);
    const parsed = parseCidr(cidr);
    if (!vpcBlocks.some((b) => containsCidr(b, parsed))) throw sf.cidr.error(`not inside a VPC block (${vpcCidrs.join(', ')})`);
    if (parsed.prefixLen > 28) throw sf.cidr.error('a subnet is /16 to /28');
    for (const o of subnets) if (overlaps(parseCidr(o.cidr), parsed)) throw sf.cidr.error(`overlaps subnet ${o.name} (${o.cidr})`);
    const name = sf.name.str(`subnet-${i + 1}`);
    if (subnets.some((o) => o.name === name)) throw sf.name.error(`duplicate subnet name "${name}"`);
    const tags: Record<string, string> = {};
    for (const [k, v] of sf.tags.entries()) tags[k] = v.envValue();
    subnets.push({ name, cidr, az: sf.az.str('us-east-1a'), tags });
  }

  const nodegroups: NodegroupSpec[] = [];
  const ngItems = c.nodegroups.required().items();
  if (ngItems.length === 0) throw c.nodegroups.error('at least one node group');
  let totalNodes = 0;
  for (const [i, n] of ngItems.entries()) {
    const nf = n.fields(['name', 'instanceType', 'nodes', 'subnets', 'maxPods']);
    const name = nf.name.str(`ng-${i + 1}`);
    if (nodegroups.some((o) => o.name === name)) throw nf.name.error(`duplicate node group name "${name}"`);
    const type = nf.instanceType.str();
    if (findInstanceType(type) === undefined) {
      const near = suggestInstanceTypes(type);
      throw nf.instanceType.error(`unknown instance type "${type}"${near.length > 0 ? ` (e.g. ${near.join(', ')})` : ''}`);
    }
    const nodes = nf.nodes.int(0, MAX_NODES);
    totalNodes += nodes;
    let ngSubnets: string[];
    if (nf.subnets.present) {
      ngSubnets = nf.subnets.items().map((sv) => {
        const sn = sv.str();
        if (!subnets.some((s) => s.name === sn)) throw sv.error(`no subnet named "${sn}" (subnets: ${subnets.map((s) => s.name).join(', ')})`);
        return sn;
      });
      if (ngSubnets.length === 0) throw nf.subnets.error('at least one subnet');
    } else {
      ngSubnets = subnets.filter((s) => s.tags['kubernetes.io/role/cni'] === undefined).map((s) => s.name);
      if (ngSubnets.length === 0) ngSubnets = [subnets[0].name];
    }
    const maxPods = nf.maxPods.present ? nf.maxPods.int(1, 1000) : undefined;
    nodegroups.push({ name, instanceType: type, nodes, subnets: ngSubnets, ...(maxPods !== undefined ? { maxPods } : {}) });
  }
  if (totalNodes > MAX_NODES) throw c.nodegroups.error(`at most ${MAX_NODES} nodes in all, got ${totalNodes}`);

  const env: Record<string, string> = {};
  for (const [k, v] of c.env.entries()) env[k] = v.envValue();

  // deployments
  const deployments: DeploymentSpec[] = [];
  for (const [i, d] of f.deployments.items().entries()) {
    const df = d.fields(['name', 'replicas']);
    const name = df.name.str(`deploy-${i + 1}`);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) throw df.name.error('a Kubernetes name: lower-case letters, digits and "-"');
    if (deployments.some((o) => o.name === name)) throw df.name.error(`duplicate deployment "${name}"`);
    deployments.push({ name, replicas: df.replicas.int(0, MAX_PODS, 0) });
  }
  const deploymentNamed = (v: YamlValue): string => {
    const name = v.str();
    if (!deployments.some((d) => d.name === name)) {
      throw v.error(`no deployment named "${name}" (declare it under deployments:${deployments.length > 0 ? ` ${deployments.map((d) => d.name).join(', ')}` : ''})`);
    }
    return name;
  };
  const within = (v: YamlValue, dflt?: number) => v.duration(0, duration, dflt);

  // patterns
  const patterns: Pattern[] = [];
  const patternItems = f.patterns.required().items();
  if (patternItems.length === 0) throw f.patterns.error('at least one pattern');
  for (const p of patternItems) {
    const kind = p.fields(['kind', 'at', 'deployment', 'replicas', 'pods', 'lifetime', 'from', 'until', 'min', 'max', 'period', 'step', 'nodegroup', 'batch', 'every']).kind;
    const k = kind.oneOf(['burst', 'churn', 'diurnal', 'rollout'] as const);
    if (k === 'burst') {
      const pf = p.fields(['kind', 'at', 'deployment', 'replicas']);
      patterns.push({ kind: 'burst', at: within(pf.at), deployment: deploymentNamed(pf.deployment), replicas: pf.replicas.int(0, MAX_PODS) });
    } else if (k === 'churn') {
      const pf = p.fields(['kind', 'pods', 'lifetime', 'from', 'until']);
      const from = within(pf.from, 0);
      const until = within(pf.until, duration);
      if (until <= from) throw pf.until.error('must be after from');
      patterns.push({ kind: 'churn', pods: pf.pods.int(1, MAX_PODS), lifetime: pf.lifetime.duration(1000, MAX_DURATION), from, until });
    } else if (k === 'diurnal') {
      const pf = p.fields(['kind', 'deployment', 'min', 'max', 'period', 'step', 'from', 'until']);
      const min = pf.min.int(0, MAX_PODS);
      const max = pf.max.int(0, MAX_PODS);
      if (max < min) throw pf.max.error(`must be at least min (${min})`);
      const from = within(pf.from, 0);
      const until = within(pf.until, duration);
      if (until <= from) throw pf.until.error('must be after from');
      const period = pf.period.duration(60_000, MAX_DURATION);
      patterns.push({ kind: 'diurnal', deployment: deploymentNamed(pf.deployment), min, max, period, step: pf.step.duration(1000, period, Math.min(60_000, period)), from, until });
    } else {
      const pf = p.fields(['kind', 'nodegroup', 'at', 'batch', 'every']);
      const ngName = pf.nodegroup.str();
      const ng = nodegroups.find((n) => n.name === ngName);
      if (ng === undefined) throw pf.nodegroup.error(`no node group named "${ngName}" (node groups: ${nodegroups.map((n) => n.name).join(', ')})`);
      patterns.push({ kind: 'rollout', nodegroup: ngName, at: within(pf.at), batch: pf.batch.int(1, MAX_NODES), every: pf.every.duration(1000, MAX_DURATION) });
    }
  }

  const definePolicies: Record<string, Record<string, string>> = {};
  for (const [name, v] of f.definePolicies.entries()) {
    if (!/^[a-z0-9][-a-z0-9.]*$/.test(name)) throw v.error('a policy name: lower-case letters, digits, "-" and "."');
    const penv: Record<string, string> = {};
    for (const [k, ev] of v.entries()) {
      if (!/^[A-Z][A-Z0-9_]*$/.test(k)) throw ev.error('an environment variable name (upper case)');
      penv[k] = ev.envValue();
    }
    definePolicies[name] = penv;
  }
  const policies = f.policies.present ? f.policies.items().map((v) => v.str()) : ['warm-eni-1'];

  return {
    name: f.name.str(file.replace(/^.*\//, '').replace(/\.ya?ml$/, '')),
    description: f.description.str(''),
    file,
    duration,
    sampleEvery,
    cluster: {
      cniVersion: c.cniVersion.str('1.23.1'),
      vpcCidrs,
      subnets,
      nodegroups,
      env,
      throttling: c.throttling.bool(true),
    },
    deployments,
    patterns,
    policies,
    definePolicies,
  };
}

/** Nodes at the start, and pods the patterns can ask for at most (for sizing messages and the scale benchmark). */
export function workloadSize(w: Workload): { nodes: number; peakPods: number } {
  const nodes = w.cluster.nodegroups.reduce((a, n) => a + n.nodes, 0);
  let peakPods = 0;
  const dep = new Map(w.deployments.map((d) => [d.name, d.replicas]));
  const depPeak = new Map(dep);
  for (const p of w.patterns) {
    if (p.kind === 'burst') depPeak.set(p.deployment, Math.max(depPeak.get(p.deployment) ?? 0, p.replicas));
    if (p.kind === 'diurnal') depPeak.set(p.deployment, Math.max(depPeak.get(p.deployment) ?? 0, p.max));
    if (p.kind === 'churn') peakPods += p.pods;
  }
  for (const v of depPeak.values()) peakPods += v;
  return { nodes, peakPods };
}
