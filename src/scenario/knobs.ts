/**
 * The settings people change most, as edits of a scenario's YAML text: aws-node's warm-pool env (WARM_ENI_TARGET,
 * WARM_IP_TARGET, MINIMUM_IP_TARGET, WARM_PREFIX_TARGET, ENABLE_PREFIX_DELEGATION, ENABLE_SUBNET_DISCOVERY), the VPC CNI
 * version, the node groups' instance type, the first Deployment's replicas and the seed. Edits go through the `yaml`
 * library's Document API, so the file's comments, order and flow style survive; the edited text is then checked by the
 * loader like any other. Browser-safe, no DOM (the playground's controls call it). Not here: what a value means
 * (spec.ts, the model), checking it (the loader).
 */
import { isMap, isScalar, isSeq, parseDocument, stringify, type Document } from 'yaml';

export type KnobKind = 'int' | 'bool' | 'text';

export interface Knob {
  id: string;
  label: string;
  kind: KnobKind;
  help: string;
  /** Suggested values (the playground offers them in a list). */
  suggestions?: readonly string[];
}

const ENV = ['cluster', 'vpcCni', 'env'];

/** A document written back whole (a key added): no line folding, `{ k: v }` as the shipped scenarios write maps. */
const LAYOUT = { lineWidth: 0, minContentWidth: 0, flowCollectionPadding: true } as const;

/** One knob per setting; the env knobs are the aws-node variables of the same name (docs/ipamd-model.md §1). */
export const KNOBS: readonly Knob[] = [
  { id: 'WARM_ENI_TARGET', label: 'WARM_ENI_TARGET', kind: 'int', help: 'whole spare ENIs each node keeps (default 1)' },
  { id: 'WARM_IP_TARGET', label: 'WARM_IP_TARGET', kind: 'int', help: 'spare addresses each node keeps (overrides WARM_ENI_TARGET)' },
  { id: 'MINIMUM_IP_TARGET', label: 'MINIMUM_IP_TARGET', kind: 'int', help: 'addresses each node holds at least' },
  { id: 'WARM_PREFIX_TARGET', label: 'WARM_PREFIX_TARGET', kind: 'int', help: 'spare /28 prefixes (prefix delegation)' },
  { id: 'ENABLE_PREFIX_DELEGATION', label: 'ENABLE_PREFIX_DELEGATION', kind: 'bool', help: '/28 prefixes instead of single addresses' },
  { id: 'ENABLE_SUBNET_DISCOVERY', label: 'ENABLE_SUBNET_DISCOVERY', kind: 'bool', help: 'new ENIs in kubernetes.io/role/cni subnets (1.18+)' },
  { id: 'version', label: 'VPC CNI version', kind: 'text', help: 'selects the behaviour era', suggestions: ['1.17.1', '1.18.0', '1.19.0', '1.21.1', '1.22.0', '1.22.1', '1.23.1'] },
  { id: 'instanceType', label: 'instance type', kind: 'text', help: 'every node group', suggestions: ['t3.small', 'm5.large', 'm6a.large', 'c5.4xlarge', 'r5.xlarge', 'm5.24xlarge'] },
  { id: 'replicas', label: 'replicas', kind: 'int', help: "the first Deployment the timeline applies" },
  { id: 'seed', label: 'seed', kind: 'int', help: 'the run seed' },
];

/** The YAML paths a knob reads (the first) and writes (all), in `doc`. */
function paths(doc: Document, id: string): (string | number)[][] {
  if (id === 'version') return [['cluster', 'vpcCni', 'version']];
  if (id === 'seed') return [['seed']];
  if (id === 'instanceType') {
    const groups = doc.get('nodeGroups');
    return isSeq(groups) ? groups.items.map((_, i) => ['nodeGroups', i, 'instanceType']) : [];
  }
  if (id === 'replicas') {
    const steps = doc.get('timeline');
    if (!isSeq(steps)) return [];
    const i = steps.items.findIndex((s, j) => isMap(s) && s.get('run') === 'kubectl apply' && doc.getIn(['timeline', j, 'manifest', 'kind']) === 'Deployment');
    return i < 0 ? [] : [['timeline', i, 'manifest', 'spec', 'replicas']];
  }
  return [[...ENV, id]];
}

