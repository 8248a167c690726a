/**
 * Scheduled → address, as figures that do not flatter: every pod that needed an address from ipamd counts — those
 * that got one with their wait, those still waiting with the wait so far as a lower bound (right-censored) — and
 * host-network pods, which never ask ipamd, do not. A percentile that lands on or above a censored wait is itself
 * only a lower bound (`≥`). Percentiles are the project's one nearest-rank definition (src/util/stats.ts).
 */
import type { PodInfo } from '../model/world/views.ts';
import { percentileIndex } from '../util/stats.ts';
import type { RunMetrics } from './types.ts';

interface Wait {
  ms: number;
  censored: boolean;
}

/** One figure: the value and whether it is a lower bound. */
function figure(sorted: readonly Wait[], p: number): { ms: number; atLeast: boolean } | null {
  if (sorted.length === 0) return null;
  const i = percentileIndex(sorted.length, p);
  let atLeast = false;
  for (let k = 0; k <= i && !atLeast; k++) atLeast = sorted[k].censored;
  return { ms: sorted[i].ms, atLeast };
}

/** Every wait that counts, shortest first. `history`: every pod ever created (World.podHistory); `now`: the report's time. */
function waitsOf(history: readonly PodInfo[], now: number): Wait[] {
  const waits: Wait[] = [];
  for (const p of history) {
    if (p.hostNetwork) continue;
    if (p.ipWaitMs !== undefined) waits.push({ ms: p.ipWaitMs, censored: false });
    else if (p.scheduledAt !== undefined && p.deletedAt === undefined) waits.push({ ms: now - p.scheduledAt, censored: true });
  }
  // equal waits: the exact one first, so a tie does not turn a figure into a lower bound
  return waits.sort((a, b) => a.ms - b.ms || Number(a.censored) - Number(b.censored));
}

/** One percentile of the same waits (the playground's p95), null when no pod asked for an address. */
export function ipWaitPercentile(history: readonly PodInfo[], now: number, p: number): { ms: number; atLeast: boolean } | null {
  return figure(waitsOf(history, now), p);
}

/** `history`: every pod ever created (World.podHistory); `now`: the report's time. */
export function ipWaitFigures(history: readonly PodInfo[], now: number): RunMetrics['ipWaitMs'] {
  const waits = waitsOf(history, now);
  const p50 = figure(waits, 50);
  const p99 = figure(waits, 99);
  const max = figure(waits, 100);
  return {
    count: waits.length,
    waiting: waits.filter((w) => w.censored).length,
    p50: p50?.ms ?? null,
    p99: p99?.ms ?? null,
    max: max?.ms ?? null,
    atLeast: { p50: p50?.atLeast ?? false, p99: p99?.atLeast ?? false, max: max?.atLeast ?? false },
  };
}
