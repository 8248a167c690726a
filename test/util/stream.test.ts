/** The happenings stream (src/util/stream.ts): who hears what, `wants` per type, changes of subscribers mid-emit. */
import { describe, expect, it } from 'vitest';
import { Stream } from '../../src/util/stream.ts';

type H = { type: 'a'; n: number } | { type: 'b'; n: number };

describe('Stream', () => {
  it('wants a type only while someone subscribes to it or to everything', () => {
    const s = new Stream<H>();
    expect([s.wants('a'), s.wants('b')]).toEqual([false, false]);
    const offA = s.subscribe(() => {}, ['a']);
    expect([s.wants('a'), s.wants('b')]).toEqual([true, false]);
    const offAll = s.subscribe(() => {});
    expect([s.wants('a'), s.wants('b')]).toEqual([true, true]);
    offAll();
    offAll(); // twice is harmless
    expect([s.wants('a'), s.wants('b')]).toEqual([true, false]);
    offA();
    expect([s.wants('a'), s.wants('b')]).toEqual([false, false]);
  });

  it('gives each subscriber the types it asked for, in subscription order', () => {
    const s = new Stream<H>();
    const seen: string[] = [];
    s.subscribe((h) => seen.push(`all ${h.type}${h.n}`));
    s.subscribe((h) => seen.push(`b ${h.type}${h.n}`), ['b']);
    s.emit({ type: 'a', n: 1 });
    s.emit({ type: 'b', n: 2 });
    expect(seen).toEqual(['all a1', 'all b2', 'b b2']);
  });

  it('an emit in progress reaches the subscribers it started with', () => {
    const s = new Stream<H>();
    const seen: string[] = [];
    let offSecond = () => {};
    s.subscribe((h) => {
      seen.push(`first ${h.n}`);
      offSecond();
      s.subscribe((x) => seen.push(`late ${x.n}`));
    });
    offSecond = s.subscribe((h) => seen.push(`second ${h.n}`));
    s.emit({ type: 'a', n: 1 });
    expect(seen).toEqual(['first 1', 'second 1']);
    s.emit({ type: 'a', n: 2 });
    expect(seen).toEqual(['first 1', 'second 1', 'first 2', 'late 2']);
  });
});
