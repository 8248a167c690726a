/**
 * The HTML report page's script and styles, built once per process: esbuild bundles src/report/html/page/main.ts
 * (with uPlot and the record's fold.ts) into one minified browser script, hashed for the page's Content-Security-Policy,
 * and the styles are page/style.css after uPlot's own. Runs at report time so `npx vpc-cni-sim run … --report` needs
 * no build step. Here in the CLI because it reads files. Not here: the page itself, the HTML (src/report/html).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { PageAssets } from '../report/html/render.ts';

const cached = new Map<string, Promise<PageAssets>>();

/** The assets of the run report page (`page`) or of the benchmark's (`bench-page`). */
export function pageAssets(page: 'page' | 'bench-page' = 'page'): Promise<PageAssets> {
  let p = cached.get(page);
  if (p === undefined) cached.set(page, (p = build(page)));
  return p;
}

async function build(page: string): Promise<PageAssets> {
  const esbuild = await import('esbuild');
  const entry = fileURLToPath(new URL(`../report/html/${page}/main.ts`, import.meta.url));
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
  });
  const script = out.outputFiles[0].text.replace(/<\/(script)/gi, '<\\/$1');
  const require = createRequire(import.meta.url);
  const uplotCss = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  const css = uplotCss + '\n' + readFileSync(fileURLToPath(new URL('../report/html/page/style.css', import.meta.url)), 'utf8');
  return { script, css, scriptHash: createHash('sha256').update(script).digest('base64') };
}
