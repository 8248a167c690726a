/** Drawing a delay from a `LatencySpec` (options.ts). One small function so every delay is drawn the same way. */
import type { Random } from '../../sim/index.ts';
import type { LatencySpec } from './options.ts';

/** Integer milliseconds: uniform in [minMs, maxMs], or in [maxMs, tailMaxMs] with probability tailProbability. */
export function drawLatency(rng: Random, l: LatencySpec): number {
  if (l.tailProbability !== undefined && l.tailProbability > 0 && l.tailMaxMs !== undefined && rng.bool(l.tailProbability)) {
    return rng.intBetween(Math.round(l.maxMs), Math.round(l.tailMaxMs));
  }
  return rng.intBetween(Math.round(l.minMs), Math.round(l.maxMs));
}
