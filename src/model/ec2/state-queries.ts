/**
 * What the account state answers without changing anything but tags: DescribeSubnets, DescribeNetworkInterfaces,
 * DescribeInstances with their filters, and CreateTags / DeleteTags (all resources found, or nothing changes).
 * Functions over the state's maps (state.ts calls them). Not here: the EC2 API's latency, throttling and IAM (ec2-api.ts).
 */
import type { Subnet } from '../vpc/subnet.ts';
import type { Vpc } from '../vpc/vpc.ts';
import type { Eni } from './eni.ts';
import { errors, ok } from './errors.ts';
import type { Instance } from './instance.ts';
import type { DescribeNetworkInterfacesParams, Ec2Error, Ec2Result, EniId, InstanceId, SubnetId, Tags, VpcId } from './types.ts';

/** The account's resources as these read them; `available`: the ENIs whose status is 'available'. */
export interface AccountView {
  readonly vpcs: ReadonlyMap<VpcId, Vpc>;
  readonly subnets: ReadonlyMap<SubnetId, Subnet>;
  readonly enis: ReadonlyMap<EniId, Eni>;
  readonly instances: ReadonlyMap<InstanceId, Instance>;
  readonly available: ReadonlySet<Eni>;
}

export function createTags(s: AccountView, resourceIds: string[], tags: Tags): Ec2Result<void> {
  const targets: Tags[] = [];
  for (const id of resourceIds) {
    const t = tagsOf(s, id);
    if (!t.ok) return t;
    targets.push(t.value);
  }
  for (const t of targets) Object.assign(t, tags);
  return ok(undefined);
}

export function deleteTags(s: AccountView, resourceIds: string[], tagKeys: string[]): Ec2Result<void> {
  const targets: Tags[] = [];
  for (const id of resourceIds) {
    const t = tagsOf(s, id);
    if (!t.ok) return t;
    targets.push(t.value);
  }
  for (const t of targets) for (const k of tagKeys) delete t[k];
  return ok(undefined);
}

function tagsOf(s: AccountView, id: string): Ec2Result<Tags> {
  const found = (t: Tags | undefined, notFound: (id: string) => Ec2Error): Ec2Result<Tags> =>
    t === undefined ? { ok: false, error: notFound(id) } : ok(t);
  if (id.startsWith('eni-')) return found(s.enis.get(id)?.tags, errors.eniNotFound);
  if (id.startsWith('i-')) return found(s.instances.get(id)?.tags, errors.instanceNotFound);
  if (id.startsWith('subnet-')) return found(s.subnets.get(id)?.tags, errors.subnetNotFound);
  if (id.startsWith('vpc-')) return found(s.vpcs.get(id)?.tags, errors.vpcNotFound);
  return { ok: false, error: errors.invalid(`Invalid id: "${id}"`) };
}

export function describeSubnets(s: AccountView, f: { vpcId?: VpcId; availabilityZone?: string; subnetIds?: SubnetId[] }): Ec2Result<Subnet[]> {
  let list: Subnet[];
  if (f.subnetIds !== undefined && f.subnetIds.length > 0) {
    const named = byIds(f.subnetIds, s.subnets, errors.subnetNotFound);
    if (!named.ok) return named;
    list = named.value;
  } else {
    list = [...s.subnets.values()];
  }
  return ok(list.filter((x) => (f.vpcId === undefined || x.vpcId === f.vpcId) && (f.availabilityZone === undefined || x.availabilityZone === f.availabilityZone)));
}

export function describeNetworkInterfaces(s: AccountView, p: DescribeNetworkInterfacesParams): Ec2Result<Eni[]> {
  let list: Eni[];
  if (p.networkInterfaceIds !== undefined && p.networkInterfaceIds.length > 0) {
    const named = byIds(p.networkInterfaceIds, s.enis, errors.eniNotFound);
    if (!named.ok) return named;
    list = named.value;
  } else if (p.status === 'available') {
    // the leaked-ENI sweep of every node asks this: look only at the few available ENIs, in the account's order
    list = [...s.available].sort((a, b) => a.ordinal - b.ordinal);
  } else {
    list = [...s.enis.values()];
  }
  return ok(
    list.filter(
      (e) =>
        (p.vpcId === undefined || e.subnet.vpcId === p.vpcId) &&
        (p.status === undefined || e.status === p.status) &&
        (p.attachedInstanceId === undefined || e.attachment?.instanceId === p.attachedInstanceId) &&
        (p.tagKeys === undefined || p.tagKeys.every((k) => k in e.tags)) &&
        (p.tags === undefined || Object.entries(p.tags).every(([k, v]) => e.tags[k] === v)),
    ),
  );
}

export function describeInstances(s: AccountView, instanceIds: InstanceId[]): Ec2Result<Instance[]> {
  if (instanceIds.length === 0) return ok([...s.instances.values()]);
  return byIds(instanceIds, s.instances, errors.instanceNotFound);
}

/** The resources named, in that order, or the NotFound error of the first unknown one. */
function byIds<T>(ids: readonly string[], map: ReadonlyMap<string, T>, notFound: (id: string) => Ec2Error): Ec2Result<T[]> {
  const out: T[] = [];
  for (const id of ids) {
    const x = map.get(id);
    if (x === undefined) return { ok: false, error: notFound(id) };
    out.push(x);
  }
  return ok(out);
}
