/**
 * Replaying a loaded scenario: build the World from it (a loaded scenario holds its WorldSpec), then walk
 * the timeline — run the simulation to each step's time, perform the step through the World's command-shaped
 * actions, and check every expectation at its time. At one instant, steps run first (in file order), then the
 * checks, which therefore see a step's immediate effect but nothing that follows from it. Returns the run (the World
 * at its end and what was seen on the way); the CLI hands it to the report.
 * Not here: loading (loader.ts), what a step does (actions/), what a check means (expectations.ts), the report
 * (src/report, which reads a `ScenarioRun`).
 */
import { attachInvariantChecker, formatViolation, type InvariantChecker } from '../check/index.ts';
import { InputError } from '../util/input-error.ts';
import type { Tracer } from '../sim/index.ts';
import { World, type WorldSpec } from '../model/world.ts';
import type { ActionResult } from '../model/k8s/types.ts';
import { actionFor } from './actions/index.ts';
import type { ActionRecord } from './actions/action.ts';
import { evaluate, skipped, type ExpectationResult } from './expectations.ts';
import type { Action, Scenario } from './types.ts';

export interface RunOptions {
  /** Stop at this time (ms) instead of the scenario's duration. */
  until?: number;
  /**
   * Write the NDJSON trace: `open` is called once the World is built (a file is the CLI's, src/cli/trace-file.ts) and
   * the tracer is closed when the run ends; `file` is what the report names.
   */
  trace?: { file: string; open(): Tracer };
  checkInvariants?: boolean;
  /** Sees the World before it runs, with its invariant checker under `checkInvariants` (tests and the swarm). */
  observe?: (world: World, checker: InvariantChecker | undefined) => void;
  /**
   * An explicit stop condition, tested after every event: once it holds, nothing more runs — no further step,
   * expectation or end-of-run check — and the result says `stoppedEarly`.
   */
  stopWhen?: () => boolean;
  /** Called every simulated second with (virtual ms, events so far), for a progress line; off by default. */
  onProgress?: (now: number, events: number) => void;
}

/** The World's spec of a scenario: the loaded scenario holds it as it is; a copy, so the World shares nothing with it. */
export function worldSpecOf(s: Scenario): WorldSpec {
  const { seed, region, vpc, subnets, cluster, nodeGroups, ec2, deniedPermissions, existing } = s;
  return structuredClone({ seed, region, vpc, subnets, cluster, nodeGroups, ec2, deniedPermissions, ...(existing !== undefined ? { existing } : {}) });
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
  let untrace: (() => void) | undefined;
  const tracer = opts.trace?.open();
  if (tracer !== undefined) {
    untrace = world.traceTo(tracer);
    world.sim.trace('scenario', { name: s.name, seed: s.seed, file: s.file });
  }
  let checker: ReturnType<typeof attachInvariantChecker> | undefined;
  try {
    if (opts.checkInvariants === true) checker = attachInvariantChecker(world);
    opts.observe?.(world, checker);
    const stop = opts.stopWhen;
    let stopped = false;
    // with a progress callback, the same events run in one-second steps so the callback is heard
    const runTo = (t: number): boolean => {
      for (let next = opts.onProgress === undefined ? t : Math.min(t, world.now + 1000); ; next = Math.min(t, next + 1000)) {
        world.run(stop === undefined ? { until: next } : { until: next, stopWhen: stop });
        stopped = stop?.() === true;
        if (stopped) return false;
        opts.onProgress?.(world.now, world.sim.eventCount);
        if (next >= t) return true;
      }
    };
    const end = opts.until === undefined ? s.duration : Math.min(opts.until, s.duration);
    const actions: ActionRecord[] = [];
    const results = new Map<number, ExpectationResult>();
    const times = [...new Set([...s.timeline.map((a) => a.at), ...s.expect.map((e) => e.at)])].filter((t) => t <= end).sort((a, b) => a - b);
    for (const t of times) {
      if (!runTo(t)) break;
      for (const a of s.timeline) if (a.at === t) actions.push(...perform(world, s, a));
      for (const e of s.expect) if (e.at === t) results.set(e.index, evaluate(world, e));
    }
    if (!stopped) runTo(end);
    for (const e of s.expect) if (!results.has(e.index)) results.set(e.index, skipped(e));
    if (!stopped) checker?.finish();
    const expectations = s.expect.map((e) => results.get(e.index)!);
    const run: ScenarioRun = { scenario: s, world, expectations, actions, stoppedEarly: stopped || end < s.duration };
    if (checker !== undefined) {
      run.invariants = { checks: checker.checks, failures: checker.failures.map(formatViolation), findings: checker.findings.map(formatViolation) };
    }
    if (opts.trace !== undefined) run.trace = opts.trace.file;
    return run;
  } finally {
    checker?.detach();
    untrace?.();
    tracer?.close();
  }
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
