/**
 * The light checks `kubectl apply` makes of a manifest before sending it (a Kubernetes object with apiVersion,
 * kind and a name; containers with names and images; for a Deployment, a pod template whose labels match its
 * selector), warnings for pod placement the scheduler does not model, so a broken manifest in a
 * scenario is refused when the file loads rather than failing at its step. Not here: what applying does
 * (src/model/k8s/cluster-actions.ts).
 */
import { parseAllDocuments } from 'yaml';
import { InputError } from '../util/input-error.ts';
import { didYouMean } from '../util/suggest.ts';
import { K8S_NAME } from './fields.ts';
import { parseScenarioText, type Located, type Path } from './source.ts';
import { fail } from './validate.ts';

/** Kinds `kubectl apply` understands in the simulator. */
export const APPLY_KINDS = ['Deployment', 'Pod', 'ENIConfig'] as const;

/** Pod spec fields the scheduler does not model: accepted, with a warning that they change nothing here. */
export const UNMODELLED_PLACEMENT = ['affinity', 'tolerations', 'topologySpreadConstraints'] as const;

type Raw = Record<string, any>;
type Warn = (src: Located, path: Path, reason: string) => void;

/** Checks one object; returns "ns/name" of a Deployment. */
export function checkManifest(src: Located, path: Path, m: unknown, warn: Warn): string | undefined {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) fail(src, path, 'expected a Kubernetes object (a map with apiVersion, kind, metadata)');
  const o = m as Raw;
  if (typeof o.apiVersion !== 'string') fail(src, [...path, 'apiVersion'], 'missing apiVersion (e.g. apps/v1)');
  if (typeof o.kind !== 'string') fail(src, [...path, 'kind'], 'missing kind (e.g. Deployment)');
  if (!(APPLY_KINDS as readonly string[]).includes(o.kind)) {
    fail(src, [...path, 'kind'], `kind "${o.kind}" is not simulated (supported: ${APPLY_KINDS.join(', ')})${didYouMean(o.kind, APPLY_KINDS)}`);
  }
  const name = o.metadata?.name;
  if (typeof name !== 'string' || !K8S_NAME.test(name)) {
    fail(src, [...path, 'metadata', 'name'], `expected a lower-case object name, got ${JSON.stringify(name) ?? 'nothing'}`);
  }
  if (o.kind === 'Pod') {
    if (typeof o.spec !== 'object' || o.spec === null) fail(src, [...path, 'spec'], 'a Pod needs a spec');
    checkContainers(src, [...path, 'spec'], o.spec);
    warnPlacement(src, [...path, 'spec'], o.spec, warn);
  }
  if (o.kind !== 'Deployment') return undefined;
  checkDeployment(src, path, o);
  warnPlacement(src, [...path, 'spec', 'template', 'spec'], o.spec.template.spec, warn);
  return `${o.metadata?.namespace ?? 'default'}/${name}`;
}

function checkDeployment(src: Located, path: Path, o: Raw): void {
  const spec = o.spec;
  if (typeof spec !== 'object' || spec === null) fail(src, [...path, 'spec'], `a ${o.kind} needs a spec`);
  const r = spec.replicas ?? 1;
  if (typeof r !== 'number' || !Number.isInteger(r)) fail(src, [...path, 'spec', 'replicas'], `expected a whole number of replicas, got ${JSON.stringify(r)}`);
  if (r < 0) fail(src, [...path, 'spec', 'replicas'], `replicas must not be negative (got ${r})`);
  if (r > 100_000) fail(src, [...path, 'spec', 'replicas'], `${r} replicas is more than the simulator's 100000`);
  const podSpec = spec.template?.spec;
  const specPath = [...path, 'spec', 'template', 'spec'];
  if (typeof podSpec !== 'object' || podSpec === null) fail(src, specPath, 'missing the pod spec');
  checkContainers(src, specPath, podSpec);
  const sel = spec.selector?.matchLabels;
  const labels = spec.template?.metadata?.labels;
  if (typeof sel !== 'object' || sel === null) fail(src, [...path, 'spec', 'selector'], 'missing spec.selector.matchLabels');
  for (const [k, val] of Object.entries(sel)) {
    if (labels?.[k] !== val) fail(src, [...path, 'spec', 'selector', 'matchLabels', k], `selector does not match template labels (${k}=${String(val)})`);
  }
}

function checkContainers(src: Located, specPath: Path, podSpec: Raw): void {
  if (!Array.isArray(podSpec.containers) || podSpec.containers.length === 0) fail(src, [...specPath, 'containers'], 'a pod needs at least one container');
  podSpec.containers.forEach((ct: Raw, i: number) => {
    if (typeof ct?.name !== 'string') fail(src, [...specPath, 'containers', i, 'name'], 'a container needs a name');
    if (typeof ct?.image !== 'string') fail(src, [...specPath, 'containers', i, 'image'], 'a container needs an image');
  });
}

function warnPlacement(src: Located, path: Path, podSpec: Raw, warn: Warn): void {
  for (const k of UNMODELLED_PLACEMENT) {
    if (podSpec[k] !== undefined) warn(src, [...path, k], `${k} is not modelled: the simulated scheduler ignores it (it places pods by nodeSelector, resources and max pods)`);
  }
}

/**
 * The objects of a manifest file (one or more YAML documents), each a Located of its own so an error names the
 * manifest file and the line in it. Empty documents are skipped.
 */
export function manifestDocuments(text: string, file: string): Located[] {
  const out: Located[] = [];
  for (const d of parseAllDocuments(text)) {
    if (!('range' in d) || d.toJS() === null) continue;
    const [start, end] = d.range;
    // Blank lines in place of what comes before keep line numbers those of the file.
    const before = text.slice(0, start).replace(/[^\n]/g, '');
    try {
      out.push(parseScenarioText(before + text.slice(start, end), file));
    } catch (err) {
      if (err instanceof InputError) throw new InputError(err.where, err.reason.replace(/a scenario/g, 'a manifest'));
      throw err;
    }
  }
  return out;
}