/**
 * `vpc-cni-sim plan <scenario.yaml> --scale deployment/NAME=N | --add-pods N [options]`: does the change fit, how far
 * can it grow, and which what-ifs make room (src/plan). This module reads the flags, tells progress on stderr (one
 * line per simulation, with its wall time, read here and never inside a simulation) and prints the answer.
 * Exit 0 when the change fits on every seed, 1 when pods stay stuck, 2 for bad input.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { enumFlag, intFlag, parseFlags } from './flags.ts';
import { EXIT, InputError } from '../util/input-error.ts';
import { parseDuration } from '../util/duration.ts';
import { loadScenario } from './scenario-file.ts';
import type { Change } from '../plan/change.ts';
import type { WhatIfKey } from '../plan/what-ifs.ts';
import { didYouMean } from '../util/suggest.ts';
import type { PlanProgress, PlanRequest } from '../plan/plan.ts';

const HELP = `usage: vpc-cni-sim plan <scenario.yaml> (--scale deployment/NAME=N | --add-pods N) [options]

Answer by simulation, over several seeds: does the change fit (pods stuck at the end, when the first got stuck and
why, addresses left per subnet, EC2 throttling met), the headroom (the largest size with no pod stuck), and what-ifs
each simulated with its own headroom: a kubernetes.io/role/cni=1 subnet in each AZ, lean warm targets, prefix
delegation, more nodes, larger nodes (the next type of the family with more max pods). The change applies at t = 0
for a scenario with \`existing:\` (vpc-cni-sim import writes one), else after the scenario's timeline once its pods
settle.

options:
  --scale deployment/NAME=N  scale a Deployment to N replicas (deployment/NAMESPACE/NAME=N for another namespace)
  --add-pods N               add N pods (a Deployment of pause pods requesting 50m CPU, like the walkthrough's inflate)
  --like deployment/NAME     with --add-pods: the pods are like that Deployment's (requests, node selector, host network)
  --nodes +K                 add K nodes with the change (to the largest node group, or --node-group)
  --node-group NAME          the node group --nodes adds to
  --seeds S                  seeds to simulate (default 3: the scenario's seed and the next ones)
  --seed N                   the first seed (default the scenario's)
  --subnet-prefix L          size of the subnets the cni-subnets what-if suggests, /L (default 19)
  --within T                 how long after the change pods may take to start (default 20m)
  --what-ifs LIST            the what-ifs to simulate, comma-separated (default all: cni-subnets, lean-warm,
                             prefix-delegation, more-nodes, larger-nodes)
  --no-what-ifs              the change and its headroom only
  --workers K                worker threads for the simulations (default: CPUs); the answer does not depend on K
  --format text|json         answer format (default text)
  --report FILE.html         also write the first seed's simulation of the change as a page
  -h, --help                 this help

exit status: 0 the change fits on every seed, 1 pods stay stuck, 2 bad input.
`;

const OPTIONS = {
  scale: { type: 'string' },
  'add-pods': { type: 'string' },
  like: { type: 'string' },
  nodes: { type: 'string' },
  'node-group': { type: 'string' },
  seeds: { type: 'string' },
  seed: { type: 'string' },
  'subnet-prefix': { type: 'string' },
  within: { type: 'string' },
  'what-ifs': { type: 'string' },
  'no-what-ifs': { type: 'boolean' },
  workers: { type: 'string' },
  format: { type: 'string' },
  report: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface PlanFlags {
  file: string;
  change: Change;
  seeds: number;
  seed?: number;
  subnetPrefix: number;
  withinMs?: number;
  whatIfs: WhatIfKey[];
  workers: number;
  format: 'text' | 'json';
  report?: string;
}

async function parseChange(values: { scale?: string; 'add-pods'?: string; like?: string; nodes?: string; 'node-group'?: string }): Promise<Change> {
  const { parseDeploymentRef, parseScale } = await import('../plan/change.ts');
  if ((values.scale === undefined) === (values['add-pods'] === undefined)) throw new InputError({ field: '--scale' }, 'give the change: either --scale deployment/NAME=N or --add-pods N');
  let addNodes = 0;
  if (values.nodes !== undefined) {
    const m = /^\+?(\d+)$/.exec(values.nodes.trim());
    if (m === null) throw new InputError({ field: '--nodes' }, `expected +K (nodes to add), got "${values.nodes}"`);
    addNodes = intFlag(m[1], '--nodes', 0, 10_000)!;
  }
  const group = values['node-group'] === undefined ? {} : { nodeGroup: values['node-group'] };
  if (values.scale !== undefined) {
    if (values.like !== undefined) throw new InputError({ field: '--like' }, 'goes with --add-pods (a scaled Deployment keeps its own pods)');
    const s = parseScale(values.scale.trim());
    if (s === undefined) throw new InputError({ field: '--scale' }, `expected deployment/NAME=N, got "${values.scale}"`);
    if (s.n > 100_000) throw new InputError({ field: '--scale' }, `must be between 0 and 100000 replicas, got ${s.n}`);
    return { target: { kind: 'scale', namespace: s.namespace, name: s.name }, n: s.n, addNodes, ...group };
  }
  let like: { namespace: string; name: string } | undefined;
  if (values.like !== undefined) {
    like = parseDeploymentRef(values.like.trim());
    if (like === undefined) throw new InputError({ field: '--like' }, `expected deployment/NAME, got "${values.like}"`);
  }
  return { target: { kind: 'add-pods', ...(like === undefined ? {} : { like }) }, n: intFlag(values['add-pods'], '--add-pods', 0, 100_000)!, addNodes, ...group };
}

async function parseWhatIfs(list: string | undefined, none: boolean): Promise<WhatIfKey[]> {
  const { WHAT_IF_KEYS } = await import('../plan/what-ifs.ts');
  if (none && list !== undefined) throw new InputError({ field: '--what-ifs' }, 'give --what-ifs or --no-what-ifs, not both');
  if (none) return [];
  if (list === undefined) return [...WHAT_IF_KEYS];
  const keys = list.split(',').map((k) => k.trim());
  for (const k of keys) {
    if (!(WHAT_IF_KEYS as readonly string[]).includes(k)) throw new InputError({ field: '--what-ifs' }, `no what-if "${k}"${didYouMean(k, WHAT_IF_KEYS)} (what-ifs: ${WHAT_IF_KEYS.join(', ')})`);
  }
  return keys as WhatIfKey[];
}

export async function parsePlanFlags(argv: string[]): Promise<PlanFlags | 'help'> {
  const { values, positionals } = parseFlags(argv, OPTIONS, 'plan');
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new InputError({}, positionals.length === 0 ? 'give a scenario file (e.g. my-cluster.yaml from vpc-cni-sim import)' : `one scenario file at a time (got ${positionals.length})`);
  let withinMs: number | undefined;
  if (values.within !== undefined) {
    const d = parseDuration(values.within);
    if (!d.ok) throw new InputError({ field: '--within' }, d.reason);
    if (d.ms < 10_000) throw new InputError({ field: '--within' }, 'give at least 10s');
    withinMs = d.ms;
  }
  if (values.report !== undefined && values.report.trim() === '') throw new InputError({ field: '--report' }, 'give a file name');
  return {
    file: positionals[0],
    change: await parseChange(values),
    seeds: intFlag(values.seeds, '--seeds', 1, 100) ?? 3,
    seed: intFlag(values.seed, '--seed', 0, 2 ** 31 - 1),
    subnetPrefix: intFlag(values['subnet-prefix'], '--subnet-prefix', 16, 28) ?? 19,
    withinMs,
    whatIfs: await parseWhatIfs(values['what-ifs'], values['no-what-ifs'] === true),
    workers: intFlag(values.workers, '--workers', 1, 256) ?? availableParallelism(),
    format: enumFlag(values.format, '--format', ['text', 'json'] as const, 'text'),
    report: values.report,
  };
}

/** One stderr line per simulation: which, what it found, and its wall time. */
function progressLine(start: number): (p: PlanProgress) => void {
  let last = start;
  return (p) => {
    const now = performance.now();
    const o = p.outcome;
    const what = o.fits ? 'fits' : `${o.stuck} stuck`;
    process.stderr.write(`plan: #${p.simulations} ${p.variant} seed ${p.seed} size ${p.n}: ${what} (${((now - last) / 1000).toFixed(1)} s, ${((now - start) / 1000).toFixed(1)} s in all)\n`);
    last = now;
  };
}

