/**
 * Named random streams (src/sim/random.ts) and the trace (src/sim/trace.ts): streams are independent and
 * reproducible; the same run gives a byte-identical trace, and the file tracer writes what the memory tracer holds.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NdjsonFileTracer } from '../../src/cli/trace-file.ts';
import { MemoryTracer, Random, Simulation, wait, type Proc, type Tracer } from '../../src/sim/index.ts';

const draw = (r: Random, n = 20) => Array.from({ length: n }, () => r.float());

describe('random streams', () => {
  it('same seed and name: same sequence', () => {
    expect(draw(new Simulation(7).random('ec2/latency'))).toEqual(draw(new Simulation(7).random('ec2/latency')));
  });

  it('different seed, or different name: different sequence', () => {
    const base = draw(new Simulation(7).random('ec2/latency'));
    expect(draw(new Simulation(8).random('ec2/latency'))).not.toEqual(base);
    expect(draw(new Simulation('7x').random('ec2/latency'))).not.toEqual(base);
    expect(draw(new Simulation(7).random('ec2/faults'))).not.toEqual(base);
  });

  it('drawing from stream A never changes stream B', () => {
    const quiet = new Simulation(3);
    const bQuiet = draw(quiet.random('b'), 50);

    const busy = new Simulation(3);
    const a = busy.random('a');
    draw(a, 1000); // before B exists
    const b = busy.random('b');
    const bBusy: number[] = [];
    for (let i = 0; i < 50; i++) {
      draw(a, i % 7); // interleaved
      bBusy.push(b.float());
    }
    expect(bBusy).toEqual(bQuiet);
  });

  it('the same name returns the same stream object (one stream per subsystem)', () => {
    const sim = new Simulation(1);
    expect(sim.random('x')).toBe(sim.random('x'));
  });

  it('helpers stay in range', () => {
    const r = new Simulation(5).random('helpers');
    for (let i = 0; i < 2000; i++) {
      const f = r.float();
      expect(f >= 0 && f < 1).toBe(true);
      const k = r.int(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
      const m = r.intBetween(-3, 3);
      expect(m >= -3 && m <= 3).toBe(true);
      expect(r.exponential(100)).toBeGreaterThanOrEqual(0);
    }
    expect(r.bool(0)).toBe(false);
    expect(r.bool(1)).toBe(true);
    expect(() => r.pick([])).toThrow();
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});

/** A small model with processes, events and random draws that traces as it goes. */
function tracedRun(seed: number, tracer: Tracer | null): number {
  const sim = new Simulation(seed);
  sim.tracer = tracer;
  const latency = sim.random('model/latency');
  const pick = sim.random('model/pick');
  const done = sim.event<string>();
  let served = 0;
  for (let w = 0; w < 4; w++) {
    sim.spawn(`worker-${w}`, (function* (): Proc {
      for (let i = 0; i < 25; i++) {
        const d = latency.intBetween(0, 40);
        yield d;
        served++;
        if (sim.tracing) sim.trace('served', { worker: w, i, d, choice: pick.pick(['a', 'b', 'c']), x: latency.float() });
      }
      if (w === 3) done.succeed(`w${w}`);
    })());
  }
  sim.spawn('watcher', (function* (): Proc {
    const who = yield* wait(done);
    if (sim.tracing) sim.trace('done', { who, nested: { served, list: [1, 2] } });
  })());
  sim.run();
  tracer?.close();
  return served;
}

describe('trace', () => {
  it('two runs with the same seed give byte-identical traces', () => {
    const a = new MemoryTracer();
    const b = new MemoryTracer();
    tracedRun(11, a);
    tracedRun(11, b);
    expect(a.lines.length).toBe(101);
    expect(b.text()).toBe(a.text());
    const c = new MemoryTracer();
    tracedRun(12, c);
    expect(c.text()).not.toBe(a.text());
  });

  it('records are {"t":...,"kind":...} first, in the order written', () => {
    const m = new MemoryTracer();
    tracedRun(11, m);
    for (const line of m.lines) expect(line).toMatch(/^\{"t":\d+,"kind":"(served|done)",/);
    const times = m.lines.map((l) => (JSON.parse(l) as { t: number }).t);
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });

  it('NdjsonFileTracer writes exactly what MemoryTracer holds (also past its buffer size)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-trace-'));
    try {
      const mem = new MemoryTracer();
      const path = join(dir, 'trace.ndjson');
      tracedRun(11, mem);
      tracedRun(11, new NdjsonFileTracer(path));
      expect(readFileSync(path, 'utf8')).toBe(mem.text());

      // Large enough to flush several times.
      const big = new NdjsonFileTracer(join(dir, 'big.ndjson'));
      const bigMem = new MemoryTracer();
      for (let i = 0; i < 5000; i++) {
        const rec = { t: i, kind: 'k', pad: 'x'.repeat(i % 97), i };
        big.write(rec);
        bigMem.write(rec);
      }
      big.close();
      expect(readFileSync(join(dir, 'big.ndjson'), 'utf8')).toBe(bigMem.text());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without a tracer nothing is traced, and the run is the same', () => {
    const sim = new Simulation(1);
    expect(sim.tracing).toBe(false);
    sim.trace('ignored', {});
    expect(tracedRun(11, null)).toBe(tracedRun(11, new MemoryTracer()));
  });
});
