/**
 * `plan`: does a change fit the cluster, how far can it grow, and which what-ifs make room — answered by simulation
 * over several seeds. For the cluster as it is and for each what-if (what-ifs.ts): the change as asked, simulated per
 * seed (simulate.ts), then a headroom search from it (headroom.ts); a what-if's headroom is the minimum over seeds.
 * The result is plain data (`--format json` prints it; render.ts writes the text). Progress is told through a
 * callback, so the caller decides where it goes and what time it takes; the simulations run through a Simulator, in
 * this thread or on worker threads (src/cli/plan-workers.ts), with the same answer. Not here: flags and files
 * (src/cli/plan.ts).
 */
import type { World } from '../model/world.ts';
import type { Scenario } from '../scenario/types.ts';
import { InputError } from '../util/input-error.ts';
import { didYouMean } from '../util/suggest.ts';
import { formatDuration } from '../util/duration.ts';
import { currentSize, describeChange, likeTemplate, nodeGroupFor, type AppliedCommand, type Change } from './change.ts';
import { searchHeadroom, PRECISION, WHAT_IF_PRECISION, type Headroom } from './headroom.ts';
import { simulate, simulateWorld, startsFromExisting, worldBeforeChange, DEFAULT_PATIENCE, type Outcome, type Patience, type ProbeSpec } from './simulate.ts';
import { whatIfs, type WhatIfKey } from './what-ifs.ts';

export interface PlanRequest {
  change: Change;
  /** The seeds, one simulation set each (the scenario's seed and the ones after it, by default 3). */
  seeds: number[];
  /** Size of the subnets the `cni-subnets` what-if suggests (prefix length, default 19). */
  subnetPrefix: number;
  /** The what-ifs to simulate (default all; none: the change and its headroom only). */
  whatIfs?: readonly WhatIfKey[];
  patience?: Patience;
  /** Sees the first seed's run of the change as asked on the cluster as it is (`plan --report` records that run). */
  watch?: PlanWatch;
}

/** A watcher of one plan run: the World before it runs, then the commands the change ran. */
export interface PlanWatch {
  observe: (world: World) => void;
  ran: (commands: AppliedCommand[]) => void;
}

export interface SeedResult {
  seed: number;
  /** The change as asked. */
  outcome: Outcome;
  headroom: Headroom;
}

export interface VariantResult {
  key: 'as-is' | WhatIfKey;
  title: string;
  /** The commands that make the what-if (empty for the cluster as it is). */
  changes: string[];
  /** Why the what-if was not simulated. */
  unavailable?: string;
  seeds: SeedResult[];
  /** The change fits on every seed. */
  fits: boolean;
  /** The most pods left waiting by the change on any seed. */
  stuckMax: number;
  /** The smallest headroom over the seeds (-1: not even the smallest size tried fits). */
  headroom: number;
  /** The minimum is exact: one more was seen stuck on a seed at the minimum (else `headroom` is a bracket's lower end). */
  exact: boolean;
}

export interface PlanResult {
  scenario: string;
  file: string;
  change: string;
  /** Where the change is applied: `t = 0` (the `existing:` state) or after the timeline. */
  appliedAt: string;
  /** The change's size before it (replicas of the Deployment; 0 for added pods). */
  sizeBefore: number;
  seeds: number[];
  asIs: VariantResult;
  whatIfs: VariantResult[];
  /** Simulations run in all. */
  simulations: number;
}

/** One step done, for a progress line. */
export interface PlanProgress {
  variant: string;
  seed: number;
  n: number;
  outcome: Outcome;
  simulations: number;
}

/** Checks the change against the cluster before it: the Deployment and the node group must exist. */
function checkChange(world: World, c: Change, timelineSkipped: boolean): number {
  const missing = (field: string, t: { namespace: string; name: string }): InputError => {
    const names = world.cluster.deployments().filter((d) => d.namespace === t.namespace).map((d) => d.name);
    const skipped = timelineSkipped ? '; the timeline of a scenario with existing: is not played, so only its t = 0 Deployments count' : '';
    return new InputError({ field }, `no Deployment "${t.name}" in namespace ${t.namespace}${didYouMean(t.name, names)}${names.length > 0 ? ` (Deployments: ${names.join(', ')})` : ' (there is none)'}${skipped}`);
  };
  const size = currentSize(world, c);
  if (size === undefined && c.target.kind === 'scale') throw missing('--scale', c.target);
  if (c.target.kind === 'add-pods' && c.target.like !== undefined && likeTemplate(world, c.target.like) === undefined) throw missing('--like', c.target.like);
  if (c.addNodes > 0 && nodeGroupFor(world, c) === undefined) {
    const groups = [...world.cluster.groups.keys()];
    throw new InputError({ field: '--node-group' }, c.nodeGroup === undefined ? 'the cluster has no node group to add nodes to' : `no node group "${c.nodeGroup}"${didYouMean(c.nodeGroup, groups)}`);
  }
  return size ?? 0;
}

