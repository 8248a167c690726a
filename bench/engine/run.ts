/**
 * `npm run bench:engine`: the engine's speed against SimPy on the same machine, back to back.
 *
 * The model is an M/M/c queue (c = 10, load λ/(cμ) = 0.9, 200,000 customers; bench/engine/mmc.ts and
 * mmc_simpy.py). The two sides run in alternating rounds (ours a few times, then SimPy once, in a fresh Python),
 * all with the same seed, so both see the same machine conditions; speed is customers per second of each side's
 * fastest run (wall clock of the simulation loop only, model set-up and interpreter start excluded), because on a
 * shared machine the fastest run is the one least disturbed. Ours gets one untimed warm-up run first (JIT). Mean waits are printed with a 95% confidence interval (batch means)
 * beside the Erlang-C value, so a reader can check both models compute the same thing.
 * The last line is `engine-vs-simpy: <ratio>x` (customers per second, ours over SimPy's).
 *
 * SimPy is the Debian package python3-simpy3 for /usr/bin/python3; it is installed here when missing.
 * Options: --customers N, --rounds N (default 3), --reps N (our runs per round, default 3), --seed N.
 * This is a benchmark, not a test: it asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BATCHES, DEFAULT_MMC, erlangCMeanWaitMs, runMmc, type MmcOptions } from './mmc.ts';

const PYTHON = '/usr/bin/python3';
const SIMPY_SCRIPT = fileURLToPath(new URL('./mmc_simpy.py', import.meta.url));

interface SimpyOutput {
  customers: number;
  meanWaitMs: number;
  batchMeansMs: number[];
  seconds: number[];
  python: string;
  simpy: string;
}

function log(line = ''): void {
  process.stdout.write(line + '\n');
}

/** Student t quantile for a 95% interval with 19 degrees of freedom (20 batches). */
const T19 = 2.093;

/** Mean and 95% half-width from batch means. */
function interval(batchMeans: number[]): { mean: number; half: number } {
  const n = batchMeans.length;
  const mean = batchMeans.reduce((a, b) => a + b, 0) / n;
  const variance = batchMeans.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, half: T19 * Math.sqrt(variance / n) };
}

function sh(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return r.status === 0;
}

function simpyImportable(): boolean {
  return existsSync(PYTHON) && sh(PYTHON, ['-c', 'import simpy']);
}

