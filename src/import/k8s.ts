/**
 * Records read out of kubectl's `-o json` / `-o yaml` (Kubernetes API reference, core/v1 and apps/v1: a `List` or
 * `NodeList`/`PodList`/… with `items[]`; Node `metadata.{name, labels}`, `spec.providerID` (`aws:///us-west-2a/i-…`),
 * `status.allocatable.pods`, `status.nodeInfo.kubeletVersion`; Pod `metadata.{namespace, name, labels,
 * ownerReferences[].{kind, name}, deletionTimestamp}`, `spec.{nodeName, hostNetwork, containers[].resources.requests}`,
 * `status.{phase, podIP}`; Deployment `metadata`, `spec`; DaemonSet `spec.template.spec.containers[].{name, image,
 * env[].{name, value, valueFrom}}`; ENIConfig (crd.k8s.amazonaws.com/v1alpha1) `spec.{subnet, securityGroups}`).
 * Not here: joining them to EC2's records (cluster.ts).
 */
import type { Recognised } from './input.ts';
import { arr, At, isObject, obj, optArr, optBool, optObj, optStr, str, stringMap, type JsonObject } from './where.ts';

export interface NodeRecord {
  name: string;
  /** A Fargate node (`eks.amazonaws.com/compute-type: fargate`): no EC2 instance, no ipamd; not simulated. */
  fargate: boolean;
  instanceId?: string;
  az?: string;
  labels: Record<string, string>;
  allocatablePods?: number;
  kubeletVersion?: string;
  at: At;
}

export interface PodRecord {
  namespace: string;
  name: string;
  nodeName?: string;
  hostNetwork: boolean;
  podIP?: string;
  phase: string;
  /** `metadata.deletionTimestamp` set: being deleted (kubectl shows Terminating; phase and podIP stay). */
  deleting: boolean;
  labels: Record<string, string>;
  owner?: { kind: string; name: string };
  /** Summed container requests, as written (`50m`, `64Mi`) when one container states it. */
  requests: { cpu: string[]; memory: string[] };
  at: At;
}

export interface AwsNodeRecord {
  image?: string;
  env: { name: string; value?: string; from: boolean }[];
  at: At;
}

export interface DeploymentRecord {
  namespace: string;
  name: string;
  manifest: JsonObject;
  at: At;
}

export interface EniConfigRecord {
  name: string;
  subnet: string;
  securityGroups: string[];
  at: At;
}

function items(r: Recognised, read: (o: JsonObject, at: At) => void): void {
  arr(r.doc, 'items', r.at).forEach((x, i) => {
    const at: At = r.at.at('items').at(i);
    if (!isObject(x)) return at.fail('expected an object');
    read(x, at);
  });
}

function meta(o: JsonObject, at: At): { m: JsonObject; mat: At } {
  return { m: obj(o, 'metadata', at), mat: at.at('metadata') };
}

const PROVIDER_ID = /^aws:\/\/\/([a-z0-9-]+)\/(i-[0-9A-Za-z]+)$/;

export function readNodes(r: Recognised): NodeRecord[] {
  const out: NodeRecord[] = [];
  items(r, (n, at) => {
    const { m, mat } = meta(n, at);
    const spec = optObj(n, 'spec', at) ?? {};
    const status = optObj(n, 'status', at) ?? {};
    const providerId = optStr(spec, 'providerID', at.at('spec'));
    const pm = providerId === undefined ? null : PROVIDER_ID.exec(providerId);
    const labels = stringMap(m, 'labels', mat);
    const fargate = labels['eks.amazonaws.com/compute-type'] === 'fargate';
    if (providerId !== undefined && pm === null && !fargate) return at.at('spec').at('providerID').fail(`expected aws:///ZONE/i-…, got ${JSON.stringify(providerId)}`);
    const alloc = optObj(status, 'allocatable', at.at('status'));
    const pods = alloc?.pods;
    const info = optObj(status, 'nodeInfo', at.at('status'));
    out.push({
      name: str(m, 'name', mat),
      fargate,
      instanceId: pm?.[2],
      az: pm?.[1],
      labels,
      allocatablePods: typeof pods === 'string' && /^\d+$/.test(pods) ? Number(pods) : typeof pods === 'number' ? pods : undefined,
      kubeletVersion: info === undefined ? undefined : optStr(info, 'kubeletVersion', at.at('status').at('nodeInfo')),
      at,
    });
  });
  return out;
}

