/**
 * `vpc-cni-sim swarm --seeds N [--from S] [--dir DIR]` (also `npm run swarm -- …`): runs N random scenarios (seeds
 * S .. S+N−1, one generated scenario per seed, src/swarm/generate.ts) with every invariant on, prints each failing seed
 * with the path of its reproducing YAML, then the known findings met and the throughput (scenarios per minute).
 * Exit status 1 when a seed failed. Replay a failure: `vpc-cni-sim run <file> --check-invariants`.
 * Not here: running one scenario and judging it (src/swarm/harness.ts), the loop over seeds (src/swarm/swarm.ts).
 */
import { intFlag, parseFlags } from './flags.ts';
import { EXIT, InputError } from '../util/input-error.ts';
import { runSwarm } from '../swarm/swarm.ts';

const HELP = `usage: vpc-cni-sim swarm [--seeds N] [--from S] [--dir DIR]

Runs N random scenarios (seeds S .. S+N-1; the same seed always gives the same scenario) with every invariant
checked after every event: a safety phase with faults, then a liveness phase with the faults healed. Each failing
seed is printed with the path of its reproducing YAML; then the known findings met and the throughput.
Exit status 1 when a seed failed.

options:
  --seeds N      how many scenarios (default 100)
  --from S       first seed (default 1)
  --dir DIR      where failing scenarios are written (default a fresh temporary directory)

Replay a failure: vpc-cni-sim run FILE --check-invariants
`;

const OPTIONS = {
  seeds: { type: 'string' },
  from: { type: 'string' },
  dir: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function run(argv: string[]): number {
  const { values, positionals } = parseFlags(argv, OPTIONS, 'swarm');
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new InputError({ field: positionals[0] }, 'unexpected argument (swarm takes only flags; see --help)');
  const seeds = intFlag(values.seeds, '--seeds', 1, 1_000_000) ?? 100;
  const from = intFlag(values.from, '--from', 0, Number.MAX_SAFE_INTEGER - 1_000_000) ?? 1;
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
  return r.failures.length > 0 ? EXIT.expectationFailed : EXIT.ok;
}
