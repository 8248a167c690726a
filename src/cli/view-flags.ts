/**
 * `run`'s view flags turned into ViewRequests: `--describe pod/NAME | deployment/NAME | node/NAME | stuck`,
 * `--introspect node/NAME[:/v1/PATH]`, `--metrics node/NAME`, `--ipamd-log node/NAME`. Only the form is checked
 * here; whether the name exists is known at the end of the run (src/report/names.ts).
 */
import { nearest } from '../util/suggest.ts';
import { InputError } from '../util/input-error.ts';
import type { IntrospectPath, ViewRequest } from '../report/view-types.ts';

const NAME = '([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?)';
const KINDS: Record<string, 'pod' | 'deployment' | 'node'> = { pod: 'pod', pods: 'pod', po: 'pod', deployment: 'deployment', deployments: 'deployment', deploy: 'deployment', node: 'node', nodes: 'node', no: 'node' };
const PATHS: readonly IntrospectPath[] = ['/', '/v1/enis', '/v1/eni-configs', '/v1/networkutils-env-settings', '/v1/ipamd-env-settings'];

const shown = (v: string) => (v.length > 60 ? v.slice(0, 60) + '…' : v);

export function describeRequest(v: string): ViewRequest {
  const t = v.trim();
  if (t === 'stuck') return { kind: 'describe-stuck' };
  const m = new RegExp(`^([a-z]+)/${NAME}$`).exec(t);
  const kind = m === null ? undefined : KINDS[m[1]];
  if (m === null || kind === undefined) {
    throw new InputError({ field: '--describe' }, `expected pod/NAME, deployment/NAME, node/NAME or stuck (a name prefix is enough), got "${shown(v)}"`);
  }
  return { kind: 'describe', resource: kind, name: m[2] };
}

function nodeName(flag: string, v: string): string {
  const m = new RegExp(`^(?:node|nodes|no)/${NAME}$`).exec(v.trim());
  if (m === null) throw new InputError({ field: flag }, `expected node/NAME (the node's name, its short name like ip-10-0-0-109, its instance id or a prefix), got "${shown(v)}"`);
  return m[1];
}

export function introspectRequest(v: string): ViewRequest {
  const colon = v.indexOf(':');
  const node = nodeName('--introspect', colon < 0 ? v : v.slice(0, colon));
  const path = colon < 0 ? '/v1/enis' : v.slice(colon + 1);
  if (!(PATHS as readonly string[]).includes(path)) {
    const near = nearest(path, PATHS);
    throw new InputError({ field: '--introspect' }, `ipamd serves ${PATHS.join(', ')}; got "${shown(path)}"${near.length > 0 ? ` (did you mean ${near[0]}?)` : ''}`);
  }
  return { kind: 'introspect', node, path: path as IntrospectPath };
}

export function viewRequests(values: { describe?: string[]; introspect?: string[]; metrics?: string[]; 'ipamd-log'?: string[] }): ViewRequest[] {
  return [
    ...(values.describe ?? []).map(describeRequest),
    ...(values.introspect ?? []).map(introspectRequest),
    ...(values.metrics ?? []).map((v): ViewRequest => ({ kind: 'metrics', node: nodeName('--metrics', v) })),
    ...(values['ipamd-log'] ?? []).map((v): ViewRequest => ({ kind: 'ipamd-log', node: nodeName('--ipamd-log', v) })),
  ];
}
