/** Replays a scenario and collects its report with the views asked for, as `vpc-cni-sim run` does. */
import { collectResult } from '../../src/report/collect.ts';
import type { RunResult } from '../../src/report/types.ts';
import type { ViewRequest } from '../../src/report/view-types.ts';
import { runScenario, type RunOptions } from '../../src/scenario/runner.ts';
import type { Scenario } from '../../src/scenario/types.ts';

export function runReport(s: Scenario, opts: RunOptions & { views?: readonly ViewRequest[] } = {}): RunResult {
  const { views, ...run } = opts;
  return collectResult(runScenario(s, run), { views: views ?? [] });
}
