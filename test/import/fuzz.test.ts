/**
 * `import` on damaged files: whatever one file of the walkthrough is cut short at or has one value replaced by
 * (another type, null, a huge number, a string with control characters), it either imports or refuses with an
 * InputError — one line, naming a file — and never fails with any other error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importCluster } from '../../src/import/index.ts';
import { InputError } from '../../src/util/input-error.ts';
import { walkthroughFiles } from './walkthrough-files.ts';

type Json = unknown;

/** Every path to a value in a JSON document. */
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function setAt(doc: Json, path: (string | number)[], value: Json): Json {
  if (path.length === 0) return value;
  let o = doc as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, Json>;
  o[path[path.length - 1]] = value;
  return doc;
}

const jsonValue = fc.oneof(fc.constant(null), fc.integer({ min: -1, max: 2 ** 40 }), fc.boolean(), fc.string({ maxLength: 12 }), fc.constant([]), fc.constant({}), fc.constantFrom('10.0.0.999', '10.0.0.0/33', 'eni-', 'i-x', 'm6a.huge', '\u0000\n'));

function outcome(files: { file: string; text: string }[]): string {
  try {
    importCluster(files);
    return 'imported';
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    expect(err.message).not.toContain('\n');
    expect(err.message).toMatch(/^(test\/fixtures\/import\/walkthrough\/[a-z-]+\.(json|yaml)|no output of)/);
    return 'refused';
  }
}

describe('import on damaged files', () => {
  const files = walkthroughFiles().filter((f) => f.file.endsWith('.json'));

  it('one value replaced', () => {
    fc.assert(
      fc.property(fc.nat(files.length - 1), fc.nat(), jsonValue, (fi, pi, value) => {
        const doc = JSON.parse(files[fi].text);
        const all = paths(doc);
        const damaged = files.map((f, i) => (i === fi ? { file: f.file, text: JSON.stringify(setAt(doc, all[pi % all.length], value)) } : f));
        outcome(damaged);
      }),
      { numRuns: 400 },
    );
  });

  it('one file cut short', () => {
    fc.assert(
      fc.property(fc.nat(files.length - 1), fc.nat(), (fi, cut) => {
        const damaged = files.map((f, i) => (i === fi ? { file: f.file, text: f.text.slice(0, cut % (f.text.trimEnd().length - 1)) } : f));
        expect(outcome(damaged)).toBe('refused');
      }),
      { numRuns: 100 },
    );
  });
});
