/**
 * `plan`'s simulations on worker threads (src/workers/pool.ts): each scenario is shared with every worker once, the
 * first time a probe names it, and each probe goes to the next free worker in the plan's order (plan.ts Simulator).
 * Workers get a larger young generation: a simulation makes much short-lived garbage, and collecting it in a small
 * nursery cost a fifth of a big plan's time.
 */
import type { Outcome } from '../plan/simulate.ts';
import type { PlanScenario, Simulator } from '../plan/plan.ts';
import { WorkerPool } from '../workers/pool.ts';
import type { PlanWorkerRequest, SharedScenario } from './plan-worker.ts';

/** MB of young generation per worker (V8's default is 16 to 32 on 64-bit). */
const YOUNG_GENERATION_MB = 96;

export function workerSimulator(size: number): Simulator & { close: () => Promise<void> } {
  const pool = new WorkerPool<PlanWorkerRequest, Outcome>(new URL('./plan-worker.ts', import.meta.url), { size, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  // each scenario object once, under a key of its own (two plans' `as-is` are two scenarios)
  const keys = new WeakMap<PlanScenario['scenario'], string>();
  let shared = 0;
  return {
    simulate(v, probe, order) {
      let key = keys.get(v.scenario);
      if (key === undefined) {
        keys.set(v.scenario, (key = `${v.key}#${shared++}`));
        pool.share({ key, scenario: v.scenario } satisfies SharedScenario);
      }
      return pool.run({ key, probe }, order);
    },
    close: () => pool.close(),
  };
}
