/**
 * `--report out.html`: replay a scenario with a run recorder attached, then write the record as one self-contained
 * page (src/report/html). Kept apart from run.ts's flag handling and text output, which it only borrows the runner from.
 * Not here: what the record holds (src/report/record), how the page looks (src/report/html).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { RunRecorder } from '../report/record/recorder.ts';
import type { RunRecord } from '../report/record/types.ts';
import { runScenario, type RunOptions, type ScenarioRun } from '../scenario/runner.ts';
import type { Scenario } from '../scenario/types.ts';
import { InputError } from '../util/input-error.ts';

/** Runs the scenario as `run` would, recording it; the run is the same one the text and JSON reports are made from. */
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

/** Writes the page for a record; a path that cannot be written is the flag's fault. */
export async function writeHtmlReport(record: RunRecord, file: string): Promise<void> {
  const { renderHtml } = await import('../report/html/render.ts');
  const { pageAssets } = await import('./report-assets.ts');
  const html = renderHtml(record, await pageAssets());
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, html);
  } catch (err) {
    throw new InputError({ field: '--report' }, `cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
