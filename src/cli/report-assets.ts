/**
 * The HTML pages' scripts and styles, built once per process: esbuild bundles a page's main.ts (the report's
 * src/report/html/page/main.ts with uPlot and the record's fold.ts; the benchmark's; the playground's) into one
 * minified browser script, hashed for the page's Content-Security-Policy, and the styles are page/style.css after
 * uPlot's own (and the playground's after those). The playground also gets its Web Worker, the simulator's core
 * bundled from the same source as the CLI (src/report/html/playground/worker.ts). Runs at report time so
 * `npx vpc-cni-sim run … --report` needs no build step. Here in the CLI because it reads files. Not here: the pages
 * themselves, the HTML (src/report/html).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { PageAssets } from '../report/html/render.ts';

const cached = new Map<string, Promise<PageAssets>>();
let worker: Promise<string> | undefined;

type Page = 'page' | 'bench-page' | 'playground';

/** The assets of the run report page (`page`), the benchmark's (`bench-page`) or the playground's. */
export function pageAssets(page: Page = 'page'): Promise<PageAssets> {
  let p = cached.get(page);
  if (p === undefined) cached.set(page, (p = build(page)));
  return p;
}

/** The playground's Web Worker script: the simulator's core, from the CLI's own source. */
export function playgroundWorker(): Promise<string> {
  return (worker ??= bundle('playground/worker.ts'));
}

async function build(page: Page): Promise<PageAssets> {
  const script = await bundle(`${page}/main.ts`);
  const require = createRequire(import.meta.url);
  const uplotCss = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  const own = (p: string): string => readFileSync(fileURLToPath(new URL(`../report/html/${p}`, import.meta.url)), 'utf8');
  const css = [uplotCss, own('page/style.css'), ...(page === 'playground' ? [own('playground/style.css')] : [])].join('\n');
  return { script, css, scriptHash: createHash('sha256').update(script).digest('base64') };
}

/** One browser script from an entry under src/report/html, safe to sit inside a script element. */
async function bundle(entryUnderHtml: string): Promise<string> {
  const esbuild = await import('esbuild');
  const entry = fileURLToPath(new URL(`../report/html/${entryUnderHtml}`, import.meta.url));
  const out = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['chrome110', 'firefox110', 'safari16'],
    platform: 'browser',
    write: false,
    legalComments: 'inline',
    logLevel: 'silent',
    // what libraries test for a production build (immer); the browser has no `process`
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return out.outputFiles[0].text.replace(/<\/(script)/gi, '<\\/$1');
}
