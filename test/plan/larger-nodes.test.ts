/**
 * The `larger-nodes` what-if: the next larger type of a family by the model's tables, and the altered scenario — the
 * group's type, its running nodes' types, max pods — checked by loading it and building a World from it, on the
 * walkthrough's cluster (as `existing:` and as a timeline) and on generated clusters.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { bigClusterYaml } from '../../bench/plan-cluster.ts';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import { findInstanceType, instanceTypeNames } from '../../src/model/ec2/instance-types.ts';
import { computeMaxPods, parseCniVersion } from '../../src/model/max-pods.ts';
import { checkExisting, existingContext } from '../../src/model/world/existing-check.ts';
import type { World } from '../../src/model/world.ts';
import type { Change } from '../../src/plan/change.ts';
import { largerType, maxPodsOf } from '../../src/plan/larger-type.ts';
import { worldBeforeChange } from '../../src/plan/simulate.ts';
import { whatIfs, type WhatIf } from '../../src/plan/what-ifs.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import type { Scenario } from '../../src/scenario/types.ts';

const add10: Change = { target: { kind: 'add-pods' }, n: 10, addNodes: 0 };
const tableMaxPods = (name: string) => computeMaxPods(findInstanceType(name)!).maxPods;

function larger(s: Scenario): { w: WhatIf; before: World } {
  const before = worldBeforeChange(s, s.seed);
  const w = whatIfs(s, { world: before, change: add10, stuck: 5, subnetPrefix: 19 }).find((x) => x.key === 'larger-nodes')!;
  return { w, before };
}

function altered(w: WhatIf): Scenario {
  if ('unavailable' in w) throw new Error(`unavailable: ${w.unavailable}`);
  return w.scenario;
}

/** The registered nodes of a World built from `s`, by name: type and max pods. */
function nodesOf(s: Scenario): Map<string, { type: string; maxPods: number }> {
  const world = worldBeforeChange(s, s.seed);
  return new Map(world.nodes().filter((n) => n.registered).map((n) => [n.name, { type: n.instanceType, maxPods: n.maxPods }]));
}

/** `text` (a scenario file) with the what-if's instance types and max pods written into it, loaded again. */
function reloaded(text: string, file: string, out: Scenario): Scenario {
  const doc = parse(text) as { nodeGroups: Record<string, unknown>[]; existing?: { nodes: Record<string, unknown>[] } };
  doc.nodeGroups.forEach((g, i) => {
    g.instanceType = out.nodeGroups[i].instanceType;
    if (out.nodeGroups[i].maxPods !== undefined) g.maxPods = out.nodeGroups[i].maxPods;
  });
  doc.existing?.nodes.forEach((n, i) => {
    n.instanceType = out.existing!.nodes[i].instanceType;
    if (out.existing!.nodes[i].maxPods !== undefined) n.maxPods = out.existing!.nodes[i].maxPods;
  });
  return loadScenarioText(stringify(doc), file);
}

