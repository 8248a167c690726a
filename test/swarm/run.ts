/**
 * `npm run swarm -- --seeds N [--from S] [--dir DIR]`: runs N random scenarios (seeds S .. S+N−1, default S = 1) with
 * every invariant on, prints each failing seed with the path of its reproducing YAML, then the known findings met,
 * and the throughput (scenarios per minute). Exit status 1 when a seed failed.
 * Replay a failure: `npx vpc-cni-sim run <file> --check-invariants` (see the file's header comment).
 */
import { parseArgs } from 'node:util';
import { runSwarm } from './swarm.ts';

function main(): number {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { seeds: { type: 'string' }, from: { type: 'string' }, dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write('usage: npm run swarm -- --seeds N [--from S] [--dir DIR]\n');
    return 0;
  }
  const seeds = Number(values.seeds ?? 100);
  const from = Number(values.from ?? 1);
  if (!Number.isSafeInteger(seeds) || seeds < 1 || !Number.isSafeInteger(from) || from < 0) {
    process.stderr.write('swarm: --seeds must be a whole number ≥ 1 and --from ≥ 0\n');
    return 2;
  }
  process.stdout.write(`swarm: seeds ${from}..${from + seeds - 1}, every invariant after every event\n`);
  const r = runSwarm({
    from,
    seeds,
    dir: values.dir,
    onFailure: (f) => process.stdout.write(`FAIL seed ${f.seed} [${f.kind}] ${f.summary}\n     reproduce: npx vpc-cni-sim run ${f.file} --check-invariants\n`),
    onProgress: (done) => {
      if (done % 100 === 0 && done < seeds) process.stdout.write(`  ${done}/${seeds} …\n`);
    },
  });
  process.stdout.write(`\n${r.seeds} scenarios, ${r.failures.length} failing${r.failures.length > 0 ? `: seeds ${r.failures.map((f) => f.seed).join(', ')}` : ''}\n`);
  const f = Object.entries(r.findings).sort();
  if (f.length > 0) process.stdout.write(`known findings (scenarios): ${f.map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
  process.stdout.write(`${(r.wallMs / 1000).toFixed(1)} s, ${r.events} simulation events, ${Math.round(r.perMinute)} scenarios/minute\n`);
  return r.failures.length > 0 ? 1 : 0;
}

process.exitCode = main();