/** The document of a scenario text, or undefined when the text does not parse as YAML (the loader then says why). */
function documentOf(text: string): Document | undefined {
  const doc = parseDocument(text);
  return doc.errors.length > 0 ? undefined : doc;
}

/**
 * Each knob's value in `text` as a string ('' when the file does not set it), and whether the file has a place for it
 * (`replicas` needs a Deployment step, `instanceType` a node group); undefined when the text is not YAML.
 */
export function readKnobs(text: string): Map<string, { value: string; settable: boolean }> | undefined {
  const doc = documentOf(text);
  if (doc === undefined) return undefined;
  const out = new Map<string, { value: string; settable: boolean }>();
  for (const k of KNOBS) {
    const ps = paths(doc, k.id);
    const v = ps.length === 0 ? undefined : doc.getIn(ps[0]);
    out.set(k.id, { value: v === undefined || v === null || typeof v === 'object' ? '' : String(v), settable: ps.length > 0 });
  }
  return out;
}

/**
 * The document written back whole, with every line whose content did not change taken from the original text, so a
 * key added or removed moves only its own lines (the library otherwise re-spaces every flow collection its own way).
 * Lines are matched by a longest common subsequence of the two texts, compared without spacing; the result is checked
 * to read as the same data as the written document, else the written document is returned as it is.
 */
function keepLayout(original: string, doc: Document): string {
  const written = doc.toString(LAYOUT);
  const a = original.split('\n');
  const b = written.split('\n');
  if (a.length * b.length > 4_000_000) return written;
  const ka = a.map((l) => l.replace(/\s+/g, ''));
  const kb = b.map((l) => l.replace(/\s+/g, ''));
  // lcs[i][j]: common lines of a[i..] and b[j..], in one flat array
  const w = b.length + 1;
  const lcs = new Int32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i * w + j] = ka[i] === kb[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (j < b.length) {
    if (i < a.length && ka[i] === kb[j]) out.push(a[i++]), j++;
    else if (i < a.length && lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) i++;
    else out.push(b[j++]);
  }
  const merged = out.join('\n');
  return JSON.stringify(parseDocument(merged).toJS()) === JSON.stringify(doc.toJS()) ? merged : written;
}

/** The scalar a knob's text becomes in the file: a number or true/false where the knob takes one, else the string. */
function scalar(k: Knob, value: string): string | number | boolean {
  const v = value.trim();
  if (k.kind === 'int' && /^-?\d+$/.test(v)) return Number(v);
  if (k.kind === 'bool' && (v === 'true' || v === 'false')) return v === 'true';
  return v;
}

/**
 * `text` with one knob set (an empty value removes an env knob, and leaves the others as they are); undefined when the
 * text is not YAML or the file has no place for the knob. A value already in the file is replaced where it stands
 * (the node's source range), so nothing else in the text moves; a key the file lacks is added through the Document,
 * which keeps every comment.
 */
export function setKnob(text: string, id: string, value: string): string | undefined {
  const k = KNOBS.find((x) => x.id === id);
  if (k === undefined) throw new Error(`no knob ${id}`);
  const doc = documentOf(text);
  if (doc === undefined) return undefined;
  const ps = paths(doc, id);
  if (ps.length === 0) return undefined;
  const v = scalar(k, value);
  const splices: { from: number; to: number; text: string }[] = [];
  let whole = false;
  for (const p of ps) {
    const node = doc.getIn(p, true);
    if (value.trim() === '') {
      if (p[0] === ENV[0] && p.length === ENV.length + 1 && node !== undefined) {
        doc.deleteIn(p);
        whole = true;
      }
    } else if (isScalar(node) && node.range !== undefined && node.range !== null) {
      splices.push({ from: node.range[0], to: node.range[1], text: stringify(v).trimEnd() });
      doc.setIn(p, v);
    } else {
      doc.setIn(p, v);
      whole = true;
    }
  }
  if (whole) return keepLayout(text, doc);
  let out = text;
  for (const s of splices.sort((a, b) => b.from - a.from)) out = out.slice(0, s.from) + s.text + out.slice(s.to);
  return out;
}
