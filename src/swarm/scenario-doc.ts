/**
 * A generated scenario (generate.ts) printed in the scenario format (src/scenario/spec.ts, docs/scenario-format.md),
 * so every counterexample is a file `vpc-cni-sim run FILE --check-invariants` replays. The safety phase's faults
 * become `ec2.faults`, `ec2.throttling`, `ec2.imdsLag` and `deniedPermissions`; their healing is the timeline step
 * `sim heal-faults` at `healAt` (HEAL_STEP, when asked for). Nothing random happens here: the same GenScenario always prints the same text.
 */
import { stringify } from 'yaml';
import { formatDuration } from '../util/duration.ts';
import { usableAddressCount } from '../model/vpc/address-allocator.ts';
import { formatCidr } from '../model/vpc/ipv4.ts';
import { ratioValue } from '../util/ratio.ts';
import { HEAL_FAULTS_STEP } from '../scenario/actions/index.ts';
import { AZS, type GenScenario, type GenStep, REGION } from './generate.ts';

const CNI_TAG = 'kubernetes.io/role/cni';

/** Subnet CIDRs carved in order out of 10.0.0.0/16, each aligned to its size. */
export function subnetCidrs(g: GenScenario): string[] {
  let next = 10 * 2 ** 24;
  return g.subnets.map((s) => {
    const size = 2 ** (32 - s.size);
    const base = Math.ceil(next / size) * size;
    next = base + size;
    return formatCidr({ base, prefixLen: s.size });
  });
}

function deployment(i: number, replicas: number, rev = 0): Record<string, unknown> {
  const labels: Record<string, string> = { app: `app-${i + 1}` };
  if (rev > 0) labels.rev = String(rev);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `app-${i + 1}` },
    spec: {
      replicas,
      selector: { matchLabels: { app: `app-${i + 1}` } },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'pause', image: 'public.ecr.aws/eks-distro/kubernetes/pause:3.9', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
      },
    },
  };
}

function groupSelector(g: GenScenario, i: number): string {
  return `eks.amazonaws.com/nodegroup=${g.nodeGroups[Math.min(i, g.nodeGroups.length - 1)].name}`;
}

export function hasFaults(g: GenScenario): boolean {
  const f = g.faults;
  return f.errors.length > 0 || f.throttle.length > 0 || f.imdsLagMs > 0 || f.denied.length > 0;
}

/** The timeline step that ends the safety phase: every injected fault removed (ec2 knobs back to defaults, no denials). */
export const HEAL_STEP = HEAL_FAULTS_STEP;

/** The scenario document (plain data, in the format's key order). */
export interface DocOptions {
  /**
   * Write the `sim heal-faults` step at `healAt` (the property harness does, so the YAML alone replays the whole run).
   * Without it the faults stay on all run long unless a harness heals them, and a header comment says so.
   */
  healStep?: boolean;
}

/** A generator step as a timeline step; `replicas` and `revs` carry each deployment's size and revision along. */
function timelineStep(g: GenScenario, s: GenStep, replicas: number[], revs: number[]): Record<string, unknown> {
  const at = formatDuration(s.at);
  switch (s.kind) {
    case 'scale':
      replicas[s.deployment] = s.replicas;
      return { at, run: 'kubectl scale', deployment: `app-${s.deployment + 1}`, replicas: s.replicas };
    case 'restart-deployment':
      revs[s.deployment]++;
      return { at, run: 'kubectl apply', note: 'rolling restart', manifest: [deployment(s.deployment, replicas[s.deployment], revs[s.deployment])] };
    case 'restart-aws-node':
      return { at, run: 'kubectl set env daemonset aws-node', note: 'aws-node restart', env: { AWS_VPC_K8S_CNI_LOGLEVEL: s.at % 2 === 0 ? 'DEBUG' : 'INFO' } };
    case 'terminate':
      return { at, run: 'aws ec2 terminate-instances', selector: groupSelector(g, s.group) };
    case 'untag':
      return { at, run: 'aws ec2 delete-tags', resources: [g.subnets[s.subnet].id], tags: [CNI_TAG] };
    case 'tag':
      return { at, run: 'aws ec2 create-tags', resources: [g.subnets[s.subnet].id], tags: { [CNI_TAG]: '1' } };
    case 'cordon':
      return { at, run: 'kubectl cordon', selector: groupSelector(g, s.group) };
    case 'uncordon':
      return { at, run: 'kubectl uncordon', selector: groupSelector(g, s.group) };
  }
}

