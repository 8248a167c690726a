/**
 * `run --report FILE.html` on the command line: the page is written and its path printed after the text report,
 * `--format json` stays one JSON document on stdout, and a path that cannot be written is one line naming the flag,
 * exit 2.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const tmp = mkdtempSync(join(tmpdir(), 'vpc-cni-sim-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('run --report', () => {
  it('writes one self-contained page and says where', async () => {
    const file = join(tmp, 'sub', 'eni-ceiling.html');
    const r = await runCli(['run', 'scenarios/eni-ceiling.yaml', '--report', file, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).scenario.name).toBe('eni-ceiling');
    expect(r.stderr.trim()).toBe(`HTML report: ${file} (open it in a browser)`);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<script type="application/json" id="run-record">{"format":"vpc-cni-sim/run-record@1"');
    // nothing loaded from elsewhere
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
  });

  it('refuses a path it cannot write with one line, exit 2', async () => {
    const notADir = join(tmp, 'plain-file');
    writeFileSync(notADir, 'x');
    const r = await runCli(['run', 'scenarios/eni-ceiling.yaml', '--report', join(notADir, 'x.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--report');
  });
});

describe('bench --report', () => {
  it('writes the comparison page: per policy waste, p95 time to address, EC2 calls and throttled attempts with intervals', async () => {
    const file = join(tmp, 'bench.html');
    const r = await runCli(['bench', 'bench/workloads/small.yaml', '--policies', 'warm-eni-1,warm-ip-2-min-10', '--seeds', '2', '--workers', '1', '--quiet', '--report', file]);
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe(`HTML report: ${file} (open it in a browser)`);
    const html = readFileSync(file, 'utf8');
    const page = JSON.parse(/<script type="application\/json" id="run-record">([\s\S]*?)<\/script>/.exec(html)![1]);
    expect(page.format).toBe('vpc-cni-sim/bench-page@1');
    expect(page.policies.map((p: { policy: string }) => p.policy)).toEqual(['warm-eni-1', 'warm-ip-2-min-10']);
    for (const p of page.policies) {
      expect(p.seeds).toBe(2);
      for (const k of ['waste', 'p95', 'ec2', 'throttled']) expect(typeof p[k].mean, k).toBe('number');
    }
    // the same figures the table prints
    expect(r.stdout).toContain(`${Math.round(page.policies[0].waste.mean)} ±`);
  }, 120_000);
});
