/**
 * The hostile-input corpus: every file in test/hostile/cases is refused with exit 2 and exactly the one-line error
 * recorded in expected.json (file, line, column, field, reason), without a stack trace and without hanging. Most cases
 * run through `main()` in-process; a few (and a 50 MB file made at test time) through a real subprocess, killed if it
 * hangs. The time bounds here are hang guards, far above the real figures so a loaded CI machine cannot trip them;
 * how fast bad input is refused (well under a second a case) is measured by `npm run bench:hostile`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { writePaddingFile } from '../support/padding-file.ts';

const DIR = 'test/hostile/cases';
/** Hang guard, not a speed target: a case that takes this long is stuck (a runaway loop or a quadratic blow-up). */
const HANG_GUARD_MS = 15_000;
/** A subprocess still running after this long is killed (and the test fails on its signal). */
const SUBPROCESS_KILL_MS = 20_000;
const expected = JSON.parse(readFileSync('test/hostile/expected.json', 'utf8')) as Record<string, string>;
const files = readdirSync(DIR).sort();

describe('hostile corpus (in-process)', () => {
  it('has an expected error for every case and a case for every expected error', () => {
    expect(Object.keys(expected).sort()).toEqual(files);
  });

  for (const f of files) {
    it(f, async () => {
      const r = await runCli(['run', `${DIR}/${f}`]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toBe(`vpc-cni-sim run: ${DIR}/${expected[f]}`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.ms, 'hang guard').toBeLessThan(HANG_GUARD_MS);
    });
  }

  it('names file, line, column and field for every case that has a position', () => {
    const noPosition = new Set(['invalid-utf8.yaml']);
    for (const f of files) {
      if (noPosition.has(f)) continue;
      expect(expected[f], f).toMatch(new RegExp(`^${f.replace(/\./g, '\\.')}:\\d+:\\d+: `));
    }
  });
});

const BIN = 'bin/vpc-cni-sim.mjs';
function subprocess(args: string[]) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', BIN, ...args], { encoding: 'utf8', timeout: SUBPROCESS_KILL_MS });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0, signal: r.signal };
}

describe('hostile corpus (subprocess)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vpc-cni-sim-hostile-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  for (const f of ['alias-bomb.yaml', 'binary-garbage.yaml', 'deep-flow-nesting.yaml', 'unknown-key-top.yaml']) {
    it(`${f} in a real process`, () => {
      const r = subprocess(['run', `${DIR}/${f}`]);
      expect(r.signal).toBeNull();
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd()).toBe(`vpc-cni-sim run: ${DIR}/${expected[f]}`);
    });
  }

  it('refuses a 50 MB file before reading it (no OOM with a 256 MB heap)', () => {
    const big = join(tmp, 'big.yaml');
    writePaddingFile(big, 50 * 1024 * 1024);
    const r = subprocess(['run', big]);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd()).toMatch(/^vpc-cni-sim run: .*big\.yaml: file is 50\.\d MB; scenario files are limited to 20 MB$/);
    expect(r.ms, 'hang guard').toBeLessThan(HANG_GUARD_MS);
  });

  it('a missing file and a directory are input errors', () => {
    expect(subprocess(['run', join(tmp, 'nope.yaml')]).stderr).toMatch(/nope\.yaml: no such file\n$/);
    const r = subprocess(['run', tmp]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/: not a regular file\n$/);
  });
});
