import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SchedNodeIndex } from '../../src/model/k8s/sched-index.ts';
import { assume, charge, schedulePod, type SchedNode, type SchedPod } from '../../src/model/k8s/scheduler.ts';

const arbNode = (withAllocatable: boolean) =>
  fc.record({
    maxPods: fc.integer({ min: 0, max: 24 }),
    pods: fc.integer({ min: 0, max: 20 }),
    ready: fc.integer({ min: 0, max: 5 }).map((x) => x > 0),
    unschedulable: fc.integer({ min: 0, max: 5 }).map((x) => x === 0),
    zone: fc.constantFrom('a', 'b'),
    cpu: withAllocatable ? fc.option(fc.integer({ min: 0, max: 4000 }), { nil: undefined }) : fc.constant(undefined),
  });

const arbPod = fc.record({
  zone: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
  cpuMilli: fc.integer({ min: 0, max: 1500 }),
});

/** One step: schedule a pod, a pod on the i-th node goes, or the i-th node is cordoned / uncordoned / flips readiness. */
const arbStep = fc.oneof(
  { weight: 4, arbitrary: arbPod.map((p) => ({ kind: 'schedule' as const, pod: p })) },
  { weight: 2, arbitrary: fc.nat().map((i) => ({ kind: 'gone' as const, i })) },
  { weight: 1, arbitrary: fc.nat().map((i) => ({ kind: 'cordon' as const, i })) },
  { weight: 1, arbitrary: fc.nat().map((i) => ({ kind: 'ready' as const, i })) },
);

function build(specs: { maxPods: number; pods: number; ready: boolean; unschedulable: boolean; zone: string; cpu: number | undefined }[], names: string[]): SchedNode[] {
  return specs.map((s, i) => ({
    name: names[i],
    ready: s.ready,
    unschedulable: s.unschedulable,
    labels: { zone: s.zone },
    maxPods: s.maxPods,
    pods: s.pods,
    allocatable: s.cpu === undefined ? undefined : { cpuMilli: s.cpu, memoryBytes: 2 ** 34 },
    requested: { cpuMilli: 0, memoryBytes: 0 },
    nonZeroRequested: { cpuMilli: 100 * s.pods, memoryBytes: 200 * 2 ** 20 * s.pods },
  }));
}

const schedPod = (p: { zone: string | undefined; cpuMilli: number }): SchedPod => ({
  nodeSelector: p.zone === undefined ? {} : { zone: p.zone },
  requests: { cpuMilli: p.cpuMilli, memoryBytes: 0 },
});

describe('SchedNodeIndex', () => {
  for (const withAllocatable of [false, true]) {
    it(`picks what schedulePod picks, as pods come and go${withAllocatable ? ' (some nodes state allocatable)' : ''} (property)`, () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.stringMatching(/^[a-z]{1,4}$/), { minLength: 1, maxLength: 70, size: 'max' }),
          fc.array(arbNode(withAllocatable), { minLength: 70, maxLength: 70 }),
          fc.array(arbStep, { maxLength: 80, size: 'max' }),
          (names, specs, steps) => {
            const nodes = build(specs.slice(0, names.length), names);
            const index = new SchedNodeIndex<SchedNode>();
            index.reset([...nodes].sort((a, b) => (a.name < b.name ? -1 : 1)));
            expect(index.size).toBe(nodes.length);
            for (const step of steps) {
              if (step.kind === 'schedule') {
                const pod = schedPod(step.pod);
                const want = schedulePod(pod, nodes);
                const got = index.pick(pod);
                if (!want.ok) {
                  expect(got).toBeUndefined();
                  expect(index.unschedulableMessage(pod)).toBe(want.message);
                  continue;
                }
                expect(got?.name).toBe(want.node);
                assume(pod, got!);
                index.podsChanged(got!);
                continue;
              }
              const n = nodes[step.i % Math.max(1, nodes.length)];
              if (n === undefined) continue;
              if (step.kind === 'gone' && n.pods > 0) {
                charge(n, { cpuMilli: 0, memoryBytes: 0 }, -1);
                index.podsChanged(n);
              }
              if (step.kind === 'cordon') n.unschedulable = !n.unschedulable;
              if (step.kind === 'ready') n.ready = !n.ready;
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  }

  it('explains a pod that fits nowhere over every node in name order', () => {
    const [a, b] = build(
      [
        { maxPods: 1, pods: 1, ready: true, unschedulable: false, zone: 'a', cpu: undefined },
        { maxPods: 5, pods: 0, ready: false, unschedulable: false, zone: 'a', cpu: undefined },
      ],
      ['a', 'b'],
    );
    const index = new SchedNodeIndex<SchedNode>();
    index.reset([a, b]);
    const pod = schedPod({ zone: undefined, cpuMilli: 0 });
    expect(index.pick(pod)).toBeUndefined();
    const want = schedulePod(pod, [a, b]);
    expect(!want.ok && index.unschedulableMessage(pod)).toBe(!want.ok && want.message);
    expect(index.unschedulableMessage(pod)).toMatch(/^0\/2 nodes are available: 1 Too many pods, 1 node\(s\) had untolerated taint/);
  });

  it('ignores nodes it was not given', () => {
    const [a, b] = build(
      [
        { maxPods: 5, pods: 0, ready: true, unschedulable: false, zone: 'a', cpu: undefined },
        { maxPods: 5, pods: 0, ready: true, unschedulable: false, zone: 'a', cpu: undefined },
      ],
      ['a', 'b'],
    );
    const index = new SchedNodeIndex<SchedNode>();
    index.reset([b]);
    a.pods = 3;
    index.podsChanged(a);
    expect(index.pick(schedPod({ zone: undefined, cpuMilli: 0 }))).toBe(b);
  });
});