export async function run(argv: string[]): Promise<number> {
  const flags = await parsePlanFlags(argv);
  if (flags === 'help') {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const scenario = loadScenario(flags.file, flags.seed === undefined ? {} : { seed: flags.seed });
  for (const w of scenario.warnings) process.stderr.write(`vpc-cni-sim plan: warning: ${w}\n`);
  const { plan } = await import('../plan/plan.ts');
  const { renderPlanJson, renderPlanText } = await import('../plan/render.ts');
  const { DEFAULT_PATIENCE } = await import('../plan/simulate.ts');
  const req: PlanRequest = {
    change: flags.change,
    seeds: Array.from({ length: flags.seeds }, (_, i) => scenario.seed + i),
    subnetPrefix: flags.subnetPrefix,
    whatIfs: flags.whatIfs,
    patience: { ...DEFAULT_PATIENCE, ...(flags.withinMs === undefined ? {} : { horizonMs: flags.withinMs }) },
  };
  const report = flags.report === undefined ? undefined : (await import('./plan-report.ts')).planReport(scenario, req.seeds[0]);
  const threads = flags.workers > 1 ? (await import('./plan-workers.ts')).workerSimulator(flags.workers) : undefined;
  let result;
  try {
    result = await plan(scenario, report === undefined ? req : { ...req, watch: report.watch }, progressLine(performance.now()), threads);
  } finally {
    await threads?.close();
  }
  process.stdout.write(flags.format === 'json' ? renderPlanJson(result) : renderPlanText(result));
  if (flags.report !== undefined && report !== undefined) {
    await report.write(flags.report);
    process.stderr.write(`\nHTML report: ${resolve(flags.report)} (the change on seed ${req.seeds[0]}; open it in a browser)\n`);
  }
  return result.asIs.fits ? EXIT.ok : EXIT.expectationFailed;
}
