/**
 * `--set path=value` overrides, applied to the parsed document before validation with immer's `produce` (the
 * project's seam for document edits). Paths are dotted (`cluster.vpcCni.env.WARM_IP_TARGET`), list items by index
 * (`nodeGroups.0.desiredCapacity`) or by their `name`/`id` (`nodeGroups.ng-1.desiredCapacity`), and keys with dots
 * in brackets (`subnets.0.tags[kubernetes.io/role/cni]`). Values are read as YAML scalars or flow collections
 * (`5`, `true`, `"1.29"`, `[a, b]`). A path the format does not know is an InputError naming `--set`.
 * Not here: checking the new value (validate.ts does, as for any value in the file).
 */
import { produce } from 'immer';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../util/input-error.ts';
import type { Desc } from './descriptor.ts';
import { pathKey, type Located } from './source.ts';
import { SCENARIO } from './spec.ts';
import { didYouMean } from '../util/suggest.ts';
import { escapeControls } from './validate.ts';

const MAX_SET_LENGTH = 10_000;

export function splitSetPath(key: string, flag: string): string[] {
  const segs: string[] = [];
  let i = 0;
  while (i < key.length) {
    if (key[i] === '[') {
      const end = key.indexOf(']', i);
      if (end < 0) throw new InputError({ field: flag }, `unclosed [ in "${key}"`);
      segs.push(key.slice(i + 1, end));
      i = end + 1;
      if (key[i] === '.') i++;
    } else {
      let end = i;
      while (end < key.length && key[end] !== '.' && key[end] !== '[') end++;
      segs.push(key.slice(i, end));
      i = end;
      if (key[i] === '.') i++;
    }
  }
  if (segs.length === 0 || segs.some((s) => s === '')) throw new InputError({ field: flag }, `"${key}" is not a path like cluster.vpcCni.env.WARM_IP_TARGET`);
  return segs;
}

/** A parsed YAML value that contains itself (`&a [*a]`): the file loader refuses it by depth, here it would loop. */
function refersToItself(v: unknown, open = new Set<object>()): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (open.has(v)) return true;
  open.add(v);
  for (const x of Object.values(v)) if (refersToItself(x, open)) return true;
  open.delete(v);
  return false;
}

/** Applies each `key=value` to `src.value`, returning a new Located whose overridden paths are marked. */
export function applySets(src: Located, sets: readonly string[]): Located {
  let value = src.value;
  const overrides = new Map(src.overrides);
  for (const text of sets) {
    const flag = escapeControls(`--set ${text.length > 60 ? text.slice(0, 60) + '…' : text}`);
    if (text.length > MAX_SET_LENGTH) throw new InputError({ field: '--set' }, `longer than ${MAX_SET_LENGTH} characters`);
    const eq = text.indexOf('=');
    if (eq <= 0) throw new InputError({ field: flag }, 'expected key=value (e.g. --set cluster.vpcCni.env.WARM_IP_TARGET=2)');
    const segs = splitSetPath(text.slice(0, eq).trim(), flag);
    let newValue: unknown;
    try {
      newValue = parseYaml(text.slice(eq + 1), { maxAliasCount: 10, prettyErrors: false, strict: true, uniqueKeys: true, logLevel: 'error' });
    } catch (err) {
      throw new InputError({ field: flag }, escapeControls(`the value is not valid YAML: ${(err as Error).message.split('\n')[0]}`));
    }
    if (refersToItself(newValue)) throw new InputError({ field: flag }, 'the value refers to itself (an alias inside its own anchor, like &a [*a])');
    const { path: resolved, desc } = resolvePath(value, segs, flag);
    // A string field keeps the text as typed: --set cluster.kubernetesVersion=1.30 means "1.30", not 1.3.
    if ((desc?.t === 'string' || desc?.t === 'envValue') && newValue !== null && typeof newValue !== 'string' && typeof newValue !== 'object') {
      newValue = text.slice(eq + 1).trim();
    }
    value = produce(value, (draft: any) => {
      let cur = draft;
      const fits = (container: unknown, k: string | number): boolean =>
        Array.isArray(container) ? typeof k === 'number' : typeof container === 'object' && container !== null;
      for (let i = 0; i < resolved.length; i++) {
        const k = resolved[i];
        if (!fits(cur, k)) {
          throw new InputError({ field: flag }, `${resolved.slice(0, i).join('.') || 'the document'} is not a map in the scenario, so it has no "${k}"`);
        }
        if (i === resolved.length - 1) break;
        if (cur[k] === undefined || cur[k] === null) cur[k] = {};
        cur = cur[k];
      }
      const last = resolved[resolved.length - 1];
      if (newValue === null && !Array.isArray(cur)) delete cur[last];
      else cur[last] = newValue;
    });
    overrides.set(pathKey(resolved), text);
  }
  return { ...src, value, overrides };
}

