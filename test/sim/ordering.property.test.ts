/**
 * Property: whatever timers are scheduled (from outside or from inside running timers, including zero delays) and
 * whichever are cancelled, every live timer runs exactly once, at its due time, in sorted (time, seq) order; and
 * running in `until` slices changes nothing.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation, type Timer } from '../../src/sim/index.ts';

/** What a timer does when it runs: schedule children (delay) and cancel some pending timers (index into the list). */
interface Action {
  delay: number;
  children: Array<{ delay: number }>;
  cancels: number[];
}

const delayArb = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 200 }));
const actionArb: fc.Arbitrary<Action> = fc.record({
  delay: delayArb,
  children: fc.array(fc.record({ delay: delayArb }), { maxLength: 3 }),
  cancels: fc.array(fc.nat({ max: 1000 }), { maxLength: 2 }),
});
const planArb: fc.Arbitrary<Plan> = fc.record({
  initial: fc.array(actionArb, { minLength: 1, maxLength: 40 }),
  cancelUpFront: fc.array(fc.nat({ max: 1000 }), { maxLength: 10 }),
  slices: fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 5 }),
});

interface Plan {
  initial: Action[];
  cancelUpFront: number[];
  slices: number[];
}

interface Outcome {
  ran: Array<{ id: number; time: number; seq: number; at: number }>;
  scheduled: Timer[];
  cancelledBeforeRun: Set<number>;
}

function execute(plan: Plan, useSlices: boolean): Outcome {
  const sim = new Simulation(1);
  const scheduled: Timer[] = [];
  const done = new Set<number>();
  const cancelledBeforeRun = new Set<number>();
  const ran: Outcome['ran'] = [];
  let budget = 400; // bounds the total number of timers

  const cancel = (k: number): void => {
    if (scheduled.length === 0) return;
    const idx = k % scheduled.length;
    if (!done.has(idx)) cancelledBeforeRun.add(idx);
    scheduled[idx].cancel();
  };
  const add = (a: Action): void => {
    if (budget-- <= 0) return;
    const id = scheduled.length;
    const t = sim.schedule(a.delay, () => {
      done.add(id);
      ran.push({ id, time: t.time, seq: t.seq, at: sim.now });
      for (const c of a.children) add({ delay: c.delay, children: [], cancels: [] });
      for (const k of a.cancels) cancel(k);
    });
    scheduled.push(t);
  };

  for (const a of plan.initial) add(a);
  for (const k of plan.cancelUpFront) cancel(k);
  if (useSlices) for (const until of [...plan.slices].sort((x, y) => x - y)) sim.run({ until });
  sim.run();
  return { ran, scheduled, cancelledBeforeRun };
}

describe('timer ordering property', () => {
  it('every live timer runs exactly once, at its time, in (time, seq) order', () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const { ran, scheduled, cancelledBeforeRun } = execute(plan, false);
        // exactly once, and exactly the ones not cancelled before they ran
        const ids = ran.map((r) => r.id);
        expect(new Set(ids).size).toBe(ids.length);
        const expected = scheduled.map((_, i) => i).filter((i) => !cancelledBeforeRun.has(i));
        expect([...ids].sort((a, b) => a - b)).toEqual(expected);
        // at its due time, in sorted (time, seq) order
        for (let i = 0; i < ran.length; i++) {
          expect(ran[i].at).toBe(ran[i].time);
          if (i > 0) {
            const p = ran[i - 1];
            const c = ran[i];
            expect(p.time < c.time || (p.time === c.time && p.seq < c.seq)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('running in until-slices gives the same order as one run', () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const whole = execute(plan, false).ran.map((r) => r.id);
        const sliced = execute(plan, true).ran.map((r) => r.id);
        expect(sliced).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });
});
