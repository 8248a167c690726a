/**
 * Reading a YAML file as typed input with positions: every value is read through a `YamlValue` that knows its
 * dotted field path and its file:line:col, so each complaint is one InputError line pointing at the offending
 * value (src/util/input-error.ts). Used by the benchmark workload loader; it knows nothing of workloads.
 * It is not a schema library: callers ask for the type they expect, field by field, and unknown keys are errors.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { InputError } from '../util/input-error.ts';

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses "90s", "1.5m", "2h", "250ms", or "1h30m" to integer milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '' ) return undefined;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  for (;;) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (m === null) break;
    total += Number(m[1]) * DURATION_UNITS[m[2]];
    pos = re.lastIndex;
  }
  if (pos !== s.length || pos === 0) return undefined;
  return Math.round(total);
}

/** Formats ms as the shortest of "1h", "90s", "1h30m", "250ms". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 1000 !== 0) return `${ms}ms`;
  let s = ms / 1000;
  let out = '';
  if (s >= 3600 && s % 60 === 0) {
    out += `${Math.floor(s / 3600)}h`;
    s %= 3600;
  }
  if (s >= 60 && s % 60 === 0) {
    out += `${s / 60}m`;
    s = 0;
  }
  if (s > 0) out += `${s}s`;
  return out;
}

export class YamlValue {
  constructor(
    private readonly file: string,
    private readonly lc: LineCounter,
    readonly node: Node | null,
    readonly path: string,
    /** Where to point when the value is absent (the parent). */
    private readonly fallbackOffset: number,
  ) {}

  /** Parses a whole file; syntax errors become InputErrors at their position. */
  static parse(file: string, text: string): YamlValue {
    const lc = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
    const err = doc.errors[0];
    if (err !== undefined) {
      const pos = lc.linePos(err.pos[0]);
      const msg = err.message.split('\n')[0].replace(/ at line \d+, column \d+.*$/, '');
      throw new InputError({ file, line: pos.line, column: pos.col }, `YAML: ${msg}`);
    }
    return new YamlValue(file, lc, (doc.contents as Node | null) ?? null, '', 0);
  }

  get present(): boolean {
    return this.node !== null && !(isScalar(this.node) && this.node.value === null);
  }

  /** An InputError located at this value (or at its parent when absent). */
  error(reason: string): InputError {
    const offset = this.node?.range?.[0] ?? this.fallbackOffset;
    const pos = this.lc.linePos(offset);
    return new InputError({ file: this.file, line: pos.line, column: pos.col, field: this.path || undefined }, reason);
  }

  private child(node: Node | null, key: string | number): YamlValue {
    const path = typeof key === 'number' ? `${this.path}[${key}]` : this.path === '' ? key : `${this.path}.${key}`;
    return new YamlValue(this.file, this.lc, node, path, this.node?.range?.[0] ?? this.fallbackOffset);
  }

  /** A mapping's fields; any key not in `allowed` is an error naming the allowed keys. */
  fields(allowed: readonly string[]): Record<string, YamlValue> {
    if (!this.present || !isMap(this.node)) throw this.error(`expected a mapping with keys ${allowed.join(', ')}`);
    const out: Record<string, YamlValue> = {};
    for (const k of allowed) out[k] = this.child(null, k);
    for (const pair of this.node.items) {
      const keyNode = pair.key as Node;
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      if (!allowed.includes(key)) {
        const kv = new YamlValue(this.file, this.lc, keyNode, this.path === '' ? key : `${this.path}.${key}`, 0);
        throw kv.error(`unknown field (allowed: ${allowed.join(', ')})`);
      }
      out[key] = this.child((pair.value as Node | null) ?? null, key);
    }
    return out;
  }

  /** A mapping with free-form keys (e.g. env), values read by the caller. */
  entries(): [string, YamlValue][] {
    if (!this.present) return [];
    if (!isMap(this.node)) throw this.error('expected a mapping');
    return this.node.items.map((pair) => {
      const key = isScalar(pair.key) ? String((pair.key as { value: unknown }).value) : '';
      return [key, this.child((pair.value as Node | null) ?? null, key)];
    });
  }

  items(): YamlValue[] {
    if (!this.present) return [];
    if (!isSeq(this.node)) throw this.error('expected a list');
    return this.node.items.map((n, i) => this.child((n as Node | null) ?? null, i));
  }

  private scalar(): unknown {
    if (!isScalar(this.node)) throw this.error('expected a single value, got a ' + (isSeq(this.node) ? 'list' : 'mapping'));
    return this.node.value;
  }

  required(): this {
    if (!this.present) throw this.error('required');
    return this;
  }

  str(dflt?: string): string {
    if (!this.present) {
      if (dflt === undefined) throw this.error('required');
      return dflt;
    }
    const v = this.scalar();
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw this.error('expected a string');
  }

  /** A string value (numbers and booleans as written, e.g. env values "1" or 1). */
  envValue(): string {
    if (!this.present) throw this.error('expected a value (quote it: "1")');
    const v = this.scalar();
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      const src = isScalar(this.node) ? (this.node as { source?: string }).source : undefined;
      return typeof src === 'string' ? src : String(v);
    }
    throw this.error('expected a string');
  }

  int(min: number, max: number, dflt?: number): number {
    if (!this.present) {
      if (dflt === undefined) throw this.error('required');
      return dflt;
    }
    const v = this.scalar();
    if (typeof v !== 'number' || !Number.isInteger(v)) throw this.error(`expected a whole number, got ${JSON.stringify(v)}`);
    if (v < min || v > max) throw this.error(`must be between ${min} and ${max}, got ${v}`);
    return v;
  }

  num(min: number, max: number, dflt?: number): number {
    if (!this.present) {
      if (dflt === undefined) throw this.error('required');
      return dflt;
    }
    const v = this.scalar();
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.error(`expected a number, got ${JSON.stringify(v)}`);
    if (v < min || v > max) throw this.error(`must be between ${min} and ${max}, got ${v}`);
    return v;
  }

  bool(dflt: boolean): boolean {
    if (!this.present) return dflt;
    const v = this.scalar();
    if (typeof v !== 'boolean') throw this.error(`expected true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  /** A duration ("90s", "5m", "1h", "250ms"), in ms, within [minMs, maxMs]. */
  duration(minMs: number, maxMs: number, dflt?: number): number {
    if (!this.present) {
      if (dflt === undefined) throw this.error('required');
      return dflt;
    }
    const v = this.scalar();
    const ms = typeof v === 'string' ? parseDuration(v) : v === 0 ? 0 : undefined;
    if (ms === undefined) throw this.error(`expected a duration like 90s, 5m or 1h, got ${JSON.stringify(v)}`);
    if (ms < minMs || ms > maxMs) {
      throw this.error(`must be between ${formatDuration(minMs)} and ${formatDuration(maxMs)}, got ${String(v)}`);
    }
    return ms;
  }

  oneOf<T extends string>(allowed: readonly T[], dflt?: T): T {
    const s = this.str(dflt);
    if (!(allowed as readonly string[]).includes(s)) throw this.error(`must be one of ${allowed.join(', ')}, got "${s}"`);
    return s as T;
  }
}
