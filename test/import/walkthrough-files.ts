/**
 * The import fixtures as InputFiles: the walkthrough folder (test/fixtures/import/walkthrough, the cluster just
 * before the inflate Deployment) with files left out or swapped for one of test/fixtures/import/bad.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InputFile } from '../../src/import/index.ts';

export const WALKTHROUGH = 'test/fixtures/import/walkthrough';
export const BAD = 'test/fixtures/import/bad';

export function walkthroughFiles(opts: { without?: string[]; replace?: Record<string, string> } = {}): InputFile[] {
  const out: InputFile[] = [];
  for (const name of readdirSync(WALKTHROUGH).sort()) {
    if (opts.without?.includes(name)) continue;
    const bad = opts.replace?.[name];
    const file = bad === undefined ? join(WALKTHROUGH, name) : join(BAD, bad);
    out.push({ file, text: readFileSync(file, 'utf8') });
  }
  return out;
}
