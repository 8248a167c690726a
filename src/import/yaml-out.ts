/**
 * The imported scenario as YAML text: block style for sections, one line per subnet, ENI, pod and ENIConfig (flow
 * maps), and each note as a `#` comment above the key or item it is about (above the nearest block-style one when
 * it points inside a one-line item). A small emitter of our own rather than the `yaml` library's Document: a
 * 20,000-pod cluster is written in well under a second instead of several. Strings are written plain only when YAML
 * reads them back as the same string (letters, digits, `.`, `_`, `/`, `-`, `:` not followed by a space, and nothing
 * that reads as a number, boolean or null); otherwise double-quoted as JSON writes them, which YAML reads the same.
 * Not here: what goes in the scenario (cluster-section.ts, existing-section.ts).
 */
import type { Note, OutPath } from './notes.ts';

/** Paths written as one-line flow collections (`*` is any index). */
const FLOW: string[][] = [
  ['vpc', 'cidrBlocks'],
  ['subnets', '*'],
  ['cluster', 'eniConfigs', '*'],
  ['nodeGroups', '*', 'subnets'],
  ['nodeGroups', '*', 'labels'],
  ['existing', 'nodes', '*', 'labels'],
  ['existing', 'nodes', '*', 'enis', '*'],
  ['existing', 'pods', '*'],
  ['existing', 'deployments', '*', 'metadata'],
  ['existing', 'deployments', '*', 'spec', 'selector'],
  ['existing', 'deployments', '*', 'spec', 'template', 'metadata'],
  ['existing', 'deployments', '*', 'spec', 'template', 'spec', 'nodeSelector'],
  ['existing', 'deployments', '*', 'spec', 'template', 'spec', 'containers', '*'],
];

const WRAP = 116;

function isFlow(path: OutPath): boolean {
  return FLOW.some((p) => p.length === path.length && p.every((k, i) => k === '*' ? typeof path[i] === 'number' : k === path[i]));
}

/** The note's place, cut at the first flow collection on its way (a comment cannot sit inside a one-line item). */
function placeOf(path: OutPath): string {
  for (let i = 1; i <= path.length; i++) if (isFlow(path.slice(0, i))) return JSON.stringify(path.slice(0, i));
  return JSON.stringify(path);
}

export function renderYaml(scenario: Record<string, unknown>, header: string[], notes: Note[]): string {
  const at = new Map<string, string[]>();
  for (const n of notes) {
    const key = placeOf(n.path);
    at.set(key, [...(at.get(key) ?? []), n.text]);
  }
  const out: string[] = [];
  comment(out, '', header);
  out.push('');
  comment(out, '', at.get('[]') ?? []);
  block(out, scenario, [], '', at);
  return out.join('\n') + '\n';
}

function block(out: string[], v: Record<string, unknown> | unknown[], path: OutPath, indent: string, at: Map<string, string[]>): void {
  const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
  for (const [k, x] of entries) {
    if (x === undefined) continue;
    const p = [...path, k];
    comment(out, indent, at.get(JSON.stringify(p)) ?? []);
    const lead = typeof k === 'number' ? `${indent}- ` : `${indent}${scalar(k)}:`;
    if (x !== null && typeof x === 'object' && !isFlow(p) && Object.keys(x).length > 0) {
      if (typeof k === 'number') {
        // A block map as a list item: its first key on the dash's line.
        const inner: string[] = [];
        block(inner, x as Record<string, unknown>, p, `${indent}  `, at);
        out.push(lead + inner[0].slice(indent.length + 2), ...inner.slice(1));
      } else {
        out.push(lead);
        block(out, x as Record<string, unknown>, p, `${indent}  `, at);
      }
    } else out.push(`${lead}${typeof k === 'number' ? '' : ' '}${flow(x)}`);
  }
}

/** A value on one line: `{ k: v, … }`, `[ a, b ]` or a scalar. */
function flow(v: unknown): string {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[ ${v.map(flow).join(', ')} ]`;
  if (v !== null && typeof v === 'object') {
    const e = Object.entries(v).filter(([, x]) => x !== undefined);
    return e.length === 0 ? '{}' : `{ ${e.map(([k, x]) => `${scalar(k)}: ${flow(x)}`).join(', ')} }`;
  }
  return scalar(v);
}

const PLAIN = /^[A-Za-z0-9_][A-Za-z0-9._/-]*$/;
/** Plain scalars YAML (1.1 or 1.2) would read as something other than this string. */
const NOT_A_STRING = /^([-+]?(\.\d+|\d[\d_]*(\.\d*)?)([eE][-+]?\d+)?|0[xo][0-9a-fA-F]+|true|false|yes|no|on|off|y|n|null|~)$/i;

function scalar(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  const s = String(v);
  return PLAIN.test(s) && !NOT_A_STRING.test(s) ? s : JSON.stringify(s);
}

/** Comment lines, wrapped at WRAP columns; continuation lines indented two more spaces. */
function comment(out: string[], indent: string, texts: string[]): void {
  for (const t of texts) {
    let line = '';
    for (const word of t.replace(/\s*\n\s*/g, ' ').split(' ')) {
      if (line !== '' && indent.length + 2 + line.length + 1 + word.length > WRAP) {
        out.push(`${indent}# ${line}`);
        line = `  ${word}`;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    out.push(`${indent}# ${line}`);
  }
}
