/** A worker thread of `plan` (plan-workers.ts): keeps the scenarios it is given and simulates each probe. */
import { simulate, type Outcome, type ProbeSpec } from '../plan/simulate.ts';
import type { Scenario } from '../scenario/types.ts';
import { serve } from '../workers/serve.ts';

export interface PlanWorkerRequest {
  /** The scenario's key, shared before. */
  key: string;
  probe: ProbeSpec;
}

/** A scenario shared with every worker, under its key. */
export interface SharedScenario {
  key: string;
  scenario: Scenario;
}

const scenarios = new Map<string, Scenario>();

serve<PlanWorkerRequest, Outcome>(
  (r) => simulate({ ...r.probe, scenario: scenarios.get(r.key)! }),
  (data) => {
    const v = data as SharedScenario;
    scenarios.set(v.key, v.scenario);
  },
);
