/**
 * Headroom: the largest size of the change that leaves no pod stuck, found by simulations. The search is bracketed
 * (`fits` below, `stuck` above) and guided by what each simulation shows, so it needs a few runs instead of a binary
 * search's dozen: a run that does not fit tells how many of the change's pods did start (the next guess), one that
 * fits tells how many pod slots (max pods) the nodes had left, beyond which nothing can fit (no run needed there),
 * and how many addresses were left anywhere: the smaller is the size to try next. A guess that fits is followed by the size just above it, which usually closes the
 * bracket. Not here: one simulation (simulate.ts).
 */
import type { Outcome } from './simulate.ts';

export interface Headroom {
  /** Largest size seen to fit (-1: none did). */
  fits: number;
  /** Smallest size seen not to fit (undefined when none was tried and max pods does not bound it). */
  stuck?: number;
  /** True when `stuck` = `fits` + 1: the headroom is exact. */
  exact: boolean;
  /**
   * True when the bracket closed to within its precision (or exactly); false when the search ran out of runs, or
   * stopped once the hint was seen to fit (`atLeast`: another seed brackets the minimum).
   */
  closed: boolean;
  /** What stops the next pod: the first stuck pod's cause at `stuck`, or "max pods" when no slot is left. */
  limitedBy?: string;
  /** Sizes simulated, in order (the first is the change as asked). */
  tried: number[];
}

/** At most this many simulations per search (the first, the change as asked, included). */
export const MAX_PROBES = 7;
/**
 * The search stops once the bracket is this close, relative to the size that fits (exact below 20): on a big cluster
 * "18,072 to 18,833" answers the question and saves the runs an exact figure would cost — near its limit a big
 * cluster is not monotone anyway (a few pods stuck at one size, none at a larger one, as pods land on nodes whose
 * subnet ran out first).
 */
export const PRECISION = 0.05;
/**
 * A what-if's precision: what-ifs are weighed against each other and the cluster as it is, for which a tenth is
 * close enough, and on a big cluster each run saved near the limit is a run of many simulated minutes.
 */
export const WHAT_IF_PRECISION = 0.1;

/** Where the change's stuck pods would reach zero on the line through two misses (undefined when it has no slope). */
function secant(a: Outcome | undefined, b: Outcome): number | undefined {
  if (a === undefined) return undefined;
  const sa = a.n - a.targetRunning;
  const sb = b.n - b.targetRunning;
  if (a.n === b.n || sa === sb) return undefined;
  return Math.floor(b.n - (sb * (a.n - b.n)) / (sa - sb));
}

/** How far apart the bracket's ends may stay around `n` (1: exact). */
function tolerance(n: number, precision: number): number {
  return Math.max(1, Math.floor(n * precision));
}

/**
 * Searches from `first` (the change as asked, already simulated) with `sim` for other sizes, until the bracket is
 * within `precision` (default PRECISION) or `maxProbes` runs were made. `hint`: a size to try first (another seed's
 * headroom: seeds mostly agree, so its bracket closes in two runs). `atLeast`: stop as soon as the hint is seen to
 * fit — the caller wants only the minimum over seeds, which the hint's seed already brackets from above, so this
 * seed need not be bracketed (its headroom is then "≥ hint").
 */
export async function searchHeadroom(first: Outcome, sim: (n: number) => Promise<Outcome>, opts: { hint?: number; atLeast?: boolean; precision?: number; maxProbes?: number } = {}): Promise<Headroom> {
  const maxProbes = opts.maxProbes ?? MAX_PROBES;
  const tol = (n: number): number => tolerance(n, opts.precision ?? PRECISION);
  let lo = -1;
  let hi: number | undefined;
  let limitedBy: string | undefined;
  const tried: number[] = [];
  let next: number | undefined;
  let misses = 0;
  let lastMiss: Outcome | undefined;
  const learn = (o: Outcome, guessed: boolean): void => {
    tried.push(o.n);
    if (o.fits) {
      lo = Math.max(lo, o.n);
      if (o.podCapacity <= o.n) {
        // not a slot left for one more pod: more cannot fit, nothing to simulate
        if (hi === undefined || hi > o.n + 1) {
          hi = o.n + 1;
          limitedBy = 'max pods';
        }
        next = undefined;
      } else if (guessed) next = o.n + tol(o.n);
      // (after a guess that fits, the size one tolerance above it closes the bracket if it does not: exactly, n + 1)
      else if (hi === undefined) next = Math.min(o.podCapacity, o.addressCapacity);
      else next = undefined;
    } else {
      misses++;
      if (hi === undefined || o.n < hi) {
        hi = o.n;
        limitedBy = o.firstStuck?.cause ?? (o.stoppedBy === 'out-of-addresses' ? 'addresses' : undefined);
      }
      // what started is the guess, and after another miss that less what stayed stuck (pods spread over nodes that
      // fill at different rates, so the first guess overshoots)
      // (a run stopped for want of addresses stopped the moment it could not fit: what started by then is the guess,
      // which is no guess at all when it stopped at once — then the bracket is halved)
      next = misses > 1 && o.stoppedBy !== 'out-of-addresses' ? o.targetRunning - (o.n - o.targetRunning) : o.targetRunning;
      // with a size known to fit, a later guess in the bracket's upper half creeps down: the pods left stuck grow
      // about linearly past the limit, so the line through the last two misses finds it (else halve the bracket)
      if (misses > 1 && lo >= 0 && next > lo + Math.floor((hi - lo) / 2)) next = secant(lastMiss, o);
      if (o.stoppedBy !== 'out-of-addresses') lastMiss = o;
    }
  };
  learn(first, false);
  if (opts.hint !== undefined && opts.hint >= 0 && opts.hint !== first.n) next = opts.hint;
  const closeEnough = (): boolean => hi !== undefined && hi - lo <= tol(lo);
  const enough = (): boolean => closeEnough() || (opts.atLeast === true && opts.hint !== undefined && lo >= opts.hint);
  while (tried.length < maxProbes && !enough()) {
    let n = next;
    let guessed = true;
    if (n === undefined || n <= lo || (hi !== undefined && n >= hi) || tried.includes(n)) {
      if (hi === undefined) break;
      n = lo < 0 ? Math.floor(hi / 2) : lo + Math.max(1, Math.floor((hi - lo) / 2));
      guessed = false;
      if (tried.includes(n)) break;
    }
    learn(await sim(n), guessed);
  }
  const out: Headroom = { fits: lo, exact: hi !== undefined && hi - lo === 1, closed: closeEnough(), tried };
  if (hi !== undefined) out.stuck = hi;
  if (limitedBy !== undefined) out.limitedBy = limitedBy;
  return out;
}
