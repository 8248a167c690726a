/**
 * `vpc-cni-sim bench <workload.yaml> [options]`: compares pool policies on a workload over several seeds and
 * prints one table (policies as rows), or CSV/JSON for plotting. Jobs (policy × seed) run on worker threads;
 * `--shard i/n` runs a deterministic slice so a sweep can be spread over machines, and `--merge` joins the
 * slices' JSON. Flag parsing and printing only: the benchmark itself is src/bench (docs/benchmarking.md).
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { enumFlag, intFlag, parseFlags } from './flags.ts';
import { EXIT, InputError } from '../util/input-error.ts';
import { mergeResults, runBench } from '../bench/bench.ts';
import { parseShard } from '../bench/jobs.ts';
import { BUILTIN_POLICY_HELP, splitPolicyList } from '../bench/policies.ts';
import { makeProgress } from '../bench/progress.ts';
import { formatCsv, formatJson, formatTable, legend, type BenchResults } from '../bench/report.ts';
import { loadWorkload } from './scenario-file.ts';

const HELP = `usage: vpc-cni-sim bench <workload.yaml> [options]
       vpc-cni-sim bench --merge <shard.json>... [--format table|csv|json]

Runs every (policy, seed) pair of a workload and compares the policies.

options:
  --policies a,b,...   policies to compare (default: the workload's \`policies\` list):
                       ${BUILTIN_POLICY_HELP.split('\n').join('\n                       ')}
  --seeds N            seeds 1..N per policy (default 3)
  --workers K          worker threads (default: CPUs, at most the number of jobs); results do not depend on K
  --shard i/n          run only jobs k with k mod n = i (0-based i, as JOB_COMPLETION_INDEX); use --format json
                       and join the shards with --merge
  --format F           table (default), csv or json
  --merge              the arguments are JSON outputs of shards: join them and print the comparison
  --quiet              no progress on stderr
  --report FILE.html   also write the comparison as a page: waste against p95 time to address, with intervals

columns (mean over seeds ± half-width of the 95 % Student t interval):
${legend()}`;

const OPTIONS = {
  policies: { type: 'string' },
  seeds: { type: 'string' },
  workers: { type: 'string' },
  shard: { type: 'string' },
  format: { type: 'string' },
  merge: { type: 'boolean' },
  quiet: { type: 'boolean' },
  report: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, OPTIONS, 'bench');
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const format = enumFlag(values.format, '--format', ['table', 'csv', 'json'] as const, 'table');
  let results: BenchResults;
  if (values.merge) {
    for (const f of ['policies', 'seeds', 'workers', 'shard'] as const) {
      if (values[f] !== undefined) throw new InputError({ field: `--${f}` }, '--merge only reads results: drop this flag');
    }
    results = mergeResults(positionals);
  } else {
    if (positionals.length !== 1) throw new InputError({}, positionals.length === 0 ? 'give a workload file (e.g. bench/workloads/small.yaml)' : `one workload file at a time, got ${positionals.length}`);
    const workload = loadWorkload(positionals[0]);
    const seeds = intFlag(values.seeds, '--seeds', 1, 1000) ?? 3;
    const policies = values.policies === undefined ? undefined : splitPolicyList(values.policies);
    const shard = parseShard(values.shard);
    const nPolicies = policies?.length ?? workload.policies.length;
    const workers = intFlag(values.workers, '--workers', 1, 256) ?? Math.max(1, Math.min(availableParallelism(), nPolicies * seeds));
    const progress = makeProgress(process.stderr, values.quiet ? 'off' : 'auto');
    try {
      results = await runBench({ workload, policies, seeds, workers, shard, onProgress: (d, t) => progress.update(d, t) });
    } finally {
      progress.end();
    }
  }
  if (values.report !== undefined && values.report.trim() === '') throw new InputError({ field: '--report' }, 'give a file name');
  const text = format === 'json' ? formatJson(results) : format === 'csv' ? formatCsv(results) : formatTable(results);
  process.stdout.write(text);
  if (values.report !== undefined) {
    await (await import('./bench-report.ts')).writeBenchReport(results, values.report);
    process.stderr.write(`\nHTML report: ${resolve(values.report)} (open it in a browser)\n`);
  }
  return EXIT.ok;
}
