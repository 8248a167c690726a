/**
 * The `run` command's behaviour: --until, --set, --seed, --describe with its "why", --trace, --format json's shape,
 * exit 1 for a failed expectation and 2 for bad flags; and loader details (durations, ranges, positions).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/util/input-error.ts';
import { formatDuration, parseDuration } from '../../src/util/duration.ts';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import { inRange, parseRange } from '../../src/scenario/range.ts';
import { matchesSelector } from '../../src/scenario/selector.ts';
import { runCli } from '../support/cli.ts';

const INFLATE = 'scenarios/inflate-exhaustion.yaml';
const tmp = mkdtempSync(join(tmpdir(), 'vpc-cni-sim-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('durations and ranges', () => {
  it('parses the documented forms', () => {
    const ok = (s: string) => {
      const d = parseDuration(s);
      return d.ok ? d.ms : undefined;
    };
    expect(ok('250ms')).toBe(250);
    expect(ok('90s')).toBe(90_000);
    expect(ok('5m')).toBe(300_000);
    expect(ok('1h30m')).toBe(5_400_000);
    expect(ok('4m30s')).toBe(270_000);
    expect(ok('0')).toBe(0);
    for (const bad of ['', '5', '5 m', '1m1h', '-1s', '1.5m', 'm', '5mm', '99999999999h']) expect(ok(bad), bad).toBeUndefined();
    for (const ms of [0, 1, 999, 1000, 61_000, 270_000, 5_400_250]) expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, ms });
  });

  it('parses count ranges', () => {
    const r = (v: unknown) => {
      const x = parseRange(v);
      if (!x.ok) throw new Error(x.reason);
      return x.range;
    };
    expect(inRange(r('>=45'), 45)).toBe(true);
    expect(inRange(r('>=45'), 44)).toBe(false);
    expect(inRange(r('40..50'), 50)).toBe(true);
    expect(inRange(r('40..50'), 51)).toBe(false);
    expect(inRange(r(0), 0)).toBe(true);
    expect(inRange(r('<3'), 3)).toBe(false);
    expect(inRange(r('all'), 5, 5)).toBe(true);
    expect(inRange(r('all'), 4, 5)).toBe(false);
    expect(parseRange('<0').ok).toBe(false);
    expect(parseRange(-1).ok).toBe(false);
  });

  it('matches label selectors like kubectl -l', () => {
    expect(matchesSelector({ app: 'inflate' }, 'app=inflate')).toBe(true);
    expect(matchesSelector({ app: 'inflate' }, 'app==inflate,tier!=web')).toBe(true);
    expect(matchesSelector({ app: 'inflate' }, 'app,!tier')).toBe(true);
    expect(matchesSelector({ app: 'x' }, 'app=inflate')).toBe(false);
  });
});

describe('loader', () => {
  it('loads the inflate walkthrough with defaults filled in', () => {
    const s = loadScenario(INFLATE);
    expect(s.name).toBe('inflate-exhaustion');
    expect(s.duration).toBe(600_000);
    expect(s.subnets.find((x) => x.id === 'subnet-private-a')?.route).toBe('nat');
    expect(s.subnets.find((x) => x.id === 'subnet-public-a')?.route).toBe('igw');
    expect(s.cluster.endpointAccess).toBe('public');
    expect(s.timeline.map((a) => a.run)).toEqual(['kubectl apply', 'aws ec2 associate-vpc-cidr-block', 'aws ec2 create-subnet', 'aws ec2 create-subnet', 'aws ec2 create-subnet']);
  });

  it('applies --set by index and by name, keeping a version as text', () => {
    const s = loadScenario(INFLATE, { sets: ['nodeGroups.ng-1.desiredCapacity=3', 'cluster.vpcCni.env.WARM_IP_TARGET=2', 'cluster.kubernetesVersion=1.30', 'subnets.0.tags[kubernetes.io/role/cni]=1'] });
    expect(s.nodeGroups[0].desiredCapacity).toBe(3);
    expect(s.cluster.vpcCni.env.WARM_IP_TARGET).toBe('2');
    expect(s.cluster.kubernetesVersion).toBe('1.30');
    expect(s.subnets[0].tags['kubernetes.io/role/cni']).toBe('1');
  });

  it('names --set in errors about unknown paths and bad values', () => {
    expect(() => loadScenario(INFLATE, { sets: ['nodeGroups.0.desiredCapcity=3'] })).toThrow(/--set nodeGroups.0.desiredCapcity=3: unknown key "desiredCapcity" in nodeGroups.0 \(did you mean "desiredCapacity"\?\)/);
    expect(() => loadScenario(INFLATE, { sets: ['nodeGroups.0.desiredCapacity=-3'] })).toThrow(/nodeGroups\[0\]\.desiredCapacity: -3 is out of range \(0 to 1000\) \(set by --set nodeGroups.0.desiredCapacity=-3\)/);
    expect(() => loadScenario(INFLATE, { sets: ['nope=1'] })).toThrow(InputError);
    expect(() => loadScenario(INFLATE, { sets: ['subnets.99.cidr=10.0.0.0/28'] })).toThrow(/index 99 is out of range/);
  });

  it('points at the line and column of the offending value', () => {
    const text = readFileSync(INFLATE, 'utf8').replace('instanceType: m6a.large', 'instanceType: m6a.lrage');
    try {
      loadScenarioText(text, 'x.yaml');
      throw new Error('loaded');
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      const e = err as InputError;
      const line = text.split('\n').findIndex((l) => l.includes('m6a.lrage')) + 1;
      expect(e.where).toMatchObject({ file: 'x.yaml', line, field: 'nodeGroups[0].instanceType' });
      expect(e.reason).toMatch(/did you mean "m6a.large"/);
    }
  });
});

describe('vpc-cni-sim run', () => {
  it('--until stops early and reports the state then; later checks are skipped, not failed', async () => {
    const r = await runCli(['run', INFLATE, '--until', '4m30s', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.time).toBe(270_000);
    expect(doc.stoppedEarly).toBe(true);
    expect(doc.expectations.filter((e: any) => e.status === 'skipped')).toHaveLength(3);
    expect(doc.pods.filter((p: any) => p.phase === 'ContainerCreating').length).toBeGreaterThan(10);
  });

  it('--format json has the documented shape', async () => {
    const r = await runCli(['run', INFLATE, '--format', 'json']);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ scenario: { name: 'inflate-exhaustion' }, seed: 1, time: 600_000 });
    expect(doc.expectations[0]).toEqual(expect.objectContaining({ description: expect.any(String), ok: true }));
    expect(doc.pods[0]).toEqual(expect.objectContaining({ name: expect.any(String), namespace: expect.any(String), labels: expect.any(Object), phase: expect.any(String) }));
    expect(doc.pods[0]).toHaveProperty('node');
    expect(doc.pods[0]).toHaveProperty('ip');
    const n = doc.nodes[0];
    expect(n).toEqual(expect.objectContaining({ name: expect.any(String), instanceType: 'm6a.large', subnetId: expect.stringMatching(/^subnet-/), az: expect.any(String), maxPods: 29 }));
    expect(n.enis[0]).toEqual(expect.objectContaining({ id: expect.any(String), subnetId: expect.any(String), primary: true, primaryIp: expect.any(String), secondaryIps: expect.any(Array), prefixes: [] }));
    expect(doc.subnets[0]).toEqual(expect.objectContaining({ id: 'subnet-public-a', cidr: '10.0.0.0/27', az: 'us-west-2a', tags: expect.any(Object), availableIpAddressCount: expect.any(Number) }));
    expect(doc.metrics.ec2.calls).toBeGreaterThan(0);
  });

  it('--describe explains why a pod is stuck, down to the subnet', async () => {
    const first = JSON.parse((await runCli(['run', INFLATE, '--until', '4m30s', '--format', 'json'])).stdout);
    const stuck = first.pods.find((p: any) => p.phase === 'ContainerCreating');
    const r = await runCli(['run', INFLATE, '--until', '4m30s', '--describe', `pod/${stuck.name}`]);
    expect(r.stdout.startsWith(`Name:             ${stuck.name}\n`)).toBe(true);
    expect(r.stdout).toContain('\nStatus:           Pending\n');
    expect(r.stdout).toMatch(/FailedCreatePodSandBox/);
    expect(r.stdout).toMatch(/Why it is not Running:/);
    expect(r.stdout).toMatch(/pod addresses on ip-10-0-0-\d+ are assigned/);
    expect(r.stdout).toMatch(/InsufficientFreeAddressesInSubnet/);
    expect(r.stdout).toMatch(/growth frozen until/);
    expect(r.stdout).toMatch(/no other subnet in us-west-2[abc] is tagged kubernetes.io\/role\/cni/);
    expect(r.stdout).toMatch(/cause: subnet empty/);
  });

  it('--trace writes one JSON object per line', async () => {
    const file = join(tmp, 'trace.ndjson');
    const r = await runCli(['run', INFLATE, '--until', '3m', '--trace', file, '--format', 'json']);
    expect(r.code).toBe(0);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines.slice(0, 50)) expect(JSON.parse(l)).toHaveProperty('t');
  });

  it('exits 1 when an expectation fails', async () => {
    const r = await runCli(['run', INFLATE, '--until', '2m', '--set', 'expect.0.subnet.available=3', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).expectations[0]).toMatchObject({ ok: false, status: 'fail' });
  });

  it('--seed overrides the scenario seed', async () => {
    const r = await runCli(['run', 'scenarios/inflate-ipv6.yaml', '--seed', '7', '--format', 'json']);
    expect(JSON.parse(r.stdout).seed).toBe(7);
    expect(r.code).toBe(0);
  });

  it('--check-invariants reports checks', async () => {
    const r = await runCli(['run', INFLATE, '--until', '3m', '--check-invariants', '--format', 'json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.invariants.checks).toBeGreaterThan(0);
  });

  it('bad flags are one-line input errors with exit 2', async () => {
    for (const [args, msg] of [
      [['run'], /give a scenario file/],
      [['run', INFLATE, '--until', 'soon'], /--until: "soon" is not a duration/],
      [['run', INFLATE, '--format', 'xml'], /--format: must be one of text, json/],
      [['run', INFLATE, '--seed', 'abc'], /--seed: expected a whole number/],
      [['run', INFLATE, '--describe', 'svc/x'], /--describe: expected pod\/NAME, deployment\/NAME, node\/NAME or stuck/],
      [['run', INFLATE, '--until', '1m', '--describe', 'deploy/x'], /--describe: no deployment named "x" at the end of the run; 1 deployment, e.g. coredns/],
      [['run', INFLATE, '--until', '1m', '--describe', 'pod/nope'], /--describe: no pod named "nope" at the end of the run/],
      [['run', INFLATE, '--until', '1m', '--describe', 'node/ip-10-0-0'], /--describe: "ip-10-0-0" matches 2 nodes \(ip-10-0-0-109, ip-10-0-0-147\); give one/],
      [['run', INFLATE, '--until', '1m', '--introspect', 'node/ip-10-0-0-109:/v1/eni'], /--introspect: ipamd serves .*; got "\/v1\/eni" \(did you mean \/v1\/enis\?\)/],
      [['run', INFLATE, '--until', '1m', '--metrics', 'pod/x'], /--metrics: expected node\/NAME/],
      [['run', INFLATE, '--seed', '-1'], /--seed: must be between 0 and 2147483647, got -1/],
      [['run', INFLATE, '--bogus'], /--bogus: unknown option for run \(known: --seed, --until, /],
      [['run', INFLATE, '--sed', '3'], /--sed: unknown option for run \(did you mean --seed or --set\?\)/],
      [['run', INFLATE, 'other.yaml'], /one scenario file at a time/],
      [['run', INFLATE, '--set', 'x'], /expected key=value/],
      // A self-referencing alias in a --set value (found by the --set fuzz with FC_SEED=987654321) once crashed.
      [['run', INFLATE, '--set', 'timeline.0.manifest.spec.replicas=&a [*a]'], /the value refers to itself/],
    ] as const) {
      const r = await runCli([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});
