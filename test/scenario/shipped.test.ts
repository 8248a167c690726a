/**
 * Every shipped scenario (scenarios/*.yaml) runs through the CLI and holds every one of its expectations (exit 0),
 * says what it shows, and replays identically for the same seed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const files = readdirSync('scenarios').filter((f) => f.endsWith('.yaml')).sort();

describe('shipped scenarios', () => {
  it('include the eight the project promises', () => {
    for (const f of ['inflate-exhaustion', 'warm-pool-tradeoff', 'inflate-ipv6', 'private-endpoint-unreachable', 'custom-networking', 'prefix-fragmentation', 'eni-ceiling', 'throttled-scale-up']) {
      expect(files).toContain(`${f}.yaml`);
    }
  });

  for (const f of files) {
    it(`${f} holds all its expectations`, async () => {
      const r = await runCli(['run', `scenarios/${f}`, '--format', 'json']);
      expect(r.stderr).toBe('');
      const doc = JSON.parse(r.stdout);
      const failed = doc.expectations.filter((e: { ok: boolean }) => !e.ok);
      expect(failed).toEqual([]);
      expect(doc.expectations.length).toBeGreaterThan(0);
      expect(r.code).toBe(0);
      expect(doc.scenario.description.length).toBeGreaterThan(80);
      expect(doc.scenario.name).toBe(f.replace(/\.yaml$/, ''));
      expect(readFileSync(`scenarios/${f}`, 'utf8')).toMatch(/^description: \|/m);
    });
  }

  it('the inflate walkthrough reads as promised in text', async () => {
    const r = await runCli(['run', 'scenarios/inflate-exhaustion.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('DescribeSubnets');
    expect(r.stdout).toContain('DescribeNetworkInterfaces');
    expect(r.stdout).toContain('NAMESPACE');
    expect(r.stdout).toMatch(/PASS {2}after the secondary CIDR and tagged subnets, every inflate pod is Running/);
    expect(r.stdout).toMatch(/subnet-cni-[abc]/);
    expect(r.stdout).not.toMatch(/FAIL/);
  });

  it('the same seed gives the same report', async () => {
    const a = await runCli(['run', 'scenarios/inflate-exhaustion.yaml', '--format', 'json']);
    const b = await runCli(['run', 'scenarios/inflate-exhaustion.yaml', '--format', 'json']);
    expect(a.stdout).toBe(b.stdout);
  });
});