/** Checks the path against the format (spec.ts) and the document; list items by name become indexes. */
function resolvePath(doc: unknown, segs: string[], flag: string): { path: (string | number)[]; desc: Desc | undefined } {
  let desc: Desc | undefined = SCENARIO;
  let cur: any = doc;
  const out: (string | number)[] = [];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const here = out.length === 0 ? 'the top level' : out.join('.');
    if (desc === undefined || desc.t === 'any') {
      out.push(seg);
      cur = cur?.[seg];
      continue;
    }
    if (desc.t === 'union') {
      const tag: unknown = cur?.[desc.tag];
      desc = typeof tag === 'string' ? desc.variants[tag.trim().replace(/\s+/g, ' ')] : undefined;
      if (desc === undefined) throw new InputError({ field: flag }, `cannot tell which command ${here} is, so "${seg}" is unknown`);
    }
    switch (desc.t) {
      case 'object': {
        if (!Object.prototype.hasOwnProperty.call(desc.fields, seg)) {
          const known = Object.keys(desc.fields);
          const hint = didYouMean(seg, known) || ` (known keys: ${known.join(', ')})`;
          throw new InputError({ field: flag }, escapeControls(`unknown key "${seg}" in ${here}${hint}`));
        }
        if (cur !== undefined && cur !== null && (typeof cur !== 'object' || Array.isArray(cur))) {
          throw new InputError({ field: flag }, `${here} is not a map in the scenario`);
        }
        desc = desc.fields[seg].type;
        break;
      }
      case 'map':
        if (cur !== undefined && cur !== null && (typeof cur !== 'object' || Array.isArray(cur))) {
          throw new InputError({ field: flag }, `${here} is not a map in the scenario`);
        }
        desc = desc.value;
        break;
      case 'array':
      case 'oneOrMany': {
        if (desc.t === 'oneOrMany' && cur !== null && typeof cur === 'object' && !Array.isArray(cur)) {
          desc = desc.items;
          i--;
          continue;
        }
        if (!Array.isArray(cur)) throw new InputError({ field: flag }, `${here} is not a list in this scenario`);
        let idx: number;
        if (/^\d+$/.test(seg)) {
          idx = Number(seg);
          if (idx >= cur.length) throw new InputError({ field: flag }, `${here} has ${cur.length} item(s); index ${seg} is out of range`);
        } else {
          idx = cur.findIndex((it: any) => it?.name === seg || it?.id === seg);
          if (idx < 0) {
            const names = cur.map((it: any) => it?.name ?? it?.id).filter((n: unknown) => typeof n === 'string');
            throw new InputError({ field: flag }, `no item named "${seg}" in ${here}${didYouMean(seg, names)}`);
          }
        }
        out.push(idx);
        cur = cur[idx];
        desc = desc.items;
        continue;
      }
      default:
        throw new InputError({ field: flag }, `${here} is a single value; "${seg}" cannot be set inside it`);
    }
    out.push(seg);
    cur = cur?.[seg];
  }
  if (out.length === 0) throw new InputError({ field: flag }, 'empty path');
  return { path: out, desc };
}
