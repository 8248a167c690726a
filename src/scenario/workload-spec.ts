/**
 * THE declaration of the benchmark workload format (bench/workloads/*.yaml): a scenario's cluster shape — the same
 * `region`, `vpc`, `subnets`, `cluster`, `nodeGroups`, `ec2` sections with the same field names (spec.ts
 * WORLD_FIELDS) — plus the arrival patterns that load it and the pool policies the bench command compares. The
 * loader (workload.ts) and the published schema (schema/workload.schema.json) both read it.
 * Not here: the rules between fields (workload.ts) or how patterns run (src/bench/arrivals.ts).
 */
import { obj, opt, req, str, type Desc, type Field, type ObjectDesc } from './descriptor.ts';
import { NAME } from './fields.ts';
import { WORLD_FIELDS } from './spec.ts';

const MAX_PODS = 1_000_000;
const DEPLOYMENT = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const deployment = (doc: string): Field => req(str('deployment name', { pattern: DEPLOYMENT, patternDoc: 'a deployment declared under deployments' }), doc);
const kind = (k: string): Field => req({ t: 'string', enum: [k] }, 'The pattern.');
const from = opt({ t: 'duration' }, 'Start (default 0).');
const until = opt({ t: 'duration' }, 'End (default: the end of the run).');

const PATTERNS: Record<string, ObjectDesc> = {
  burst: obj(
    { kind: kind('burst'), at: req({ t: 'duration' }, 'When.'), deployment: deployment('The deployment to scale.'), replicas: req({ t: 'int', min: 0, max: MAX_PODS }, 'Its new replica count.') },
    { doc: 'Scale a deployment at one time (a burst up, or down).' },
  ),
  churn: obj(
    {
      kind: kind('churn'),
      pods: req({ t: 'int', min: 1, max: MAX_PODS }, 'Pods alive at once, on average.'),
      lifetime: req({ t: 'duration', min: 1000 }, 'Mean pod lifetime (exponential).'),
      from,
      until,
    },
    { doc: 'Steady churn: pods arrive as a Poisson process and live an exponential time (rate = pods / lifetime); the run starts in that steady state.' },
  ),
  diurnal: obj(
    {
      kind: kind('diurnal'),
      deployment: deployment('The deployment whose replicas follow the curve.'),
      min: req({ t: 'int', min: 0, max: MAX_PODS }, 'Fewest replicas.'),
      max: req({ t: 'int', min: 0, max: MAX_PODS }, 'Most replicas.'),
      period: req({ t: 'duration', min: 60_000 }, 'Length of one cycle.'),
      step: opt({ t: 'duration', min: 1000 }, 'How often the replica count is updated (default: 1m, or the period if shorter).'),
      from,
      until,
    },
    { doc: 'Replicas follow min + (max − min)(1 − cos 2πt/period)/2.' },
  ),
  rollout: obj(
    {
      kind: kind('rollout'),
      nodegroup: req(str('node group', { pattern: NAME, patternDoc: 'a node group name' }), 'The node group replaced.'),
      at: req({ t: 'duration' }, 'When the rollout starts.'),
      batch: req({ t: 'int', min: 1, max: 10_000 }, 'Nodes replaced per batch.'),
      every: req({ t: 'duration', min: 1000 }, 'Time between batches.'),
    },
    { doc: 'Replace every node of a node group, `batch` at a time every `every`: launch the new ones, then terminate old ones.' },
  ),
};

const ENV: Desc = { t: 'map', value: { t: 'envValue' }, maxEntries: 100, maxKeyLength: 128, keyPattern: /^[A-Z][A-Z0-9_]*$/, keyDoc: 'an environment variable name (upper case)' };

export const WORKLOAD: ObjectDesc = obj(
  {
    name: req(str('workload name', { pattern: NAME, patternDoc: 'lower-case letters, digits, . _ -' }), 'Short name (the file name without .yaml).'),
    description: opt(str('description', { maxLength: 10_000 }), 'What the workload exercises, in a line.'),
    duration: req({ t: 'duration', min: 60_000 }, 'Measured time.'),
    sampleEvery: opt({ t: 'duration', min: 1000, max: 3_600_000 }, 'Sampling interval of pool and subnet figures (default 15s).'),
    ...WORLD_FIELDS,
    deployments: opt(
      {
        t: 'array',
        maxItems: 100,
        items: obj({ name: req(str('deployment name', { pattern: DEPLOYMENT, patternDoc: 'a Kubernetes name: lower-case letters, digits and -' }), 'Name.'), replicas: opt({ t: 'int', min: 0, max: MAX_PODS, default: 0 }, 'Replicas at the start.') }),
      },
      'Deployments the patterns scale (created before the first pattern acts).',
    ),
    patterns: req({ t: 'array', minItems: 1, maxItems: 100, items: { t: 'union', tag: 'kind', what: 'pattern kind', variants: PATTERNS } }, 'How load arrives.'),
    policies: opt({ t: 'array', items: str('policy', { maxLength: 256 }), maxItems: 50 }, 'Policies compared when --policies is not given (default warm-eni-1): names, or paths of plugin files.'),
    definePolicies: opt(
      { t: 'map', value: ENV, maxEntries: 50, maxKeyLength: 64, keyPattern: /^[a-z0-9][-a-z0-9.]*$/, keyDoc: 'a policy name (lower-case letters, digits, - and .)' },
      'Named env-only policies this workload defines (usable in policies and --policies).',
    ),
  },
  { doc: 'A vpc-cni-sim benchmark workload: a cluster, the load that arrives on it, and the pool policies to compare.' },
);
