/**
 * Processes and events (src/sim/process.ts, event.ts): sleeping, waiting with typed results, processes as events,
 * kill(), and a throwing process stopping the run with its name.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Simulation, sleep, wait, type Proc, type Process, type SimEvent } from '../../src/sim/index.ts';

describe('sleep and wait', () => {
  it('a process sleeps with `yield ms` and `yield* sleep(ms)`', () => {
    const sim = new Simulation();
    const times: number[] = [];
    sim.spawn('sleeper', (function* (): Proc {
      times.push(sim.now);
      yield 10;
      times.push(sim.now);
      yield* sleep(5);
      times.push(sim.now);
      yield 0;
      times.push(sim.now);
    })());
    sim.run();
    expect(times).toEqual([0, 10, 15, 15]);
  });

  it('wait() resumes with the event value, typed', () => {
    const sim = new Simulation();
    const ev = sim.event<{ ip: string }>();
    const got: string[] = [];
    sim.spawn('waiter', (function* (): Proc {
      const v = yield* wait(ev);
      expectTypeOf(v).toEqualTypeOf<{ ip: string }>();
      got.push(`${v.ip}@${sim.now}`);
    })());
    sim.schedule(42, () => ev.succeed({ ip: '10.0.0.1' }));
    sim.run();
    expect(got).toEqual(['10.0.0.1@42']);
  });

  it('waiting on an already-triggered event resumes at once, through the queue', () => {
    const sim = new Simulation();
    const ev = sim.event<number>();
    ev.succeed(7);
    const log: string[] = [];
    sim.spawn('late', (function* (): Proc {
      yield 3;
      log.push('before');
      const v = yield* wait(ev);
      log.push(`got ${v}@${sim.now}`);
    })());
    sim.run();
    expect(log).toEqual(['before', 'got 7@3']);
  });

  it('several waiters resume in the order they started waiting, never synchronously inside succeed', () => {
    const sim = new Simulation();
    const ev = sim.event<string>();
    const log: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      sim.spawn(name, (function* (): Proc {
        const v = yield* wait(ev);
        log.push(`${name}:${v}`);
      })());
    }
    sim.schedule(5, () => {
      ev.succeed('go');
      log.push('after succeed');
    });
    sim.run();
    expect(log).toEqual(['after succeed', 'a:go', 'b:go', 'c:go']);
  });

  it('a process is an event that succeeds with its return value', () => {
    const sim = new Simulation();
    const child = sim.spawn('child', (function* (): Proc<number> {
      yield 20;
      return 99;
    })());
    expectTypeOf(child).toMatchTypeOf<SimEvent<number>>();
    let seen = '';
    sim.spawn('parent', (function* (): Proc {
      const r = yield* wait(child);
      seen = `${r}@${sim.now}`;
    })());
    sim.run();
    expect(seen).toBe('99@20');
    expect(child.alive).toBe(false);
    expect(child.triggered).toBe(true);
    expect(child.value).toBe(99);
  });

  it('spawn: the first step runs at the current time, after what is already due now', () => {
    const sim = new Simulation();
    const log: string[] = [];
    sim.schedule(0, () => log.push('timer'));
    sim.spawn('p', (function* (): Proc {
      log.push('process');
    })());
    expect(log).toEqual([]);
    sim.run();
    expect(log).toEqual(['timer', 'process']);
  });

  it('events: succeed twice throws; value before trigger throws', () => {
    const sim = new Simulation();
    const ev = sim.event<number>();
    expect(() => ev.value).toThrow(/before the event was triggered/);
    ev.succeed(1);
    expect(ev.value).toBe(1);
    expect(() => ev.succeed(2)).toThrow(/twice/);
  });

  it('an event whose value is undefined or null is still triggered', () => {
    const sim = new Simulation();
    const ev = sim.event<null>();
    ev.succeed(null);
    expect(ev.triggered).toBe(true);
    expect(ev.value).toBeNull();
    const vo = sim.event<void>();
    vo.succeed();
    expect(vo.triggered).toBe(true);
  });
});

describe('kill()', () => {
  it('a killed sleeping process never resumes and never succeeds; its finally block runs', () => {
    const sim = new Simulation();
    const log: string[] = [];
    const p = sim.spawn('victim', (function* (): Proc {
      try {
        log.push('start');
        yield 100;
        log.push('woke');
      } finally {
        log.push('finally');
      }
    })());
    let observed = false;
    p.then(() => (observed = true));
    sim.schedule(10, () => p.kill());
    sim.run();
    expect(log).toEqual(['start', 'finally']);
    expect(p.alive).toBe(false);
    expect(p.triggered).toBe(false);
    expect(observed).toBe(false);
    expect(sim.now).toBe(10); // its timer was cancelled: the clock never reached 100
  });

  it('a process killed while waiting ignores the event when it comes', () => {
    const sim = new Simulation();
    const ev = sim.event<number>();
    const log: string[] = [];
    const p = sim.spawn('victim', (function* (): Proc {
      const v = yield* wait(ev);
      log.push(`got ${v}`);
    })());
    sim.schedule(5, () => p.kill());
    sim.schedule(10, () => ev.succeed(1));
    sim.run();
    expect(log).toEqual([]);
    expect(p.alive).toBe(false);
  });

  it('kill before the first step, and kill twice, are harmless', () => {
    const sim = new Simulation();
    let ran = false;
    const p = sim.spawn('never', (function* (): Proc {
      ran = true;
    })());
    p.kill();
    p.kill();
    sim.run();
    expect(ran).toBe(false);
  });

  it('killing a finished process changes nothing', () => {
    const sim = new Simulation();
    const p = sim.spawn('done', (function* (): Proc<string> {
      return 'ok';
    })());
    sim.run();
    p.kill();
    expect(p.value).toBe('ok');
  });
});

describe('a process that throws', () => {
  it('stops the run loudly, naming the process and the time', () => {
    const sim = new Simulation();
    const after: string[] = [];
    sim.spawn('ipamd/reconcile', (function* (): Proc {
      yield 250;
      throw new Error('datastore corrupt');
    })());
    sim.schedule(300, () => after.push('later'));
    let err: unknown;
    try {
      sim.run();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('process ipamd/reconcile failed at t=250ms: datastore corrupt');
    expect(((err as Error).cause as Error).message).toBe('datastore corrupt');
    expect(after).toEqual([]);
    expect(sim.now).toBe(250);
  });

  it('a non-Error throw is reported too', () => {
    const sim = new Simulation();
    sim.spawn('odd', (function* (): Proc {
      throw 'just a string';
    })());
    expect(() => sim.run()).toThrow('process odd failed at t=0ms: just a string');
  });
});

describe('skipping wakes (skipWakesUntil)', () => {
  /**
   * A loop that wakes every 100 ms and, from 1 s to `quietUntil`, does nothing but sleep again, beside neighbours
   * whose timers tie with its wakes. With `skip`, it lets the engine take those idle wakes; a timer at 1.7 s ends
   * the skipping early, as a change that the loop must look at would.
   */
  const run = (skip: boolean) => {
    const sim = new Simulation(3);
    const log: string[] = [];
    let wakes = 0;
    const quietUntil = 2_500;
    const self: { p?: Process<void> } = {};
    const loop = sim.spawn('loop', (function* (): Proc {
      while (sim.now < 4_000) {
        yield 100;
        wakes += 1 + self.p!.takeSkippedWakes();
        log.push(`${sim.now} loop ${wakes}`);
        if (skip && sim.now === 1_000) self.p!.skipWakesUntil(quietUntil);
        if (sim.now > 1_000 && sim.now < quietUntil) log.push(`${sim.now} loop woke while quiet`);
      }
    })());
    self.p = loop;
    const r = sim.random('ties');
    for (let i = 0; i < 300; i++) sim.schedule(r.int(45) * 100, () => log.push(`${sim.now} timer ${i} sees ${wakes + loop.skippedWakes}`));
    sim.schedule(1_700, () => loop.skipWakesUntil(-Infinity));
    sim.run();
    return { log, wakes, events: sim.eventCount };
  };

  it('skipped wakes keep the order of everything else, the event count, and are counted', () => {
    const plain = run(false);
    const skipping = run(true);
    expect(skipping.wakes).toBe(40);
    expect(skipping.events).toBe(plain.events);
    // the loop woke again at 1.7 s (skipping ended), not at 1.1–1.6 s
    const quiet = (l: string[]) => l.filter((x) => x.endsWith('while quiet')).map((x) => Number(x.split(' ')[0]));
    expect(quiet(plain.log)).toEqual([1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1900, 2000, 2100, 2200, 2300, 2400]);
    expect(quiet(skipping.log)).toEqual([1700, 1800, 1900, 2000, 2100, 2200, 2300, 2400]);
    const rest = (l: string[]) => l.filter((x) => !x.includes('loop'));
    expect(rest(skipping.log)).toEqual(rest(plain.log));
  });

  it('a killed process stays dead while its wakes are skipped', () => {
    const sim = new Simulation();
    let woke = 0;
    const p = sim.spawn('p', (function* (): Proc {
      for (;;) {
        yield 10;
        woke++;
      }
    })());
    sim.run({ until: 15 });
    p.skipWakesUntil(1_000);
    sim.run({ until: 55 });
    p.kill();
    sim.run();
    expect(woke).toBe(1);
    expect(p.skippedWakes).toBe(4);
    expect(p.triggered).toBe(false);
  });
});
