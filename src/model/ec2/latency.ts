/**
 * Drawing a delay from a `LatencySpec` (options.ts). One small function so every delay is drawn the same way; the
 * tail's chance is drawn as the integer ratio its decimal writes (src/util/ratio.ts), like every injected chance.
 */
import type { Random } from '../../sim/index.ts';
import { drawChance, ratioFromDecimal, type Ratio } from '../../util/ratio.ts';
import type { LatencySpec } from './options.ts';

/** Each spec's tail chance, read once (specs are replaced, never edited, when their values change). */
const tailChances = new WeakMap<LatencySpec, Ratio>();

function tailChance(l: LatencySpec & { tailProbability: number }): Ratio {
  let r = tailChances.get(l);
  if (r === undefined) {
    // ec2OptionsErrors refuses a tail chance finer than parts per million before any draw
    r = ratioFromDecimal(l.tailProbability)!;
    tailChances.set(l, r);
  }
  return r;
}

/** Integer milliseconds: uniform in [minMs, maxMs], or in [maxMs, tailMaxMs] with chance tailProbability. */
export function drawLatency(rng: Random, l: LatencySpec): number {
  if (l.tailProbability !== undefined && l.tailProbability > 0 && l.tailMaxMs !== undefined && drawChance(tailChance(l as LatencySpec & { tailProbability: number }), rng.float())) {
    return rng.intBetween(Math.round(l.maxMs), Math.round(l.tailMaxMs));
  }
  return rng.intBetween(Math.round(l.minMs), Math.round(l.maxMs));
}
