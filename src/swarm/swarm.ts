/**
 * The swarm: many random scenarios (one per seed, generate.ts), each run through the scenario loader and runner
 * with every invariant on, safety phase then liveness phase. Failing seeds get their reproducing YAML written to a
 * temp directory. Used by `vpc-cni-sim swarm` (src/cli/swarm.ts, also `npm run swarm`) and, bounded, by
 * test/swarm/swarm.test.ts. Writes files (node:fs), so it sits beside the commands, not in the browser-safe core.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarioForSeed } from './generate.ts';
import { describeOutcome, failed, runGenerated, writeCounterexample } from './harness.ts';

export interface SwarmFailure {
  seed: number;
  kind: 'safety' | 'liveness' | 'crash';
  summary: string;
  file: string;
}

export interface SwarmResult {
  seeds: number;
  failures: SwarmFailure[];
  /** Runs in which each known finding appeared. */
  findings: Record<string, number>;
  events: number;
  wallMs: number;
  /** Scenarios per minute of wall time. */
  perMinute: number;
}

export interface SwarmOptions {
  from: number;
  seeds: number;
  /** Where failing scenarios are written (default: a fresh temp dir). */
  dir?: string;
  onProgress?: (done: number, r: { seed: number; ok: boolean; ms: number }) => void;
  onFailure?: (f: SwarmFailure) => void;
}

export function runSwarm(o: SwarmOptions): SwarmResult {
  let dir = o.dir;
  const failures: SwarmFailure[] = [];
  const findings: Record<string, number> = {};
  let events = 0;
  const t0 = performance.now();
  for (let i = 0; i < o.seeds; i++) {
    const seed = o.from + i;
    const out = runGenerated(scenarioForSeed(seed), { stopOnFailure: true });
    events += out.events;
    for (const f of new Set(out.findings.map((v) => v.finding!))) findings[f] = (findings[f] ?? 0) + 1;
    if (failed(out)) {
      dir ??= mkdtempSync(join(tmpdir(), 'vpc-cni-sim-swarm-'));
      const f: SwarmFailure = {
        seed,
        kind: out.crash !== undefined ? 'crash' : out.failures[0].class,
        summary: describeOutcome(out).split('\n')[0],
        file: writeCounterexample(out, dir),
      };
      failures.push(f);
      o.onFailure?.(f);
    }
    o.onProgress?.(i + 1, { seed, ok: !failed(out), ms: out.wallMs });
  }
  const wallMs = performance.now() - t0;
  return { seeds: o.seeds, failures, findings, events, wallMs, perMinute: o.seeds / (wallMs / 60_000) };
}
