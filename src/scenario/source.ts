/**
 * Parsing a scenario's bytes or text safely (reading the file is the CLI's: src/cli/scenario-file.ts): size limit, binary detection, YAML parsing with positions, and
 * conversion of the YAML tree to plain values while remembering where each value (and each map key) was written.
 * Guards against hostile input live here: files over 20 MB, NUL bytes / invalid UTF-8, nesting deeper than 64,
 * more than 100 alias references or 2,000,000 nodes (alias bombs), duplicate keys, multiple documents.
 * Not here: what the values mean (spec.ts, validate.ts, semantic.ts).
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Alias, type Document, type Node as YamlNode, type Scalar, type YAMLMap } from 'yaml';
import { InputError } from '../util/input-error.ts';

/** A 1,000-node, 20,000-pod `existing` state written by `import` is about 5 MB of YAML: room for four times that. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_DEPTH = 64;
export const MAX_ALIASES = 100;
export const MAX_NODES = 2_000_000;

export type Path = ReadonlyArray<string | number>;

export interface Pos {
  line: number;
  column: number;
}

/** A parsed document: plain values plus the position of every value and key, by path. */
export interface Located {
  file: string;
  value: unknown;
  /** Where the value at `path` was written (the nearest written ancestor when the path is not in the file). */
  pos(path: Path): Pos | undefined;
  /** Where the key of the map entry at `path` was written. */
  keyPos(path: Path): Pos | undefined;
  /** The source text of a number scalar at `path` (so messages show `1.30`, not 1.3). */
  raw(path: Path): string | undefined;
  /** Paths replaced from outside the file (`--set`), with the text that set them. */
  overrides: Map<string, string>;
}

export function pathKey(path: Path): string {
  return path.map(String).join('\u0000');
}

/** Dotted form for messages: `nodeGroups[0].instanceType`, `subnets[2].tags["kubernetes.io/role/cni"]`. */
export function formatPath(path: Path): string {
  if (path.length > 8) return `${formatPath(path.slice(0, 3))}…${formatPath(path.slice(-2)).replace(/^(?=[A-Za-z_])/, '.')}`;
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(p)) out += out === '' ? p : `.${p}`;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}

/** Decodes and parses bytes already in memory (a file's, tests, stdin). */
export function parseScenarioBytes(bytes: Uint8Array, file: string): Located {
  if (bytes.length > MAX_FILE_BYTES) {
    throw new InputError({ file }, `file is ${(bytes.length / 1048576).toFixed(1)} MB; scenario files are limited to ${MAX_FILE_BYTES / 1048576} MB`);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new InputError({ file, ...offsetPos(bytes, nul) }, 'binary data (a NUL byte): a scenario is a YAML text file');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError({ file }, 'not valid UTF-8 text: a scenario is a YAML text file');
  }
  return parseScenarioText(text, file);
}

/** Parses decoded text (a leading BOM dropped) into plain values with their positions, refusing hostile input. */
export function parseScenarioText(text: string, file: string): Located {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  refuseUnreadableText(text, file);
  const { doc, at } = parseOneDocument(text, file);
  const c = new YamlToPlain(text, file, at);
  const value = c.convert(doc.contents, [], 0, false);
  const { valuePos, keyPositions, rawText } = c;
  const lookup = (m: Map<string, Pos>) => (path: Path): Pos | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const p = m.get(pathKey(path.slice(0, n)));
      if (p !== undefined) return p;
      if (m === keyPositions) break;
    }
    return m === keyPositions ? lookup(valuePos)(path) : undefined;
  };
  return { file, value, pos: lookup(valuePos), keyPos: lookup(keyPositions), raw: (path) => rawText.get(pathKey(path)), overrides: new Map() };
}

/** Refuses, before any YAML parsing, control characters and flow nesting deeper than MAX_DEPTH. */
function refuseUnreadableText(text: string, file: string): void {
  const ctl = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(text);
  if (ctl !== null) {
    const lc = lineCol(text, ctl.index);
    throw new InputError({ file, ...lc }, `control character U+${ctl[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}: a scenario is a YAML text file`);
  }
  const deep = flowDepthExceeded(text, MAX_DEPTH);
  if (deep !== undefined) throw new InputError({ file, ...lineCol(text, deep) }, `nesting deeper than ${MAX_DEPTH} levels`);
}

/** Maps a text offset to its line and column (undefined in, undefined out). */
type At = (offset: number | undefined) => Pos | undefined;

/** Parses the text as exactly one YAML document, refusing syntax errors, unknown tags and an empty file. */
function parseOneDocument(text: string, file: string): { doc: Document.Parsed; at: At } {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true, logLevel: 'error' });
  } catch (err) {
    throw new InputError({ file }, `YAML could not be parsed: ${oneLine(err)}`);
  }
  const at: At = (offset) => {
    if (offset === undefined) return undefined;
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const msg = /call stack/i.test(e.message)
      ? `nested too deeply for the parser (a scenario may nest at most ${MAX_DEPTH} levels)`
      : e.code === 'MULTIPLE_DOCS'
        ? 'more than one YAML document (a second ---); a scenario is one document'
        : oneLine(e.message);
    throw new InputError({ file, ...at(e.pos?.[0]) }, `YAML syntax error: ${msg}`);
  }
  const tagWarning = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (tagWarning !== undefined) {
    throw new InputError({ file, ...at(tagWarning.pos?.[0]) }, `unknown YAML tag (${oneLine(tagWarning.message).replace(/^Unresolved tag: /, '')}); a scenario uses plain YAML values`);
  }
  if (doc.contents === null) throw new InputError({ file, line: 1, column: 1 }, 'the file holds no YAML document (empty scenario)');
  return { doc, at };
}

