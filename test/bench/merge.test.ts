import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeResults } from '../../src/bench/bench.ts';
import { computeRunMetrics } from '../../src/bench/metrics.ts';
import { formatJson, formatTable, type BenchResults, type JobResult } from '../../src/bench/report.ts';
import { run } from '../../src/cli/bench.ts';

const metrics = (v: number) =>
  computeRunMetrics({
    start: 0,
    end: 10_000,
    held: [{ t: 0, v }],
    used: [{ t: 0, v: 1 }],
    subnetFree: [{ t: 0, v: 100 }],
    enis: [{ t: 0, v: 2 }],
    waits: [{ ms: v * 1000, censored: false }],
    ec2Calls: { AssignPrivateIpAddresses: v },
    throttled: 0,
  });
const runOf = (policy: string, seed: number): JobResult => ({ policy, seed, metrics: metrics(seed + (policy === 'b' ? 10 : 0)), events: 1, simMs: 1, warmupMs: 0 });
const full: BenchResults = { workload: 'w', durationS: 10, policies: ['a', 'b'], seeds: 2, runs: [runOf('a', 1), runOf('a', 2), runOf('b', 1), runOf('b', 2)] };

describe('merging shard outputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-merge-'));
  const file = (name: string, r: BenchResults) => {
    const p = join(dir, name);
    writeFileSync(p, formatJson(r));
    return p;
  };
  it('joins shards back into the full result, whatever the file order', () => {
    const s0 = file('s0.json', { ...full, partial: 'shard 0/2', runs: [full.runs[0], full.runs[2]] });
    const s1 = file('s1.json', { ...full, partial: 'shard 1/2', runs: [full.runs[1], full.runs[3]] });
    const m = mergeResults([s1, s0]);
    expect(m.partial).toBeUndefined();
    expect(formatTable(m)).toBe(formatTable(full));
  });
  it('refuses duplicates and different benchmarks', () => {
    const s0 = file('d0.json', { ...full, runs: [full.runs[0]] });
    expect(() => mergeResults([s0, s0])).toThrow('appears twice');
    const other = file('o.json', { ...full, seeds: 3, runs: [full.runs[1]] });
    expect(() => mergeResults([s0, other])).toThrow('a different benchmark');
  });
});

describe('bench command input errors', () => {
  it.each([
    [['bench/workloads/small.yaml', '--seeds', '0'], '--seeds: must be between 1 and 1000, got 0'],
    [['bench/workloads/small.yaml', '--shard', '2/2'], '--shard: i must be between 0 and 1'],
    [['bench/workloads/small.yaml', '--format', 'xml'], '--format: must be one of table, csv, json'],
    [['bench/workloads/small.yaml', '--policies', 'warm-eni-x'], 'unknown policy name "warm-eni-x"'],
    [[], 'give a workload file'],
  ])('%j', async (argv, message) => {
    await expect(run(argv)).rejects.toThrow(message);
  });
});
