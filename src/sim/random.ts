/**
 * Named, seeded random streams. Each subsystem asks for its own stream by name; the stream's seed is derived
 * from the run seed and the name only, so adding a subsystem (or drawing more from one) never shifts another.
 * Nothing in the simulation may use Math.random.
 */
import seedrandom from 'seedrandom';
import { ieee754Log } from './ieee754-log.ts';

/**
 * The Alea generator of seedrandom (seedrandom.alea), stepped here rather than through seedrandom's closure: the
 * initial state comes from seedrandom itself (`{ state: true }`), and `next` does exactly the arithmetic of
 * seedrandom/lib/alea.js, so every draw is bit-identical to `seedrandom.alea(seed)()` (test/sim/random-trace.test.ts).
 */
export class Random {
  // Initialised with fractions so that V8 stores the fields as unboxed doubles from the start: a field first set to
  // undefined (a bare declaration) holds every later double in a new heap box, an allocation per draw.
  private s0 = 0.5;
  private s1 = 0.5;
  private s2 = 0.5;
  private c = 0.5;

  constructor(seed: string) {
    const st = seedrandom.alea(seed, { state: true }).state() as { s0: number; s1: number; s2: number; c: number };
    this.s0 = st.s0;
    this.s1 = st.s1;
    this.s2 = st.s2;
    this.c = st.c;
  }

  /** One Alea step: seedrandom/lib/alea.js `me.next`. */
  private next(): number {
    const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10; // 2^-32
    this.s0 = this.s1;
    this.s1 = this.s2;
    return (this.s2 = t - (this.c = t | 0));
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [min, max] (inclusive). */
  intBetween(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  bool(probability: number): boolean {
    return probability > 0 && this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Random.pick from an empty list');
    return items[this.int(items.length)];
  }

  /** Fisher–Yates, in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /**
   * Exponential with the given mean (same unit as the mean). The logarithm is fdlibm's, not `Math.log`, whose last bit
   * the language leaves to each engine: the same seed gives the same draws in every browser.
   */
  exponential(mean: number): number {
    return -mean * ieee754Log(1 - this.next());
  }
}

export class RandomStreams {
  private readonly streams = new Map<string, Random>();

  constructor(readonly seed: number | string) {}

  /** The stream for `name`, created on first use. */
  get(name: string): Random {
    let r = this.streams.get(name);
    if (r === undefined) {
      r = new Random(`${this.seed}/${name}`);
      this.streams.set(name, r);
    }
    return r;
  }
}