export function readPods(r: Recognised): PodRecord[] {
  const out: PodRecord[] = [];
  items(r, (p, at) => {
    const { m, mat } = meta(p, at);
    const spec = obj(p, 'spec', at);
    const sat: At = at.at('spec');
    const status = optObj(p, 'status', at) ?? {};
    const owners = optArr(m, 'ownerReferences', mat).filter(isObject);
    const ctl = owners.find((o) => o.controller === true) ?? owners[0];
    const requests = { cpu: [] as string[], memory: [] as string[] };
    arr(spec, 'containers', sat).forEach((c, i) => {
      if (!isObject(c)) return sat.at('containers').at(i).fail('expected an object');
      const res = optObj(c, 'resources', sat.at('containers').at(i));
      const req = res !== undefined && isObject(res.requests) ? res.requests : {};
      if (req.cpu !== undefined) requests.cpu.push(String(req.cpu));
      if (req.memory !== undefined) requests.memory.push(String(req.memory));
    });
    out.push({
      namespace: optStr(m, 'namespace', mat) ?? 'default',
      name: str(m, 'name', mat),
      nodeName: optStr(spec, 'nodeName', sat),
      hostNetwork: optBool(spec, 'hostNetwork', sat) ?? false,
      podIP: optStr(status, 'podIP', at.at('status')),
      phase: optStr(status, 'phase', at.at('status')) ?? 'Pending',
      deleting: m.deletionTimestamp !== undefined && m.deletionTimestamp !== null,
      labels: stringMap(m, 'labels', mat),
      owner: ctl === undefined || typeof ctl.kind !== 'string' || typeof ctl.name !== 'string' ? undefined : { kind: ctl.kind, name: ctl.name },
      requests,
      at,
    });
  });
  return out;
}

/** The aws-node DaemonSet (a single object, or the item of that name in a list of DaemonSets). */
export function readAwsNode(r: Recognised): AwsNodeRecord | undefined {
  let found: AwsNodeRecord | undefined;
  items(r, (d, at) => {
    const { m, mat } = meta(d, at);
    if (str(m, 'name', mat) !== 'aws-node') return;
    const ps = obj(obj(obj(d, 'spec', at), 'template', at.at('spec')), 'spec', at.at('spec').at('template'));
    const pat: At = at.at('spec').at('template').at('spec');
    const containers = arr(ps, 'containers', pat);
    const i = containers.findIndex((c) => isObject(c) && c.name === 'aws-node');
    if (i < 0) return pat.at('containers').fail('no container named aws-node');
    const c = containers[i] as JsonObject;
    const cat: At = pat.at('containers').at(i);
    const env = optArr(c, 'env', cat).map((e, j) => {
      const eat: At = cat.at('env').at(j);
      if (!isObject(e)) return eat.fail('expected {name, value}');
      const value = e.value === undefined || e.value === null ? undefined : String(e.value);
      return { name: str(e, 'name', eat), value, from: e.valueFrom !== undefined };
    });
    found = { image: optStr(c, 'image', cat), env, at: cat };
  });
  return found;
}

export function readDeployments(r: Recognised): DeploymentRecord[] {
  const out: DeploymentRecord[] = [];
  items(r, (d, at) => {
    const { m, mat } = meta(d, at);
    const name = str(m, 'name', mat);
    const namespace = optStr(m, 'namespace', mat) ?? 'default';
    // Only the name, namespace and labels: uid, resourceVersion, managedFields, annotations are the server's.
    const metadata: JsonObject = { name, namespace };
    const labels = stringMap(m, 'labels', mat);
    if (Object.keys(labels).length > 0) metadata.labels = labels;
    out.push({ namespace, name, manifest: { apiVersion: optStr(d, 'apiVersion', at) ?? 'apps/v1', kind: 'Deployment', metadata, spec: obj(d, 'spec', at) }, at });
  });
  return out;
}

export function readEniConfigs(r: Recognised): EniConfigRecord[] {
  const out: EniConfigRecord[] = [];
  items(r, (e, at) => {
    const { m, mat } = meta(e, at);
    const spec = obj(e, 'spec', at);
    const sat: At = at.at('spec');
    const sgs = optArr(spec, 'securityGroups', sat).map((g, i) => (typeof g === 'string' ? g : sat.at('securityGroups').at(i).fail('expected a security group id')));
    out.push({ name: str(m, 'name', mat), subnet: str(spec, 'subnet', sat), securityGroups: sgs, at });
  });
  return out;
}
