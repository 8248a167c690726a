/**
 * The invariant checkers' entry point. `attachInvariantChecker(world)` checks every invariant after every event of a
 * `World` (through `World.onEvent`), with the daemons' decisions heard on the World's stream, and returns the checker; call `finish()` at the end of the run for the
 * convergence checks, then read `failures` (safety/liveness, each naming seed and time) and `findings` (known
 * behaviours of the real daemon, findings.ts). The `run` command's `--check-invariants` and every test use this; a
 * harness that runs a scenario reaches the checker through the runner's `observe` option, and stops a run through
 * its `stopWhen` (no exception).
 * Not here: the rules (one file each beside this one), building the view (world-view.ts).
 */
import type { World } from '../model/world.ts';
import { InvariantChecker, type CheckerOptions } from './checker.ts';
import { ViewState, worldView } from './world-view.ts';

export { InvariantChecker, INVARIANTS, type CheckerOptions } from './checker.ts';
export { formatViolation, type Violation, type ViolationClass } from './invariant.ts';
export { KNOWN_FINDINGS, type KnownFinding } from './findings.ts';
export { livenessBound } from './liveness-bound.ts';

export interface AttachedChecker extends InvariantChecker {
  /** Stops checking (the world runs unchecked from then on). */
  detach(): void;
}

/** Checks `world` after every event from now on. Checking only reads the model, so the run is unchanged. */
export function attachInvariantChecker(world: World, opts: CheckerOptions = {}): AttachedChecker {
  const state = new ViewState();
  // daemons' decisions arrive on the stream; the state at each event is read after it
  const unheard = world.happenings.subscribe((h) => {
    if (h.type === 'decision') state.heard(h.daemon, h.record);
  }, ['decision']);
  const checker = new InvariantChecker(() => worldView(world, state), opts) as AttachedChecker;
  const off = world.onEvent(() => checker.check());
  checker.detach = () => {
    off();
    unheard();
  };
  checker.check();
  return checker;
}
