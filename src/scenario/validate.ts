/**
 * Structural checks of a parsed scenario against the declaration in spec.ts: known keys (with "did you mean"),
 * types, limits, patterns, required fields. Returns the value with durations turned into ms and counts into
 * CountRange; every failure is an InputError naming file, line, column and field path.
 * Not here: rules between fields (semantic.ts).
 */
import { InputError, type Where } from '../util/input-error.ts';
import { parseCidr } from '../model/vpc/ipv4.ts';
import type { Desc, ObjectDesc } from './descriptor.ts';
import { formatDuration, MAX_DURATION_MS, parseDuration } from '../util/duration.ts';
import { parseRange } from './range.ts';
import { formatPath, pathKey, type Located, type Path } from './source.ts';
import { didYouMean } from '../util/suggest.ts';

/** Where a value was written, for an error about it (key position for unknown keys). */
export function whereOf(src: Located, path: Path, atKey = false): { where: Where; suffix: string } {
  for (let n = path.length; n >= 0; n--) {
    const text = src.overrides.get(pathKey(path.slice(0, n)));
    if (text !== undefined) return { where: { file: src.file, field: formatPath(path) }, suffix: ` (set by --set ${text})` };
  }
  const p = atKey ? src.keyPos(path) : src.pos(path);
  return { where: { file: src.file, line: p?.line, column: p?.column, field: formatPath(path) || undefined }, suffix: '' };
}

/** The source text of a number at `path`, unless `--set` replaced it. */
function rawOf(src: Located, path: Path): string | undefined {
  for (let n = path.length; n >= 0; n--) if (src.overrides.has(pathKey(path.slice(0, n)))) return undefined;
  return src.raw(path);
}

export function fail(src: Located, path: Path, reason: string, atKey = false): never {
  const { where, suffix } = whereOf(src, path, atKey);
  if (where.field !== undefined) where.field = escapeControls(where.field);
  throw new InputError(where, escapeControls(reason + suffix));
}

/** Messages stay on one line: newlines and other control characters are shown escaped (\n). */
export function escapeControls(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
}

export function describeValue(v: unknown, raw?: string): string {
  if (typeof v === 'number' && raw !== undefined && raw !== String(v)) return `${raw} (read as ${v})`;
  if (v === null || v === undefined) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 40) + '…' : v}" (text)`;
  if (typeof v === 'number') return Number.isFinite(v) ? `${v} (a number)` : `${v} (not a finite number)`;
  return `${String(v)} (${typeof v})`;
}

export function validate(src: Located, desc: Desc, value: unknown, path: Path): unknown {
  switch (desc.t) {
    case 'string': {
      if (typeof value !== 'string') {
        let hint = '';
        const raw = typeof value === 'number' ? rawOf(src, path) : undefined;
        if (raw !== undefined && desc.pattern !== undefined && desc.pattern.test(raw)) hint = `; quote it: "${raw}" (YAML reads ${raw} as the number ${value})`;
        fail(src, path, `expected ${desc.enum ? `one of ${desc.enum.join(', ')}` : desc.patternDoc ?? 'text'}, got ${describeValue(value, rawOf(src, path))}${hint}`);
      }
      if (desc.maxLength !== undefined && value.length > desc.maxLength) fail(src, path, `longer than ${desc.maxLength} characters (${value.length})`);
      if (desc.enum !== undefined && !desc.enum.includes(value)) {
        fail(src, path, `"${clip(value)}" is not one of ${desc.enum.join(', ')}${didYouMean(value, desc.enum)}`);
      }
      if (desc.pattern !== undefined && !desc.pattern.test(value)) fail(src, path, `"${clip(value)}" is not ${desc.patternDoc ?? `matching ${desc.pattern}`}`);
      return value;
    }
    case 'int':
    case 'number': {
      const shown = rawOf(src, path) ?? String(value);
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(src, path, `expected ${desc.t === 'int' ? 'a whole number' : 'a number'}, got ${describeValue(value, rawOf(src, path))}`);
      if (desc.t === 'int' && !Number.isInteger(value)) fail(src, path, `expected a whole number, got ${shown}`);
      if (value < desc.min || value > desc.max) fail(src, path, `${shown} is out of range (${desc.min} to ${desc.max})`);
      return value;
    }
    case 'bool':
      if (typeof value !== 'boolean') fail(src, path, `expected true or false, got ${describeValue(value)}`);
      return value;
    case 'duration': {
      const ms = durationOf(src, path, value);
      if (ms < (desc.min ?? 0) || ms > (desc.max ?? MAX_DURATION_MS)) {
        fail(src, path, `${String(value).trim()} is out of range (${formatDuration(desc.min ?? 0)} to ${formatDuration(desc.max ?? MAX_DURATION_MS)})`);
      }
      return ms;
    }
    case 'cidr4': {
      if (typeof value !== 'string') fail(src, path, `expected an IPv4 CIDR like 10.0.0.0/16, got ${describeValue(value)}`);
      try {
        parseCidr(value.trim());
      } catch (err) {
        fail(src, path, (err as Error).message);
      }
      return value.trim();
    }
    case 'range': {
      const r = parseRange(value);
      if (!r.ok) fail(src, path, r.reason);
      return r.range;
    }
    case 'envValue': {
      if (value === null && desc.nullable === true) return null;
      if (typeof value === 'string') {
        if (value.length > 4096) fail(src, path, 'longer than 4096 characters');
        return value;
      }
      if (typeof value === 'boolean') return String(value);
      if (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) return String(value);
      fail(src, path, `expected a value (text, number or true/false)${desc.nullable ? ' or null to remove it' : ''}, got ${describeValue(value)}`);
    }
    // falls through (unreachable: fail never returns)
    case 'object':
      return validateObject(src, desc, value, path);
    case 'map':
      return validateMap(src, desc, value, path);
    case 'array':
    case 'oneOrMany':
      return validateList(src, desc, value, path);
    case 'union':
      return validateUnion(src, desc, value, path);
    case 'any':
      return value;
  }
}

