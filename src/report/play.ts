/**
 * One playground run, as the page's Web Worker asks for it: the scenario's text loaded by the CLI's own loader (so an
 * error is the CLI's one line, with line, column and field), replayed with the recorder attached, stopped when it
 * grows past what a page can hold, and answered with the record for the panels, the figures for a comparison and the
 * `run --format json` text of the same run. Browser-safe and free of the DOM (the worker is src/report/html/playground/
 * worker.ts); a Node test calls it directly. Not here: the page, the worker's messages.
 */
import { InputError } from '../util/input-error.ts';
import { loadScenarioText } from '../scenario/loader.ts';
import type { World } from '../model/world.ts';
import { collectResult } from './collect.ts';
import { recordScenario } from './recorded-run.ts';
import type { RunRecord } from './record/types.ts';
import { renderJson } from './render.ts';
import { runFigures, type RunFigures } from './run-figures.ts';
import { ipWaitPercentile } from './wait-figures.ts';

/** Events past which a run is too large for a page (issue 22: "say more than 10⁷ events"). */
export const MAX_PAGE_EVENTS = 10_000_000;

export interface PlayRequest {
  /** The scenario's YAML and the file name its messages and report carry. */
  yaml: string;
  file: string;
  maxEvents?: number;
}

export type PlayReply =
  | { kind: 'error'; message: string; line?: number; column?: number }
  | { kind: 'too-large'; message: string; events: number; at: number }
  | { kind: 'done'; record: RunRecord; figures: RunFigures; json: string; warnings: string[] };

export interface PlayProgress {
  /** Virtual time reached, the time the run goes to, and events so far. */
  now: number;
  end: number;
  events: number;
}

export function play(req: PlayRequest, onProgress?: (p: PlayProgress) => void): PlayReply {
  const max = req.maxEvents ?? MAX_PAGE_EVENTS;
  let scenario;
  try {
    scenario = loadScenarioText(req.yaml, req.file);
  } catch (err) {
    if (err instanceof InputError) return { kind: 'error', message: err.message, line: err.where.line, column: err.where.column };
    throw err;
  }
  let world: World | undefined;
  const end = scenario.duration;
  const { run, record } = recordScenario(scenario, {
    observe: (w) => (world = w),
    stopWhen: () => world!.sim.eventCount > max,
    ...(onProgress === undefined ? {} : { onProgress: (now: number, events: number) => onProgress({ now, end, events }) }),
  });
  const events = run.world.sim.eventCount;
  if (events > max) {
    return {
      kind: 'too-large',
      events,
      at: run.world.now,
      message: `stopped: more than ${max.toLocaleString('en-US')} events by ${Math.round(run.world.now / 1000)} s of virtual time — too large for a page; run it with the command line (npx vpc-cni-sim run ${req.file})`,
    };
  }
  const result = collectResult(run);
  const p95 = ipWaitPercentile(run.world.podHistory(), run.world.now, 95);
  return { kind: 'done', record, figures: runFigures(record, p95), json: renderJson(result), warnings: scenario.warnings };
}
