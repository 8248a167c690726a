import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jobList, parseShard, shardJobs } from '../../src/bench/jobs.ts';

describe('job list and shards', () => {
  it('lists (policy, seed) policy-major with seeds 1..N', () => {
    expect(jobList(2, 2)).toEqual([
      { index: 0, policy: 0, seed: 1 },
      { index: 1, policy: 0, seed: 2 },
      { index: 2, policy: 1, seed: 1 },
      { index: 3, policy: 1, seed: 2 },
    ]);
  });
  it('shards cover every job exactly once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 40 }), (p, s, n) => {
        const all = jobList(p, s);
        const seen = new Map<number, number>();
        for (let i = 0; i < n; i++) for (const j of shardJobs(all, { index: i, count: n })) seen.set(j.index, (seen.get(j.index) ?? 0) + 1);
        expect(seen.size).toBe(all.length);
        for (const c of seen.values()) expect(c).toBe(1);
        // near-equal sizes
        const sizes = Array.from({ length: n }, (_, i) => shardJobs(all, { index: i, count: n }).length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });
  it('parses i/n, 0-based', () => {
    expect(parseShard('0/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard(undefined)).toBeUndefined();
    expect(() => parseShard('4/4')).toThrow('--shard: i must be between 0 and 3 (0-based), got 4');
    expect(() => parseShard('1-4')).toThrow('--shard: expected i/n');
    expect(() => parseShard('0/0')).toThrow('n must be between 1');
  });
});
