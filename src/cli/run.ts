/**
 * `vpc-cni-sim run <scenario.yaml> [options]`: load a scenario (src/scenario/loader.ts), replay it
 * (src/scenario/runner.ts) and print the report (src/report). Exit 0 when every expectation holds, 1 when one fails,
 * 2 for bad input (the scenario or a flag). This module only reads flags and prints.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { enumFlag, intFlag, parseFlags } from './flags.ts';
import { EXIT, InputError } from '../util/input-error.ts';
import { formatDuration, parseDuration } from '../util/duration.ts';
import { loadScenarioSource } from '../scenario/loader.ts';
import { MAX_FILE_BYTES, parseScenarioBytes } from '../scenario/source.ts';
import type { Scenario } from '../scenario/types.ts';
import type { RunResult } from '../report/types.ts';
import type { ViewRequest } from '../report/view-types.ts';
import { progressReporter } from './progress.ts';
import { loadScenario } from './scenario-file.ts';
import { viewRequests } from './view-flags.ts';
import { openTraceFile } from './trace-file.ts';
import { checkExportDir, writeExportDir } from './export-dir.ts';
import type { RunOptions, ScenarioRun } from '../scenario/runner.ts';

const HELP = `usage: vpc-cni-sim run <scenario.yaml | -> [options]

Replay a scenario: build the VPC and cluster it describes, play its timeline, check its expectations.
\`-\` reads the scenario from stdin.

options:
  --seed N                  random seed (overrides the scenario's seed)
  --until T                 stop at time T (e.g. 4m30s) and report the state then
  --set key=value           override a scenario field by dotted path (repeatable), e.g.
                            --set cluster.vpcCni.env.WARM_IP_TARGET=2 --set nodeGroups.0.desiredCapacity=5
  --format text|json        report format (default text)
  --trace FILE.ndjson       write the event trace, one JSON object per line (\`-\`: stdout, the report then
                            goes to stderr)
  --check-invariants        check the model's invariants after every event (slower)
  --report FILE.html        also write the whole run as one self-contained page to scrub through
  --export DIR              also write the cluster at the end of the run (or at --until) as the files
                            scripts/collect-cluster.sh collects from a real one (aws ec2 describe-*, aws eks
                            describe-cluster, kubectl get … -o json|yaml), for \`vpc-cni-sim import\`
  --playground FILE.html    also write the playground opened on this scenario (edit, re-run, compare in the
                            browser; the file as written, with --seed applied)

views at the end of the run (or at --until), printed instead of the report (repeatable; a name prefix is enough):
  --describe pod/NAME       like kubectl describe pod, then why it is not Running
  --describe deployment/NAME | node/NAME
  --describe stuck          every pod not Running, grouped by cause, one example chain per cause
  --introspect node/NAME[:PATH]
                            ipamd's introspection JSON, as curl localhost:61679PATH prints it; PATH is
                            /v1/enis (default), /v1/eni-configs, /v1/networkutils-env-settings or
                            /v1/ipamd-env-settings
  --metrics node/NAME       ipamd's awscni_* metrics, as curl localhost:61678/metrics prints them
  --ipamd-log node/NAME     ipamd's decisions as ipamd.log JSON lines (level, ts, caller, msg)

  -h, --help                this help

A node is named by its full name, its short name (ip-10-0-0-109) or its instance id.
exit status: 0 every expectation holds, 1 an expectation failed, 2 bad input.
`;

const OPTIONS = {
  seed: { type: 'string' },
  until: { type: 'string' },
  set: { type: 'string', multiple: true },
  format: { type: 'string' },
  trace: { type: 'string' },
  describe: { type: 'string', multiple: true },
  introspect: { type: 'string', multiple: true },
  metrics: { type: 'string', multiple: true },
  'ipamd-log': { type: 'string', multiple: true },
  'check-invariants': { type: 'boolean' },
  report: { type: 'string' },
  export: { type: 'string' },
  playground: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface RunFlags {
  file: string;
  seed?: number;
  until?: number;
  sets: string[];
  format: 'text' | 'json';
  trace?: string;
  views: ViewRequest[];
  checkInvariants: boolean;
  report?: string;
  export?: string;
  playground?: string;
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
  if (values.trace !== undefined && values.trace.trim() === '') throw new InputError({ field: '--trace' }, 'give a file name');
  if (values.report !== undefined && values.report.trim() === '') throw new InputError({ field: '--report' }, 'give a file name');
  if (values.export !== undefined && values.export.trim() === '') throw new InputError({ field: '--export' }, 'give a directory');
  if (values.playground !== undefined) {
    if (values.playground.trim() === '') throw new InputError({ field: '--playground' }, 'give a file name');
    if (file === '-') throw new InputError({ field: '--playground' }, 'needs a scenario file, not stdin');
    if ((values.set ?? []).length > 0) throw new InputError({ field: '--playground' }, 'writes the scenario file as it is: leave out --set and change the setting in the page');
  }
  return {
    file,
    seed: intFlag(values.seed, '--seed', 0, 2 ** 31 - 1),
    until,
    sets: values.set ?? [],
    format: enumFlag(values.format, '--format', ['text', 'json'] as const, 'text'),
    trace: values.trace,
    views: viewRequests(values),
    checkInvariants: values['check-invariants'] === true,
    report: values.report,
    export: values.export,
    playground: values.playground,
  };
}

/** The run with its recorder attached (src/cli/report-html.ts); writes the HTML page. */
async function runWithReport(scenario: Scenario, opts: RunOptions, file: string): Promise<ScenarioRun> {
  const { recordScenario, writeHtmlReport } = await import('./report-html.ts');
  const { run, record } = recordScenario(scenario, opts);
  await writeHtmlReport(record, file);
  return run;
}

