/**
 * The same run in every browser: the playground's worker bundle (the simulator as the page runs it, dependencies
 * included) calls none of the Math functions whose results the language leaves to each engine (`Math.log`, `exp`,
 * `pow`, `sin`, `cos`… are "implementation-approximated"; +, −, ×, ÷ and `Math.sqrt` are exactly rounded everywhere),
 * and raises nothing to a power but 2 to an integer or a BigInt (exact in every engine). The logarithm the random
 * streams need is fdlibm's, ported in src/sim/ieee754-log.ts; here it is checked bit for bit against V8's Math.log,
 * which is fdlibm's, so the fingerprint stays what it was.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ieee754Log } from '../../src/sim/ieee754-log.ts';

const INEXACT = /\bMath\.(log|log2|log10|log1p|exp|expm1|pow|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|asinh|acosh|atanh|cbrt|hypot|random)\b/g;

/** The bundle esbuild makes of `entry`, readable: one `// path` header per module. */
async function bundle(contents: string): Promise<string> {
  const out = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return out.outputFiles[0].text;
}

/**
 * `<module>: <what>` for every inexact Math call and every power whose base is not 2 or a BigInt literal, in the code
 * with its block comments (the doc comments esbuild keeps) taken out.
 */
function inexact(code: string): string[] {
  const out = new Set<string>();
  let module = '';
  for (const line of code.replace(/\/\*[\s\S]*?\*\//g, '').split('\n')) {
    if (line.startsWith('// ')) module = line.slice(3);
    if (line.trimStart().startsWith('//')) continue;
    for (const m of line.matchAll(INEXACT)) out.add(`${module}: ${m[0]}`);
    for (const m of line.matchAll(/([\w.$]+|\))\s*\*\*/g)) if (!/^(2|\d+n)$/.test(m[1])) out.add(`${module}: ${m[0].trim()}`);
  }
  return [...out];
}

describe('the simulator as the page runs it', () => {
  it('calls no engine-dependent Math function and raises only 2 or BigInts to a power', async () => {
    const worker = fileURLToPath(new URL('../../src/report/html/playground/worker.ts', import.meta.url));
    const code = await bundle(`import '${worker}';`);
    expect(code).toContain('src/sim/random.ts');
    expect(code).toContain('src/model/world.ts');
    expect(inexact(code)).toEqual([]);
  }, 60_000);

  it('would catch a module that uses one (the check itself works)', async () => {
    const code = await bundle(`/** Math.log in a comment is no call */\nexport const f = (x: number) => Math.exp(x) + x ** 2 + (x - 1) ** 2 + 2 ** x + Number(2n ** 3n);`);
    expect(inexact(code)).toEqual(['entry.ts: Math.exp', 'entry.ts: x **', 'entry.ts: ) **']);
  });

  it('takes logarithms bit for bit as V8 does', () => {
    const edges = [0, -0, 1, 2, 0.5, Math.E, 1 - 2 ** -53, 1 + 2 ** -52, 2 ** -1022, 5e-324, 1e-310, Number.MAX_VALUE, Infinity, -1, NaN];
    for (const x of edges) expect(Object.is(ieee754Log(x), Math.log(x)), String(x)).toBe(true);
    // the random streams take log(1 - u) for u uniform in [0, 1); and any double at all
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (u) => Object.is(ieee754Log(1 - u), Math.log(1 - u))), { numRuns: 20_000 });
    fc.assert(fc.property(fc.double(), (x) => Object.is(ieee754Log(x), Math.log(x))), { numRuns: 20_000 });
  });
});
