/**
 * A World that starts from an existing state (spec.ts ExistingSpec): the rules checked (existing-check.ts), each
 * node's instance and ENIs put in EC2 with their own ids and exactly their addresses and prefixes (the subnets'
 * allocators hold exactly those; ids made later step over them), the subnets' outside users placed after them, and the
 * Kubernetes side handed to the cluster (k8s/cluster-existing.ts) with every pod's ENI and template worked out.
 * Wiring only: EC2's rules are ec2/state.ts, the cluster's k8s/.
 */
import { InputError } from '../../util/input-error.ts';
import type { Ec2 } from '../ec2/ec2-api.ts';
import type { Tags } from '../ec2/types.ts';
import { ENI_DESCRIPTION_PREFIX, TAG_INSTANCE_ID } from '../ipamd/core.ts';
import type { ExistingCluster, ExistingPod } from '../k8s/cluster-existing.ts';
import { parseDeployment, parsePod, type DeploymentManifest } from '../k8s/manifest.ts';
import type { PodTemplate } from '../k8s/types.ts';
import { findInstanceType } from '../ec2/instance-types.ts';
import { PRIMARY_ENI_DESCRIPTION } from '../ec2/state.ts';
import { computeMaxPods } from '../max-pods.ts';
import { parseCidr, parseIpv4 } from '../vpc/ipv4.ts';
import { checkExisting, existingContext } from './existing-check.ts';
import { instanceTags } from './node-cloud.ts';
import { groupAllocatable, type ExistingSpec, type WorldSpec } from './spec.ts';
import type { SubnetDirectory } from './vpc.ts';

function inputError(path: (string | number)[], reason: string): InputError {
  const field = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  return new InputError({ field }, reason);
}

/**
 * Checks `existing` and puts its instances and ENIs in EC2; then the subnets' `externalUse` (created empty, so that
 * outside users take none of the listed addresses). Returns the cluster's side.
 */
export function adoptExistingInEc2(ec2: Ec2, dir: SubnetDirectory, spec: WorldSpec, e: ExistingSpec): ExistingCluster {
  const ctx = existingContext(spec, (name) => {
    const id = dir.resolve(name);
    const s = id === undefined ? undefined : ec2.state.subnets.get(id);
    return s === undefined ? undefined : { key: s.id, cidr: s.cidr, az: s.availabilityZone };
  });
  const problem = checkExisting(e, ctx);
  if (problem !== undefined) throw inputError(problem.path, problem.reason);
  const eniOf = new Map<number, string>();
  const nodes = e.nodes.map((n) => {
    const enis = n.enis.map((x) => {
      const secondaryIps = (x.secondaryIps ?? []).map(parseIpv4);
      const prefixes = (x.prefixes ?? []).map((p) => parseCidr(p).base);
      for (const ip of secondaryIps) eniOf.set(ip, x.id);
      for (const b of prefixes) for (let k = 0; k < 16; k++) eniOf.set(b + k, x.id);
      const tags: Tags = x.deviceIndex === 0 ? {} : { [TAG_INSTANCE_ID]: n.instanceId };
      const description = x.deviceIndex === 0 ? PRIMARY_ENI_DESCRIPTION : ENI_DESCRIPTION_PREFIX + n.instanceId;
      return { id: x.id, deviceIndex: x.deviceIndex, subnetId: dir.resolve(x.subnet)!, primaryIp: parseIpv4(x.primaryIp), secondaryIps, prefixes, description, tags };
    });
    const inst = ec2.state.adoptInstance({ instanceId: n.instanceId, instanceType: n.instanceType, tags: instanceTags(spec.cluster.name, n.nodeGroup), enis });
    const gi = spec.nodeGroups.findIndex((g) => g.name === n.nodeGroup);
    const g = gi < 0 ? undefined : spec.nodeGroups[gi];
    return {
      name: n.name,
      nodeGroup: n.nodeGroup,
      instance: { instanceId: inst.id, privateIp: n.enis[0].primaryIp, subnetId: inst.subnet.id, az: inst.availabilityZone },
      instanceType: n.instanceType,
      maxPods: n.maxPods ?? (g === undefined ? computeMaxPods(findInstanceType(n.instanceType)!).maxPods : ctx.groups.get(g.name)!.maxPods),
      allocatable: g === undefined ? undefined : groupAllocatable(g, gi),
      labels: { ...(g?.labels ?? {}), ...(n.labels ?? {}) },
    };
  });
  placeExternalUse(ec2, dir, spec);
  const eniOfIp = (ip: string) => eniOf.get(parseIpv4(ip));
  return { nodes, pods: (e.pods ?? []).map((p, i) => existingPod(p, i, eniOfIp)), deployments: (e.deployments ?? []).map(deploymentOf) };
}

/** Each subnet's outside users, after the existing ENIs' addresses; checkExisting (checkExternalUse) has made sure they fit. */
function placeExternalUse(ec2: Ec2, dir: SubnetDirectory, spec: WorldSpec): void {
  for (const s of spec.subnets) {
    const n = s.externalUse ?? 0;
    const sub = ec2.state.subnets.get(dir.resolve(s.id)!)!;
    if (sub.addExternalUse(n) !== undefined) throw new Error(`subnet ${s.id}: externalUse ${n} does not fit, though checkExisting passed it`);
  }
}

function existingPod(p: NonNullable<ExistingSpec['pods']>[number], i: number, eniOf: (ip: string) => string | undefined): ExistingPod {
  const namespace = p.namespace ?? 'default';
  const hostNetwork = p.hostNetwork === true;
  const ip = hostNetwork ? undefined : p.ip;
  // a Deployment's pods run its template; only a bare pod needs one of its own
  const template = p.deployment === undefined ? bareTemplate(p, namespace, i) : undefined;
  return { namespace, name: p.name, node: p.node, ip, eniId: ip === undefined ? undefined : eniOf(ip), deployment: p.deployment, hostNetwork, template };
}

/** A bare pod's template: its labels, host networking and requests, one container named after the pod. */
function bareTemplate(p: NonNullable<ExistingSpec['pods']>[number], namespace: string, i: number): PodTemplate {
  const requests: Record<string, unknown> = {};
  if (p.requests?.cpu !== undefined) requests.cpu = p.requests.cpu;
  if (p.requests?.memory !== undefined) requests.memory = p.requests.memory;
  const parsed = parsePod({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace, labels: p.labels ?? {} },
    spec: { hostNetwork: p.hostNetwork === true, containers: [{ name: p.name, resources: { requests } }] },
  });
  if (!parsed.ok) throw inputError(['existing', 'pods', i], parsed.message);
  return parsed.value.template;
}

function deploymentOf(m: Record<string, unknown>, i: number): DeploymentManifest {
  const d = parseDeployment(m);
  if (!d.ok) throw inputError(['existing', 'deployments', i], d.message);
  return d.value;
}