/** The whole timeline: the first apply, the generated steps, then the liveness phase's heal and uncordons. */
function timelineDoc(g: GenScenario, o: DocOptions): Record<string, unknown>[] {
  const revs = g.deployments.map(() => 0);
  const replicas = [...g.deployments];
  const timeline: Record<string, unknown>[] = [];
  timeline.push({ at: '20s', run: 'kubectl apply', manifest: g.deployments.map((r, i) => deployment(i, r)) });
  for (const s of g.timeline) timeline.push(timelineStep(g, s, replicas, revs));
  // Liveness phase: faults healed, nodes uncordoned, workload fixed.
  if (hasFaults(g) && o.healStep === true) timeline.push({ at: formatDuration(g.healAt), run: HEAL_STEP, note: 'end of the safety phase' });
  if (g.timeline.some((s) => s.kind === 'cordon')) {
    for (let i = 0; i < g.nodeGroups.length; i++) timeline.push({ at: formatDuration(g.healAt), run: 'kubectl uncordon', selector: groupSelector(g, i) });
  }
  return timeline;
}

/** The safety phase's EC2 faults, throttling and IMDS lag as the `ec2` section (empty when there are none). */
function ec2Doc(g: GenScenario): Record<string, unknown> {
  const ec2: Record<string, unknown> = {};
  if (g.faults.errors.length > 0) {
    const faults: Record<string, unknown> = {};
    for (const e of g.faults.errors) faults[e.action] = { rate: ratioValue(e.chance), code: e.code };
    ec2.faults = faults;
  }
  if (g.faults.throttle.length > 0) {
    const buckets: Record<string, unknown> = {};
    for (const t of g.faults.throttle) buckets[t.action] = { capacity: t.capacity, refillPerSecond: t.refillPerSecond };
    ec2.throttling = { buckets };
  }
  if (g.faults.imdsLagMs > 0) {
    const lag = { minMs: Math.floor(g.faults.imdsLagMs / 2), maxMs: g.faults.imdsLagMs };
    ec2.imds = { attachLag: { ...lag, tailProbability: 0 }, ipLag: lag };
  }
  return ec2;
}

function subnetsDoc(g: GenScenario): Record<string, unknown>[] {
  const cidrs = subnetCidrs(g);
  return g.subnets.map((s, i) => {
    const out: Record<string, unknown> = { id: s.id, az: s.az ?? AZS[0], cidr: cidrs[i] };
    if (s.cniTag !== 'none') out.tags = { [CNI_TAG]: s.cniTag };
    if (s.externalUse > 0) out.externalUse = Math.min(s.externalUse, usableAddressCount({ prefixLen: s.size }));
    return out;
  });
}

function nodeGroupsDoc(g: GenScenario): Record<string, unknown>[] {
  return g.nodeGroups.map((n) => {
    const out: Record<string, unknown> = {
      name: n.name,
      instanceType: n.instanceType,
      desiredCapacity: n.desired,
      subnets: n.subnets.map((i) => g.subnets[i].id),
    };
    if (n.maxPods !== undefined) out.maxPods = n.maxPods;
    return out;
  });
}

export function scenarioDoc(g: GenScenario, name = `gen-${g.seed}`, o: DocOptions = {}): Record<string, unknown> {
  const timeline = timelineDoc(g, o);
  const ec2 = ec2Doc(g);
  const doc: Record<string, unknown> = {
    name,
    description: `Generated scenario (seed ${g.seed}): safety phase with faults until ${formatDuration(g.healAt)}, then a ${formatDuration(g.settle)} liveness phase.`,
    seed: g.seed,
    region: REGION,
    duration: formatDuration(g.healAt + g.settle),
    vpc: { cidrBlocks: ['10.0.0.0/16'] },
    subnets: subnetsDoc(g),
    cluster: {
      name: 'sim',
      kubernetesVersion: '1.31',
      vpcCni: { version: '1.23.1', env: g.env },
    },
    nodeGroups: nodeGroupsDoc(g),
  };
  if (Object.keys(ec2).length > 0) doc.ec2 = ec2;
  if (g.faults.denied.length > 0) doc.deniedPermissions = g.faults.denied;
  doc.timeline = timeline;
  return doc;
}

/** The scenario as YAML text, with a header saying how to replay it. */
export function scenarioYaml(g: GenScenario, o: DocOptions = {}, name?: string): string {
  const header = [`# Generated by the vpc-cni-sim swarm and property tests (seed ${g.seed}).`, '# Replay: npx vpc-cni-sim run THIS_FILE --check-invariants'];
  if (hasFaults(g) && o.healStep !== true) {
    header.push(
      `# The faults below are meant to heal at ${formatDuration(g.healAt)} (end of the safety phase), but this file has no`,
      `# \`${HEAL_STEP}\` step: a plain replay keeps them all run long.`,
    );
  }
  return header.join('\n') + '\n' + stringify(scenarioDoc(g, name, o), { lineWidth: 0 });
}
