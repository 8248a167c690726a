/**
 * The files `import` is given, each recognised by its content rather than its name: JSON or YAML text is parsed, an
 * AWS CLI or kubectl error saved in place of the output is refused with its own words, and the document is told
 * apart by its top-level shape (the AWS CLI's `Vpcs`, `Subnets`, `NetworkInterfaces`, `Reservations`, `cluster`,
 * `addon`; the Kubernetes API's `kind` and `items[].kind`). Not here: reading any record out of a document (aws.ts,
 * k8s.ts), or touching the file system (the CLI reads the files).
 */
import { parse as parseYaml } from 'yaml';
import { InputError } from '../util/input-error.ts';
import { At, isObject, type Json, type JsonObject } from './where.ts';

/** One file as the user gave it. */
export interface InputFile {
  /** The path as the user gave it (named in every message). */
  file: string;
  text: string;
}

/** What a file holds: the command of Contract 2 whose output it is. */
export type Kind = 'vpcs' | 'subnets' | 'network-interfaces' | 'instances' | 'cluster' | 'addon' | 'nodes' | 'pods' | 'aws-node' | 'deployments' | 'eniconfigs';

/** The command each kind is the output of (for messages and the README). */
export const COMMAND: Record<Kind, string> = {
  vpcs: 'aws ec2 describe-vpcs --vpc-ids $VPC --output json',
  subnets: 'aws ec2 describe-subnets --filters Name=vpc-id,Values=$VPC --output json',
  'network-interfaces': 'aws ec2 describe-network-interfaces --filters Name=vpc-id,Values=$VPC --output json',
  instances: 'aws ec2 describe-instances --filters Name=vpc-id,Values=$VPC --output json',
  cluster: 'aws eks describe-cluster --name $CLUSTER --output json',
  addon: 'aws eks describe-addon --cluster-name $CLUSTER --addon-name vpc-cni --output json',
  nodes: 'kubectl get nodes -o json',
  pods: 'kubectl get pods -A -o json',
  'aws-node': 'kubectl get daemonset aws-node -n kube-system -o json',
  deployments: 'kubectl get deployments -A -o json',
  eniconfigs: 'kubectl get eniconfigs -o yaml',
};

/** The usual file name of each kind (what scripts/collect-cluster.sh writes), used only to place an empty list. */
export const FILE_NAME: Record<Kind, string> = {
  vpcs: 'vpcs.json',
  subnets: 'subnets.json',
  'network-interfaces': 'network-interfaces.json',
  instances: 'instances.json',
  cluster: 'cluster.json',
  addon: 'addon-vpc-cni.json',
  nodes: 'nodes.json',
  pods: 'pods.json',
  'aws-node': 'aws-node.json',
  deployments: 'deployments.json',
  eniconfigs: 'eniconfigs.yaml',
};

export interface Recognised {
  kind: Kind;
  file: string;
  doc: JsonObject;
  /** The document's root, for field paths in messages. */
  at: At;
}

/** Kubernetes kinds of list items → what the list is. */
const ITEM_KIND: Record<string, Kind> = { Node: 'nodes', Pod: 'pods', Deployment: 'deployments', ENIConfig: 'eniconfigs', DaemonSet: 'aws-node' };
const LIST_KIND: Record<string, Kind> = { NodeList: 'nodes', PodList: 'pods', DeploymentList: 'deployments', ENIConfigList: 'eniconfigs', DaemonSetList: 'aws-node' };

/** Parses and recognises one file; `undefined` for an empty Kubernetes list whose kind cannot be told. */
export function recognise(f: InputFile): Recognised | undefined {
  const doc = parseDocument(f);
  const root = new At(f.file, '');
  const awsError = isObject(doc.Error) ? doc.Error : undefined;
  if (awsError !== undefined) {
    const code = typeof awsError.Code === 'string' ? awsError.Code : 'unknown';
    const msg = typeof awsError.Message === 'string' ? `: ${awsError.Message}` : '';
    root.at('Error').fail(`the file holds an AWS error (${code}${msg}), not the command's output`);
  }
  const aws = awsKind(doc);
  if (aws !== undefined) return { kind: aws, file: f.file, doc, at: root };
  const kind = typeof doc.kind === 'string' ? doc.kind : undefined;
  if (kind === 'Status' && doc.status === 'Failure') return root.at('message').fail(`the file holds a Kubernetes API error (${String(doc.reason ?? 'Failure')}: ${String(doc.message ?? '')}), not the command's output`);
  if (kind !== undefined && ITEM_KIND[kind] !== undefined) return { kind: ITEM_KIND[kind], file: f.file, doc: { kind: 'List', items: [doc] }, at: root };
  if (kind !== undefined && LIST_KIND[kind] !== undefined) return { kind: LIST_KIND[kind], file: f.file, doc, at: root };
  if (kind === 'List' && Array.isArray(doc.items)) {
    if (doc.items.length === 0) return emptyList(f, doc, root);
    const first = doc.items[0];
    const ik = isObject(first) && typeof first.kind === 'string' ? ITEM_KIND[first.kind] : undefined;
    if (ik === undefined) return root.at('items').at(0).at('kind').fail(`a list of ${isObject(first) ? JSON.stringify(first.kind) : 'unknown things'}; expected Nodes, Pods, Deployments, the aws-node DaemonSet or ENIConfigs`);
    const other = doc.items.findIndex((x) => !isObject(x) || x.kind !== first.kind);
    if (other >= 0) return root.at('items').at(other).at('kind').fail(`a list mixing ${String(first.kind)} with ${JSON.stringify(isObject(doc.items[other]) ? doc.items[other].kind : doc.items[other])}; give one command's output per file`);
    return { kind: ik, file: f.file, doc, at: root };
  }
  return root.fail(`not one of the outputs import reads (${Object.values(COMMAND).join('; ')})`);
}

