/**
 * Behaviour fingerprints (`npm run bench:fingerprint`): one line per output that a speed-up must not change, as
 * `<sha256> <what>`. Run it before and after a change and `diff` the two; any line that differs is a change of
 * behaviour, not of speed.
 *
 * Covered: the `--trace` NDJSON, the text report and the JSON report of every shipped scenario (scenarios/ and
 * scenarios/findings/); the same for generated swarm scenarios (seeds 1..N, --swarm N, default 40); the policy
 * benchmark's JSON on bench/workloads/small.yaml; and the full trace plus the job result (metrics and event count)
 * of small cases of the scale benchmark (bench/scale.ts).
 *
 * Usage: node --import tsx bench/fingerprint.ts [--swarm N] [--only scenarios|swarm|bench|scale] > before.txt
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runJobSync } from '../src/bench/run-job.ts';
import { MemoryTracer } from '../src/sim/index.ts';
import { scenarioForSeed } from '../src/swarm/generate.ts';
import { scenarioYaml } from '../src/swarm/scenario-doc.ts';
import { runCli } from '../test/support/cli.ts';
import { parseCase, scaleWorkload } from './scale-cases.ts';

const dir = mkdtempSync(join(tmpdir(), 'fingerprint-'));
/** The scratch directory's name differs per run; outputs that quote a path get a fixed one. */
const hash = (s: string) => createHash('sha256').update(s.replaceAll(dir, '<dir>')).digest('hex');
const say = (what: string, content: string) => process.stdout.write(`${hash(content)} ${what}\n`);

/** Trace, text report and JSON report of one scenario file. */
async function scenario(file: string, name: string, dir: string): Promise<void> {
  const trace = join(dir, 'trace.ndjson');
  const text = await runCli(['run', file, '--trace', trace]);
  say(`${name} trace`, readFileSync(trace, 'utf8'));
  say(`${name} report (exit ${text.code})`, text.stdout + text.stderr);
  const json = await runCli(['run', file, '--format', 'json']);
  say(`${name} json (exit ${json.code})`, json.stdout + json.stderr);
}

const { values } = parseArgs({ options: { swarm: { type: 'string', default: '40' }, only: { type: 'string' } } });
const want = (part: string) => values.only === undefined || values.only === part;
try {
  if (want('scenarios')) {
    for (const d of ['scenarios', 'scenarios/findings']) {
      for (const f of readdirSync(d).filter((x) => x.endsWith('.yaml')).sort()) await scenario(join(d, f), `${d}/${f}`, dir);
    }
  }
  if (want('swarm')) {
    for (let seed = 1; seed <= Number(values.swarm); seed++) {
      const file = join(dir, `swarm-${seed}.yaml`);
      writeFileSync(file, scenarioYaml(scenarioForSeed(seed)));
      await scenario(file, `swarm seed ${seed}`, dir);
    }
  }
  if (want('bench')) {
    const r = await runCli(['bench', 'bench/workloads/small.yaml', '--format', 'json', '--quiet', '--workers', '1']);
    say(`bench small.yaml json (exit ${r.code})`, r.stdout + r.stderr);
  }
  if (want('scale')) {
    for (const c of ['churn:40', 'burst:300', 'idle:50']) {
      const { kind, nodes } = parseCase(c);
      const tracer = new MemoryTracer();
      const result = runJobSync({ workload: scaleWorkload(kind, nodes), policy: { name: 'warm-eni-1', env: { WARM_ENI_TARGET: '1' } }, seed: 1 }, undefined, tracer);
      say(`scale ${c} trace`, tracer.text());
      say(`scale ${c} result`, JSON.stringify(result));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
