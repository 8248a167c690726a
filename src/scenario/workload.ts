/**
 * A loaded benchmark workload: the World's spec, checked by the same rules as a scenario's (world-shape.ts), plus
 * the arrival patterns and the pool policies to compare — and the rules between them: patterns that name declared
 * deployments and node groups, times inside the run, ranges the right way round, at most 10,000 nodes. The result
 * is plain JSON (it crosses to worker threads). Not here: the format's declaration (workload-spec.ts), reading the
 * file (loader.ts), running the patterns (src/bench/arrivals.ts).
 */
import type { WorldSpec } from '../model/world/spec.ts';
import { formatDuration } from '../util/duration.ts';
import { didYouMean } from '../util/suggest.ts';
import type { Located, Path } from './source.ts';
import { fail } from './validate.ts';
import { checkWorldShape } from './world-shape.ts';

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
  /** The cluster, as the World is built from it (each job adds its seed and its policy's aws-node env). */
  world: Omit<WorldSpec, 'seed'>;
  deployments: DeploymentSpec[];
  patterns: Pattern[];
  /** Policies compared when --policies is not given. */
  policies: string[];
  /** Named env-only policies this workload defines (usable in `policies` and --policies). */
  definePolicies: Record<string, Record<string, string>>;
}

const MAX_NODES = 10_000;
const DEFAULT_SAMPLE_MS = 15_000;

type Raw = Record<string, any>;

/** Rules between the fields of a structurally valid workload (workload-spec.ts); builds the `Workload`. */
export function checkWorkload(src: Located, v: Raw): Workload {
  const { spec } = checkWorldShape(src, v, []);
  const nodes = spec.nodeGroups.reduce((a, g) => a + g.desiredCapacity, 0);
  if (nodes > MAX_NODES) fail(src, ['nodeGroups'], `at most ${MAX_NODES} nodes in all, got ${nodes}`);
  const duration: number = v.duration;
  const sampleEvery: number = v.sampleEvery ?? DEFAULT_SAMPLE_MS;
  if (sampleEvery > duration) fail(src, ['sampleEvery'], `${formatDuration(sampleEvery)} is longer than the run (duration ${formatDuration(duration)})`);
  const deployments: DeploymentSpec[] = ((v.deployments ?? []) as Raw[]).map((d) => ({ name: d.name, replicas: d.replicas ?? 0 }));
  deployments.forEach((d, i) => {
    if (deployments.findIndex((o) => o.name === d.name) !== i) fail(src, ['deployments', i, 'name'], `duplicate deployment "${d.name}"`);
  });
  const refs = { deployments: deployments.map((d) => d.name), nodeGroups: spec.nodeGroups.map((g) => g.name) };
  const patterns = (v.patterns as Raw[]).map((p, i) => checkPattern(src, ['patterns', i], p, duration, refs));
  return {
    name: v.name,
    description: v.description ?? '',
    file: src.file,
    duration,
    sampleEvery,
    world: spec,
    deployments,
    patterns,
    policies: v.policies ?? ['warm-eni-1'],
    definePolicies: v.definePolicies ?? {},
  };
}

function checkPattern(src: Located, path: Path, p: Raw, duration: number, refs: { deployments: string[]; nodeGroups: string[] }): Pattern {
  const within = (key: string, dflt?: number): number => {
    const t: number | undefined = p[key] ?? dflt;
    if (t === undefined) throw new Error(`unreachable: validate() requires ${key}`);
    if (t > duration) fail(src, [...path, key], `${formatDuration(t)} is after the end of the run (duration ${formatDuration(duration)})`);
    return t;
  };
  const named = (key: string, known: string[], what: string): string => {
    const name: string = p[key];
    if (!known.includes(name)) fail(src, [...path, key], `no ${what} "${name}"${didYouMean(name, known) || (known.length > 0 ? ` (${what}s: ${known.join(', ')})` : ` (declare it under ${what === 'deployment' ? 'deployments' : 'nodeGroups'})`)}`);
    return name;
  };
  const span = (): { from: number; until: number } => {
    const from = within('from', 0);
    const until = within('until', duration);
    if (until <= from) fail(src, [...path, 'until'], `${formatDuration(until)} is not after from (${formatDuration(from)})`);
    return { from, until };
  };
  switch (p.kind as Pattern['kind']) {
    case 'burst':
      return { kind: 'burst', at: within('at'), deployment: named('deployment', refs.deployments, 'deployment'), replicas: p.replicas };
    case 'churn':
      return { kind: 'churn', pods: p.pods, lifetime: p.lifetime, ...span() };
    case 'diurnal': {
      if (p.max < p.min) fail(src, [...path, 'max'], `${p.max} is below min (${p.min})`);
      const step: number = p.step ?? Math.min(60_000, p.period);
      if (step > p.period) fail(src, [...path, 'step'], `${formatDuration(step)} is longer than the period (${formatDuration(p.period)})`);
      const { from, until } = span();
      return { kind: 'diurnal', deployment: named('deployment', refs.deployments, 'deployment'), min: p.min, max: p.max, period: p.period, step, from, until };
    }
    case 'rollout':
      return { kind: 'rollout', nodegroup: named('nodegroup', refs.nodeGroups, 'node group'), at: within('at'), batch: p.batch, every: p.every };
  }
}

/** Nodes at the start, and pods the patterns can ask for at most (for sizing messages and the scale benchmark). */
export function workloadSize(w: Workload): { nodes: number; peakPods: number } {
  const nodes = w.world.nodeGroups.reduce((a, n) => a + n.desiredCapacity, 0);
  let peakPods = 0;
  const depPeak = new Map(w.deployments.map((d) => [d.name, d.replicas]));
  for (const p of w.patterns) {
    if (p.kind === 'burst') depPeak.set(p.deployment, Math.max(depPeak.get(p.deployment) ?? 0, p.replicas));
    if (p.kind === 'diurnal') depPeak.set(p.deployment, Math.max(depPeak.get(p.deployment) ?? 0, p.max));
    if (p.kind === 'churn') peakPods += p.pods;
  }
  for (const v of depPeak.values()) peakPods += v;
  return { nodes, peakPods };
}
