/**
 * Go's string parsing as the aws-node container applies it to env values (spec §1 "Parsing helpers"):
 * `strconv.Atoi` (optional sign, ASCII digits, no spaces, 64-bit range) and `strconv.ParseBool`.
 * Not a general Go emulation: only the two functions ipamd's config reading depends on.
 */

/** strconv.Atoi: "+5" → 5, " 5" → error, "5.0" → error, "" → error. Returns undefined on error. */
export function goAtoi(s: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = Number(s);
  // int64 range; beyond 2^53 we cannot be exact, but such values only matter as "huge".
  if (!Number.isFinite(n) || Math.abs(n) > 9223372036854775807) return undefined;
  return n === 0 ? 0 : n; // no -0
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** strconv.ParseBool; undefined on error. */
export function goParseBool(s: string): boolean | undefined {
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return undefined;
}
