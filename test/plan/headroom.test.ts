/**
 * The headroom search on made-up clusters (a sim that answers from a rule), so its bracket logic is checked apart
 * from the simulator: it finds the exact limit, uses max pods to skip runs, and stays within its budget.
 */
import { describe, expect, it } from 'vitest';
import { searchHeadroom, MAX_PROBES, PRECISION, WHAT_IF_PRECISION } from '../../src/plan/headroom.ts';
import type { Outcome } from '../../src/plan/simulate.ts';

/** A cluster where `limit` pods of the change fit, with `slots` pod slots; past the limit only `ran(n)` start. */
function cluster(limit: number, slots: number, ran: (n: number) => number = () => limit, addresses = slots + 1000) {
  const calls: number[] = [];
  const sim = (n: number): Outcome => {
    calls.push(n);
    const fits = n <= limit;
    const running = fits ? n : Math.min(n, ran(n));
    return {
      n,
      fits,
      stuck: n - running,
      stuckByCause: fits ? {} : { 'subnet empty': n - running },
      targetRunning: running,
      podCapacity: slots,
      addressCapacity: addresses,
      subnets: [],
      throttled: {},
      stoppedBy: fits ? 'all-running' : 'stalled',
      ranMs: 0,
      events: 0,
      ...(fits ? {} : { firstStuck: { namespace: 'default', pod: 'p', after: 0, cause: n > slots ? 'max pods' : 'subnet empty', chain: [] } }),
    };
  };
  return { sim, calls, run: async (n: number) => sim(n) };
}

describe('headroom search', async () => {
  it('a change that does not fit: the pods that started are the guess, and the size above closes the bracket', async () => {
    const c = cluster(17, 58);
    const h = await searchHeadroom(c.sim(50), c.run);
    expect(h).toMatchObject({ fits: 17, stuck: 18, exact: true, limitedBy: 'subnet empty' });
    expect(c.calls).toEqual([50, 17, 18]);
  });

  it('a change that fits: tries the pod slots left, and beyond them runs nothing (max pods)', async () => {
    const c = cluster(1000, 52);
    const h = await searchHeadroom(c.sim(20), c.run);
    expect(h).toMatchObject({ fits: 52, stuck: 53, exact: true, limitedBy: 'max pods' });
    expect(c.calls).toEqual([20, 52]);
  });

  it('when the first guess overshoots (pods spread unevenly), it corrects by what stayed stuck', async () => {
    // 21 of 25 start, but only 17 fit on their own
    const c = cluster(17, 58, (n) => (n >= 50 ? 25 : 21));
    const h = await searchHeadroom(c.sim(50), c.run);
    expect(h).toMatchObject({ fits: 17, stuck: 18, exact: true });
    expect(c.calls.length).toBeLessThanOrEqual(5);
  });

  it('on a big cluster whose misses each start nearly everything, it halves the bracket instead of creeping down', async () => {
    // above 18,400 a few pods stay stuck: each miss's guess is just below it; the addresses left allow 23,145
    const c = cluster(18_400, 56_000, (n) => n - Math.ceil((n - 18_400) / 40), 23_145);
    const h = await searchHeadroom(c.sim(13_000), c.run);
    expect(c.calls.length).toBeLessThanOrEqual(MAX_PROBES);
    expect(h.closed).toBe(true);
    expect(h.fits).toBeLessThanOrEqual(18_400);
    expect(h.stuck! - 1).toBeGreaterThanOrEqual(18_400);
    expect(h.stuck! - h.fits).toBeLessThanOrEqual(Math.floor(h.fits * PRECISION));
  });

  it('bisects when the guesses say nothing, and stops at its budget', async () => {
    const c = cluster(333, 100_000, () => 0);
    const h = await searchHeadroom(c.sim(1000), c.run);
    expect(c.calls.length).toBeLessThanOrEqual(MAX_PROBES);
    expect(h.fits).toBeLessThanOrEqual(333);
    expect(h.stuck).toBeGreaterThan(333);
    if (h.exact) expect(h.fits).toBe(333);
  });

  it('another seed\'s headroom as a hint closes the bracket in two runs (one tolerance above it)', async () => {
    const c = cluster(40, 58, (n) => n / 2);
    const h = await searchHeadroom(c.sim(100), c.run, { hint: 40 });
    expect(h).toMatchObject({ fits: 40, stuck: 42, closed: true });
    expect(c.calls).toEqual([100, 40, 42]);
  });

  it('nothing fits: headroom none, exact at 0', async () => {
    const c = cluster(-1, 58, () => 0);
    const h = await searchHeadroom(c.sim(10), c.run);
    expect(h).toMatchObject({ fits: -1, stuck: 0, exact: true });
  });

  it('atLeast: a hint seen to fit ends the search (another seed brackets the minimum from above)', async () => {
    const c = cluster(40, 58, (n) => n / 2);
    const h = await searchHeadroom(c.sim(100), c.run, { hint: 40, atLeast: true });
    expect(c.calls).toEqual([100, 40]);
    expect(h.fits).toBe(40);
    expect(h.closed).toBe(false);
  });

  it('atLeast: a hint seen stuck goes on to this seed\'s own bracket below it', async () => {
    const c = cluster(30, 58, () => 30);
    const h = await searchHeadroom(c.sim(100), c.run, { hint: 40, atLeast: true });
    expect(c.calls.slice(0, 2)).toEqual([100, 40]);
    expect(c.calls.length).toBeGreaterThan(2);
    expect(h.fits).toBeLessThanOrEqual(30);
    expect(h.stuck).toBeLessThanOrEqual(40);
  });

  it('a coarser precision closes the bracket a run sooner, within that precision', async () => {
    // 930 of 2,000 start, and 930 fits: one tolerance above it (976 at 5 %, 1,023 at 10 %) is stuck only at 10 %
    const runs = async (precision: number) => {
      const c = cluster(1000, 5000, () => 930);
      const h = await searchHeadroom(c.sim(2000), c.run, { precision });
      expect(h.closed).toBe(true);
      expect(h.stuck! - h.fits).toBeLessThanOrEqual(Math.floor(h.fits * precision));
      return c.calls;
    };
    expect(await runs(WHAT_IF_PRECISION)).toEqual([2000, 930, 1023]);
    expect(await runs(PRECISION)).toEqual([2000, 930, 976, 1024]);
  });
});
