import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/util/input-error.ts';
import { loadWorkloadFile, parseWorkload, workloadSize } from '../../src/bench/workload.ts';
import { formatDuration, parseDuration } from '../../src/bench/yaml-input.ts';

const GOOD = `name: t
duration: 10m
cluster:
  subnets:
    - { name: a, cidr: 10.0.0.0/24, az: us-east-1a }
  nodegroups:
    - { name: ng, instanceType: m5.large, nodes: 3 }
deployments:
  - { name: web }
patterns:
  - { kind: burst, at: 1m, deployment: web, replicas: 20 }
`;

function errorOf(text: string): string {
  try {
    parseWorkload('w.yaml', text);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('workload loader', () => {
  it('loads a minimal workload with defaults', () => {
    const w = parseWorkload('w.yaml', GOOD);
    expect(w.duration).toBe(600_000);
    expect(w.sampleEvery).toBe(15_000);
    expect(w.cluster.nodegroups[0]).toEqual({ name: 'ng', instanceType: 'm5.large', nodes: 3, subnets: ['a'] });
    expect(w.patterns).toEqual([{ kind: 'burst', at: 60_000, deployment: 'web', replicas: 20 }]);
    expect(w.policies).toEqual(['warm-eni-1']);
    expect(workloadSize(w)).toEqual({ nodes: 3, peakPods: 20 });
  });

  it('every shipped workload loads', () => {
    const dir = new URL('../../bench/workloads/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files).toEqual(expect.arrayContaining(['small.yaml', 'churn.yaml', 'burst.yaml', 'rollout.yaml']));
    for (const f of files) expect(() => loadWorkloadFile(new URL(f, dir).pathname)).not.toThrow();
  });

  it.each([
    [GOOD.replace('m5.large', 'm5.lrage'), 'w.yaml:7:33: cluster.nodegroups[0].instanceType: unknown instance type "m5.lrage"'],
    [GOOD.replace('duration: 10m', 'duration: 10'), 'w.yaml:2:11: duration: expected a duration like 90s, 5m or 1h, got 10'],
    [GOOD.replace('at: 1m', 'at: 11m'), 'w.yaml:11:24: patterns[0].at: must be between 0s and 10m, got 11m'],
    [GOOD.replace('deployment: web', 'deployment: api'), 'w.yaml:11:40: patterns[0].deployment: no deployment named "api"'],
    [GOOD.replace('10.0.0.0/24', '10.1.0.0/24'), 'w.yaml:5:24: cluster.subnets[0].cidr: not inside a VPC block (10.0.0.0/16)'],
    [GOOD.replace('nodes: 3', 'nodes: -1'), 'w.yaml:7:50: cluster.nodegroups[0].nodes: must be between 0 and 10000, got -1'],
    [GOOD.replace('kind: burst', 'kind: bursty'), 'w.yaml:11:13: patterns[0].kind: must be one of burst, churn, diurnal, rollout, got "bursty"'],
    [GOOD.replace('name: t', 'nme: t'), 'w.yaml:1:1: nme: unknown field'],
    [GOOD + '  - { kind: churn, pods: 5 }\n', 'w.yaml:12:5: patterns[1].lifetime: required'],
    [GOOD.replace('cluster:', 'cluster:\n  subnets: [\n'), 'w.yaml:6:3: YAML: '],
  ])('reports %# with file:line:col', (text, expected) => {
    expect(errorOf(text)).toContain(expected);
  });

  it('a missing file is one line naming it', () => {
    expect(() => loadWorkloadFile('/nonexistent/w.yaml')).toThrow('/nonexistent/w.yaml: no such file');
  });
});

describe('durations', () => {
  it('parse and format', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5m')).toBe(90_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('5')).toBeUndefined();
    expect(parseDuration('5 m')).toBeUndefined();
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(90_000)).toBe('90s');
  });
});
