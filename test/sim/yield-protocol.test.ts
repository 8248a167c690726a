/**
 * `sleep` and `wait` are one-step iterators, not generators (src/sim/process.ts). Under any sequence of
 * next / return / throw they must behave exactly like the generators they stand for:
 *   sleep(ms)  ≡ function* () { yield ms; }
 *   wait(ev)   ≡ function* () { return yield ev; }
 * and inside a process `yield*` over them must behave like `yield*` over those generators.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation, sleep, wait, type Proc, type SimEvent } from '../../src/sim/index.ts';

function* sleepGen(ms: number): Proc<void> {
  yield ms;
}
function* waitGen<T>(ev: SimEvent<T>): Proc<T> {
  return (yield ev as SimEvent<unknown>) as T;
}

type Op = { kind: 'next' | 'return' | 'throw'; v: number };
const opArb: fc.Arbitrary<Op> = fc.record({ kind: fc.constantFrom('next' as const, 'return' as const, 'throw' as const), v: fc.integer() });

function drive(it: Proc<unknown>, ops: Op[]): unknown[] {
  const out: unknown[] = [];
  for (const o of ops) {
    try {
      const r = o.kind === 'next' ? it.next(o.v) : o.kind === 'return' ? it.return(o.v) : it.throw(new Error(`e${o.v}`));
      out.push({ value: r.value, done: r.done }); // copy: the result object may be reused
    } catch (e) {
      out.push({ threw: (e as Error).message });
    }
  }
  return out;
}

describe('sleep / wait iterator protocol', () => {
  it('sleep behaves like function* () { yield ms } under any next / return / throw sequence', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.array(opArb, { maxLength: 6 }), (ms, ops) => {
        expect(drive(sleep(ms), ops)).toEqual(drive(sleepGen(ms), ops));
      }),
    );
  });

  it('wait behaves like function* () { return yield ev } under any next / return / throw sequence', () => {
    const ev = new Simulation().event<number>();
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 6 }), (ops) => {
        expect(drive(wait(ev), ops)).toEqual(drive(waitGen(ev), ops));
      }),
    );
  });

  it('inside a process, yield* over them is indistinguishable from yield* over the generators', () => {
    const run = (useGenerators: boolean): string[] => {
      const sim = new Simulation(9);
      const s = useGenerators ? sleepGen : sleep;
      const w = useGenerators ? waitGen : wait;
      const log: string[] = [];
      const ev = sim.event<string>();
      const victim = sim.spawn('victim', (function* (): Proc {
        try {
          yield* s(50);
          log.push('victim woke');
        } finally {
          log.push(`victim finally@${sim.now}`);
        }
      })());
      sim.spawn('a', (function* (): Proc {
        yield* s(3);
        const v = yield* w(ev);
        log.push(`a got ${v}@${sim.now}`);
        const again = yield* w(ev); // already triggered
        log.push(`a again ${again}@${sim.now}`);
      })());
      sim.spawn('b', (function* (): Proc {
        yield* s(7);
        ev.succeed('x');
        log.push(`b fired@${sim.now}`);
        yield* s(1);
        victim.kill();
        log.push(`b killed victim@${sim.now}`);
      })());
      sim.run();
      return log;
    };
    const generators = run(true);
    expect(run(false)).toEqual(generators);
    expect(generators).toEqual([
      'b fired@7',
      'a got x@7',
      'a again x@7',
      'victim finally@8',
      'b killed victim@8',
    ]);
  });
});
