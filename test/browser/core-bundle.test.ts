/**
 * The browser-safe core (README "Layout"): src/sim, src/model, src/scenario, src/check, src/report, src/import and
 * src/util are bundled with esbuild for the browser platform, dependencies included. The test fails when the bundle reaches a Node
 * built-in module (`node:fs`, `path`, `worker_threads`…), naming the importing file, or when our code refers to a
 * Node global (`process`, `Buffer`, `require`, `__dirname`…): esbuild replaces each such free reference with a marker
 * (`define`), and no marker may sit in one of our files (dependencies keep their own guarded `typeof require` tests,
 * which a browser passes). Files, processes and threads belong in src/cli, src/bench and src/swarm.
 */
import { readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const CORE = ['src/sim', 'src/model', 'src/scenario', 'src/check', 'src/report', 'src/import', 'src/util'];
const NODE_GLOBALS = ['process', 'Buffer', 'require', '__dirname', '__filename', 'global', 'setImmediate', 'module', 'exports'];
const MARK = '__NODE_GLOBAL_';

function tsFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) return tsFiles(p);
      return p.endsWith('.ts') ? [p] : [];
    });
}

/** Records every import of a Node built-in, with the file that made it, and lets the build fail on it. */
function builtinTrap(hits: string[]): Plugin {
  const names = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  return {
    name: 'node-builtins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (!names.has(args.path) && !args.path.startsWith('node:')) return undefined;
        hits.push(`${relative(process.cwd(), args.importer)} imports ${args.path}`);
        return { path: args.path, external: true };
      });
    },
  };
}

/** `<file> uses <global>` for every marker in the bundle, the file read from esbuild's `// path` module headers. */
function globalsUsed(code: string): string[] {
  const out = new Set<string>();
  for (const m of code.matchAll(new RegExp(`${MARK}(\\w+)`, 'g'))) {
    const header = code.lastIndexOf('\n// ', m.index);
    const file = code.slice(header + 4, code.indexOf('\n', header + 1));
    if (!file.includes('node_modules/')) out.add(`${file} uses ${m[1]}`);
  }
  return [...out];
}

async function bundle(files: string[]): Promise<{ builtins: string[]; globals: string[] }> {
  const builtins: string[] = [];
  const entry = files.map((f, i) => `export * as m${i} from './${f}';`).join('\n');
  const out = await build({
    stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts', sourcefile: 'core-entry.ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    plugins: [builtinTrap(builtins)],
    // a free reference to a Node global becomes a marker; what bundlers define for browsers anyway stays allowed
    define: { ...Object.fromEntries(NODE_GLOBALS.map((g) => [g, `${MARK}${g}`])), 'process.env.NODE_ENV': '"production"' },
  });
  return { builtins, globals: globalsUsed(out.outputFiles[0].text) };
}

describe('the browser-safe core', () => {
  const files = CORE.flatMap(tsFiles);

  it('covers every module of the core folders', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain('src/model/world.ts');
    expect(files).toContain('src/report/collect.ts');
  });

  it('bundles for the browser without reaching a Node built-in module or global', async () => {
    const { builtins, globals } = await bundle(files);
    expect(builtins).toEqual([]);
    expect(globals).toEqual([]);
  }, 60_000);

  it('would catch a module that reaches Node (the check itself works)', async () => {
    const { builtins, globals } = await bundle(['src/cli/trace-file.ts', 'scripts/print-schema.ts']);
    expect(builtins).toEqual(['src/cli/trace-file.ts imports node:fs']);
    expect(globals).toEqual(['scripts/print-schema.ts uses process']);
  }, 60_000);
});
