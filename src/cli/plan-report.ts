/**
 * `plan --report FILE.html`: the run recorder attached to the plan's first seed's run of the change as asked (the run
 * the plan's first row reports; no second simulation), written as the report page (src/report/html) — its timeline
 * shows the change's commands, its pods and subnets what followed. Not here: the plan itself (src/plan).
 */
import type { AppliedCommand } from '../plan/change.ts';
import type { PlanWatch } from '../plan/plan.ts';
import { RunRecorder } from '../report/record/recorder.ts';
import type { Scenario } from '../scenario/types.ts';
import { writeHtmlReport } from './report-html.ts';

/** A watch to hand to `plan` for seed `seed`, and the page's writer once the plan has run. */
export function planReport(s: Scenario, seed: number): { watch: PlanWatch; write: (file: string) => Promise<void> } {
  let recorder: RunRecorder | undefined;
  let commands: AppliedCommand[] = [];
  return {
    watch: { observe: (w) => (recorder = new RunRecorder(w, { ...s, seed })), ran: (c) => (commands = c) },
    async write(file) {
      const record = recorder!.finish(commands, []);
      record.duration = record.end;
      await writeHtmlReport(record, file);
    },
  };
}
