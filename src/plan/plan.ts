/**
 * `plan`: does a change fit the cluster, how far can it grow, and which what-ifs make room — answered by simulation
 * over several seeds. For the cluster as it is and for each what-if (what-ifs.ts): the change as asked, simulated per
 * seed (simulate.ts), then a headroom search from it (headroom.ts); a what-if's headroom is the minimum over seeds.
 * The result is plain data (`--format json` prints it; render.ts writes the text). Progress is told through a
 * callback, so the caller decides where it goes and what time it takes. Not here: flags and files (src/cli/plan.ts).
 */
import type { World } from '../model/world.ts';
import type { Scenario } from '../scenario/types.ts';
import { InputError } from '../util/input-error.ts';
import { didYouMean } from '../util/suggest.ts';
import { formatDuration } from '../util/duration.ts';
import { currentSize, describeChange, nodeGroupFor, type AppliedCommand, type Change } from './change.ts';
import { searchHeadroom, type Headroom } from './headroom.ts';
import { simulateWorld, startsFromExisting, worldBeforeChange, DEFAULT_PATIENCE, type Outcome, type Patience } from './simulate.ts';
import { whatIfs, type WhatIfKey } from './what-ifs.ts';

export interface PlanRequest {
  change: Change;
  /** The seeds, one simulation set each (the scenario's seed and the ones after it, by default 3). */
  seeds: number[];
  /** Size of the subnets the `cni-subnets` what-if suggests (prefix length, default 19). */
  subnetPrefix: number;
  /** Leave the what-ifs out (the change and its headroom only). */
  noWhatIfs?: boolean;
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
  /** Every seed's headroom is exact (else `headroom` is the lower end of a bracket). */
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
  const size = currentSize(world, c);
  if (size === undefined && c.target.kind === 'scale') {
    const t = c.target;
    const names = world.cluster.deployments().filter((d) => d.namespace === t.namespace).map((d) => d.name);
    const skipped = timelineSkipped ? '; the timeline of a scenario with existing: is not played, so only its t = 0 Deployments count' : '';
    throw new InputError({ field: '--scale' }, `no Deployment "${t.name}" in namespace ${t.namespace}${didYouMean(t.name, names)}${names.length > 0 ? ` (Deployments: ${names.join(', ')})` : ' (there is none)'}${skipped}`);
  }
  if (c.addNodes > 0 && nodeGroupFor(world, c) === undefined) {
    const groups = [...world.cluster.groups.keys()];
    throw new InputError({ field: '--node-group' }, c.nodeGroup === undefined ? 'the cluster has no node group to add nodes to' : `no node group "${c.nodeGroup}"${didYouMean(c.nodeGroup, groups)}`);
  }
  return size ?? 0;
}

function variant(key: VariantResult['key'], title: string, changes: string[], scenario: Scenario, req: PlanRequest, tell: (p: Omit<PlanProgress, 'simulations'>) => void): VariantResult {
  const patience = req.patience ?? DEFAULT_PATIENCE;
  let hint: number | undefined;
  const seeds = req.seeds.map((seed): SeedResult => {
    // the change as asked keeps the run's history for its why-chain; the search's runs need only their end
    const sim = (n: number, history = false): Outcome => {
      const watch = key === 'as-is' && seed === req.seeds[0] && history ? req.watch : undefined;
      const probe = { scenario, seed, change: req.change, n, patience, history, stopWhenOutOfAddresses: !history };
      const { outcome: o, commands } = simulateWorld(watch === undefined ? probe : { ...probe, observe: watch.observe });
      watch?.ran(commands);
      tell({ variant: key, seed, n, outcome: o });
      return o;
    };
    const outcome = sim(req.change.n, true);
    // the previous seed's headroom is the first guess: seeds mostly agree
    const headroom = searchHeadroom(outcome, (n) => sim(n), hint === undefined ? {} : { hint });
    if (headroom.fits >= 0) hint = headroom.fits;
    return { seed, outcome, headroom };
  });
  return {
    key,
    title,
    changes,
    seeds,
    fits: seeds.every((r) => r.outcome.fits),
    stuckMax: Math.max(...seeds.map((r) => r.outcome.stuck)),
    headroom: Math.min(...seeds.map((r) => r.headroom.fits)),
    exact: seeds.every((r) => r.headroom.exact),
  };
}

export function plan(s: Scenario, req: PlanRequest, onProgress?: (p: PlanProgress) => void): PlanResult {
  if (req.seeds.length === 0) throw new InputError({ field: '--seeds' }, 'give at least one seed');
  const before = worldBeforeChange(s, req.seeds[0]);
  const sizeBefore = checkChange(before, req.change, startsFromExisting(s) && s.timeline.length > 0);
  let simulations = 0;
  const tell = (p: Omit<PlanProgress, 'simulations'>) => onProgress?.({ ...p, simulations: ++simulations });
  const asIs = variant('as-is', 'the cluster as it is', [], s, req, tell);
  const result: PlanResult = {
    scenario: s.name,
    file: s.file,
    change: describeChange(req.change),
    appliedAt: startsFromExisting(s) ? 't = 0 (the existing state)' : `${formatDuration(before.now)} (after the timeline's last step, once pods settled)`,
    sizeBefore,
    seeds: req.seeds,
    asIs,
    whatIfs: [],
    simulations: 0,
  };
  if (req.noWhatIfs !== true) {
    for (const w of whatIfs(s, { world: before, change: req.change, stuck: asIs.stuckMax, subnetPrefix: req.subnetPrefix })) {
      if ('unavailable' in w) {
        result.whatIfs.push({ key: w.key, title: w.title, changes: [], unavailable: w.unavailable, seeds: [], fits: false, stuckMax: 0, headroom: -1, exact: false });
      } else result.whatIfs.push(variant(w.key, w.title, w.changes, w.scenario, req, tell));
    }
  }
  result.simulations = simulations;
  return result;
}
