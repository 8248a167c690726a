/**
 * Determinism: the same scenario and seed give a byte-identical NDJSON trace — in two separate processes running
 * the CLI (`node bin/vpc-cni-sim.mjs run <scenario> --trace <file>`) and in two runs inside one process — and
 * checking invariants (which only reads the model) leaves the trace unchanged. A different seed changes the trace.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import { openTraceFile } from '../../src/cli/trace-file.ts';
import { runScenario } from '../../src/scenario/runner.ts';
import { scenarioForSeed } from '../../src/swarm/generate.ts';
import { scenarioYaml } from '../../src/swarm/scenario-doc.ts';

const dir = mkdtempSync(join(tmpdir(), 'vpc-cni-sim-determinism-'));
const SCENARIO = 'scenarios/inflate-exhaustion.yaml';

/** A generated scenario with faults, churn, an aws-node restart and node termination: many random draws. */
function faultyScenario(): string {
  let seed = 1;
  for (;; seed++) {
    const g = scenarioForSeed(seed);
    const kinds = new Set(g.timeline.map((s) => s.kind));
    if (g.faults.errors.length > 0 && kinds.has('restart-aws-node') && kinds.has('scale')) break;
  }
  const file = join(dir, `gen-${seed}.yaml`);
  writeFileSync(file, scenarioYaml(scenarioForSeed(seed)));
  return file;
}

function cli(args: string[]): void {
  try {
    execFileSync(process.execPath, ['bin/vpc-cni-sim.mjs', 'run', ...args], { stdio: 'pipe', timeout: 120_000 });
  } catch (err) {
    // Exit status 1 (an expectation failed) still writes the trace; anything else is a real failure.
    if ((err as { status?: number }).status !== 1) throw err;
  }
}

function inProcess(file: string, trace: string, opts: { seed?: number; checkInvariants?: boolean } = {}): string {
  runScenario(loadScenario(file, { seed: opts.seed }), { trace: { file: trace, open: () => openTraceFile(trace) }, checkInvariants: opts.checkInvariants });
  return readFileSync(trace, 'utf8');
}

describe('determinism', () => {
  it('two processes running the CLI write byte-identical traces', () => {
    for (const [i, file] of [SCENARIO, faultyScenario()].entries()) {
      const a = join(dir, `cli-${i}-a.ndjson`);
      const b = join(dir, `cli-${i}-b.ndjson`);
      cli([file, '--trace', a]);
      cli([file, '--trace', b]);
      const ta = readFileSync(a);
      expect(ta.length).toBeGreaterThan(10_000);
      expect(readFileSync(b).equals(ta)).toBe(true);
    }
  });

  it('two runs in one process write byte-identical traces, with or without invariant checking', () => {
    const file = faultyScenario();
    const a = inProcess(file, join(dir, 'in-a.ndjson'));
    const b = inProcess(file, join(dir, 'in-b.ndjson'));
    const c = inProcess(file, join(dir, 'in-c.ndjson'), { checkInvariants: true });
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('a different seed changes the trace', () => {
    const a = inProcess(SCENARIO, join(dir, 'seed-1.ndjson'), { seed: 1 });
    const b = inProcess(SCENARIO, join(dir, 'seed-2.ndjson'), { seed: 2 });
    expect(b).not.toBe(a);
    // Same run shape, different draws: both traces cover the same scenario.
    expect(a.split('\n', 1)[0]).not.toBe('');
  });
});
