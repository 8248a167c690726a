/**
 * `--describe` in kubectl's shapes (k8s.io/kubectl/pkg/describe/describe.go): a stuck pod is `Status: Pending` with
 * its container `State: Waiting` / `Reason: ContainerCreating`, Labels (with pod-template-hash), Controlled By, the
 * Events table, then our "Why it is not Running" chain; deployments, nodes and `stuck`; names by prefix, short node
 * name or instance id; the tabwriter layout; and the one age formatter (apimachinery duration.HumanDuration).
 */
import { describe, expect, it } from 'vitest';
import { humanDuration } from '../../src/model/k8s/events.ts';
import { describeText } from '../../src/report/describe-text.ts';
import { tabwrite } from '../../src/report/tabwriter.ts';
import type { PodDescribe } from '../../src/report/view-types.ts';
import { renderText } from '../../src/report/text.ts';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import { runReport } from '../support/report.ts';
import { InputError } from '../../src/util/input-error.ts';

const INFLATE = 'scenarios/inflate-exhaustion.yaml';

describe('tabwriter', () => {
  it('aligns each column over the consecutive lines that have a cell in it, two spaces past the widest', () => {
    expect(tabwrite(['Name:\tx', 'Service Account:\tdefault', 'Containers:', '  a:', '    Restart Count:\t0', '    Ready:\tTrue'])).toEqual([
      'Name:             x',
      'Service Account:  default',
      'Containers:',
      '  a:',
      '    Restart Count:  0',
      '    Ready:          True',
    ]);
  });
});

describe('HumanDuration, the one age formatter', () => {
  it('follows apimachinery: seconds to 2m, m+s below 10m, whole minutes to 3h, h+m below 8h, then hours and days', () => {
    const s = 1000;
    expect([59 * s, 119 * s, 125 * s, 9 * 60 * s + 59 * s, 10 * 60 * s + 30 * s, 179 * 60 * s, 3 * 3600 * s + 20 * 60 * s, 9 * 3600 * s, 50 * 3600 * s].map(humanDuration)).toEqual([
      '59s',
      '119s',
      '2m5s',
      '9m59s',
      '10m',
      '179m',
      '3h20m',
      '9h',
      '2d2h',
    ]);
  });
});

describe('describe views at 4m30s of the walkthrough', () => {
  const s = loadScenario(INFLATE);
  const r = runReport(s, {
    until: 270_000,
    views: [
      { kind: 'describe-stuck' },
      { kind: 'describe', resource: 'deployment', name: 'infl' },
      { kind: 'describe', resource: 'node', name: 'ip-10-0-0-109' },
    ],
  });
  const stuck = r.views[0];
  if (stuck.kind !== 'describe-stuck') throw new Error('first view is not describe-stuck');
  const example = stuck.groups[0].example.pod;

  it('a stuck pod reads like kubectl describe pod, then the chain', () => {
    const pr = runReport(loadScenario(INFLATE), { until: 270_000, views: [{ kind: 'describe', resource: 'pod', name: example }] });
    const v = pr.views[0];
    expect(v.kind).toBe('describe-pod');
    const d = (v as { pod: PodDescribe }).pod;
    const text = describeText(v, pr.time)!;
    const lines = text.split('\n');
    expect(lines[0]).toBe(`Name:             ${example}`);
    expect(lines).toContain('Status:           Pending');
    expect(lines).toContain('    State:          Waiting');
    expect(lines).toContain('      Reason:       ContainerCreating');
    expect(lines).toContain('    Restart Count:  0');
    expect(lines).toContain(`Controlled By:    ReplicaSet/${d.controlledBy!.split('/')[1]}`);
    expect(lines).toContain('Labels:           app=inflate');
    expect(lines).toContain(`                  pod-template-hash=${d.controlledBy!.split('/')[1].slice('inflate-'.length)}`);
    expect(lines).toContain('Start Time:       Wed, 01 Jan 2025 00:02:00 +0000');
    expect(lines).toContain('  PodReadyToStartContainers   False ');
    const ev = lines.indexOf('Events:');
    const why = lines.indexOf('Why it is not Running:');
    expect(ev).toBeGreaterThan(0);
    expect(lines[ev + 1]).toMatch(/^ {2}Type {5}Reason {18}Age {2,}From {2,}Message$/);
    expect(why).toBeGreaterThan(ev);
    expect(lines[lines.length - 1]).toBe('  → cause: subnet empty');
  });

  it('--describe stuck groups every pod not Running by cause with one example chain', () => {
    const total = stuck.groups.reduce((a, g) => a + g.pods.length, 0);
    expect(total).toBe(r.pods.filter((p) => p.phase !== 'Running' && p.phase !== 'Terminating').length);
    expect(stuck.groups.map((g) => g.cause)).toEqual(['subnet empty']);
    const text = describeText(stuck, r.time)!;
    expect(text.split('\n')[0]).toBe(`Pods not Running at 4m30s: ${total}, by cause`);
    expect(text).toContain(`${total} ContainerCreating — subnet empty: `);
    expect(text).toContain('  → cause: subnet empty');
  });

  it('a deployment prefix finds the Deployment; its replicas add up', () => {
    const v = r.views[1];
    if (v.kind !== 'describe-deployment') throw new Error(v.kind);
    expect(v.deployment.name).toBe('inflate');
    const rep = v.deployment.replicas;
    expect(rep.desired).toBe(50);
    expect(rep.available + rep.unavailable).toBe(rep.total);
    const text = describeText(v, r.time)!;
    expect(text).toContain(`Replicas:               50 desired | 50 updated | 50 total | ${rep.available} available | ${rep.unavailable} unavailable`);
    expect(text).toContain('  Available      False   MinimumReplicasUnavailable');
  });

  it('a node by short name shows capacity, addresses, its pods and the ENIs ipamd holds', () => {
    const v = r.views[2];
    if (v.kind !== 'describe-node') throw new Error(v.kind);
    const node = r.nodes.find((n) => n.name === v.node.name)!;
    const text = describeText(v, r.time)!;
    expect(text).toContain(`  InternalIP:   ${node.privateIp}`);
    expect(text).toContain(`ProviderID:           aws:///${node.az}/${node.instanceId}`);
    expect(text).toContain(`Non-terminated Pods:  (${r.pods.filter((p) => p.node === node.name && p.phase !== 'Terminating').length} in total)`);
    for (const e of node.enis) expect(text).toMatch(new RegExp(`device ${e.deviceIndex}\\s+${e.id}\\s+${e.subnet}\\s+${e.primaryIp.replace(/\./g, '\\.')}`));
  });

  it('names that match nothing, or a node prefix that matches two, are one-line input errors', () => {
    const run = (views: NonNullable<Parameters<typeof runReport>[1]>['views']) => () => runReport(loadScenario(INFLATE), { until: 60_000, views });
    expect(run([{ kind: 'describe', resource: 'pod', name: 'corednz-x' }])).toThrow(InputError);
    expect(run([{ kind: 'describe', resource: 'deployment', name: 'corednz' }])).toThrow(/no deployment named "corednz" at the end of the run \(did you mean "coredns"\?\)/);
    expect(run([{ kind: 'metrics', node: 'ip-10-0-0' }])).toThrow(/--metrics: "ip-10-0-0" matches 2 nodes/);
  });
});

