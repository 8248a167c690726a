/**
 * `vpc-cni-sim run <scenario.yaml> [options]`: load a scenario (src/scenario/loader.ts), replay it
 * (src/scenario/runner.ts) and print the report (src/report). Exit 0 when every expectation holds, 1 when one fails,
 * 2 for bad input (the scenario or a flag). This module only reads flags and prints.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { enumFlag, intFlag, parseFlags } from './flags.ts';
import { EXIT, InputError } from '../util/input-error.ts';
import { parseDuration } from '../util/duration.ts';
import { loadScenario } from './scenario-file.ts';
import { openTraceFile } from './trace-file.ts';

const HELP = `usage: vpc-cni-sim run <scenario.yaml> [options]

Replay a scenario: build the VPC and cluster it describes, play its timeline, check its expectations.

options:
  --seed N                  random seed (overrides the scenario's seed)
  --until T                 stop at time T (e.g. 4m30s) and report the state then
  --set key=value           override a scenario field by dotted path (repeatable), e.g.
                            --set cluster.vpcCni.env.WARM_IP_TARGET=2 --set nodeGroups.0.desiredCapacity=5
  --format text|json        report format (default text)
  --trace FILE.ndjson       write the event trace, one JSON object per line
  --describe pod/NAME       print that pod's events and, if it is not Running, why (repeatable)
  --check-invariants        check the model's invariants after every event (slower)
  -h, --help                this help

exit status: 0 every expectation holds, 1 an expectation failed, 2 bad input.
`;

const OPTIONS = {
  seed: { type: 'string' },
  until: { type: 'string' },
  set: { type: 'string', multiple: true },
  format: { type: 'string' },
  trace: { type: 'string' },
  describe: { type: 'string', multiple: true },
  'check-invariants': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface RunFlags {
  file: string;
  seed?: number;
  until?: number;
  sets: string[];
  format: 'text' | 'json';
  trace?: string;
  describe: string[];
  checkInvariants: boolean;
}

/** Flags → RunFlags, or an InputError naming the flag. */
export function parseRunFlags(argv: string[]): RunFlags | 'help' {
  const { values, positionals } = parseFlags(argv, OPTIONS, 'run');
  if (values.help) return 'help';
  if (positionals.length === 0) throw new InputError({}, 'give a scenario file (e.g. scenarios/inflate-exhaustion.yaml)');
  if (positionals.length > 1) throw new InputError({}, `one scenario file at a time (got ${positionals.length}: ${positionals.slice(0, 3).join(', ')}${positionals.length > 3 ? ', …' : ''})`);
  const file = positionals[0];
  if (file === '') throw new InputError({}, 'the scenario file name is empty');
  let until: number | undefined;
  if (values.until !== undefined) {
    const d = parseDuration(values.until);
    if (!d.ok) throw new InputError({ field: '--until' }, d.reason);
    until = d.ms;
  }
  const describe = (values.describe ?? []).map((d) => {
    const m = /^(?:pod|pods|po)\/([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?)$/.exec(d.trim());
    if (m === null) throw new InputError({ field: '--describe' }, `expected pod/NAME (e.g. pod/inflate-6d4b5c8f9-x7k2p), got "${d.length > 60 ? d.slice(0, 60) + '…' : d}"`);
    return m[1];
  });
  if (values.trace !== undefined && values.trace.trim() === '') throw new InputError({ field: '--trace' }, 'give a file name');
  return {
    file,
    seed: intFlag(values.seed, '--seed', 0, 2 ** 31 - 1),
    until,
    sets: values.set ?? [],
    format: enumFlag(values.format, '--format', ['text', 'json'] as const, 'text'),
    trace: values.trace,
    describe,
    checkInvariants: values['check-invariants'] === true,
  };
}

export async function run(argv: string[]): Promise<number> {
  const flags = parseRunFlags(argv);
  if (flags === 'help') {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const scenario = loadScenario(flags.file, { sets: flags.sets, seed: flags.seed, readFile: (path) => readManifestFile(flags.file, path) });
  for (const w of scenario.warnings) process.stderr.write(`vpc-cni-sim run: warning: ${w}\n`);
  const { runScenario } = await import('../scenario/runner.ts');
  const { collectResult } = await import('../report/collect.ts');
  const { renderReport } = await import('../report/render.ts');
  const trace = flags.trace;
  const run = runScenario(scenario, {
    until: flags.until,
    checkInvariants: flags.checkInvariants,
    ...(trace === undefined ? {} : { trace: { file: trace, open: () => openTraceFile(trace) } }),
  });
  const result = collectResult(run, { describe: flags.describe });
  process.stdout.write(renderReport(result, { format: flags.format }));
  const failed = result.expectations.some((e) => !e.ok) || (result.invariants?.failures.length ?? 0) > 0;
  return failed ? EXIT.expectationFailed : EXIT.ok;
}

/** The largest manifest file a step may name (the limit of a scenario file). */
const MAX_MANIFEST_BYTES = 5 * 1024 * 1024;

/** A manifest file named by a `kubectl apply` step, relative to the scenario's directory (file reading lives here). */
function readManifestFile(scenarioFile: string, path: string): string {
  const full = resolve(dirname(scenarioFile), path);
  const st = statSync(full);
  if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' });
  if (st.size > MAX_MANIFEST_BYTES) throw Object.assign(new Error('too large'), { code: `larger than ${MAX_MANIFEST_BYTES / 1048576} MB` });
  return readFileSync(full, 'utf8');
}
