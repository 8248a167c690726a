/**
 * Loading a scenario or a benchmark workload from its text — one input dialect: parse it safely (source.ts), apply
 * `--set` overrides (scenarios; overrides.ts), check its structure against the format (validate.ts; spec.ts,
 * workload-spec.ts) and the rules between fields (semantic.ts, workload.ts). Every problem is one InputError naming
 * file, line, column and field. Not here: reading files (src/cli/scenario-file.ts), running it (runner.ts, src/bench).
 */
import { InputError } from '../util/input-error.ts';
import { applySets } from './overrides.ts';
import { checkScenario } from './semantic.ts';
import { parseScenarioText, type Located } from './source.ts';
import type { ObjectDesc } from './descriptor.ts';
import { SCENARIO } from './spec.ts';
import type { Scenario } from './types.ts';
import { fail, validate } from './validate.ts';
import { checkWorkload, type Workload } from './workload.ts';
import { WORKLOAD } from './workload-spec.ts';

export interface LoadOptions {
  /** `--set key=value` texts, applied in order. */
  sets?: readonly string[];
  /** `--seed`, overriding the file's seed. */
  seed?: number;
  /** Reads a manifest file a step names, relative to the scenario (the command line gives one; see CheckContext). */
  readFile?: (path: string) => string;
}

/** A scenario from its text (`file` names it in messages); reading a file is src/cli/scenario-file.ts. */
export function loadScenarioText(text: string, file: string, opts: LoadOptions = {}): Scenario {
  return loadScenarioSource(parseScenarioText(text, file), opts);
}

/** A benchmark workload (workload-spec.ts) from its text: the same checks and messages as a scenario. */
export function loadWorkloadText(text: string, file: string): Workload {
  return loadWorkloadSource(parseScenarioText(text, file));
}

/** A benchmark workload from its parsed source (source.ts). */
export function loadWorkloadSource(src: Located): Workload {
  return checkWorkload(src, structural(src, WORKLOAD));
}

/** A scenario from its parsed source (source.ts). */
export function loadScenarioSource(src: Located, opts: LoadOptions): Scenario {
  const located = opts.sets !== undefined && opts.sets.length > 0 ? applySets(src, opts.sets) : src;
  const scenario = checkScenario(located, structural(located, SCENARIO), { readFile: opts.readFile });
  if (opts.seed !== undefined) scenario.seed = opts.seed;
  return scenario;
}

/** The document checked against a format's declaration (validate.ts). */
function structural(src: Located, desc: ObjectDesc): Record<string, unknown> {
  refusePasted(src);
  try {
    return validate(src, desc, src.value, []) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof InputError) throw err;
    if (err instanceof RangeError) throw new InputError({ file: src.file }, 'the document is too deeply nested to check');
    throw err;
  }
}

/**
 * A pasted eksctl ClusterConfig or Kubernetes manifest is neither format: say what it is and what to write instead,
 * rather than only that `apiVersion` is an unknown key.
 */
function refusePasted(src: Located): void {
  const v = src.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return;
  const { apiVersion, kind } = v as Record<string, unknown>;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return;
  if (kind === 'ClusterConfig' && apiVersion.startsWith('eksctl.io/')) {
    fail(src, ['apiVersion'], 'this is an eksctl ClusterConfig, not a scenario: write its region as region, its VPC and subnets as vpc.cidrBlocks and subnets (ids like subnet-private-a), its managedNodeGroups as nodeGroups (name, instanceType, desiredCapacity, subnets) — docs/scenario-format.md', true);
  }
  fail(src, ['apiVersion'], `this is a Kubernetes ${kind.slice(0, 40)} manifest, not a scenario: apply it from a scenario's timeline (- at: 0s, run: kubectl apply, manifest: <the object>, or file: <its path>) — docs/scenario-format.md`, true);
}