describe('describe pod in other states', () => {
  it('a Running pod shows State: Running with Started, and all conditions True', () => {
    const r = runReport(loadScenario(INFLATE), { until: 60_000, views: [{ kind: 'describe', resource: 'pod', name: 'coredns-' }] });
    expect(r.views.length).toBe(2); // a prefix describes every pod it matches, as kubectl describe does
    const text = describeText(r.views[0], r.time)!;
    expect(text).toContain('Status:           Running');
    expect(text).toContain('    State:          Running');
    expect(text).toMatch(/^ {6}Started: {6}Wed, 01 Jan 2025 00:00:\d\d \+0000$/m);
    expect(text).toContain('  Ready                       True ');
    expect(text).not.toContain('Why it is not Running');
  });
  it('an unscheduled pod has no container state, PodScheduled False and Node <none>', () => {
    const s = loadScenario('scenarios/private-endpoint-unreachable.yaml');
    const r = runReport(s, { until: 180_000, views: [{ kind: 'describe-stuck' }] });
    const v = r.views[0];
    if (v.kind !== 'describe-stuck') throw new Error(v.kind);
    const name = v.groups.find((g) => g.status === 'Pending')!.example.pod;
    const pr = runReport(loadScenario('scenarios/private-endpoint-unreachable.yaml'), { until: 180_000, views: [{ kind: 'describe', resource: 'pod', name }] });
    const text = describeText(pr.views[0], pr.time)!;
    expect(text).toContain('Node:             <none>');
    expect(text).toContain('Status:           Pending');
    expect(text).not.toContain('State:');
    expect(text).toMatch(/^ {2}PodScheduled +False $/m);
    expect(text).toContain('Why it is not Running:');
  });
});

describe('the pod table', () => {
  it('has RESTARTS and AGE in kubectl format', () => {
    const r = runReport(loadScenario(INFLATE), { until: 620_000 - 20_000 });
    const text = renderText(r);
    expect(text).toMatch(/^NAMESPACE +NAME +READY +STATUS +RESTARTS +AGE +IP +NODE$/m);
    // inflate pods were created at 2m: at 10m they are 8m old, which kubectl prints as "8m", not "8m0s"
    expect(text).toMatch(/^default +inflate-\S+ +1\/1 +Running +0 +8m +10\.\S+ +ip-/m);
    expect(text).not.toMatch(/ 8m0s /);
  });

  it('shows an aws-node restart as kubectl does, "1 (9m1s ago)", at the top of a cut table', () => {
    const r = runReport(loadScenario('scenarios/rolling-node-replacement.yaml'));
    const restarted = r.pods.filter((p) => (p.restarts ?? 0) > 0);
    expect(restarted.length).toBeGreaterThan(0);
    const p = restarted[0];
    const text = renderText(r);
    const table = text.slice(text.indexOf('== Pods'));
    const row = table.split('\n')[3];
    expect(row).toMatch(new RegExp(`^kube-system +${p.name} +1/1 +Running +${p.restarts} \\(${humanDuration(r.time - p.lastRestartAt!)} ago\\) +`));
  });
});
