import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  aggregate,
  computeRunMetrics,
  estimate,
  median,
  percentile,
  tCritical95,
  T_TABLE_95,
  timeWeightedMean,
  type JobRecord,
} from '../../src/bench/metrics.ts';

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([5.2, 4.1, 4.8])).toBe(4.8);
    expect(median([5, 1, 4, 2])).toBe(3); // (2 + 4) / 2, whatever the input order
    expect(median([7])).toBe(7);
    expect(median([])).toBeUndefined();
  });
});

describe('nearest-rank percentiles', () => {
  // The textbook example: values 15, 20, 35, 40, 50 → p5 = 15, p30 = 20, p40 = 20, p50 = 35, p100 = 50.
  const v = [50, 15, 40, 20, 35];
  it('matches the hand-checked ranks', () => {
    expect(percentile(v, 5)).toBe(15); // ⌈0.25⌉ = rank 1
    expect(percentile(v, 30)).toBe(20); // ⌈1.5⌉ = rank 2
    expect(percentile(v, 40)).toBe(20); // ⌈2⌉ = rank 2 (exact rank, no interpolation)
    expect(percentile(v, 50)).toBe(35); // ⌈2.5⌉ = rank 3
    expect(percentile(v, 100)).toBe(50);
    expect(percentile(v, 0)).toBe(15);
  });
  it('p95 and p99 of 1..100 and of 1..20', () => {
    const h = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(h, 95)).toBe(95);
    expect(percentile(h, 99)).toBe(99);
    const t = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(t, 95)).toBe(19); // 0.95 × 20 = 19 exactly: rank 19, not 20
    expect(percentile(t, 99)).toBe(20); // ⌈19.8⌉
  });
  it('empty → undefined; bad p throws', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(() => percentile([1], 101)).toThrow();
  });
  it('is always one of the values and monotone in p', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 50 }), fc.integer({ min: 0, max: 100 }), (xs, p) => {
        const a = percentile(xs, p)!;
        expect(xs).toContain(a);
        expect(percentile(xs, Math.min(100, p + 1))!).toBeGreaterThanOrEqual(a);
      }),
    );
  });
});

describe('time-weighted mean', () => {
  it('weights each sample by how long it held', () => {
    // 10 for 0–10 s, 20 for 10–40 s, 0 for 40–60 s → (100 + 600 + 0) / 60 = 11.666…
    const s = [{ t: 0, v: 10 }, { t: 10_000, v: 20 }, { t: 40_000, v: 0 }];
    expect(timeWeightedMean(s, 60_000)).toBeCloseTo(700 / 60, 12);
  });
  it('the last sample holds until the end; samples after the end count for nothing', () => {
    expect(timeWeightedMean([{ t: 0, v: 4 }], 1000)).toBe(4);
    expect(timeWeightedMean([{ t: 0, v: 4 }, { t: 500, v: 8 }, { t: 2000, v: 100 }], 1000)).toBe(6);
  });
  it('starts at the first sample', () => {
    expect(timeWeightedMean([{ t: 1000, v: 3 }, { t: 2000, v: 5 }], 4000)).toBeCloseTo((3 + 10) / 3, 12);
  });
  it('undefined without samples or elapsed time', () => {
    expect(timeWeightedMean([], 10)).toBeUndefined();
    expect(timeWeightedMean([{ t: 10, v: 1 }], 10)).toBeUndefined();
  });
});

