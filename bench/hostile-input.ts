/**
 * `npm run bench:hostile`: how fast the CLI refuses bad input — every file in test/hostile/cases through `main()`
 * in-process (median and worst of --reps runs each, after one warm-up pass), then the 50 MB file and a few cases
 * through a real `node bin/vpc-cni-sim.mjs` process (start-up included). The requirement is "within a second or two,
 * never a hang"; the tests only guard against hangs (test/hostile/corpus.test.ts), the figures live here.
 * Options: --reps N (default 5). This is a benchmark, not a test: it asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../src/bench/metrics.ts';
import { runCli } from '../test/support/cli.ts';
import { writePaddingFile } from '../test/support/padding-file.ts';

const DIR = 'test/hostile/cases';
const BIN = 'bin/vpc-cni-sim.mjs';

function log(line = ''): void {
  process.stdout.write(line + '\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { reps: { type: 'string', default: '5' } } });
  const reps = Math.max(1, Number(values.reps));
  const files = readdirSync(DIR).sort();

  for (const f of files) await runCli(['run', `${DIR}/${f}`]); // warm-up (module loading, JIT)
  log(`in-process refusal, ${files.length} cases, ${reps} runs each (ms)`);
  log(`${'case'.padEnd(40)} ${'median'.padStart(8)} ${'worst'.padStart(8)}  exit`);
  const worst: { f: string; ms: number }[] = [];
  for (const f of files) {
    const ms: number[] = [];
    let code = -1;
    for (let i = 0; i < reps; i++) {
      const r = await runCli(['run', `${DIR}/${f}`]);
      ms.push(r.ms);
      code = r.code;
    }
    const w = Math.max(...ms);
    worst.push({ f, ms: w });
    log(`${f.padEnd(40)} ${median(ms)!.toFixed(1).padStart(8)} ${w.toFixed(1).padStart(8)}  ${code}`);
  }
  const slowest = worst.reduce((a, b) => (b.ms > a.ms ? b : a));
  log(`slowest case: ${slowest.f}, ${slowest.ms.toFixed(1)} ms`);

  log();
  log('subprocess refusal (node start-up included, ms)');
  const tmp = mkdtempSync(join(tmpdir(), 'vpc-cni-sim-bench-hostile-'));
  try {
    const big = join(tmp, 'big.yaml');
    writePaddingFile(big, 50 * 1024 * 1024);
    const cases: [string, string][] = [
      ['50 MB file', big],
      ...['alias-bomb.yaml', 'binary-garbage.yaml', 'deep-flow-nesting.yaml'].map((f): [string, string] => [f, `${DIR}/${f}`]),
    ];
    for (const [label, file] of cases) {
      const ms: number[] = [];
      let code: number | null = null;
      for (let i = 0; i < reps; i++) {
        const t0 = performance.now();
        const r = spawnSync(process.execPath, ['--max-old-space-size=256', BIN, 'run', file], { encoding: 'utf8', timeout: 60_000 });
        ms.push(performance.now() - t0);
        code = r.status;
      }
      log(`${label.padEnd(40)} ${median(ms)!.toFixed(0).padStart(8)} ${Math.max(...ms).toFixed(0).padStart(8)}  ${code}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