/**
 * Converts a YAML tree to plain values, remembering where each value and key was written and the source text of
 * numbers, and counting nodes and alias references against the alias-bomb limits.
 */
class YamlToPlain {
  readonly valuePos = new Map<string, Pos>();
  readonly rawText = new Map<string, string>();
  readonly keyPositions = new Map<string, Pos>();
  private readonly anchors = new Map<string, YamlNode>();
  private nodes = 0;
  private aliases = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly at: At,
  ) {}

  convert(node: unknown, path: (string | number)[], depth: number, viaAlias: boolean): unknown {
    const { file, at } = this;
    if (++this.nodes > MAX_NODES) {
      throw new InputError({ file, ...at(rangeStart(node)), field: formatPath(path) }, `more than ${MAX_NODES} YAML nodes (an alias bomb?); refusing`);
    }
    if (depth > MAX_DEPTH) {
      throw new InputError({ file, ...at(rangeStart(node)), field: formatPath(path) }, `nesting deeper than ${MAX_DEPTH} levels`);
    }
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.convertAlias(node, path, depth);
    const n = node as YamlNode;
    if (!viaAlias && typeof n.anchor === 'string') this.anchors.set(n.anchor, n);
    const p = at(rangeStart(n));
    if (p !== undefined && !this.valuePos.has(pathKey(path))) this.valuePos.set(pathKey(path), p);
    if (isScalar(n)) return this.convertScalar(n, path);
    if (isMap(n)) return this.convertMap(n, path, depth, viaAlias);
    if (isSeq(n)) {
      return n.items.map((item, i) => this.convert(item, [...path, i], depth + 1, viaAlias));
    }
    throw new InputError({ file, ...p, field: formatPath(path) }, 'unsupported YAML node');
  }

  private convertAlias(node: Alias, path: (string | number)[], depth: number): unknown {
    const { file, at } = this;
    if (++this.aliases > MAX_ALIASES) {
      throw new InputError({ file, ...at(rangeStart(node)), field: formatPath(path) }, `more than ${MAX_ALIASES} alias references (an alias bomb?); refusing`);
    }
    const target = this.anchors.get(node.source);
    if (target === undefined) {
      throw new InputError({ file, ...at(rangeStart(node)), field: formatPath(path) }, `alias *${node.source} names no anchor defined before it`);
    }
    if (!this.valuePos.has(pathKey(path))) this.valuePos.set(pathKey(path), at(rangeStart(node))!);
    return this.convert(target, path, depth, true);
  }

  private convertScalar(n: Scalar, path: (string | number)[]): unknown {
    const v = n.value;
    if ((typeof v === 'number' || typeof v === 'bigint') && n.range) this.rawText.set(pathKey(path), this.text.slice(n.range[0], Math.min(n.range[1], n.range[0] + 60)));
    if (typeof v === 'bigint') return Number(v);
    if (v === undefined) return null;
    if (v instanceof Uint8Array || v instanceof Date) return String(n.source ?? v);
    return v;
  }

  private convertMap(n: YAMLMap, path: (string | number)[], depth: number, viaAlias: boolean): Record<string, unknown> {
    const { file, at } = this;
    const out: Record<string, unknown> = Object.create(null);
    for (const pair of n.items) {
      const k = pair.key;
      let key: string;
      if (isScalar(k) && (typeof k.value === 'string' || typeof k.value === 'number' || typeof k.value === 'boolean')) key = String(k.value);
      else if (k === null || (isScalar(k) && k.value === null)) key = '';
      else {
        throw new InputError({ file, ...at(rangeStart(k)), field: formatPath(path) }, 'map keys must be plain words, not lists, maps or aliases');
      }
      if (key === '<<') {
        throw new InputError({ file, ...at(rangeStart(k)), field: formatPath(path) }, 'merge keys (<<) are not supported; repeat the fields or use an alias for a whole value');
      }
      const childPath = [...path, key];
      const kp = at(rangeStart(k));
      if (kp !== undefined) this.keyPositions.set(pathKey(childPath), kp);
      if (kp !== undefined && !isNodeWithRange(pair.value)) this.valuePos.set(pathKey(childPath), kp);
      out[key] = this.convert(pair.value, childPath, depth + 1, viaAlias);
    }
    return toPlainObject(out);
  }
}

/** A null-prototype object made ordinary (so immer and JSON treat it as a plain object). */
function toPlainObject(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    Object.defineProperty(out, k, { value: o[k], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function isNodeWithRange(v: unknown): boolean {
  return rangeStart(v) !== undefined;
}

function rangeStart(node: unknown): number | undefined {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return Array.isArray(r) ? r[0] : undefined;
}

/**
 * The offset of the first `[` or `{` nested deeper than `max` (outside quotes and comments), or undefined. A cheap
 * pre-scan so that absurd flow nesting never reaches the recursive parser (whose own limit depends on stack size).
 */
function flowDepthExceeded(text: string, max: number): number | undefined {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote !== '') {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") {
      const prev = i === 0 ? ' ' : text[i - 1];
      if (/[\s\[{,:]/.test(prev)) quote = ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (ch === '[' || ch === '{') {
      if (++depth > max) return i;
    } else if ((ch === ']' || ch === '}') && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

function lineCol(text: string, index: number): Pos {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: index - last };
}

function offsetPos(bytes: Uint8Array, index: number): Pos {
  let line = 1;
  let last = -1;
  for (let i = 0; i < index; i++) {
    if (bytes[i] === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: index - last };
}

function oneLine(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  const first = m.split('\n')[0].trim();
  return first.length > 160 ? first.slice(0, 160) + '…' : first;
}