describe('the next larger type of a family', () => {
  const off = { prefixDelegation: false };

  it('is the next size up when it has more max pods: m6a.large → m6a.xlarge, m5.large → m5.xlarge', () => {
    expect(largerType('m6a.large', off)).toMatchObject({ type: { name: 'm6a.xlarge' }, maxPods: tableMaxPods('m6a.xlarge'), fromMaxPods: tableMaxPods('m6a.large') });
    expect(largerType('m5.large', off)).toMatchObject({ type: { name: 'm5.xlarge' } });
  });

  it('skips a size with no more max pods: m5.2xlarge has m5.xlarge\'s 4 ENIs × 15, so m5.xlarge → m5.4xlarge', () => {
    expect(tableMaxPods('m5.2xlarge')).toBe(tableMaxPods('m5.xlarge'));
    expect(largerType('m5.xlarge', off)).toMatchObject({ type: { name: 'm5.4xlarge' }, maxPods: tableMaxPods('m5.4xlarge') });
  });

  it('skips sizes with no more max pods: with prefix delegation m5.large and m5.xlarge are both capped at 110 (≤ 30 vCPUs)', () => {
    const pd = { prefixDelegation: true, cniVersion: parseCniVersion('1.18.0')! };
    const r = largerType('m5.large', pd);
    if ('none' in r) throw new Error(r.none);
    expect(r.fromMaxPods).toBe(110);
    expect(r.maxPods).toBeGreaterThan(110);
    expect(maxPodsOf(findInstanceType('m5.xlarge')!, pd)).toBe(110);
  });

  it('has none beyond the largest: t3.2xlarge (t3.xlarge has the same limits)', () => {
    const r = largerType('t3.2xlarge', off);
    expect(r).toHaveProperty('none');
    expect((r as { none: string }).none).toMatch(/^no t3 type has more max pods than t3\.2xlarge/);
  });

  it('keeps the family and every limit, for every type in the table', () => {
    for (const name of instanceTypeNames) {
      const r = largerType(name, off);
      if ('none' in r) continue;
      const from = findInstanceType(name)!;
      expect(r.type.name.split('.')[0]).toBe(name.split('.')[0]);
      expect(r.type.enis).toBeGreaterThanOrEqual(from.enis);
      expect(r.type.ipv4PerEni).toBeGreaterThanOrEqual(from.ipv4PerEni);
      expect(r.maxPods).toBeGreaterThan(r.fromMaxPods);
    }
  });
});

describe('larger-nodes on the walkthrough\'s existing state (m6a.large → m6a.xlarge)', () => {
  const file = 'scenarios/inflate-existing.yaml';
  const s = loadScenario(file);
  const { w, before } = larger(s);
  const out = altered(w);

  it('follows more-nodes in the what-ifs, with eksctl commands and a note', () => {
    const keys = whatIfs(s, { world: before, change: add10, stuck: 5, subnetPrefix: 19 }).map((x) => x.key);
    expect(keys.indexOf('larger-nodes')).toBe(keys.indexOf('more-nodes') + 1);
    expect(w.title).toBe('ng-1 on m6a.xlarge instead of m6a.large');
    const changes = 'changes' in w ? w.changes : [];
    expect(changes[0]).toMatch(/^eksctl create nodegroup --cluster esd-demo --name ng-1-xlarge --node-type m6a\.xlarge --nodes 2\b/);
    expect(changes[1]).toBe('eksctl delete nodegroup --cluster esd-demo --name ng-1 --drain');
    expect(changes[2]).toContain(`pods in place (max pods ${tableMaxPods('m6a.xlarge')}, was ${tableMaxPods('m6a.large')})`);
  });

  it('changes the group and every running node of it, and nothing else', () => {
    expect(out.nodeGroups.map((g) => g.instanceType)).toEqual(['m6a.xlarge']);
    expect(out.existing!.nodes.map((n) => n.instanceType)).toEqual(s.existing!.nodes.map(() => 'm6a.xlarge'));
    expect(out.existing!.nodes.map((n) => n.enis)).toEqual(s.existing!.nodes.map((n) => n.enis));
    expect(out.existing!.pods).toEqual(s.existing!.pods);
    expect(s.nodeGroups[0].instanceType).toBe('m6a.large');
  });

  it('loads again and builds a World whose nodes are the same nodes with the new type\'s max pods, pods in place', () => {
    const text = reloaded(readFileSync(file, 'utf8'), file, out);
    expect(text.existing!.nodes.map((n) => n.instanceType)).toEqual(['m6a.xlarge', 'm6a.xlarge']);
    const nodes = nodesOf(out);
    expect([...nodes.keys()].sort()).toEqual(s.existing!.nodes.map((n) => n.name).sort());
    for (const n of nodes.values()) expect(n).toEqual({ type: 'm6a.xlarge', maxPods: tableMaxPods('m6a.xlarge') });
    const world = worldBeforeChange(out, 1);
    for (const p of s.existing!.pods ?? []) expect(world.pods().find((x) => x.name === p.name)?.ip).toBe(p.ip);
  });
});