/** Makes `import simpy` work for /usr/bin/python3, or says why it cannot. */
function ensureSimpy(): string | null {
  if (simpyImportable()) return null;
  if (!existsSync('/usr/bin/apt-get')) return `${PYTHON} cannot import simpy and there is no apt-get to install python3-simpy3`;
  const asRoot = process.getuid?.() === 0;
  const apt = (args: string[]) => (asRoot ? sh('apt-get', args) : sh('sudo', ['-n', 'apt-get', ...args]));
  log('SimPy missing for /usr/bin/python3: installing the Debian package python3-simpy3 ...');
  if (!apt(['install', '-y', 'python3-simpy3'])) {
    log('apt-get install failed; running apt-get update and trying again ...');
    apt(['update']);
    apt(['install', '-y', 'python3-simpy3']);
  }
  if (simpyImportable()) return null;
  return `could not install python3-simpy3 for ${PYTHON} (${asRoot ? 'apt-get failed' : 'not root and no passwordless sudo'}); install it with: sudo apt-get install -y python3-simpy3`;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function main(): number {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      customers: { type: 'string' },
      rounds: { type: 'string' },
      reps: { type: 'string' },
      seed: { type: 'string' },
    },
    strict: true,
  });
  const opts: MmcOptions = {
    ...DEFAULT_MMC,
    customers: values.customers === undefined ? DEFAULT_MMC.customers : Number(values.customers),
    seed: values.seed === undefined ? DEFAULT_MMC.seed : Number(values.seed),
  };
  const rounds = Number(values.rounds ?? 3);
  const reps = Number(values.reps ?? 3);
  if (!(opts.customers >= BATCHES && rounds >= 1 && reps >= 1 && Number.isFinite(opts.seed))) {
    log('usage: run.ts [--customers N>=20] [--rounds N>=1] [--reps N>=1] [--seed N]');
    return 2;
  }
  const load = opts.serviceMeanMs / (opts.interarrivalMeanMs * opts.servers);
  const theory = erlangCMeanWaitMs(opts);

  log(
    `M/M/c: c=${opts.servers} servers, load ${load.toFixed(2)} (1/λ=${fmt(opts.interarrivalMeanMs, 1)} ms, ` +
      `1/μ=${fmt(opts.serviceMeanMs)} ms), ${fmt(opts.customers)} customers, seed ${opts.seed}`,
  );
  log(`${rounds} rounds of (engine x${reps}, SimPy x1); node ${process.version}, ${process.platform}/${process.arch}`);

  const missing = ensureSimpy();
  if (missing !== null) log(`SimPy: ${missing}`);

  let ours = runMmc(opts); // warm-up, untimed
  const oursMs: number[] = [];
  const pyMs: number[] = [];
  let py: SimpyOutput | undefined;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      ours = runMmc(opts);
      oursMs.push(performance.now() - t0);
    }
    if (missing !== null) continue;
    const r = spawnSync(PYTHON, [SIMPY_SCRIPT, JSON.stringify({ ...opts, batches: BATCHES, reps: 1 })], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    if (r.status !== 0) {
      log(`SimPy run failed (exit ${r.status}): ${(r.stderr || '').trim().split('\n').slice(-1)[0] ?? ''}`);
      log('engine-vs-simpy: n/a (SimPy run failed)');
      return 1;
    }
    py = JSON.parse(r.stdout) as SimpyOutput;
    pyMs.push(py.seconds[0] * 1000);
  }
  log();

  const oursBest = Math.min(...oursMs);
  const oursRate = (opts.customers / oursBest) * 1000;
  const oursWait = interval(ours.batchMeansMs);
  log(`engine (TypeScript, src/sim): best ${fmt(oursBest, 1)} ms of ${oursMs.length} runs (${oursMs.map((t) => fmt(t)).join(', ')})`);
  log(`  ${fmt(oursRate)} customers/s (${fmt(ours.events)} engine events per run)`);
  log(`  mean wait ${fmt(oursWait.mean)} ms ± ${fmt(oursWait.half)} (95%, batch means)`);

  if (py === undefined) {
    log();
    log(`Erlang C theoretical mean wait: ${fmt(theory)} ms (engine ${pct(oursWait.mean, theory)})`);
    log('engine-vs-simpy: n/a (SimPy unavailable)');
    return 1;
  }
  const pyBest = Math.min(...pyMs);
  const pyRate = (opts.customers / pyBest) * 1000;
  const pyWait = interval(py.batchMeansMs);
  log(`SimPy ${py.simpy} (Python ${py.python}): best ${fmt(pyBest, 1)} ms of ${pyMs.length} runs (${pyMs.map((t) => fmt(t)).join(', ')})`);
  log(`  ${fmt(pyRate)} customers/s`);
  log(`  mean wait ${fmt(pyWait.mean)} ms ± ${fmt(pyWait.half)} (95%, batch means)`);
  log();

  const se = Math.sqrt((oursWait.half / T19) ** 2 + (pyWait.half / T19) ** 2);
  log(
    `Erlang C theoretical mean wait: ${fmt(theory)} ms ` +
      `(engine ${pct(oursWait.mean, theory)}, SimPy ${pct(pyWait.mean, theory)})`,
  );
  log(
    `engine vs SimPy mean wait: ${pct(oursWait.mean, pyWait.mean)}, ` +
      `${fmt(Math.abs(oursWait.mean - pyWait.mean) / se, 1)} standard errors apart ` +
      `(one run of ${fmt(opts.customers)} customers at load ${load.toFixed(1)} varies by several %)`,
  );
  log(`engine-vs-simpy: ${(oursRate / pyRate).toFixed(1)}x`);
  return 0;
}

function pct(a: number, b: number): string {
  const p = ((a - b) / b) * 100;
  return `${p >= 0 ? '+' : ''}${p.toFixed(1)}%`;
}

process.exitCode = main();
