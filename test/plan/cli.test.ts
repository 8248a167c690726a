/** `vpc-cni-sim plan`: exit codes, progress on stderr, JSON, and bad input as one line naming the flag (exit 2). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const FIXTURE = 'test/plan/fixtures/walkthrough-before.yaml';

describe('vpc-cni-sim plan', () => {
  it('exit 1 when pods stay stuck, with one progress line per simulation on stderr', async () => {
    const r = await runCli(['plan', FIXTURE, '--add-pods', '50', '--seeds', '1', '--no-what-ifs']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Does it fit? no');
    const progress = r.stderr.split('\n').filter((l) => l.startsWith('plan: #'));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0]).toMatch(/^plan: #1 as-is seed 1 size 50: \d+ stuck \(\d+\.\d s, \d+\.\d s in all\)$/);
  });

  it('exit 0 when the change fits; --format json is one document', async () => {
    const r = await runCli(['plan', FIXTURE, '--add-pods', '5', '--seeds', '1', '--no-what-ifs', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.asIs.fits).toBe(true);
    expect(j.change).toBe('+5 pods');
    expect(j.whatIfs).toEqual([]);
  });

  it('--what-ifs picks what-ifs, and worker threads give the same answer as this thread', async () => {
    const args = ['plan', FIXTURE, '--add-pods', '50', '--seeds', '2', '--what-ifs', 'prefix-delegation,cni-subnets', '--format', 'json'];
    const one = await runCli([...args, '--workers', '1']);
    const two = await runCli([...args, '--workers', '2']);
    expect(one.code).toBe(1);
    const j = JSON.parse(one.stdout);
    expect(j.whatIfs.map((w: { key: string }) => w.key)).toEqual(['cni-subnets', 'prefix-delegation']);
    expect(two.code).toBe(1);
    expect(two.stdout).toBe(one.stdout);
  });

  it('--report writes the first seed\'s simulation of the change as a page, the change\'s command on its timeline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-report-'));
    try {
      const file = join(dir, 'plan.html');
      const r = await runCli(['plan', FIXTURE, '--add-pods', '50', '--seeds', '1', '--no-what-ifs', '--report', file]);
      expect(r.code).toBe(1);
      const html = readFileSync(file, 'utf8');
      expect(html).toContain('kubectl apply -f plan-added.yaml   # 50 replicas');
      expect(html).toContain('plan-added-');
      expect(r.stderr).toContain(`HTML report: ${file}`);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it.each([
    [['--scale', 'deployment/inflat=10'], /^vpc-cni-sim plan: --scale: no Deployment "inflat" in namespace default \(there is none\)$/],
    [['--scale', 'deployment/inflate'], /^vpc-cni-sim plan: --scale: expected deployment\/NAME=N, got "deployment\/inflate"$/],
    [['--add-pods', '5', '--scale', 'deployment/x=1'], /^vpc-cni-sim plan: --scale: give the change: either --scale deployment\/NAME=N or --add-pods N$/],
    [['--add-pods', 'many'], /^vpc-cni-sim plan: --add-pods: expected a whole number, got "many"$/],
    [['--add-pods', '5', '--nodes', '2x'], /^vpc-cni-sim plan: --nodes: expected \+K \(nodes to add\), got "2x"$/],
    [['--add-pods', '5', '--nodes', '+1', '--node-group', 'ng-2'], /^vpc-cni-sim plan: --node-group: no node group "ng-2" \(did you mean "ng-1"\?\)$/],
    [['--add-pods', '5', '--subnet-prefix', '12'], /^vpc-cni-sim plan: --subnet-prefix: must be between 16 and 28, got 12$/],
    [['--add-pods', '5', '--what-ifs', 'cni-subnets,lean-warn'], /^vpc-cni-sim plan: --what-ifs: no what-if "lean-warn" \(did you mean "lean-warm"\?\) \(what-ifs: cni-subnets, lean-warm, prefix-delegation, more-nodes, larger-nodes\)$/],
    [['--add-pods', '5', '--what-ifs', 'lean-warm', '--no-what-ifs'], /^vpc-cni-sim plan: --what-ifs: give --what-ifs or --no-what-ifs, not both$/],
    [['--add-pods', '5', '--like', 'deployment/nope'], /^vpc-cni-sim plan: --like: no Deployment "nope" in namespace default \(there is none\)$/],
    [['--add-pods', '5', '--like', 'pod/x'], /^vpc-cni-sim plan: --like: expected deployment\/NAME, got "pod\/x"$/],
    [['--scale', 'deployment/inflate=3', '--like', 'deployment/x'], /^vpc-cni-sim plan: --like: goes with --add-pods \(a scaled Deployment keeps its own pods\)$/],
    [['--add-pods', '5', '--workers', '0'], /^vpc-cni-sim plan: --workers: must be between 1 and 256, got 0$/],
  ])('bad input %j: one line, exit 2', async (flags, line) => {
    const r = await runCli(['plan', FIXTURE, ...flags]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
  });

  it('a Deployment the existing: scenario\'s timeline would create is not there at t = 0, and the message says why', async () => {
    const r = await runCli(['plan', 'scenarios/inflate-existing.yaml', '--scale', 'deployment/inflate=60', '--seeds', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'vpc-cni-sim plan: --scale: no Deployment "inflate" in namespace default (there is none); the timeline of a scenario with existing: is not played, so only its t = 0 Deployments count',
    );
  });

  it('a Deployment name with a typo gets a suggestion', async () => {
    const r = await runCli(['plan', 'scenarios/inflate-exhaustion.yaml', '--scale', 'inflat=60', '--seeds', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('vpc-cni-sim plan: --scale: no Deployment "inflat" in namespace default (did you mean "inflate"?) (Deployments: inflate)');
  });
});
