/**
 * The light checks `kubectl apply` makes of a manifest before sending it (a Kubernetes object with apiVersion,
 * kind and a name; for a Deployment, a pod template whose labels match its selector), so a broken manifest in a
 * scenario is refused when the file loads rather than failing at its step. Not here: what applying does
 * (src/model/k8s/cluster-actions.ts).
 */
import { didYouMean } from '../util/suggest.ts';
import type { Located, Path } from './source.ts';
import { fail } from './validate.ts';

/** Kinds `kubectl apply` understands in the simulator. */
export const APPLY_KINDS = ['Deployment', 'ENIConfig'] as const;

type Raw = Record<string, any>;

/** Checks one object; returns "ns/name" of a Deployment. */
export function checkManifest(src: Located, path: Path, m: unknown): string | undefined {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) fail(src, path, 'expected a Kubernetes object (a map with apiVersion, kind, metadata)');
  const o = m as Raw;
  if (typeof o.apiVersion !== 'string') fail(src, [...path, 'apiVersion'], 'missing apiVersion (e.g. apps/v1)');
  if (typeof o.kind !== 'string') fail(src, [...path, 'kind'], 'missing kind (e.g. Deployment)');
  if (!(APPLY_KINDS as readonly string[]).includes(o.kind)) {
    fail(src, [...path, 'kind'], `kind "${o.kind}" is not simulated (supported: ${APPLY_KINDS.join(', ')})${didYouMean(o.kind, APPLY_KINDS)}`);
  }
  const name = o.metadata?.name;
  if (typeof name !== 'string' || !/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(name)) {
    fail(src, [...path, 'metadata', 'name'], `expected a lower-case object name, got ${JSON.stringify(name) ?? 'nothing'}`);
  }
  if (o.kind !== 'Deployment') return undefined;
  checkDeployment(src, path, o);
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
  if (!Array.isArray(podSpec.containers) || podSpec.containers.length === 0) fail(src, [...specPath, 'containers'], 'a pod needs at least one container');
  podSpec.containers.forEach((ct: Raw, i: number) => {
    if (typeof ct?.name !== 'string') fail(src, [...specPath, 'containers', i, 'name'], 'a container needs a name');
    if (typeof ct?.image !== 'string') fail(src, [...specPath, 'containers', i, 'image'], 'a container needs an image');
  });
  const sel = spec.selector?.matchLabels;
  const labels = spec.template?.metadata?.labels;
  if (typeof sel !== 'object' || sel === null) fail(src, [...path, 'spec', 'selector'], 'missing spec.selector.matchLabels');
  for (const [k, val] of Object.entries(sel)) {
    if (labels?.[k] !== val) fail(src, [...path, 'spec', 'selector', 'matchLabels', k], `selector does not match template labels (${k}=${String(val)})`);
  }
}
