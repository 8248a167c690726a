/**
 * The engine's core contract (src/sim): timers run in (time, sequence) order with equal-time FIFO, cancellation,
 * integer-millisecond time, and the run controls until / stopWhen / maxEvents / stop.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/index.ts';

describe('ordering', () => {
  it('runs timers by time, then by scheduling order', () => {
    const sim = new Simulation();
    const log: string[] = [];
    sim.schedule(30, () => log.push('c@30'));
    sim.schedule(10, () => log.push('a@10'));
    sim.schedule(20, () => log.push('b@20'));
    sim.schedule(10, () => log.push('a2@10'));
    sim.run();
    expect(log).toEqual(['a@10', 'a2@10', 'b@20', 'c@30']);
    expect(sim.now).toBe(30);
  });

  it('equal-time timers run first in, first out (1,000 of them)', () => {
    const sim = new Simulation();
    const log: number[] = [];
    for (let i = 0; i < 1000; i++) sim.schedule(5, () => log.push(i));
    sim.run();
    expect(log).toEqual([...Array(1000).keys()]);
  });

  it('a zero-delay timer scheduled while running goes after what is already due now', () => {
    const sim = new Simulation();
    const log: string[] = [];
    sim.schedule(10, () => {
      log.push('first');
      sim.schedule(0, () => log.push('zero-delay from first'));
    });
    sim.schedule(10, () => log.push('second'));
    sim.schedule(0, () => log.push('at 0'));
    sim.run();
    expect(log).toEqual(['at 0', 'first', 'second', 'zero-delay from first']);
  });

  it('time is integer milliseconds: delays are rounded, never in the past', () => {
    const sim = new Simulation();
    const times: number[] = [];
    sim.schedule(1.4, () => times.push(sim.now));
    sim.schedule(1.6, () => times.push(sim.now));
    sim.schedule(-5, () => times.push(sim.now));
    sim.run();
    expect(times).toEqual([0, 1, 2]);
    sim.scheduleAt(1, () => times.push(sim.now)); // in the past: runs now
    sim.scheduleAt(7, () => times.push(sim.now));
    sim.run();
    expect(times).toEqual([0, 1, 2, 2, 7]);
  });

  it('timeout() is an event that succeeds after the delay', () => {
    const sim = new Simulation();
    const ev = sim.timeout(25, 'done');
    let got: string | undefined;
    ev.then((v) => (got = `${v}@${sim.now}`));
    sim.run({ until: 24 });
    expect(ev.triggered).toBe(false);
    sim.run();
    expect(got).toBe('done@25');
  });
});

describe('cancellation', () => {
  it('a cancelled timer never runs and is not counted', () => {
    const sim = new Simulation();
    const log: string[] = [];
    const t = sim.schedule(10, () => log.push('cancelled'));
    sim.schedule(20, () => log.push('kept'));
    t.cancel();
    t.cancel(); // twice is harmless
    sim.run();
    expect(log).toEqual(['kept']);
    expect(sim.eventCount).toBe(1);
  });

  it('cancelling after the run, or from an earlier timer at the same time, is harmless / effective', () => {
    const sim = new Simulation();
    const log: string[] = [];
    let later: ReturnType<Simulation['schedule']> | undefined;
    const first = sim.schedule(5, () => {
      log.push('first');
      later!.cancel();
    });
    later = sim.schedule(5, () => log.push('later'));
    sim.run();
    first.cancel();
    expect(log).toEqual(['first']);
  });

  it('peek() skips cancelled timers', () => {
    const sim = new Simulation();
    sim.schedule(3, () => {}).cancel();
    sim.schedule(0, () => {}).cancel();
    sim.schedule(8, () => {});
    expect(sim.peek()).toBe(8);
    sim.schedule(0, () => {});
    expect(sim.peek()).toBe(0);
  });

  it('step() processes exactly one live event', () => {
    const sim = new Simulation();
    const log: number[] = [];
    sim.schedule(1, () => log.push(1)).cancel();
    sim.schedule(2, () => log.push(2));
    sim.schedule(3, () => log.push(3));
    expect(sim.step()).toBe(true);
    expect(log).toEqual([2]);
    expect(sim.now).toBe(2);
    expect(sim.step()).toBe(true);
    expect(sim.step()).toBe(false);
    expect(log).toEqual([2, 3]);
  });
});

describe('run controls', () => {
  it('until: processes everything due at or before it, then sets the clock to it', () => {
    const sim = new Simulation();
    const log: number[] = [];
    for (const t of [5, 10, 15]) sim.schedule(t, () => log.push(sim.now));
    sim.run({ until: 10 });
    expect(log).toEqual([5, 10]);
    expect(sim.now).toBe(10);
    sim.run({ until: 12 });
    expect(sim.now).toBe(12);
    sim.run();
    expect(log).toEqual([5, 10, 15]);
    expect(sim.now).toBe(15);
  });

  it('until with an empty queue still advances the clock', () => {
    const sim = new Simulation();
    sim.run({ until: 1000 });
    expect(sim.now).toBe(1000);
    expect(sim.peek()).toBeUndefined();
  });

  it('stopWhen: stops right after the event that makes it true', () => {
    const sim = new Simulation();
    let n = 0;
    for (let i = 1; i <= 10; i++) sim.schedule(i, () => n++);
    sim.run({ stopWhen: () => n === 4 });
    expect(n).toBe(4);
    expect(sim.now).toBe(4);
    sim.run();
    expect(n).toBe(10);
  });

  it('stop(): ends the run after the current event', () => {
    const sim = new Simulation();
    const log: number[] = [];
    sim.schedule(1, () => log.push(1));
    sim.schedule(2, () => {
      log.push(2);
      sim.stop();
    });
    sim.schedule(3, () => log.push(3));
    sim.run();
    expect(log).toEqual([1, 2]);
    sim.run(); // a new run starts afresh
    expect(log).toEqual([1, 2, 3]);
  });

  it('maxEvents: a runaway model stops with an error naming the limit', () => {
    const sim = new Simulation();
    const tick = (): void => {
      sim.schedule(1, tick);
    };
    tick();
    expect(() => sim.run({ maxEvents: 100 })).toThrow(/exceeded 100 events at t=100ms/);
    expect(sim.eventCount).toBe(100);
  });

  it('maxEvents counts from the start of this run, and a run that ends in time does not throw', () => {
    const sim = new Simulation();
    for (let i = 0; i < 50; i++) sim.schedule(i, () => {});
    sim.run({ until: 30 });
    expect(sim.eventCount).toBe(31);
    expect(() => sim.run({ maxEvents: 20 })).not.toThrow();
    expect(sim.eventCount).toBe(50);
  });
});