function validateMap(src: Located, desc: Extract<Desc, { t: 'map' }>, value: unknown, path: Path): Record<string, unknown> {
  if (!isPlainObject(value)) fail(src, path, `expected a map of key: value, got ${describeValue(value)}`);
  const keys = Object.keys(value);
  if (keys.length > desc.maxEntries) fail(src, path, `more than ${desc.maxEntries} entries (${keys.length})`);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const p = [...path, k];
    if (k.length === 0) fail(src, p, 'empty key', true);
    if (k.length > desc.maxKeyLength) fail(src, p, `key longer than ${desc.maxKeyLength} characters`, true);
    if (desc.keys !== undefined && !desc.keys.includes(k)) {
      fail(src, p, `unknown key "${clip(k)}"${didYouMean(k, desc.keys) || ` (expected ${desc.keyDoc ?? 'one of ' + desc.keys.join(', ')})`}`, true);
    }
    if (desc.keyPattern !== undefined && !desc.keyPattern.test(k)) fail(src, p, `"${clip(k)}" is not ${desc.keyDoc ?? 'a valid key'}`, true);
    const v = value[k];
    out[k] = v === null && desc.nullableValues === true ? null : validate(src, desc.value, v, p);
  }
  return out;
}

function validateList(src: Located, desc: Extract<Desc, { t: 'array' | 'oneOrMany' }>, value: unknown, path: Path): unknown[] {
  let items: unknown[];
  if (Array.isArray(value)) items = value;
  else if (desc.t === 'oneOrMany' && value !== null && value !== undefined) items = [value];
  else fail(src, path, `expected a list, got ${describeValue(value)}`);
  const min = desc.t === 'array' ? desc.minItems ?? 0 : 1;
  if (items.length < min) fail(src, path, min === 1 ? 'the list is empty; give at least one item' : `needs at least ${min} items`);
  if (items.length > desc.maxItems) fail(src, path, `more than ${desc.maxItems} items (${items.length})`);
  const arr = Array.isArray(value);
  return items.map((it, i) => validate(src, desc.items, it, arr ? [...path, i] : path));
}

function validateUnion(src: Located, desc: Extract<Desc, { t: 'union' }>, value: unknown, path: Path): Record<string, unknown> {
  if (!isPlainObject(value)) fail(src, path, `expected a map with \`${desc.tag}:\`, got ${describeValue(value)}`);
  const tag = value[desc.tag];
  const names = Object.keys(desc.variants);
  if (tag === undefined) fail(src, path, `missing \`${desc.tag}:\` (one of: ${names.join('; ')})`);
  if (typeof tag !== 'string') fail(src, [...path, desc.tag], `expected a ${desc.what}, got ${describeValue(tag)}`);
  const norm = tag.trim().replace(/\s+/g, ' ');
  const variant = desc.variants[norm];
  if (variant === undefined) {
    fail(src, [...path, desc.tag], `unknown ${desc.what} "${clip(tag)}"${didYouMean(norm, names) || ` (${desc.what}s: ${names.join('; ')})`}`);
  }
  return validateObject(src, variant, { ...value, [desc.tag]: norm }, path);
}

function durationOf(src: Located, path: Path, value: unknown): number {
  if (value === 0) return 0;
  if (typeof value === 'number') fail(src, path, `expected a duration with a unit (e.g. ${value}s or ${value}ms), got ${rawOf(src, path) ?? value}`);
  if (typeof value !== 'string') fail(src, path, `expected a duration like 90s, 5m or 1h30m, got ${describeValue(value)}`);
  const d = parseDuration(value);
  if (!d.ok) fail(src, path, d.reason);
  return d.ms;
}

function validateObject(src: Located, desc: ObjectDesc, value: unknown, path: Path): Record<string, unknown> {
  if (!isPlainObject(value)) fail(src, path, `expected a map, got ${describeValue(value)}`);
  const known = Object.keys(desc.fields);
  for (const k of Object.keys(value)) {
    if (!Object.prototype.hasOwnProperty.call(desc.fields, k)) {
      fail(src, [...path, k], `unknown key "${clip(k)}"${didYouMean(k, known) || ` (known keys: ${known.join(', ')})`}`, true);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(desc.fields)) {
    const v = value[k];
    if (v === undefined || (v === null && !f.required)) {
      if (f.required) fail(src, path, `missing required key "${k}" (${f.doc.replace(/\.$/, '').replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase())})`);
      continue;
    }
    out[k] = validate(src, f.type, v, [...path, k]);
  }
  if (desc.exactlyOne !== undefined) {
    const present = desc.exactlyOne.filter((k) => out[k] !== undefined);
    if (present.length !== 1) {
      fail(src, path, present.length === 0 ? `needs one of: ${desc.exactlyOne.join(', ')}` : `give only one of ${present.join(', ')}`);
    }
  }
  return out;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clip(s: string): string {
  return s.length > 40 ? s.slice(0, 40) + '…' : s;
}
