/**
 * Where a value came from in the files `import` reads (file name and field path, e.g. `network-interfaces.json`
 * `NetworkInterfaces[3].PrivateIpAddresses`), and typed reads of plain JSON values that fail with one InputError
 * naming that file and field. Not here: what any field means (aws.ts, k8s.ts).
 */
import { InputError } from '../util/input-error.ts';

export type Json = unknown;
export type JsonObject = Record<string, unknown>;

export class At {
  constructor(
    readonly file: string,
    readonly path: string,
  ) {}

  /** The member `k` (a key or an index) of this value. */
  at(k: string | number): At {
    if (typeof k === 'number') return new At(this.file, `${this.path}[${k}]`);
    const key = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : `[${JSON.stringify(k)}]`;
    return new At(this.file, this.path === '' ? key : key.startsWith('[') ? `${this.path}${key}` : `${this.path}.${key}`);
  }

  fail(reason: string): never {
    throw new InputError({ file: this.file, field: this.path === '' ? undefined : this.path }, reason);
  }

  /** "file: field" for warnings and YAML comments. */
  toString(): string {
    return this.path === '' ? this.file : `${this.file}: ${this.path}`;
  }
}

export function isObject(v: Json): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(o: JsonObject, key: string, at: At): JsonObject {
  const v = o[key];
  if (!isObject(v)) return at.at(key).fail(v === undefined ? 'missing' : `expected an object, got ${kindOf(v)}`);
  return v;
}

export function optObj(o: JsonObject, key: string, at: At): JsonObject | undefined {
  return o[key] === undefined || o[key] === null ? undefined : obj(o, key, at);
}

export function arr(o: JsonObject, key: string, at: At): Json[] {
  const v = o[key];
  if (!Array.isArray(v)) return at.at(key).fail(v === undefined ? 'missing' : `expected a list, got ${kindOf(v)}`);
  return v;
}

/** A list that may be absent (the AWS CLI and kubectl leave empty lists out). */
export function optArr(o: JsonObject, key: string, at: At): Json[] {
  return o[key] === undefined || o[key] === null ? [] : arr(o, key, at);
}

export function str(o: JsonObject, key: string, at: At): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') return at.at(key).fail(v === undefined ? 'missing' : `expected a non-empty string, got ${kindOf(v)}`);
  return v;
}

export function optStr(o: JsonObject, key: string, at: At): string | undefined {
  return o[key] === undefined || o[key] === null ? undefined : str(o, key, at);
}

export function int(o: JsonObject, key: string, at: At): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return at.at(key).fail(v === undefined ? 'missing' : `expected a whole number, got ${kindOf(v)}`);
  return v;
}

export function optBool(o: JsonObject, key: string, at: At): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') return at.at(key).fail(`expected true or false, got ${kindOf(v)}`);
  return v;
}

/** A string → string map (labels, nodeSelector); numbers and booleans are kept as their text. */
export function stringMap(o: JsonObject, key: string, at: At): Record<string, string> {
  const v = o[key];
  if (v === undefined || v === null) return {};
  if (!isObject(v)) return at.at(key).fail(`expected a map, got ${kindOf(v)}`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') return at.at(key).at(k).fail(`expected a string, got ${kindOf(x)}`);
    out[k] = String(x);
  }
  return out;
}

/** EC2's `[{Key, Value}]` tag lists (`Tags` on subnets and instances, `TagSet` on ENIs) as a map. */
export function tagList(o: JsonObject, key: string, at: At): Record<string, string> {
  const out: Record<string, string> = {};
  optArr(o, key, at).forEach((t, i) => {
    const ta = at.at(key).at(i);
    if (!isObject(t)) return ta.fail(`expected {Key, Value}, got ${kindOf(t)}`);
    out[str(t, 'Key', ta)] = typeof t.Value === 'string' ? t.Value : ta.at('Value').fail('expected a string');
  });
  return out;
}

export function kindOf(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}