describe('larger-nodes on the walkthrough built by its timeline (no existing:)', () => {
  const s = loadScenario('test/plan/fixtures/walkthrough-before.yaml');
  const out = altered(larger(s).w);

  it('the group launches m6a.xlarge nodes from the start', () => {
    expect(out.nodeGroups[0].instanceType).toBe('m6a.xlarge');
    const nodes = [...nodesOf(out).values()];
    expect(nodes.length).toBe(s.nodeGroups[0].desiredCapacity);
    for (const n of nodes) expect(n).toEqual({ type: 'm6a.xlarge', maxPods: tableMaxPods('m6a.xlarge') });
  });
});

describe('larger-nodes on generated clusters', () => {
  type Doc = { nodeGroups: Record<string, unknown>[]; existing: { nodes: Record<string, unknown>[] & { enis: Record<string, unknown>[] }[] } };
  const generated = (edit: (d: Doc) => void) => {
    const d = parse(bigClusterYaml(3, 5)) as Doc;
    edit(d);
    return loadScenarioText(stringify(d), 'generated.yaml');
  };

  it('m5.xlarge → m5.4xlarge: the group\'s and a node\'s own max pods become the new type\'s, and the checker accepts it', () => {
    const s = generated((d) => {
      d.nodeGroups[0].maxPods = 50;
      d.existing.nodes[1].maxPods = 40;
    });
    const { w, before } = larger(s);
    const out = altered(w);
    const want = tableMaxPods('m5.4xlarge');
    expect(w.title).toBe('ng-1 on m5.4xlarge instead of m5.xlarge');
    const changes = 'changes' in w ? w.changes : [];
    expect(changes).toContain(`node group ng-1: its own --max-pods 50 becomes m5.4xlarge's ${want}`);
    expect(changes.some((c) => c.startsWith('1 running node with a --max-pods of their own'))).toBe(true);
    expect(out.nodeGroups[0].maxPods).toBe(want);
    expect(out.existing!.nodes.map((n) => [n.instanceType, n.maxPods])).toEqual([['m5.4xlarge', undefined], ['m5.4xlarge', want], ['m5.4xlarge', undefined]]);
    const ctx = existingContext(out, (name) => {
      const x = before.ec2.state.subnets.get(before.resolveSubnet(name) ?? '');
      return x === undefined ? undefined : { key: x.id, cidr: x.cidr, az: x.availabilityZone };
    });
    expect(checkExisting(out.existing!, ctx)).toBeUndefined();
    for (const n of nodesOf(out).values()) expect(n).toEqual({ type: 'm5.4xlarge', maxPods: want });
  });

  it('is unavailable for a type with no larger sibling (t3.2xlarge)', () => {
    const s = generated((d) => {
      d.nodeGroups[0].instanceType = 't3.2xlarge';
      for (const n of d.existing.nodes) n.instanceType = 't3.2xlarge';
    });
    const { w } = larger(s);
    expect(w).toMatchObject({ key: 'larger-nodes', unavailable: expect.stringMatching(/^no t3 type has more max pods than t3\.2xlarge/) });
  });

  it('is unavailable when a running node\'s addresses do not fit the new type (an m5.16xlarge in the m5.xlarge group)', () => {
    const s = generated((d) => {
      const n = d.existing.nodes[0];
      n.instanceType = 'm5.16xlarge';
      const eni = n.enis[0] as { primaryIp: string; secondaryIps: string[] };
      // the generator leaves the addresses after node 0's free in its subnet (node 3 would take them)
      const last = eni.secondaryIps.at(-1)!.split('.').map(Number);
      for (let k = 1; k <= 20; k++) eni.secondaryIps.push([...last.slice(0, 3), last[3] + k].join('.'));
    });
    const { w } = larger(s);
    expect(w).toMatchObject({ unavailable: expect.stringMatching(/^3 running nodes as m5\.4xlarge: existing\.nodes\.0\.enis\.0: 34 secondary IPs .* at most 29/) });
  });
});
