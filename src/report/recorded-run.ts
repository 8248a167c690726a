/**
 * A scenario replayed with the run recorder attached: the run (the same one the text and JSON reports are made from)
 * and its record (src/report/record). Browser-safe, so the CLI's `--report` and the playground's Web Worker record a
 * run the same way. Not here: writing the page (src/cli/report-html.ts), what the record holds (record/).
 */
import { RunRecorder } from './record/recorder.ts';
import type { RunRecord } from './record/types.ts';
import { runScenario, type RunOptions, type ScenarioRun } from '../scenario/runner.ts';
import type { Scenario } from '../scenario/types.ts';

/** Runs the scenario as `run` would, recording it. */
export function recordScenario(s: Scenario, opts: RunOptions = {}): { run: ScenarioRun; record: RunRecord } {
  let recorder: RunRecorder | undefined;
  const run = runScenario(s, {
    ...opts,
    observe: (w, checker) => {
      recorder = new RunRecorder(w, s);
      opts.observe?.(w, checker);
    },
  });
  return { run, record: recorder!.finish(run.actions, run.expectations) };
}