describe('Student t interval', () => {
  it('table values', () => {
    expect(T_TABLE_95).toHaveLength(30);
    expect(tCritical95(1)).toBe(12.706);
    expect(tCritical95(2)).toBe(4.303);
    expect(tCritical95(4)).toBe(2.776);
    expect(tCritical95(9)).toBe(2.262);
    expect(tCritical95(30)).toBe(2.042);
    expect(tCritical95(45)).toBe(2.021);
    expect(tCritical95(5000)).toBe(1.96);
    expect(() => tCritical95(0)).toThrow();
  });
  it('mean ± t·s/√n on a hand-checked case', () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x−5)² = 32, s² = 32/7, s = 2.13809, t(7) = 2.365
    const e = estimate([2, 4, 4, 4, 5, 5, 7, 9])!;
    expect(e.n).toBe(8);
    expect(e.mean).toBe(5);
    expect(e.sd!).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(e.ci95!).toBeCloseTo((2.365 * Math.sqrt(32 / 7)) / Math.sqrt(8), 12); // ≈ 1.7875
    expect(e.ci95!).toBeCloseTo(1.7875, 3);
  });
  it('two seeds use t(1) = 12.706', () => {
    const e = estimate([10, 12])!;
    expect(e.mean).toBe(11);
    expect(e.ci95!).toBeCloseTo((12.706 * Math.SQRT2) / Math.SQRT2, 12); // s = √2, √n = √2
  });
  it('one value: no interval; none: undefined', () => {
    expect(estimate([3])).toEqual({ n: 1, mean: 3 });
    expect(estimate([])).toBeUndefined();
  });
});

describe('run metrics', () => {
  const rec: JobRecord = {
    start: 0,
    end: 100_000,
    held: [{ t: 0, v: 10 }, { t: 50_000, v: 30 }],
    used: [{ t: 0, v: 0 }, { t: 50_000, v: 20 }],
    subnetFree: [{ t: 0, v: 200 }, { t: 50_000, v: 180 }],
    enis: [{ t: 0, v: 2 }, { t: 50_000, v: 4 }],
    waits: [
      { ms: 1000, censored: false },
      { ms: 5000, censored: false },
      { ms: 61_000, censored: false },
      { ms: 90_000, censored: true },
    ],
    ec2Calls: { CreateNetworkInterface: 2, AssignPrivateIpAddresses: 3 },
    throttled: 1,
  };
  it('reduces a hand-made record', () => {
    const m = computeRunMetrics(rec);
    expect(m.heldMean).toBe(20); // 10 half the time, 30 the other half
    expect(m.heldPeak).toBe(30);
    expect(m.usedMean).toBe(10);
    expect(m.wasteMean).toBe(10); // 10 then 10
    expect(m.wastePeak).toBe(10);
    expect(m.subnetFreeMin).toBe(180);
    expect(m.subnetRanOutS).toBeNull();
    expect(m.waitP50).toBe(5); // rank 2 of 4, seconds
    expect(m.waitP95).toBe(90);
    expect(m.waitMax).toBe(90);
    expect(m.podsWaitOver1m).toBe(2);
    expect(m.podsNeverAssigned).toBe(1);
    expect(m.pods).toBe(4);
    expect(m.ec2Total).toBe(5);
    expect(Object.keys(m.ec2ByApi)).toEqual(['AssignPrivateIpAddresses', 'CreateNetworkInterface']);
    expect(m.enisMean).toBe(3);
    expect(m.enisPeak).toBe(4);
  });
  it('aggregates seeds field by field, leaving out nulls', () => {
    const a = computeRunMetrics(rec);
    const b = computeRunMetrics({ ...rec, waits: [], subnetRanOutAt: 30_000, ec2Calls: { CreateNetworkInterface: 4 } });
    const agg = aggregate([a, b]);
    expect(agg.seeds).toBe(2);
    expect(agg.metrics.heldMean!.mean).toBe(20);
    expect(agg.metrics.heldMean!.ci95).toBe(0);
    expect(agg.metrics.waitP50!.n).toBe(1); // b had no pods
    expect(agg.metrics.subnetRanOutS!.mean).toBe(30);
    expect(agg.ranOutSeeds).toBe(1);
    expect(agg.ec2ByApi.AssignPrivateIpAddresses.mean).toBe(1.5); // 3 and 0
    expect(agg.ec2ByApi.CreateNetworkInterface.mean).toBe(3);
  });
});
