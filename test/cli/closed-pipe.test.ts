/**
 * `vpc-cni-sim … | head -1`: the reader closes the pipe while the report is still being written. The command stops
 * quietly with exit 0, as Unix tools do — no stack trace on stderr.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('a closed stdout pipe', () => {
  it('ends the command quietly, exit 0, nothing on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipe-'));
    const err = join(dir, 'stderr');
    // A view long enough (about 100 kB) that the writer is still writing when head has gone.
    const cli = 'node bin/vpc-cni-sim.mjs run scenarios/inflate-exhaustion.yaml --until 4m30s --describe pod/inflate';
    const r = spawnSync('bash', ['-c', `${cli} 2>'${err}' | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`], { cwd: root, encoding: 'utf8' });
    const stderr = readFileSync(err, 'utf8');
    rmSync(dir, { recursive: true });
    expect(stderr).toBe('');
    expect(r.stdout.trim()).toBe('0');
  });
});
