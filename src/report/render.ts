/**
 * The report in the format asked for: text (text.ts) or one JSON document (the RunResult as it is).
 */
import { renderText } from './text.ts';
import type { RunResult } from './types.ts';

export function renderJson(r: RunResult): string {
  return JSON.stringify(r, null, 2) + '\n';
}

export function renderReport(r: RunResult, opts: { format: 'text' | 'json' }): string {
  return opts.format === 'json' ? renderJson(r) : renderText(r);
}
