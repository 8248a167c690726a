/**
 * The one duration grammar of every input — scenarios, benchmark workloads, `--until` — and how reports print one:
 * `250ms`, `90s`, `5m`, `1h30m`, `2h15m30s500ms` (units in descending order, each at most once, whole numbers only),
 * or the bare number `0`. Fractions (`1.5m`) are refused: virtual time is integer milliseconds (src/sim), and a
 * fraction of a unit would be rounded where `1m30s` is exact.
 * Not here: where a duration is allowed (src/scenario/spec.ts, workload-spec.ts) or what it means.
 */

/** The longest duration a scenario may name: one week of virtual time. */
export const MAX_DURATION_MS = 7 * 24 * 3_600_000;

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

const PATTERN = /^(?:(\d{1,9})h)?(?:(\d{1,9})m(?!s))?(?:(\d{1,12})s)?(?:(\d{1,15})ms)?$/;

/** Milliseconds, or a reason the text is not a duration. */
export function parseDuration(text: string): { ok: true; ms: number } | { ok: false; reason: string } {
  const s = text.trim();
  if (s === '0') return { ok: true, ms: 0 };
  if (s.startsWith('-')) return { ok: false, reason: `"${text}" is negative (times count from the start of the run, 0)` };
  const m = PATTERN.exec(s);
  if (s === '' || m === null || m.slice(1).every((g) => g === undefined)) {
    return { ok: false, reason: `"${clip(text)}" is not a duration (expected e.g. 250ms, 90s, 5m, 1h30m)` };
  }
  let ms = 0;
  for (let i = 0; i < UNITS.length; i++) {
    const g = m[i + 1];
    if (g !== undefined) ms += Number(g) * UNITS[i][1];
  }
  if (!Number.isSafeInteger(ms) || ms > MAX_DURATION_MS) {
    return { ok: false, reason: `"${clip(text)}" is longer than the 168h a scenario may span` };
  }
  return { ok: true, ms };
}

/** 270000 → "4m30s", 250 → "250ms", 0 → "0s". The inverse of parseDuration for every whole-ms value. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.round(ms);
  let out = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** A fixed-width clock for report timelines: "  4m05.250s" style is too noisy; this gives "04:05.2". */
export function formatClock(ms: number): string {
  const totalS = Math.floor(ms / 1000);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  const tenth = Math.floor((ms % 1000) / 100);
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${tenth}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

function clip(s: string): string {
  return s.length > 40 ? s.slice(0, 40) + '…' : s;
}
