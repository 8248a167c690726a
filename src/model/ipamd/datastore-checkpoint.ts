/**
 * The datastore's side of the checkpoint (§3.7): the entries it writes, one per assigned address, and the test of
 * which CIDR a restored entry's address falls in. Not here: restoring an entry (the datastore's `restore`), reading
 * and writing the checkpoint file and its version (node-init.ts, records.ts).
 */
import { hostBits, parseIpv4 } from '../vpc/ipv4.ts';
import { parseIpv6Cidr } from '../vpc/ipv6.ts';
import type { AddressInfo, CidrInfo } from './datastore-types.ts';
import { NETWORK_NAME } from './datastore-types.ts';
import type { Checkpoint, CheckpointAllocation } from './records.ts';

/** The checkpoint entries (§3.7), in datastore order. */
export function checkpointEntries(allocations: readonly { info: AddressInfo; v6: boolean }[]): CheckpointAllocation[] {
  return allocations.map(({ info, v6 }) => ({
    networkName: info.key!.networkName,
    containerID: info.key!.containerId,
    ifName: info.key!.ifName,
    ...(v6 ? { ipv6: info.address } : { ipv4: info.address }),
    allocationTimestamp: (info.assignedAt ?? 0) * 1e6,
    metadata: { k8sPodNamespace: info.pod?.namespace ?? '', k8sPodName: info.pod?.name ?? '', interfacesCount: 1 },
  }));
}

/** Whether a CIDR of the datastore holds `ip` (IPv4 in an IPv4 CIDR, IPv6 in a /80). */
export function cidrContains(c: CidrInfo, ip: string): boolean {
  if (c.v6Base !== undefined) {
    if (ip.includes('.')) return false;
    const size = BigInt(hostBits(c.size));
    const n = parseIpv6Cidr(`${ip}/128`).base;
    return n >> size === c.v6Base >> size;
  }
  if (!ip.includes('.')) return false;
  const n = parseIpv4(ip);
  return n >= c.base && n < c.base + c.size;
}

/** The checkpoint ipamd leaves for pods running on these addresses (a node that was running before the run began). */
export function checkpointFor(pods: readonly { containerId: string; ip: string; namespace: string; name: string; assignedAt: number }[]): Checkpoint {
  return {
    version: 'vpc-cni-ipam/1',
    allocations: pods.map((p) => ({
      networkName: NETWORK_NAME,
      containerID: p.containerId,
      ifName: 'eth0',
      ipv4: p.ip,
      allocationTimestamp: p.assignedAt * 1e6,
      metadata: { k8sPodNamespace: p.namespace, k8sPodName: p.name, interfacesCount: 1 },
    })),
  };
}
