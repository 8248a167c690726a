/**
 * Chances as integer ratios (`{ num, den }`, e.g. 50/1000 for "5 %"), not floats: what a scenario's `rate: 0.05`
 * means is then exact, prints back as the same decimal, and a draw compares integers. Scenario files keep writing
 * decimals; `ratioFromDecimal` reads one with at most six decimal places (parts per million).
 * Not here: where chances are used (src/model/ec2/faults.ts, the swarm's generator).
 */

/** `num` out of `den`, both non-negative integers, `num <= den`, `den >= 1`. */
export interface Ratio {
  readonly num: number;
  readonly den: number;
}

/** Most decimal places a chance may have: a million is the largest denominator whose draws stay exact (see `drawChance`). */
export const MAX_DECIMALS = 6;

/** A decimal in [0, 1] with at most six decimal places as the ratio it writes (`0.05` → 5/100); undefined otherwise. */
export function ratioFromDecimal(x: number): Ratio | undefined {
  if (!(Number.isFinite(x) && x >= 0 && x <= 1)) return undefined;
  for (let d = 0, den = 1; d <= MAX_DECIMALS; d++, den *= 10) {
    const num = Math.round(x * den);
    if (num / den === x) return { num, den };
  }
  return undefined;
}

/** The ratio as the decimal a scenario writes (`5/100` → 0.05). */
export function ratioValue(r: Ratio): number {
  return r.num / r.den;
}

/**
 * One draw: true with chance `num/den`, given `u` uniform in [0, 1) (a `Random.float()`); no draw is needed when the
 * chance is 0, and the caller must not make one (a stream's later draws would shift). `u` is a multiple of 2^-32
 * (Alea), so `u * den` is exact for `den` up to 2^21 and the comparison is the exact `u < num/den`: for the decimals
 * `ratioFromDecimal` accepts it answers as the float comparison `u < 0.05` did, since no multiple of 2^-32 lies
 * between num/den and its nearest double.
 */
export function drawChance(r: Ratio, u: number): boolean {
  return u * r.den < r.num;
}
