/**
 * The report in the format asked for: text (text.ts) or one JSON document (the RunResult as it is). When views were
 * asked for (`--describe`, `--introspect`, `--metrics`, `--ipamd-log`), the text is those views alone (view-text.ts),
 * as the real tool would print them; JSON carries them in `views`.
 */
import { renderText } from './text.ts';
import { renderViews } from './view-text.ts';
import type { RunResult } from './types.ts';

export function renderJson(r: RunResult): string {
  return JSON.stringify(r, null, 2) + '\n';
}

export function renderReport(r: RunResult, opts: { format: 'text' | 'json' }): string {
  if (opts.format === 'json') return renderJson(r);
  return r.views.length > 0 ? renderViews(r.views, r.time) : renderText(r);
}
