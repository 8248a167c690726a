/**
 * One playground run as the Web Worker makes it (src/report/play.ts), in Node: the loader's own error with line and
 * column for a broken scenario; a run past its event bound stops with a message; a finished run's figures agree with
 * the CLI report's (addresses held and unused at the end, EC2 calls) and its JSON is `run --format json`'s; progress
 * is reported up to the end.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { play, type PlayProgress } from '../../src/report/play.ts';
import { runFigures } from '../../src/report/run-figures.ts';
import type { RunResult } from '../../src/report/types.ts';

const FILE = 'scenarios/inflate-exhaustion.yaml';
const INFLATE = readFileSync(FILE, 'utf8');

describe('play', () => {
  it('answers a broken scenario with the loader\'s one line, line and column', () => {
    const r = play({ yaml: INFLATE.replace('desiredCapacity: 2', 'desiredCapacty: 2'), file: FILE });
    expect(r).toEqual({ kind: 'error', message: expect.stringMatching(/^scenarios\/inflate-exhaustion\.yaml:\d+:5: nodeGroups\[0\]\.desiredCapacty: unknown key .*did you mean "desiredCapacity"/), line: expect.any(Number), column: 5 });
  });

  it('stops a run that grows past its event bound', () => {
    const r = play({ yaml: INFLATE, file: FILE, maxEvents: 300 });
    expect(r.kind).toBe('too-large');
    if (r.kind !== 'too-large') return;
    expect(r.events).toBe(301);
    expect(r.message).toMatch(/^stopped: more than 300 events by \d+ s of virtual time — too large for a page/);
  });

  it('gives figures that agree with the report, and progress up to the end', () => {
    const seen: PlayProgress[] = [];
    const r = play({ yaml: INFLATE, file: FILE }, (p) => seen.push(p));
    expect(r.kind).toBe('done');
    if (r.kind !== 'done') return;
    const result = JSON.parse(r.json) as RunResult;
    expect(r.figures.heldEnd).toBe(result.metrics.addresses.heldByNodes);
    expect(r.figures.unusedEnd).toBe(result.metrics.addresses.unused);
    expect(r.figures.ec2Calls).toBe(result.metrics.ec2.calls);
    expect(r.figures.ec2Throttled).toBe(result.metrics.ec2.throttledAttempts);
    expect(r.figures.heldPeak).toBeGreaterThanOrEqual(r.figures.heldEnd);
    // 25 pods wait from about 2m until the rescue after 6m
    expect(r.figures.stuckPodMinutes).toBeGreaterThan(25 * 3);
    expect(r.figures.p95WaitMs).toBeGreaterThan(result.metrics.ipWaitMs.p50!);
    expect(runFigures(r.record, null).p95WaitMs).toBeNull();
    expect(seen.at(-1)).toEqual({ now: 600_000, end: 600_000, events: result.metrics.simulatedEvents });
    expect(seen.length).toBeGreaterThan(500);
  });
});
