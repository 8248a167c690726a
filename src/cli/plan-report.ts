/**
 * `plan --report FILE.html`: the change as asked, simulated once more on the first seed with the run recorder attached
 * (the same simulation the plan's first row reports), written as the report page (src/report/html) — its timeline
 * shows the change's commands, its pods and subnets what followed. Not here: the plan itself (src/plan).
 */
import { RunRecorder } from '../report/record/recorder.ts';
import { simulateWorld } from '../plan/simulate.ts';
import type { PlanRequest } from '../plan/plan.ts';
import type { Scenario } from '../scenario/types.ts';
import { writeHtmlReport } from './report-html.ts';

export async function writePlanReport(s: Scenario, req: PlanRequest, file: string): Promise<void> {
  const seed = req.seeds[0];
  let recorder: RunRecorder | undefined;
  const { commands } = simulateWorld({
    scenario: s,
    seed,
    change: req.change,
    n: req.change.n,
    ...(req.patience === undefined ? {} : { patience: req.patience }),
    observe: (w) => (recorder = new RunRecorder(w, { ...s, seed })),
  });
  const record = recorder!.finish(commands, []);
  record.duration = record.end;
  await writeHtmlReport(record, file);
}