function awsKind(doc: JsonObject): Kind | undefined {
  if ('Vpcs' in doc) return 'vpcs';
  if ('Subnets' in doc) return 'subnets';
  if ('NetworkInterfaces' in doc) return 'network-interfaces';
  if ('Reservations' in doc) return 'instances';
  if (isObject(doc.cluster)) return 'cluster';
  if (isObject(doc.addon)) return 'addon';
  return undefined;
}

/** `kubectl get … -o json` with nothing found: only the file's usual name tells what it was. */
function emptyList(f: InputFile, doc: JsonObject, root: At): Recognised | undefined {
  const base = f.file.replace(/^.*[\\/]/, '');
  for (const [k, n] of Object.entries(FILE_NAME) as [Kind, string][]) if (n === base) return { kind: k, file: f.file, doc, at: root };
  return undefined;
}

/** JSON (strictly, so a truncated file says where it ends) or YAML; error text saved instead of output is named. */
function parseDocument(f: InputFile): JsonObject {
  const text = f.text.replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  const root = new At(f.file, '');
  const awsText = /An error occurred \(([A-Za-z.]+)\)( when calling the (\w+) operation)?:?\s*([^\n]*)/.exec(text);
  if (awsText !== null && !trimmed.startsWith('{')) return root.fail(`the file holds an AWS CLI error (${awsText[1]}${awsText[3] ? ` calling ${awsText[3]}` : ''}: ${clip(awsText[4])}), not the command's output`);
  const kubectlText = /^(error: |Error from server( \(\w+\))?: )([^\n]*)/m.exec(trimmed);
  if (kubectlText !== null && kubectlText.index === 0) return root.fail(`the file holds a kubectl error (${clip(trimmed.split('\n')[0])}), not the command's output`);
  if (trimmed === '') return root.fail('the file is empty');
  let v: Json;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      v = JSON.parse(text);
    } catch (err) {
      throw jsonError(f.file, text, err as Error);
    }
  } else {
    try {
      v = parseYaml(text, { maxAliasCount: 100, uniqueKeys: true });
    } catch (err) {
      const e = err as { message: string; linePos?: { line: number; col: number }[] };
      const pos = e.linePos?.[0];
      throw new InputError({ file: f.file, line: pos?.line, column: pos?.col }, `not valid JSON or YAML: ${e.message.split('\n')[0]}`);
    }
  }
  if (!isObject(v)) return root.fail(`expected a JSON object (the output of one of the commands), got ${Array.isArray(v) ? 'a list' : typeof v}`);
  return v;
}

/** JSON.parse's error with the line and column it stopped at (the end of the text when the file is cut short). */
function jsonError(file: string, text: string, err: Error): InputError {
  const m = /position (\d+)/.exec(err.message);
  // A parse that stops at the end of the text means the text ended too soon, whatever token it wanted next.
  const truncated = m === null ? /end of JSON input|Unterminated string|Unexpected end/i.test(err.message) : Number(m[1]) >= text.trimEnd().length;
  const pos = m !== null ? Number(m[1]) : truncated ? text.length : undefined;
  let line: number | undefined;
  let column: number | undefined;
  if (pos !== undefined) {
    const before = text.slice(0, pos);
    line = before.split('\n').length;
    column = pos - before.lastIndexOf('\n');
  }
  const reason = truncated ? 'the JSON ends before it is complete (a truncated file?)' : `not valid JSON: ${err.message.replace(/ in JSON at position.*$/, '').replace(/^JSON\.parse: /, '')}`;
  return new InputError({ file, line, column }, reason);
}

/** A message cut to a readable length for a one-line error. */
function clip(s: string): string {
  return s.length <= 120 ? s : `${s.slice(0, 120).replace(/\s+\S*$/, '')} …`;
}
