/** The `warm-pool` command (src/cli/warm-pool.ts): report fields, bad input as InputError (exit 2). */
import { describe, expect, it, vi } from 'vitest';
import { run, warmPool } from '../../src/cli/warm-pool.ts';
import { InputError } from '../../src/util/input-error.ts';

describe('warm-pool', () => {
  it('reports the documented fields', () => {
    const r = warmPool('m5.large', 3, {}, undefined, '1.23.1', 1);
    expect(r).toMatchObject({ instanceType: 'm5.large', pods: 3, enis: 2, attachedSecondaryIps: 18, attachedPrefixes: 0, unusedIps: 15, failedAdds: 0 });
    expect(r.perEni[0]).toEqual(expect.objectContaining({ id: expect.any(String), primary: true, secondaryIps: 9, prefixes: 0 }));
  });
  it('prints one row per count', async () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
    try {
      expect(await run(['--instance-type', 't3.small', '--pods', '0,5,9'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const lines = out.join('').trim().split('\n');
    expect(lines.length).toBe(5);
    expect(lines[4]).toMatch(/^t3\.small\s+9\s+3\s+9\s+0\s+3,3,3/);
  });
  it('bad settings are InputErrors', async () => {
    await expect(run(['--instance-type', 'nope.large', '--pods', '1'])).rejects.toBeInstanceOf(InputError);
    await expect(run(['--instance-type', 't3.small', '--pods', '-1'])).rejects.toBeInstanceOf(InputError);
    await expect(run(['--instance-type', 't3.small', '--pods', '1', '--env', 'ENABLE_PREFIX_DELEGATION=true', '--env', 'WARM_PREFIX_TARGET=0'])).rejects.toThrow(/aws-node failed to start: Setting WARM_PREFIX_TARGET = 0/);
    await expect(run(['--instance-type', 't3.small', '--pods', '1', '--cni-version', 'latest'])).rejects.toBeInstanceOf(InputError);
  });
});
