/**
 * Replaying a loaded scenario: build the World from it (a loaded scenario holds its WorldSpec), then walk
 * the timeline — run the simulation to each step's time, perform the step through the World's command-shaped
 * actions, and check every expectation at its time. At one instant, steps run first (in file order), then the
 * checks, which therefore see a step's immediate effect but nothing that follows from it. Returns the run (the World
 * at its end and what was seen on the way); the CLI hands it to the report.
 * Not here: loading (loader.ts), what a step does (actions/), what a check means (expectations.ts), the report
 * (src/report, which reads a `ScenarioRun`).
 */
import { attachInvariantChecker, formatViolation } from '../check/index.ts';
import { InputError } from '../util/input-error.ts';
import { NdjsonFileTracer } from '../sim/index.ts';
import { World, type WorldSpec } from '../model/world.ts';
import type { ActionResult } from '../model/k8s/types.ts';
import { actionFor } from './actions/index.ts';
import type { ActionRecord } from './actions/action.ts';
import { evaluate, skipped, type ExpectationResult } from './expectations.ts';
import type { Action, Scenario } from './types.ts';

export interface RunOptions {
  /** Stop at this time (ms) instead of the scenario's duration. */
  until?: number;
  /** Write the NDJSON trace here; `-` is stdout. */
  trace?: string;
  checkInvariants?: boolean;
  /** Called every simulated second with (virtual ms, events so far), for a progress line; off by default. */
  onProgress?: (now: number, events: number) => void;
}

/** The World's spec of a scenario: the loaded scenario holds it as it is; a copy, so the World shares nothing with it. */
export function worldSpecOf(s: Scenario): WorldSpec {
  const { seed, region, vpc, subnets, cluster, nodeGroups, ec2, deniedPermissions } = s;
  return structuredClone({ seed, region, vpc, subnets, cluster, nodeGroups, ec2, deniedPermissions });
}

/** Builds the World; a spec the World refuses is the scenario file's fault. */
export function buildWorld(s: Scenario): World {
  try {
    return new World(worldSpecOf(s));
  } catch (err) {
    if (err instanceof InputError) throw new InputError({ ...err.where, file: s.file }, err.reason);
    throw err;
  }
}

/** What a replay leaves: the World at its end and what the runner saw on the way. The report is made from it. */
export interface ScenarioRun {
  scenario: Scenario;
  world: World;
  expectations: ExpectationResult[];
  actions: ActionRecord[];
  /** True when `until` stopped the run before the scenario's duration. */
  stoppedEarly: boolean;
  invariants?: { checks: number; failures: string[]; findings: string[] };
  /** Set when the trace was written to a file. */
  trace?: string;
}

export function runScenario(s: Scenario, opts: RunOptions = {}): ScenarioRun {
  const world = buildWorld(s);
  let tracer: NdjsonFileTracer | undefined;
  if (opts.trace !== undefined) {
    try {
      tracer = new NdjsonFileTracer(opts.trace === '-' ? 1 : opts.trace);
    } catch (err) {
      throw new InputError({ field: '--trace' }, `cannot write ${opts.trace}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    world.sim.tracer = tracer;
    world.sim.trace('scenario', { name: s.name, seed: s.seed, file: s.file });
  }
  const checker = opts.checkInvariants === true ? attachInvariantChecker(world) : undefined;
  try {
    const end = opts.until === undefined ? s.duration : Math.min(opts.until, s.duration);
    const actions: ActionRecord[] = [];
    const results = new Map<number, ExpectationResult>();
    const times = [...new Set([...s.timeline.map((a) => a.at), ...s.expect.map((e) => e.at)])].filter((t) => t <= end).sort((a, b) => a - b);
    const runUntil = advancer(world, opts.onProgress);
    for (const t of times) {
      runUntil(t);
      for (const a of s.timeline) if (a.at === t) actions.push(...perform(world, s, a));
      for (const e of s.expect) if (e.at === t) results.set(e.index, evaluate(world, e));
    }
    runUntil(end);
    for (const e of s.expect) if (!results.has(e.index)) results.set(e.index, skipped(e));
    checker?.finish();
    const run: ScenarioRun = { scenario: s, world, expectations: s.expect.map((e) => results.get(e.index)!), actions, stoppedEarly: end < s.duration };
    if (checker !== undefined) {
      run.invariants = { checks: checker.checks, failures: checker.failures.map(formatViolation), findings: checker.findings.map(formatViolation) };
    }
    if (opts.trace !== undefined) run.trace = opts.trace;
    return run;
  } finally {
    checker?.detach();
    if (tracer !== undefined) {
      world.sim.tracer = null;
      tracer.close();
    }
  }
}

/** `world.runUntil`, or, with a progress callback, the same in one-second steps (the events run are the same). */
function advancer(world: World, onProgress: RunOptions['onProgress']): (t: number) => void {
  if (onProgress === undefined) return (t) => world.runUntil(t);
  return (t) => {
    for (let next = Math.min(t, world.now + 1000); ; next = Math.min(t, next + 1000)) {
      world.runUntil(next);
      onProgress(world.now, world.sim.eventCount);
      if (next >= t) return;
    }
  };
}

/**
 * Performs one timeline step through its action (actions/index.ts): one command per target (one for most steps;
 * one per node or instance for steps that name several), each put on the World's timeline as the same command line
 * the report shows.
 */
function perform(world: World, s: Scenario, a: Action): ActionRecord[] {
  const def = actionFor(a.run);
  const step = a as never;
  const c = { cluster: s.cluster.name, vpcId: world.vpcId };
  const rec = (command: string, r: ActionResult): ActionRecord => {
    world.act(command, r);
    const out: ActionRecord = { t: world.now, command, ok: r.ok, message: r.message };
    if (a.note !== undefined) out.note = a.note;
    return out;
  };
  const targets = def.targets === undefined ? [undefined] : def.targets(step, world);
  if (targets.length === 0) {
    const ref = a as { selector?: string };
    return [rec(def.command(step, c), def.noTarget?.(step) ?? { ok: false, message: `No resources found: no node matches ${ref.selector}` })];
  }
  return targets.map((target) => {
    const command = def.command(step, { ...c, target });
    return rec(command, def.apply(step, world, target));
  });
}
