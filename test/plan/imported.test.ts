/**
 * The three commands end to end on the walkthrough's cluster just before the rescue (test/fixtures/import/walkthrough:
 * what the AWS CLI and kubectl print for it): `import` writes the scenario, `plan --add-pods 50` on it says pods stay
 * stuck (the small private subnets run out), and its cni-subnets what-if — three tagged /19s in a new secondary
 * block, the walkthrough's rescue — runs all 50.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

describe('import, then plan, on the walkthrough\'s files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plan-import-'));
  afterAll(() => rmSync(dir, { recursive: true }));

  it('pods stay stuck as the cluster is; tagged subnets rescue every one', async () => {
    const file = join(dir, 'walkthrough.yaml');
    const imp = await runCli(['import', 'test/fixtures/import/walkthrough', '-o', file]);
    expect(imp.code).toBe(0);
    const r = await runCli(['plan', file, '--add-pods', '50', '--seeds', '2', '--format', 'json']);
    expect(r.code).toBe(1);
    const plan = JSON.parse(r.stdout);
    expect(plan.appliedAt).toBe('t = 0 (the existing state)');
    expect(plan.asIs.fits).toBe(false);
    for (const s of plan.asIs.seeds) {
      expect(s.outcome.stuck).toBeGreaterThanOrEqual(10);
      expect(s.outcome.firstStuck.cause).toBe('subnet empty');
    }
    const cni = plan.whatIfs.find((w: { key: string }) => w.key === 'cni-subnets');
    expect(cni.changes.filter((c: string) => c.includes('create-subnet') && c.includes('kubernetes.io/role/cni') && c.includes('/19 '))).toHaveLength(3);
    expect(cni.fits).toBe(true);
    for (const s of cni.seeds) expect(s.outcome.targetRunning).toBe(50);
    expect(cni.headroom).toBeGreaterThanOrEqual(50);
  });
});