export async function run(argv: string[]): Promise<number> {
  const flags = parseRunFlags(argv);
  if (flags === 'help') {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const scenario = load(flags);
  for (const w of scenario.warnings) process.stderr.write(`vpc-cni-sim run: warning: ${w}\n`);
  noteUntilPastEnd(flags.until, scenario.duration);
  if (flags.export !== undefined) checkExportDir(flags.export);
  const { runScenario } = await import('../scenario/runner.ts');
  const { collectResult } = await import('../report/collect.ts');
  const { renderReport } = await import('../report/render.ts');
  const trace = flags.trace;
  const progress = progressReporter();
  const opts: RunOptions = {
    until: flags.until,
    checkInvariants: flags.checkInvariants,
    ...(trace === undefined ? {} : { trace: { file: trace, open: () => openTraceFile(trace) } }),
    ...(progress === undefined ? {} : { onProgress: progress.tick }),
  };
  const run = flags.report === undefined ? runScenario(scenario, opts) : await runWithReport(scenario, opts, flags.report);
  progress?.done();
  const result = collectResult(run, { views: flags.views });
  if (flags.export !== undefined) await exportCluster(run, flags.export);
  // with the trace on stdout, the report goes to stderr so stdout stays one JSON object per line
  const out = trace === '-' ? process.stderr : process.stdout;
  out.write(renderReport(result, { format: flags.format }));
  warnOnStderr(result);
  // last, so it is the line a reader sees; on stderr, so `--format json` stays one document
  if (flags.report !== undefined) process.stderr.write(`\nHTML report: ${resolve(flags.report)} (open it in a browser)\n`);
  if (flags.playground !== undefined) await writeRunPlayground(flags, flags.playground);
  const failed = result.expectations.some((e) => !e.ok) || (result.invariants?.failures.length ?? 0) > 0;
  return failed ? EXIT.expectationFailed : EXIT.ok;
}

/** Writes the cluster's files into `dir` and says so on stderr (stdout keeps the report). */
async function exportCluster(run: ScenarioRun, dir: string): Promise<void> {
  const { exportClusterFiles } = await import('../report/export/cluster-files.ts');
  const files = exportClusterFiles(run.world);
  writeExportDir(dir, files);
  process.stderr.write(`vpc-cni-sim run: exported the cluster at ${formatDuration(run.world.now)} to ${resolve(dir)} (${files.map((f) => f.name).join(', ')})\n`);
}

/** The playground opened on the run's scenario file (with --seed), and where it is. */
async function writeRunPlayground(flags: RunFlags, out: string): Promise<void> {
  const { scenarioText, writePlayground } = await import('./playground.ts');
  const { setKnob } = await import('../scenario/knobs.ts');
  const text = scenarioText(flags.file);
  await writePlayground(flags.seed === undefined ? text : (setKnob(text, 'seed', String(flags.seed)) ?? text), flags.file, out);
  process.stderr.write(`${flags.report === undefined ? '\n' : ''}Playground: ${resolve(out)} (edit this scenario's settings, re-run and compare, in a browser)\n`);
}

/** With views in place of the report, the report's configuration warnings and failed expectations still show. */
function warnOnStderr(result: RunResult): void {
  if (result.views.length === 0) return;
  for (const w of result.warnings) process.stderr.write(`vpc-cni-sim run: warning: ${w}\n`);
  for (const e of result.expectations.filter((x) => !x.ok)) process.stderr.write(`vpc-cni-sim run: expectation failed: ${e.description} (${e.check} → ${e.actual})\n`);
}

/** The scenario from its file, or from stdin for `-` (manifest files it names are then relative to the working directory). */
function load(flags: RunFlags): Scenario {
  const opts = { sets: flags.sets, seed: flags.seed };
  if (flags.file !== '-') return loadScenario(flags.file, { ...opts, readFile: (path) => readManifestFile(flags.file, path) });
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(0);
  } catch (err) {
    throw new InputError({ file: '<stdin>' }, `cannot read the scenario from stdin: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (bytes.length > MAX_FILE_BYTES) throw new InputError({ file: '<stdin>' }, `${(bytes.length / 1048576).toFixed(1)} MB; scenario files are limited to ${MAX_FILE_BYTES / 1048576} MB`);
  return loadScenarioSource(parseScenarioBytes(bytes, '<stdin>'), { ...opts, readFile: (path) => readManifestFile(join(process.cwd(), '-'), path) });
}

/** `--until` past the scenario's end stops at the end; say so rather than pretend. */
function noteUntilPastEnd(until: number | undefined, duration: number): void {
  if (until !== undefined && until > duration) {
    process.stderr.write(`vpc-cni-sim run: note: --until ${formatDuration(until)} is past the scenario's end (${formatDuration(duration)}); the run stops at ${formatDuration(duration)}\n`);
  }
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
