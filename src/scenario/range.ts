/**
 * Count ranges in expectations: `12`, `"0"`, `">=45"`, `"<=3"`, `">0"`, `"<10"`, `"40..50"`, and for pods `all`
 * (every pod the selector matches). Not here: what is counted (expectations.ts).
 */

export interface CountRange {
  /** Inclusive bounds; `all` is resolved against the number of candidates when checked. */
  min: number;
  max: number;
  all?: boolean;
  /** The text as written, for reports. */
  text: string;
}

export const MAX_COUNT = 1_000_000_000;

export function parseRange(value: unknown): { ok: true; range: CountRange } | { ok: false; reason: string } {
  const bad = { ok: false as const, reason: `expected a count or range like 12, ">=45", "<=3", "40..50" or "all", got ${show(value)}` };
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) return bad;
    if (value > MAX_COUNT) return { ok: false, reason: `count ${value} is larger than ${MAX_COUNT}` };
    return { ok: true, range: { min: value, max: value, text: String(value) } };
  }
  if (typeof value !== 'string') return bad;
  const s = value.trim();
  if (s === 'all') return { ok: true, range: { min: 0, max: MAX_COUNT, all: true, text: 'all' } };
  let m = /^(>=|<=|>|<|=|==)?\s*(\d{1,10})$/.exec(s);
  if (m !== null) {
    const n = Number(m[2]);
    if (n > MAX_COUNT) return { ok: false, reason: `count ${n} is larger than ${MAX_COUNT}` };
    switch (m[1]) {
      case '>=':
        return { ok: true, range: { min: n, max: MAX_COUNT, text: s } };
      case '>':
        return { ok: true, range: { min: n + 1, max: MAX_COUNT, text: s } };
      case '<=':
        return { ok: true, range: { min: 0, max: n, text: s } };
      case '<':
        if (n === 0) return { ok: false, reason: `"${s}" can never hold (counts are never negative)` };
        return { ok: true, range: { min: 0, max: n - 1, text: s } };
      default:
        return { ok: true, range: { min: n, max: n, text: s } };
    }
  }
  m = /^(\d{1,10})\s*\.\.\s*(\d{1,10})$/.exec(s);
  if (m !== null) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a > b) return { ok: false, reason: `range "${s}" is empty (${a} > ${b})` };
    if (b > MAX_COUNT) return { ok: false, reason: `count ${b} is larger than ${MAX_COUNT}` };
    return { ok: true, range: { min: a, max: b, text: s } };
  }
  return bad;
}

export function inRange(r: CountRange, n: number, candidates = n): boolean {
  if (r.all === true) return n === candidates;
  return n >= r.min && n <= r.max;
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? String(v);
  return s.length > 40 ? s.slice(0, 40) + '…' : s;
}
