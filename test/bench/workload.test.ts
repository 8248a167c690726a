/**
 * Benchmark workloads are read by the scenario loader: the same field names as a scenario's cluster sections
 * (subnets[].id, nodeGroups, vpc.cidrBlocks, desiredCapacity), the same duration grammar and the same one-line
 * errors naming file, line, column and field, plus the workload's own rules (patterns naming declared deployments
 * and node groups, times inside the run).
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadWorkload } from '../../src/cli/scenario-file.ts';
import { loadScenarioText, loadWorkloadText } from '../../src/scenario/loader.ts';
import { workloadSize } from '../../src/scenario/workload.ts';
import { InputError } from '../../src/util/input-error.ts';
import { oneSubnetCluster } from '../support/one-subnet-cluster.ts';

const GOOD = `name: t
duration: 10m
${oneSubnetCluster({ region: 'us-east-1', cidr: '10.0.0.0/24', cluster: 'bench', group: 'name: ng, instanceType: m5.large, desiredCapacity: 3' })}deployments:
  - { name: web }
patterns:
  - { kind: burst, at: 1m, deployment: web, replicas: 20 }
`;

function errorOf(text: string, load: (t: string) => unknown = (t) => loadWorkloadText(t, 'w.yaml')): string {
  try {
    load(text);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('workload loader', () => {
  it('loads a minimal workload into the World spec, defaults filled in', () => {
    const w = loadWorkloadText(GOOD, 'w.yaml');
    expect(w.duration).toBe(600_000);
    expect(w.sampleEvery).toBe(15_000);
    expect(w.world.region).toBe('us-east-1');
    expect(w.world.nodeGroups[0]).toMatchObject({ name: 'ng', instanceType: 'm5.large', desiredCapacity: 3, subnets: ['subnet-a'] });
    expect(w.world.subnets[0]).toEqual({ id: 'subnet-a', az: 'us-east-1a', cidr: '10.0.0.0/24', public: false, route: 'nat', tags: {}, externalUse: 0 });
    expect(w.deployments).toEqual([{ name: 'web', replicas: 0 }]);
    expect(w.patterns).toEqual([{ kind: 'burst', at: 60_000, deployment: 'web', replicas: 20 }]);
    expect(w.policies).toEqual(['warm-eni-1']);
    expect(workloadSize(w)).toEqual({ nodes: 3, peakPods: 20 });
  });

  it('every shipped workload loads', () => {
    const dir = new URL('../../bench/workloads/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files).toEqual(expect.arrayContaining(['small.yaml', 'churn.yaml', 'burst.yaml', 'rollout.yaml']));
    for (const f of files) expect(() => loadWorkload(new URL(f, dir).pathname)).not.toThrow();
  });

  it.each([
    [GOOD.replace('m5.large', 'm5.lrage'), 'w.yaml:9:31: nodeGroups[0].instanceType: unknown instance type "m5.lrage" (did you mean'],
    [GOOD.replace('duration: 10m', 'duration: 10'), 'w.yaml:2:11: duration: expected a duration with a unit (e.g. 10s or 10ms), got 10'],
    [GOOD.replace('duration: 10m', 'duration: 30s'), 'w.yaml:2:11: duration: 30s is out of range (1m to 168h)'],
    [GOOD.replace('at: 1m', 'at: 11m'), 'w.yaml:13:24: patterns[0].at: 11m is after the end of the run (duration 10m)'],
    [GOOD.replace('deployment: web', 'deployment: api'), 'w.yaml:13:40: patterns[0].deployment: no deployment "api" (deployments: web)'],
    [GOOD.replace('10.0.0.0/24', '10.1.0.0/24'), 'w.yaml:6:43: subnets[0].cidr: 10.1.0.0/24 is outside the VPC (blocks at start: 10.0.0.0/16)'],
    [GOOD.replace('desiredCapacity: 3', 'desiredCapacity: -1'), 'w.yaml:9:58: nodeGroups[0].desiredCapacity: -1 is out of range (0 to 1000)'],
    [GOOD.replace('kind: burst', 'kind: bursty'), 'w.yaml:13:13: patterns[0].kind: unknown pattern kind "bursty" (did you mean "burst"?)'],
    [GOOD.replace('name: t', 'nme: t'), 'w.yaml:1:1: nme: unknown key "nme" (did you mean "name"?)'],
    [GOOD.replace('{ id: subnet-a', '{ name: a'), 'w.yaml:6:7: subnets[0].name: unknown key "name"'],
    [GOOD + '  - { kind: churn, pods: 5 }\n', 'w.yaml:14:5: patterns[1]: missing required key "lifetime"'],
    [GOOD + '  - { kind: churn, pods: 5, lifetime: 1.5m }\n', 'w.yaml:14:39: patterns[1].lifetime: "1.5m" is not a duration (expected e.g. 250ms, 90s, 5m, 1h30m)'],
    [GOOD.replace('subnets:\n', 'subnets: [\n'), 'w.yaml:6:'],
  ])('reports %# as one line naming file:line:col and field', (text, expected) => {
    expect(errorOf(text)).toContain(expected);
  });

  it('words an error in a shared section exactly as the scenario loader does', () => {
    const scenario = GOOD.replace(/deployments:[\s\S]*$/, '');
    const bad = (t: string) => t.replace('us-east-1a, cidr', 'us-west-2a, cidr');
    const workloadError = errorOf(bad(GOOD));
    const scenarioError = errorOf(bad(scenario), (t) => loadScenarioText(t, 'w.yaml'));
    expect(workloadError).toBe(scenarioError);
    expect(workloadError).toBe('w.yaml:6:25: subnets[0].az: availability zone "us-west-2a" is not in region us-east-1 (expected us-east-1a, us-east-1b, …)');
  });

  it('a missing file is one line naming it', () => {
    expect(() => loadWorkload('/nonexistent/w.yaml')).toThrow('/nonexistent/w.yaml: no such file');
  });
});
