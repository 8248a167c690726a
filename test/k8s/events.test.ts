import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AGGREGATE_INTERVAL_MS,
  AGGREGATE_MAX_EVENTS,
  COMBINED_PREFIX,
  EventLog,
  eventAge,
  formatEvents,
  humanDuration,
  type EventType,
  type K8sEvent,
} from '../../src/model/k8s/events.ts';

/** client-go's EventCorrelator as a direct transcription: a set of messages per aggregate key, events by key. */
class ReferenceLog {
  readonly events: K8sEvent[] = [];
  private readonly byKey = new Map<string, K8sEvent>();
  private readonly aggregates = new Map<string, { messages: Set<string>; last: number }>();

  record(now: number, type: EventType, reason: string, from: string, message: string): void {
    const aggKey = `${from}\u0000${type}\u0000${reason}`;
    let agg = this.aggregates.get(aggKey);
    if (agg === undefined || now - agg.last > AGGREGATE_INTERVAL_MS) this.aggregates.set(aggKey, (agg = { messages: new Set(), last: now }));
    agg.last = now;
    agg.messages.add(message);
    let key = `${aggKey}\u0000${message}`;
    let text = message;
    if (agg.messages.size >= AGGREGATE_MAX_EVENTS) {
      key = aggKey;
      text = COMBINED_PREFIX + message;
      agg.messages.delete(agg.messages.values().next().value as string);
    }
    const seen = this.byKey.get(key);
    if (seen !== undefined) {
      seen.count++;
      seen.lastTimestamp = now;
      seen.message = text;
      return;
    }
    const ev: K8sEvent = { type, reason, from, message: text, count: 1, firstTimestamp: now, lastTimestamp: now };
    this.byKey.set(key, ev);
    this.events.push(ev);
  }
}

describe('humanDuration (apimachinery)', () => {
  it.each([
    [0, '0s'],
    [45_000, '45s'],
    [119_999, '119s'],
    [120_000, '2m'],
    [125_000, '2m5s'],
    [600_000, '10m'],
    [179 * 60_000, '179m'],
    [3 * 3_600_000, '3h'],
    [3 * 3_600_000 + 20 * 60_000, '3h20m'],
    [30 * 3_600_000, '30h'],
    [52 * 3_600_000, '2d4h'],
  ])('%i ms → %s', (ms, text) => expect(humanDuration(ms)).toBe(text));
});

describe('event correlation (client-go)', () => {
  it('identical events only bump the count: "(x12 over 2m5s)"', () => {
    const log = new EventLog();
    for (let i = 0; i < 12; i++) log.record(i * 11_364, 'Warning', 'FailedScheduling', 'default-scheduler', '0/2 nodes are available: 2 Too many pods.');
    expect(log.events.length).toBe(1);
    const ev = log.events[0];
    expect(ev.count).toBe(12);
    expect(eventAge(ev, 125_004 + 5_000)).toBe('5s (x12 over 2m10s)');
    expect(eventAge(ev, 125_000)).toBe('0s (x12 over 2m5s)');
  });

  it('similar events with different messages aggregate from the 10th on', () => {
    const log = new EventLog();
    for (let i = 0; i < 15; i++) log.record(i * 10_000, 'Warning', 'FailedCreatePodSandBox', 'kubelet', `sandbox ${i}`);
    expect(log.events.length).toBe(10);
    expect(log.events.slice(0, 9).every((e) => e.count === 1)).toBe(true);
    const combined = log.events[9];
    expect(combined.message).toBe('(combined from similar events): sandbox 14');
    expect(combined.count).toBe(6);
    expect(combined.firstTimestamp).toBe(90_000);
  });

  it('aggregation restarts after 10 quiet minutes', () => {
    const log = new EventLog();
    for (let i = 0; i < 10; i++) log.record(i, 'Warning', 'X', 'kubelet', `m${i}`);
    log.record(700_000, 'Warning', 'X', 'kubelet', 'late');
    expect(log.events.at(-1)!.message).toBe('late');
  });

  it('prints a describe block', () => {
    const log = new EventLog();
    log.record(0, 'Normal', 'Scheduled', 'default-scheduler', 'Successfully assigned default/p to n');
    log.record(1_000, 'Warning', 'FailedCreatePodSandBox', 'kubelet', 'boom');
    log.record(61_000, 'Warning', 'FailedCreatePodSandBox', 'kubelet', 'boom');
    expect(formatEvents(log.events, 66_000)).toBe(
      [
        'Events:',
        '  Type     Reason                  Age               From               Message',
        '  ----     ------                  ----              ----               -------',
        '  Normal   Scheduled               66s               default-scheduler  Successfully assigned default/p to n',
        '  Warning  FailedCreatePodSandBox  5s (x2 over 65s)  kubelet            boom',
      ].join('\n'),
    );
    expect(formatEvents([], 0)).toBe('Events:  <none>');
  });

  it('dedupes whatever the number of reasons (more than fit one bit each)', () => {
    const log = new EventLog();
    const ref = new ReferenceLog();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 40; i++) {
        log.record(round * 1000, 'Normal', `Reason${i}`, 'kubelet', `message ${i}`);
        ref.record(round * 1000, 'Normal', `Reason${i}`, 'kubelet', `message ${i}`);
        expect(log.events).toEqual(ref.events);
      }
    }
    expect(log.events).toEqual(ref.events);
    expect(log.events.length).toBe(40);
    expect(log.events.every((e) => e.count === 2)).toBe(true);
  });

  it('records exactly as the reference correlator, whatever the sequence (property)', () => {
    // few sources and reasons, so that groups see enough distinct messages to combine and windows to expire
    const arbRecord = fc.record({
      gap: fc.oneof(
        { weight: 40, arbitrary: fc.integer({ min: 0, max: 30_000 }) },
        { weight: 1, arbitrary: fc.integer({ min: AGGREGATE_INTERVAL_MS - 1, max: AGGREGATE_INTERVAL_MS + 1 }) },
      ),
      type: fc.constantFrom<EventType>('Warning', 'Warning', 'Warning', 'Normal'),
      reason: fc.constantFrom('FailedCreatePodSandBox', 'FailedCreatePodSandBox', 'FailedCreatePodSandBox', 'Scheduled'),
      from: fc.constant('kubelet'),
      message: fc.oneof(
        { weight: 8, arbitrary: fc.integer({ min: 0, max: 13 }).map((i) => `sandbox ${i}`) },
        { weight: 1, arbitrary: fc.constant(`${COMBINED_PREFIX}sandbox 1`) },
      ),
    });
    fc.assert(
      fc.property(fc.array(arbRecord, { maxLength: 200, size: 'max' }), (records) => {
        const log = new EventLog();
        const ref = new ReferenceLog();
        let now = 0;
        for (const r of records) {
          now += r.gap;
          log.record(now, r.type, r.reason, r.from, r.message);
          ref.record(now, r.type, r.reason, r.from, r.message);
          expect(log.events).toEqual(ref.events);
        }
      }),
      { numRuns: 500 },
    );
  });
});