/** A scenario the plan simulates, named by its key: the cluster as it is, or a what-if. */
export interface PlanScenario {
  key: VariantResult['key'];
  scenario: Scenario;
}

/**
 * Runs the plan's simulations: in this thread, one after another (IN_THIS_THREAD), or on worker threads
 * (src/cli/plan-workers.ts). Each answer depends only on the scenario and the probe, so the plan's result does not
 * depend on which runs them, nor in what order they finish.
 */
export interface Simulator {
  /**
   * `order`: which to hand out first when runs wait, smallest first — 0 for what others wait on (the change as asked,
   * where each seed's search starts, and a first seed's search, whose headroom the other seeds start from), else the
   * longer a run is expected to take, the sooner (so no long run is left to the end).
   */
  simulate(v: PlanScenario, probe: ProbeSpec, order: number): Promise<Outcome>;
}

/** The order of a run that no other waits on, expected to take `events` (unknown: last). */
function orderOf(events: number | undefined): number {
  return 1 / (1 + (events ?? 0));
}

/** The events of the run nearest in size to `n` among `runs` (size → events), if any. */
function nearestCost(runs: ReadonlyMap<number, number>, n: number): number | undefined {
  let best: number | undefined;
  let cost: number | undefined;
  for (const [m, events] of runs) {
    if (best === undefined || Math.abs(m - n) < Math.abs(best - n)) [best, cost] = [m, events];
  }
  return cost;
}

/** Runs a probe of a variant on a seed at size n; `expected`: the events a like run took (for the order). */
type Probe = (v: PlanScenario, seed: number, n: number, history: boolean, expected?: number) => Promise<Outcome>;

export const IN_THIS_THREAD: Simulator = {
  simulate: async (v, probe) => simulate({ ...probe, scenario: v.scenario }),
};

/** The first seed's change as asked on the cluster as it is, run here so the watch sees its World. */
function watched(v: PlanScenario, probe: ProbeSpec, watch: PlanWatch): Outcome {
  const { outcome, commands } = simulateWorld({ ...probe, scenario: v.scenario, observe: watch.observe });
  watch.ran(commands);
  return outcome;
}

/**
 * A variant's runs on every seed; `asked`: the change as asked per seed, already running. The first seed's headroom
 * is searched in full and is the other seeds' first guess (seeds mostly agree). The cluster as it is gets every
 * seed's own bracket (the plan shows them); a what-if shows only its minimum over seeds, which the first seed's
 * bracket holds from above, so its other seeds need only be seen to fit at that guess (one run each, not two), and
 * its bracket closes at WHAT_IF_PRECISION.
 */
async function variant(v: PlanScenario, title: string, changes: string[], asked: Promise<Outcome>[], probe: Probe, seeds: number[]): Promise<VariantResult> {
  // the first seed's runs, size → events: what a like run on another seed will take
  const costs = new Map<number, number>();
  const search = async (i: number, hint: number | undefined): Promise<SeedResult> => {
    const outcome = await asked[i];
    const precision = v.key === 'as-is' ? PRECISION : WHAT_IF_PRECISION;
    const sim = async (n: number): Promise<Outcome> => {
      const o = await probe(v, seeds[i], n, false, i === 0 ? undefined : nearestCost(costs, n));
      if (i === 0) costs.set(n, o.events);
      return o;
    };
    const headroom = await searchHeadroom(outcome, sim, hint === undefined ? { precision } : { hint, atLeast: v.key !== 'as-is', precision });
    return { seed: seeds[i], outcome, headroom };
  };
  const first = await search(0, undefined);
  const hint = first.headroom.fits >= 0 ? first.headroom.fits : undefined;
  const results = [first, ...(await Promise.all(seeds.slice(1).map((_, i) => search(i + 1, hint))))];
  const headroom = Math.min(...results.map((r) => r.headroom.fits));
  return {
    key: v.key,
    title,
    changes,
    seeds: results,
    fits: results.every((r) => r.outcome.fits),
    stuckMax: Math.max(...results.map((r) => r.outcome.stuck)),
    headroom,
    exact: worstSeed(results, headroom).exact,
  };
}

