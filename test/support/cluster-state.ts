/**
 * A World's cluster state, reduced to what an export → import round trip must keep: subnets with their free
 * addresses, registered nodes with their instances and every ENI's device index, subnet, addresses and prefixes, and
 * the Running pods of controllers and bare pods with their node and address. Left out: DaemonSet pods (aws-node,
 * kube-proxy), which every World runs on its nodes itself under names of its own, and which an imported node has
 * Running from t = 0 however far it had come. Subnets are keyed by CIDR, as EC2 ids are counters of the World that
 * made them.
 */
import type { World } from '../../src/model/world.ts';

export interface ClusterState {
  subnets: { cidr: string; az: string; free: number }[];
  nodes: {
    name: string;
    instanceId: string;
    instanceType: string;
    az: string;
    subnet: string;
    enis: { id: string; deviceIndex: number; subnet: string; primaryIp: string; secondaryIps: string[]; prefixes: string[] }[];
  }[];
  pods: { pod: string; node: string; ip: string }[];
}

const sorted = (xs: readonly string[]) => [...xs].sort();

export function clusterState(world: World): ClusterState {
  const cidrOf = new Map(world.subnets().map((s) => [s.subnetId, s.cidr]));
  const pods = world.pods().filter((p) => p.status === 'Running' && p.node !== undefined && p.ip !== undefined);
  return {
    subnets: world
      .subnets()
      .map((s) => ({ cidr: s.cidr, az: s.az, free: s.availableIpAddressCount }))
      .sort((a, b) => (a.cidr < b.cidr ? -1 : 1)),
    nodes: world
      .nodes()
      .filter((n) => n.registered)
      .map((n) => ({
        name: n.name,
        instanceId: n.instanceId,
        instanceType: n.instanceType,
        az: n.az,
        subnet: cidrOf.get(n.subnetId) ?? n.subnetId,
        enis: [...n.enis]
          .sort((a, b) => a.deviceIndex - b.deviceIndex)
          .map((e) => ({ id: e.eniId, deviceIndex: e.deviceIndex, subnet: cidrOf.get(e.subnetId) ?? e.subnetId, primaryIp: e.primaryIp, secondaryIps: sorted(e.secondaryIps), prefixes: sorted(e.prefixes) })),
      })),
    pods: pods
      .filter((p) => p.owner.kind !== 'DaemonSet')
      .map((p) => ({ pod: `${p.namespace}/${p.name}`, node: p.node!, ip: p.ip! }))
      .sort((a, b) => (a.pod < b.pod ? -1 : 1)),
  };
}
