/**
 * Processes and events (src/sim/process.ts, event.ts): sleeping, waiting with typed results, processes as events,
 * kill(), and a throwing process stopping the run with its name.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Nap, Simulation, sleep, wait, type Proc, type SimEvent } from '../../src/sim/index.ts';

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

describe('a process resumes as a fresh timer would', () => {
  /**
   * A process reuses one queue entry for all its resumptions; each must still take its place as a newly scheduled
   * timer: after everything scheduled before it for the same millisecond. The same loop written as a chain of
   * timers must give the same log, beside neighbours whose timers tie with its wakes.
   */
  const run = (asProcess: boolean) => {
    const sim = new Simulation(3);
    const log: string[] = [];
    let wakes = 0;
    const wake = (): boolean => {
      wakes++;
      log.push(`${sim.now} loop ${wakes}`);
      return sim.now < 4_000;
    };
    if (asProcess) {
      sim.spawn('loop', (function* (): Proc {
        do yield 100;
        while (wake());
      })());
    } else {
      const tick = (): void => {
        if (wake()) sim.schedule(100, tick);
      };
      sim.schedule(0, () => sim.schedule(100, tick));
    }
    const r = sim.random('ties');
    const ev = sim.event<number>();
    for (let i = 0; i < 300; i++) sim.schedule(r.int(45) * 100, () => log.push(`${sim.now} timer ${i} sees ${wakes}`));
    sim.schedule(1_700, () => ev.succeed(1_700));
    ev.then((v) => log.push(`${sim.now} event ${v} sees ${wakes}`));
    sim.run();
    return { log, wakes, events: sim.eventCount };
  };

  it('same order, same event count as the timer chain', () => {
    const timers = run(false);
    expect(timers.wakes).toBe(40);
    expect(run(true)).toEqual(timers);
  });
});

describe('a nap (a periodic loop that is idle)', () => {
  /**
   * A loop that wakes every 100 ms and, from 1 s until `quietUntil`, has nothing to do. With `napping` it yields a
   * Nap instead of each idle sleep; a timer at 1.75 s ends the nap early, as a change the loop must look at would.
   * Its neighbours' timers tie with its wakes.
   */
  const run = (napping: boolean, every: number) => {
    const sim = new Simulation(3);
    const log: string[] = [];
    const quietUntil = 2_500;
    let nap: Nap | undefined;
    let resumed = 0;
    sim.spawn('loop', (function* (): Proc {
      while (sim.now < 4_000) {
        const quiet = sim.now >= 1_000 && sim.now < quietUntil;
        if (napping && quiet && nap === undefined) yield (nap = new Nap(100, every, quietUntil));
        else yield 100;
        resumed++;
        log.push(`${sim.now} loop`);
      }
    })());
    const r = sim.random('ties');
    for (let i = 0; i < 300; i++) sim.schedule(r.int(45) * 100, () => log.push(`${sim.now} timer ${i}`));
    sim.schedule(1_750, () => nap?.end());
    sim.run();
    return { log, resumed, events: sim.eventCount };
  };
  const others = (l: string[]) => l.filter((x) => !x.endsWith('loop'));
  const loopTimes = (l: string[]) => l.filter((x) => x.endsWith('loop')).map((x) => Number(x.split(' ')[0]));

  it('keeps the order of everything else and the event count; resumes at the first step after end()', () => {
    const plain = run(false, 1);
    const napping = run(true, 1);
    expect(napping.events).toBe(plain.events);
    expect(others(napping.log)).toEqual(others(plain.log));
    // napping from 1.0 s: the steps at 1.1–1.7 s did not resume it; end() at 1.75 s, so the 1.8 s step did
    expect(loopTimes(napping.log).filter((t) => t > 1_000 && t < 2_000)).toEqual([1_800, 1_900]);
    expect(napping.resumed).toBe(plain.resumed - 7);
  });

  it('with every = 2 it resumes only at odd steps: after end(), at the next one', () => {
    const napping = run(true, 2);
    expect(napping.events).toBe(run(false, 1).events);
    // only the steps at 1.1, 1.3, 1.5, 1.7, 1.9 s may resume; end() comes at 1.75 s, so 1.9 s resumes
    expect(loopTimes(napping.log).filter((t) => t > 1_000 && t < 2_000)).toEqual([1_900]);
  });

  it('ends by itself at the first step that may resume at or after `until`', () => {
    const sim = new Simulation();
    const woke: number[] = [];
    sim.spawn('p', (function* (): Proc {
      yield new Nap(100, 3, 550);
      woke.push(sim.now);
    })());
    sim.run();
    // steps at 100 … ; those that may resume: 1st, 4th, 7th (100, 400, 700 ms); the first at or after 550 ms is 700
    expect(woke).toEqual([700]);
    expect(sim.eventCount).toBe(1 + 7);
  });

  it('`first` sets the phase: steps first, first + every, … may resume', () => {
    const sim = new Simulation();
    const woke: number[] = [];
    sim.spawn('p', (function* (): Proc {
      yield new Nap(100, 3, 550, 2);
      woke.push(sim.now);
    })());
    sim.run();
    // those that may resume: 2nd, 5th, 8th (200, 500, 800 ms)
    expect(woke).toEqual([800]);
  });

  it('a killed process stays dead while it naps; ending an earlier nap does not end the current one', () => {
    const sim = new Simulation();
    let woke = 0;
    const naps: Nap[] = [];
    const p = sim.spawn('p', (function* (): Proc {
      for (;;) {
        const n = new Nap(10, 1, sim.now + 100);
        naps.push(n);
        yield n;
        woke++;
      }
    })());
    sim.run({ until: 105 });
    expect(woke).toBe(1);
    naps[0].end();
    sim.run({ until: 150 });
    expect(woke).toBe(1);
    p.kill();
    naps[1].end();
    sim.run();
    expect(woke).toBe(1);
    expect(p.triggered).toBe(false);
  });

  it('refuses a stride that is not a positive integer', () => {
    expect(() => new Nap(100, 0, 1_000)).toThrow(/positive integer/);
    expect(() => new Nap(100, 2, 1_000, 3)).toThrow(/first step/);
  });
});
