/**
 * No silent surprises: ipamd's configuration warnings in `run`'s output, the settle time after a last step
 * (docs/scenario-format.md "When the run ends"), `--until` past the end, `--version`, flag errors that say what is
 * wrong, `--trace -` and `run -`, warm-pool's Pending pods beyond max pods, progress only on a slow terminal run.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/cli/progress.ts';
import { readableTimes } from '../../src/report/text.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import { runCli } from '../support/cli.ts';

const INFLATE = 'scenarios/inflate-exhaustion.yaml';

const scenario = (timeline: string, expect = '') => `
name: settle
region: us-west-2
vpc: { cidrBlocks: [10.0.0.0/16] }
subnets:
  - { id: subnet-a, az: us-west-2a, cidr: 10.0.0.0/24 }
cluster: { name: c, kubernetesVersion: "1.31" }
nodeGroups:
  - { name: ng-1, instanceType: m5.large, desiredCapacity: 1, subnets: [subnet-a] }
timeline:
${timeline}
${expect}`;
const STEP = (at: string) => `  - { at: ${at}, run: kubectl cordon, node: ip-10-0-0-1 }`;

describe('when the run ends', () => {
  it('a last step after every expectation (or with none) is followed by 2 minutes to settle', () => {
    expect(loadScenarioText(scenario(STEP('3m')), 'a.yaml').duration).toBe(300_000);
    expect(loadScenarioText(scenario(STEP('3m'), 'expect:\n  - { at: 1m, nodes: { count: 1 } }'), 'b.yaml').duration).toBe(300_000);
    expect(loadScenarioText(scenario(STEP('3m'), 'expect:\n  - { at: 4m, nodes: { count: 1 } }'), 'c.yaml').duration).toBe(240_000);
    expect(loadScenarioText(scenario(STEP('3m'), 'expect:\n  - { at: 3m, nodes: { count: 1 } }'), 'd.yaml').duration).toBe(180_000);
  });

  it('--until past the end says so on stderr', async () => {
    const r = await runCli(['run', INFLATE, '--until', '20m', '--describe', 'deployment/inflate']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("vpc-cni-sim run: note: --until 20m is past the scenario's end (10m); the run stops at 10m\n");
  });
});

describe('configuration warnings', () => {
  it('an unusable env value and an unread key are in the report, not silently dropped', async () => {
    const r = await runCli(['run', INFLATE, '--until', '1m', '--set', 'cluster.vpcCni.env.WARM_IP_TARGET=abc', '--set', 'cluster.vpcCni.env.ENABLE_PREFIX_DELEGATION=yes', '--set', 'cluster.vpcCni.env.WARM_IP_TARGTE=2']);
    expect(r.code).toBe(2); // the typo is refused by the loader with a suggestion
    const ok = await runCli(['run', INFLATE, '--until', '1m', '--set', 'cluster.vpcCni.env.WARM_IP_TARGET=abc', '--set', 'cluster.vpcCni.env.ENABLE_PREFIX_DELEGATION=yes']);
    const warnings = ok.stdout.slice(ok.stdout.indexOf('== Warnings =='), ok.stdout.indexOf('== Timeline =='));
    expect(warnings).toContain('ipamd: WARM_IP_TARGET="abc": not an integer (strconv.Atoi); using the default 0 (aws-node on ');
    expect(warnings).toContain('ipamd: ENABLE_PREFIX_DELEGATION="yes": not a Go bool; using the default false');
    const json = await runCli(['run', INFLATE, '--until', '1m', '--format', 'json', '--set', 'cluster.vpcCni.env.WARM_IP_TARGET=abc']);
    expect(JSON.parse(json.stdout).warnings).toHaveLength(1);
    const views = await runCli(['run', INFLATE, '--until', '1m', '--describe', 'stuck', '--set', 'cluster.vpcCni.env.WARM_IP_TARGET=abc']);
    expect(views.stderr).toMatch(/^vpc-cni-sim run: warning: ipamd: WARM_IP_TARGET="abc"/);
  });
});

describe('the command line', () => {
  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`vpc-cni-sim ${(JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version}\n`);
  });

  it('a negative number is the flag value, and the flag says what is wrong with it', async () => {
    const r = await runCli(['run', INFLATE, '--seed', '-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('vpc-cni-sim run: --seed: must be between 0 and 2147483647, got -1\n');
    const w = await runCli(['warm-pool', '--instance-type', 'm5.large', '--pods', '-3']);
    expect(w.stderr).toMatch(/--pods: must be between 0 and 5000, got -3/);
  });

  it('--trace - writes NDJSON to stdout and the report to stderr; run - reads the scenario from stdin', () => {
    const node = (args: string[], input?: string) => spawnSync(process.execPath, ['bin/vpc-cni-sim.mjs', ...args], { input, encoding: 'utf8', timeout: 60_000 });
    const t = node(['run', INFLATE, '--until', '40s', '--trace', '-']);
    expect(t.status).toBe(0);
    const lines = t.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    expect(t.stderr).toContain('trace written to stdout');
    const s = node(['run', '-', '--until', '40s', '--format', 'json'], readFileSync(INFLATE, 'utf8'));
    expect(s.status).toBe(0);
    expect(JSON.parse(s.stdout).scenario.file).toBe('<stdin>');
    const bad = node(['run', '-'], 'name: x\nbogus: 1\n');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^vpc-cni-sim run: <stdin>:/);
  });

  it('warm-pool: pods beyond max pods (less aws-node and kube-proxy) stay Pending', async () => {
    const r = await runCli(['warm-pool', '--instance-type', 't3.small', '--pods', '9,12']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^t3\.small +12 \(3 Pending\) +3 +9 +0 /m);
    expect(r.stdout).toContain('Pending: max pods 11 counts aws-node and kube-proxy (host network), so 9 pods fit');
    expect(r.stdout).not.toContain('without IP');
  });
});

describe('progress', () => {
  const fake = (tty: boolean) => {
    const writes: string[] = [];
    return { stream: { isTTY: tty, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream, writes };
  };
  it('is silent when stderr is not a terminal, and for the first two seconds when it is', () => {
    expect(progressReporter(fake(false).stream, () => 0)).toBeUndefined();
    let now = 0;
    const f = fake(true);
    const p = progressReporter(f.stream, () => now)!;
    now = 1_500;
    p.tick(60_000, 1_000);
    expect(f.writes).toEqual([]);
    now = 2_500;
    p.tick(125_300, 50_000);
    expect(f.writes).toEqual(['\r\x1b[K  simulated 02:05.3 · 50,000 events · 20,000 events/s']);
    p.done();
    expect(f.writes[1]).toBe('\r\x1b[K');
  });
});

describe('findings read as durations', () => {
  it('turns t=…ms and …ms into durations, node names short, and adds no label', () => {
    expect(readableTimes('[finding cni#2908] pod-gets-address at t=769501ms node ip-10-0-0-156.us-west-2.compute.internal (seed 1): waiting for 409064ms > bound 500ms')).toBe(
      '[finding cni#2908] pod-gets-address at 12m49.5s on ip-10-0-0-156 (seed 1): waiting for 6m49.1s > bound 500ms',
    );
  });
});
