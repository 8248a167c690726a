/**
 * The HTML report as one string: a fixed skeleton, the bundled page script and styles inline, and the run record as
 * JSON in a `<script type="application/json">` element the browser never executes. Nothing from the input is
 * written as markup: the only input text in the skeleton (the title) is escaped, and the page script puts every name
 * on screen with `textContent`. A Content-Security-Policy allows exactly the one inline script (by its hash) and no
 * request of any kind, so even a mistake elsewhere could neither run injected code nor reach the network.
 * Not here: the page's behaviour (page/), the bundling (src/cli/report-assets.ts), the record (../record).
 */
import type { RunRecord } from '../record/types.ts';

export interface PageAssets {
  script: string;
  css: string;
  /** Base64 SHA-256 of `script`, for the Content-Security-Policy. */
  scriptHash: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content or a quoted attribute value. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * JSON that cannot end its script element or start a comment inside it: `<`, `>` and `&` as \u escapes (the JSON is
 * unchanged for a JSON parser), and the line separators old engines took for line ends.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function renderHtml(record: RunRecord, assets: PageAssets): string {
  return renderPage(`${record.scenario.name} — vpc-cni-sim run report`, record, assets);
}

export interface PageOptions {
  /** The data element's id (default `run-record`). */
  dataId?: string;
  /**
   * A Web Worker's script, carried as text in a `text/plain` script element (never run by the page itself) and started
   * from a blob: URL, which the policy then allows as a worker and nothing else.
   */
  worker?: string;
}

/** The playground: its scenario as data, its script, and the simulator as its worker (src/report/html/playground). */
export function renderPlayground(data: { yaml: string; file: string; maxEvents: number }, assets: PageAssets, worker: string): string {
  return renderPage('vpc-cni-sim playground', data, assets, { dataId: 'playground-data', worker });
}

/** Any page of this kind: a title (escaped), data as JSON in the `run-record` element, the bundled script and styles. */
export function renderPage(titleText: string, data: unknown, assets: PageAssets, opts: PageOptions = {}): string {
  if (/<\/script/i.test(assets.script) || /<\/style/i.test(assets.css)) throw new Error('page assets contain a closing script or style tag');
  if (opts.worker !== undefined && /<\/script/i.test(opts.worker)) throw new Error('the worker script contains a closing script tag');
  const workerSrc = opts.worker === undefined ? '' : ' worker-src blob:;';
  const csp = `default-src 'none'; script-src 'sha256-${assets.scriptHash}';${workerSrc} style-src 'unsafe-inline'; img-src data:`;
  const worker = opts.worker === undefined ? '' : `<script type="text/plain" id="core-worker">${opts.worker}</script>\n`;
  const title = escapeHtml(titleText);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${assets.css}</style>
</head>
<body>
<noscript>This report draws itself with JavaScript; the data is in the run-record element of this file.</noscript>
<div id="app"></div>
<script type="application/json" id="${opts.dataId ?? 'run-record'}">${scriptSafeJson(data)}</script>
${worker}<script>${assets.script}</script>
</body>
</html>
`;
}