/** The bracket of the minimum over seeds: of the seeds at the minimum, the one seen stuck at the smallest size. */
export function worstSeed(seeds: readonly SeedResult[], min: number): Headroom {
  const at = seeds.filter((r) => r.headroom.fits === min).map((r) => r.headroom);
  return at.reduce((a, b) => ((b.stuck ?? Infinity) < (a.stuck ?? Infinity) ? b : a));
}

/**
 * The plan: the cluster as it is — the change as asked on every seed, then its headroom searches — and, once the
 * change as asked is known on every seed (its worst seed sizes the more-nodes what-if), every what-if's; all in flight
 * at once, so a Simulator with threads keeps them busy.
 */
export async function plan(s: Scenario, req: PlanRequest, onProgress?: (p: PlanProgress) => void, simulator: Simulator = IN_THIS_THREAD): Promise<PlanResult> {
  if (req.seeds.length === 0) throw new InputError({ field: '--seeds' }, 'give at least one seed');
  const before = worldBeforeChange(s, req.seeds[0]);
  const sizeBefore = checkChange(before, req.change, startsFromExisting(s) && s.timeline.length > 0);
  const patience = req.patience ?? DEFAULT_PATIENCE;
  let simulations = 0;
  const probe: Probe = async (v, seed, n, history, expected) => {
    // the change as asked keeps the run's history for its why-chain; the search's runs need only their end
    const spec: ProbeSpec = { seed, change: req.change, n, patience, history, stopWhenOutOfAddresses: !history };
    const watch = v.key === 'as-is' && seed === req.seeds[0] && history ? req.watch : undefined;
    // (a watched run waits a turn, so the runs asked beside it are handed out first)
    const outcome = watch === undefined ? await simulator.simulate(v, spec, seed === req.seeds[0] || history ? 0 : orderOf(expected)) : await Promise.resolve().then(() => watched(v, spec, watch));
    onProgress?.({ variant: v.key, seed, n, outcome, simulations: ++simulations });
    return outcome;
  };
  const asked = (v: PlanScenario): Promise<Outcome>[] => {
    const runs = req.seeds.map((seed) => probe(v, seed, req.change.n, true));
    // awaited later, one by one: marked handled now, so a failure before then is not an unhandled rejection
    for (const r of runs) r.catch(() => {});
    return runs;
  };
  const asIs: PlanScenario = { key: 'as-is', scenario: s };
  const asIsAsked = asked(asIs);
  const asIsResult = variant(asIs, 'the cluster as it is', [], asIsAsked, probe, req.seeds);
  asIsResult.catch(() => {});
  const stuck = Math.max(...(await Promise.all(asIsAsked)).map((o) => o.stuck));
  const ws = whatIfs(s, { world: before, change: req.change, stuck, subnetPrefix: req.subnetPrefix }, req.whatIfs);
  const [asIsDone, ...whatIfResults] = await Promise.all([
    asIsResult,
    ...ws.map((w): Promise<VariantResult> => {
      if ('unavailable' in w) return Promise.resolve({ key: w.key, title: w.title, changes: [], unavailable: w.unavailable, seeds: [], fits: false, stuckMax: 0, headroom: -1, exact: false });
      const v = { key: w.key, scenario: w.scenario };
      return variant(v, w.title, w.changes, asked(v), probe, req.seeds);
    }),
  ]);
  return {
    scenario: s.name,
    file: s.file,
    change: describeChange(req.change),
    appliedAt: startsFromExisting(s) ? 't = 0 (the existing state)' : `${formatDuration(before.now)} (after the timeline's last step, once pods settled)`,
    sizeBefore,
    seeds: req.seeds,
    asIs: asIsDone,
    whatIfs: whatIfResults,
    simulations,
  };
}
