/**
 * The run record's size bounds: pods, address slots and timeline lines (recorder.ts DETAIL_BUDGET) — past it none is
 * recorded and the record says from when; up to then it is the same record as an unbounded one — and the node sample
 * (NODE_SAMPLE): pods and slots of the first nodes only. The parts kept whole (nodes, ENIs, subnets, EC2 counts,
 * decisions) go on to the end unchanged.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import { stateAt } from '../../src/report/record/fold.ts';
import { RunRecorder, type RecordBounds } from '../../src/report/record/recorder.ts';
import type { RunRecord } from '../../src/report/record/types.ts';
import { runScenario } from '../../src/scenario/runner.ts';

const FILE = 'scenarios/inflate-exhaustion.yaml';

function record(bounds: RecordBounds): RunRecord {
  const s = loadScenario(FILE);
  let rec: RunRecorder | undefined;
  const run = runScenario(s, { observe: (w) => (rec = new RunRecorder(w, s, bounds)) });
  return rec!.finish(run.actions, run.expectations);
}

/** Pods by name with their state at t. */
function podsAt(r: RunRecord, t: number): string[] {
  return [...stateAt(r, t).pods.values()].map((p) => `${r.pods[p.pod].namespace}/${r.pods[p.pod].name} ${p.phase} ${p.ip} ${p.node} ${p.cause} ${p.ready}`).sort();
}

describe('the record bounds its pods, slots and timeline lines', () => {
  const whole = record({});
  const bounded = record({ detailBudget: 40_000 });

  it('stops them at the bound and says when', () => {
    expect(whole.detailStopped).toBeUndefined();
    const stop = bounded.detailStopped!;
    expect(stop).toBeGreaterThan(0);
    expect(stop).toBeLessThan(bounded.end);
    expect(bounded.changes.pods.every((c) => c[0] <= stop)).toBe(true);
    expect(bounded.changes.slots.every((c) => c[0] <= stop)).toBe(true);
    expect(bounded.happenings.every((c) => c[0] <= stop)).toBe(true);
    expect(JSON.stringify(bounded).length).toBeLessThan(JSON.stringify(whole).length);
  });

  it('is the unbounded record up to the bound, and holds its last state after it', () => {
    const stop = bounded.detailStopped!;
    for (const t of [0, Math.floor(stop / 2), stop]) expect(podsAt(bounded, t), `pods at ${t} ms`).toEqual(podsAt(whole, t));
    expect(podsAt(bounded, bounded.end)).toEqual(podsAt(bounded, stop));
    expect(podsAt(bounded, bounded.end)).not.toEqual(podsAt(whole, whole.end));
  });

  it('keeps nodes, ENIs, subnets, EC2 counts and decisions whole', () => {
    expect(bounded.changes.nodes).toEqual(whole.changes.nodes);
    expect(bounded.changes.enis).toEqual(whole.changes.enis);
    expect(bounded.changes.subnets).toEqual(whole.changes.subnets);
    expect(bounded.changes.ec2).toEqual(whole.changes.ec2);
    expect(bounded.decisions).toEqual(whole.decisions);
  });
});

describe('the record follows the pods and slots of a sample of nodes', () => {
  const whole = record({});
  const sampled = record({ nodeSample: 1 });
  const outside = sampled.nodes.filter((n) => n.sampled === false).map((n) => n.name);
  const inside = sampled.nodes.filter((n) => n.sampled !== false).map((n) => n.name);

  it('marks the nodes outside the sample, and records no pod or slot on them', () => {
    expect(inside.length).toBe(1);
    expect(outside.length).toBe(1);
    const out = sampled.nodes.findIndex((n) => n.sampled === false);
    expect(sampled.changes.slots.some((c) => c[1] === out)).toBe(false);
    expect(sampled.changes.pods.some((c) => c[4] === outside[0])).toBe(false);
    expect(sampled.changes.slots.length).toBeGreaterThan(0);
  });

  it('shows the same pods on the sampled node as the whole record, and every node as the whole record does', () => {
    const on = (r: RunRecord, t: number, node: string) => podsAt(r, t).filter((p) => p.split(' ')[3] === node);
    for (const t of [125_000, 270_000, 600_000]) expect(on(sampled, t, inside[0]), `pods on ${inside[0]} at ${t} ms`).toEqual(on(whole, t, inside[0]));
    const names = (r: RunRecord, rows: { 1: number }[]) => rows.map((c) => r.nodes[c[1]].name);
    expect(sampled.changes.nodes.map((c) => [c[0], sampled.nodes[c[1]].name, c[2]])).toEqual(whole.changes.nodes.map((c) => [c[0], whole.nodes[c[1]].name, c[2]]));
    expect(names(sampled, sampled.changes.enis)).toEqual(names(whole, whole.changes.enis));
    expect(sampled.changes.subnets).toEqual(whole.changes.subnets);
  });
});
