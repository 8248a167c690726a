/**
 * `--report out.html`: the recorded run (src/report/recorded-run.ts, re-exported here for the commands) written as one
 * self-contained page (src/report/html). Kept apart from run.ts's flag handling and text output, which it only borrows the runner from.
 * Not here: what the record holds (src/report/record), how the page looks (src/report/html).
 */
import type { RunRecord } from '../report/record/types.ts';
import { writeOutputFile } from './output-file.ts';

export { recordScenario } from '../report/recorded-run.ts';

/** Writes the page for a record; a path that cannot be written is the flag's fault. */
export async function writeHtmlReport(record: RunRecord, file: string): Promise<void> {
  const { renderHtml } = await import('../report/html/render.ts');
  const { pageAssets } = await import('./report-assets.ts');
  const html = renderHtml(record, await pageAssets());
  writeOutputFile(file, html, '--report');
}
