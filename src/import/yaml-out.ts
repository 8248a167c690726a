/**
 * The imported scenario as YAML text: block style for sections, one line per subnet, ENI, pod and ENIConfig (flow
 * maps), and each note as a `#` comment above the key or item it is about (above the nearest block-style one when
 * it points inside a one-line item). Built with the `yaml` library's Document API, so quoting is the library's.
 * Not here: what goes in the scenario (cluster-section.ts, existing-section.ts).
 */
import { Document, isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
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

export function renderYaml(scenario: Record<string, unknown>, header: string[], notes: Note[]): string {
  const doc = new Document(scenario);
  for (const pattern of FLOW) markFlow(doc.contents as Node, pattern);
  doc.commentBefore = comment(header);
  const at = new Map<Node | Document, string[]>();
  for (const n of notes) {
    const target = commentTarget(doc, n.path);
    const list = at.get(target) ?? [];
    list.push(n.text);
    at.set(target, list);
  }
  for (const [target, texts] of at) {
    const text = comment(texts);
    target.commentBefore = target.commentBefore === undefined || target.commentBefore === null ? text : `${target.commentBefore}\n${text}`;
  }
  return doc.toString({ lineWidth: 0 });
}

function markFlow(node: Node | null | undefined, pattern: string[]): void {
  if (node === null || node === undefined) return;
  if (pattern.length === 0) {
    if (isMap(node) || isSeq(node)) node.flow = true;
    return;
  }
  const [head, ...rest] = pattern;
  if (isSeq(node) && head === '*') for (const item of node.items) markFlow(item as Node, rest);
  if (isMap(node)) {
    const pair = (node.items as Pair[]).find((p) => keyOf(p) === head);
    if (pair !== undefined) markFlow(pair.value as Node, rest);
  }
}

function keyOf(p: Pair): unknown {
  return isScalar(p.key) ? p.key.value : p.key;
}

/** The key scalar or item the comment sits above: the deepest one on the path not inside a flow collection. */
function commentTarget(doc: Document, path: OutPath): Node | Document {
  let target: Node | Document = doc;
  let node = doc.contents as Node | null;
  for (const step of path) {
    if (node === null || ((isMap(node) || isSeq(node)) && node.flow === true)) break;
    if (isMap(node)) {
      const pair = (node.items as Pair[]).find((p) => keyOf(p) === step);
      if (pair === undefined) break;
      target = pair.key as Node;
      node = pair.value as Node;
    } else if (isSeq(node) && typeof step === 'number' && node.items[step] !== undefined) {
      target = node.items[step] as Node;
      node = target;
    } else break;
  }
  return target;
}

/** Lines of comment text, wrapped, each starting with a space after the `#` the library writes. */
function comment(texts: string[]): string {
  const out: string[] = [];
  for (const t of texts) {
    let line = '';
    for (const word of t.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > WRAP) {
        out.push(` ${line}`);
        line = `  ${word}`;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    out.push(` ${line}`);
  }
  return out.join('\n');
}
