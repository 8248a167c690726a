/**
 * Runs one generated scenario the way `vpc-cni-sim run FILE --check-invariants` does — YAML text → the scenario
 * loader → the scenario runner → the World, with the invariant checker attached after every event — and returns
 * what the checker saw. Used by the swarm (swarm.ts) and the property tests (test/properties).
 *
 * The safety phase's faults are removed at `healAt` by the scenario's own `sim heal-faults` step, so the printed YAML
 * replays the whole run.
 * A model exception is reported as a `crash` (the third failure class, after safety and liveness).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatViolation, type InvariantChecker, type Violation } from '../check/index.ts';
import type { Invariant } from '../check/invariant.ts';
import { loadScenarioText } from '../scenario/loader.ts';
import { runScenario } from '../scenario/runner.ts';
import type { GenScenario } from './generate.ts';
import { scenarioYaml } from './scenario-doc.ts';

export interface Outcome {
  seed: number;
  yaml: string;
  failures: Violation[];
  findings: Violation[];
  /** A model exception, if the run crashed. */
  crash?: string;
  checks: number;
  events: number;
  wallMs: number;
}

export interface RunGeneratedOptions {
  /** Stop at the first failure (shrinking is faster). */
  stopOnFailure?: boolean;
  /** Extra invariants for this run (tests plant strict ones to exercise shrinking). */
  extra?: Invariant[];
}

export function runGenerated(g: GenScenario, opts: RunGeneratedOptions = {}): Outcome {
  const yaml = scenarioYaml(g, { healStep: true });
  const t0 = performance.now();
  const scenario = loadScenarioText(yaml, `gen-${g.seed}.yaml`);
  let checker: InvariantChecker | undefined;
  let events = 0;
  let world: { sim: { eventCount: number } } | undefined;
  let crash: string | undefined;
  try {
    runScenario(scenario, {
      checkInvariants: true,
      observe: (w, c) => {
        world = w;
        checker = c;
        for (const inv of opts.extra ?? []) c?.add(inv);
      },
      ...(opts.stopOnFailure === true ? { stopWhen: () => checker !== undefined && !checker.ok } : {}),
    });
  } catch (err) {
    crash = err instanceof Error ? (err.stack ?? err.message) : String(err);
  }
  events = world?.sim.eventCount ?? 0;
  const out: Outcome = {
    seed: g.seed,
    yaml,
    failures: checker?.failures ?? [],
    findings: checker?.findings ?? [],
    checks: checker?.checks ?? 0,
    events,
    wallMs: performance.now() - t0,
  };
  if (crash !== undefined) out.crash = crash;
  return out;
}

export function failed(o: Outcome): boolean {
  return o.failures.length > 0 || o.crash !== undefined;
}

/** One paragraph per failure: class, invariant, seed, time and message; then the crash. */
export function describeOutcome(o: Outcome): string {
  const lines = o.failures.map(formatViolation);
  if (o.crash !== undefined) lines.push(`[crash] seed ${o.seed}: ${o.crash.split('\n').slice(0, 6).join('\n  ')}`);
  return lines.join('\n');
}

/** Writes the reproducing YAML (with the failures in a header comment) to a temp dir; returns its path. */
export function writeCounterexample(o: Outcome, dir = join(tmpdir(), 'vpc-cni-sim-counterexamples')): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `gen-${o.seed}.yaml`);
  const header = describeOutcome(o)
    .split('\n')
    .map((l) => `# ${l}`)
    .join('\n');
  writeFileSync(file, `${header}\n${o.yaml}`);
  return file;
}
