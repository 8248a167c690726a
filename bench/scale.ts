/**
 * The simulator's own scale benchmark (`npm run bench:scale`): how fast whole clusters simulate, measured through
 * the same job runner the policy benchmark uses (src/bench/run-job.ts), with the default policy (warm-eni-1).
 *
 * Cases (each in a fresh child process, so peak RSS is the case's own):
 *   churn:N  N m5.xlarge nodes, 20 pods per node, exponential lifetimes (mean 10 min), one simulated hour
 *   burst:N  N m5.large nodes, one deployment 0 → 5 pods per node at once, 10 simulated minutes
 *   idle:N   N m5.xlarge nodes, no pods, one simulated hour: nothing but idle pool passes and reconciles
 * For each: simulation events, wall and CPU time, events and simulated seconds per CPU second, peak RSS, and the
 * CPU time per node and per pod, so the growth with nodes and pods reads off the table. CPU time (user + system
 * of the process) is what the wall time is on an otherwise idle machine; on a shared one it is the steadier figure. EC2 throttling is off
 * here (the account-wide buckets would spread a 5,000-node launch over 40 minutes); everything else is the model
 * the policy benchmark runs. Wall time includes building the cluster and the warm-up (nodes joining).
 *
 * Usage:
 *   npm run bench:scale                          the standard table (10, 100, 1,000, 5,000 nodes)
 *   npm run bench:scale -- churn:1000 burst:5000 chosen cases (--timeout S: give up on a case after S s, default 600)
 *   npm run bench:scale -- --repeat 5 churn:1000 each case five times: the fastest run's figures, and the medians
 *   node --cpu-prof --cpu-prof-dir=prof --import tsx bench/scale.ts --one idle:1000
 *                                                profile one case in this process
 *   node --import tsx bench/scale.ts --profile-summary prof/<file>.cpuprofile
 *                                                self time by function, top 25
 * Targets (2-core machine): churn:1000 ≤ 2 s and ≤ 1 GiB; burst:5000 ≤ 20 s.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median } from '../src/bench/metrics.ts';
import { runJob } from '../src/bench/run-job.ts';
import { intFlag, parseFlags } from '../src/cli/flags.ts';
import { EXIT } from '../src/util/input-error.ts';
import { parseCase, scaleWorkload } from './scale-cases.ts';

interface CaseResult {
  name: string;
  nodes: number;
  pods: number;
  events: number;
  simS: number;
  wallS: number;
  /** CPU time of the process (user + system), s: what the wall time would be on an otherwise idle machine. */
  cpuS: number;
  rssMiB: number;
}

async function runOne(text: string): Promise<CaseResult> {
  const { kind, nodes } = parseCase(text);
  const w = scaleWorkload(kind, nodes);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await runJob({ workload: w, policy: { name: 'warm-eni-1', env: { WARM_ENI_TARGET: '1' } }, seed: 1 });
  const wallS = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpuS = (c.user + c.system) / 1e6;
  return {
    name: text,
    nodes,
    pods: r.metrics.pods,
    events: r.events,
    simS: r.simMs / 1000,
    wallS,
    cpuS,
    rssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

function profileSummary(file: string): string {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const self = new Map<number, number>();
  prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
  const byFn = new Map<string, number>();
  let total = 0;
  for (const n of prof.nodes) {
    const us = self.get(n.id) ?? 0;
    total += us;
    const f = n.callFrame;
    const where = f.url === '' ? '' : `${f.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/')}:${f.lineNumber + 1}`;
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  const rows = [...byFn.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
  return rows.map(([k, us]) => `${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`).join('\n') + '\n';
}

function fmt(r: CaseResult): string[] {
  return [
    r.name,
    String(r.nodes),
    String(r.pods),
    r.events.toLocaleString('en-US'),
    r.wallS.toFixed(2),
    r.cpuS.toFixed(2),
    Math.round(r.events / r.cpuS).toLocaleString('en-US'),
    Math.round(r.simS / r.cpuS).toLocaleString('en-US'),
    r.rssMiB.toFixed(0),
    ((1000 * r.cpuS) / r.nodes).toFixed(2),
    r.pods > 0 ? ((1e6 * r.cpuS) / r.pods).toFixed(0) : '–',
  ];
}

/** One case in a fresh child process: its figures, or why there are none. */
function runChild(c: string, timeoutS: number): CaseResult | { timedOut: true } | { failed: string } {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--one', c], { encoding: 'utf8', maxBuffer: 1 << 24, timeout: timeoutS * 1000 });
  if (child.error !== undefined || child.signal !== null) return { timedOut: true };
  if (child.status !== 0) return { failed: child.stderr };
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as CaseResult;
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--profile-summary') {
    process.stdout.write(profileSummary(argv[1]));
    return;
  }
  if (argv[0] === '--one') {
    process.stdout.write(JSON.stringify(await runOne(argv[1])) + '\n');
    return;
  }
  let timeoutS: number;
  let repeat: number;
  let cases: string[];
  try {
    const { values, positionals } = parseFlags(argv, { timeout: { type: 'string' }, repeat: { type: 'string' } }, 'bench:scale');
    timeoutS = intFlag(values.timeout, '--timeout', 1, 86_400) ?? 600;
    repeat = intFlag(values.repeat, '--repeat', 1, 100) ?? 1;
    cases = positionals.length > 0 ? positionals : ['idle:10', 'idle:100', 'idle:1000', 'churn:10', 'churn:100', 'churn:1000', 'churn:5000', 'burst:10', 'burst:100', 'burst:1000', 'burst:5000'];
    for (const c of cases) parseCase(c);
  } catch (e) {
    // one line and exit 2, as the CLI reports bad input
    process.stderr.write(`bench:scale: ${(e as Error).message}\n`);
    process.exit(EXIT.badInput);
  }
  const head = ['case', 'nodes', 'pods', 'events', 'wall s', 'CPU s', 'events/CPU s', 'sim s/CPU s', 'peak RSS MiB', 'CPU ms/node', 'CPU µs/pod'];
  if (repeat > 1) head.push('median wall s', 'median CPU s');
  const rows: string[][] = [];
  for (const c of cases) {
    const runs: CaseResult[] = [];
    for (let k = 0; k < repeat; k++) {
      const r = runChild(c, timeoutS);
      if ('timedOut' in r) {
        process.stderr.write(`${c}: stopped after ${timeoutS} s\n`);
        rows.push([c, c.split(':')[1], '', '', `> ${timeoutS}`, ...head.slice(5).map(() => '')]);
        break;
      }
      if ('failed' in r) {
        process.stderr.write(`bench:scale: ${c} failed:\n${r.failed}\n`);
        process.exitCode = 1;
        break;
      }
      runs.push(r);
      process.stderr.write(`${c}: ${r.wallS.toFixed(2)} s wall, ${r.cpuS.toFixed(2)} s CPU\n`);
    }
    if (runs.length < repeat) continue;
    // the same case must simulate the same thing every time; only the machine's speed may differ
    if (runs.some((r) => r.events !== runs[0].events || r.pods !== runs[0].pods)) {
      process.stderr.write(`bench:scale: ${c} is not deterministic: event counts ${runs.map((r) => r.events).join(', ')}\n`);
      process.exitCode = 1;
    }
    const best = runs.reduce((a, b) => (b.wallS < a.wallS ? b : a));
    const row = fmt(best);
    if (repeat > 1) row.push(median(runs.map((r) => r.wallS))!.toFixed(2), median(runs.map((r) => r.cpuS))!.toFixed(2));
    rows.push(row);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  process.stdout.write([line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n');
}

await main(process.argv.slice(2));
