/**
 * Reading already-parsed Kubernetes manifests (plain JS objects, as a YAML parser gives them) into what the simulator
 * keeps: a Deployment's replicas, selector and pod template (hostNetwork, nodeSelector, summed container requests,
 * terminationGracePeriodSeconds), a bare Pod's spec (the same fields), and ENIConfig objects for custom networking. Errors read like the API server's
 * validation errors and are returned, never thrown, so a scenario timeline can show them.
 * Not a general API machinery: other kinds are refused; affinity, tolerations, probes and volumes are ignored.
 */
import type { EniConfigSpec } from '../ipamd/types.ts';
import { parseCpuMilli, parseMemoryBytes } from './quantity.ts';
import type { PodTemplate } from './types.ts';

export interface DeploymentManifest {
  namespace: string;
  name: string;
  replicas: number;
  selector: Record<string, string>;
  template: PodTemplate;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringMap(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return {};
  if (!isObj(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') return undefined;
    out[k] = String(x);
  }
  return out;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

type Bad = (field: string, why: string) => { ok: false; message: string };

/** metadata.name and .namespace as the API server checks them, and how it words a later error about the object. */
function objectMeta(m: Record<string, unknown>, kind: string): Parsed<{ meta: Record<string, unknown>; name: string; namespace: string; bad: Bad }> {
  const meta = isObj(m.metadata) ? m.metadata : {};
  const name = meta.name;
  if (typeof name !== 'string' || name === '') return { ok: false, message: 'error: error validating data: metadata.name: Required value' };
  if (!DNS_LABEL.test(name) || name.length > 253)
    return { ok: false, message: `The ${kind} "${name}" is invalid: metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'` };
  const namespace = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : 'default';
  const bad: Bad = (field, why) => ({ ok: false, message: `The ${kind} "${name}" is invalid: ${field}: ${why}` });
  return { ok: true, value: { meta, name, namespace, bad } };
}

export function parseDeployment(m: Record<string, unknown>): Parsed<DeploymentManifest> {
  const om = objectMeta(m, 'Deployment');
  if (!om.ok) return om;
  const { name, namespace, bad } = om.value;
  const spec = isObj(m.spec) ? m.spec : {};
  const replicas = spec.replicas === undefined ? 1 : spec.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
    return bad('spec.replicas', `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`);
  const sel = isObj(spec.selector) ? stringMap(spec.selector.matchLabels) : undefined;
  if (sel === undefined || Object.keys(sel).length === 0) return bad('spec.selector', 'Required value');
  const tmpl = isObj(spec.template) ? spec.template : {};
  const tmeta = isObj(tmpl.metadata) ? tmpl.metadata : {};
  const labels = stringMap(tmeta.labels);
  if (labels === undefined) return bad('spec.template.metadata.labels', 'Invalid value: labels must be strings');
  for (const [k, v] of Object.entries(sel))
    if (labels[k] !== v) return bad('spec.template.metadata.labels', `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``);
  const template = parsePodSpec(isObj(tmpl.spec) ? tmpl.spec : {}, labels, 'spec.template.spec', bad);
  if (!template.ok) return template;
  return { ok: true, value: { namespace, name, replicas, selector: sel, template: template.value } };
}

/** A bare `v1` Pod: its name, namespace and what the simulator keeps of its spec (as a Deployment's template). */
export interface PodManifest {
  namespace: string;
  name: string;
  template: PodTemplate;
}

export function parsePod(m: Record<string, unknown>): Parsed<PodManifest> {
  const om = objectMeta(m, 'Pod');
  if (!om.ok) return om;
  const { meta, name, namespace, bad } = om.value;
  const labels = stringMap(meta.labels);
  if (labels === undefined) return bad('metadata.labels', 'Invalid value: labels must be strings');
  const template = parsePodSpec(isObj(m.spec) ? m.spec : {}, labels, 'spec', bad);
  if (!template.ok) return template;
  return { ok: true, value: { namespace, name, template: template.value } };
}

/** A pod spec (a Pod's `spec`, a Deployment's `spec.template.spec`; `at` names it in errors) → PodTemplate. */
function parsePodSpec(ps: Record<string, unknown>, labels: Record<string, string>, at: string, bad: Bad): Parsed<PodTemplate> {
  const containers = Array.isArray(ps.containers) ? ps.containers : [];
  if (containers.length === 0) return bad(`${at}.containers`, 'Required value');
  let cpu = 0;
  let mem = 0;
  let cpuStated = false;
  let memStated = false;
  const names: string[] = [];
  let image = '';
  for (const [i, c] of containers.entries()) {
    if (!isObj(c) || typeof c.name !== 'string') return bad(`${at}.containers[${i}].name`, 'Required value');
    names.push(c.name);
    if (image === '' && typeof c.image === 'string') image = c.image;
    const req = isObj(c.resources) && isObj(c.resources.requests) ? c.resources.requests : {};
    if (req.cpu !== undefined) {
      const v = parseCpuMilli(req.cpu as string | number);
      if (v === undefined) return bad(`${at}.containers[${i}].resources.requests[cpu]`, `Invalid value: "${String(req.cpu)}": must be a quantity`);
      cpu += v;
      cpuStated = true;
    }
    if (req.memory !== undefined) {
      const v = parseMemoryBytes(req.memory as string | number);
      if (v === undefined) return bad(`${at}.containers[${i}].resources.requests[memory]`, `Invalid value: "${String(req.memory)}": must be a quantity`);
      mem += v;
      memStated = true;
    }
  }
  const nodeSelector = stringMap(ps.nodeSelector);
  if (nodeSelector === undefined) return bad(`${at}.nodeSelector`, 'Invalid value: must be a map of strings');
  const grace = ps.terminationGracePeriodSeconds === undefined ? 30 : ps.terminationGracePeriodSeconds;
  if (typeof grace !== 'number' || grace < 0) return bad(`${at}.terminationGracePeriodSeconds`, 'Invalid value: must be a non-negative integer');
  return {
    ok: true,
    value: {
      labels,
      containers: names,
      image,
      hostNetwork: ps.hostNetwork === true,
      nodeSelector,
      requests: { cpuMilli: cpu, memoryBytes: mem },
      requestsStated: { cpu: cpuStated, memory: memStated },
      terminationGracePeriodSeconds: grace as number,
    },
  };
}

/** `crd.k8s.amazonaws.com/v1alpha1` ENIConfig: `spec.subnet`, `spec.securityGroups`. */
export function parseEniConfig(m: Record<string, unknown>): Parsed<EniConfigSpec> {
  const meta = isObj(m.metadata) ? m.metadata : {};
  const name = meta.name;
  if (typeof name !== 'string' || name === '') return { ok: false, message: 'error: error validating data: metadata.name: Required value' };
  const spec = isObj(m.spec) ? m.spec : {};
  const subnet = spec.subnet;
  if (typeof subnet !== 'string' || subnet === '') return { ok: false, message: `The ENIConfig "${name}" is invalid: spec.subnet: Required value` };
  const sgs = Array.isArray(spec.securityGroups) ? spec.securityGroups.filter((g): g is string => typeof g === 'string') : [];
  return { ok: true, value: { name, subnet, securityGroups: sgs } };
}
