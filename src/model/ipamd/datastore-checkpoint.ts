/**
 * The datastore's side of the checkpoint (§3.7): the entries it writes, one per assigned address, and the test of
 * which CIDR a restored entry's address falls in. Not here: restoring an entry (the datastore's `restore`), reading
 * and writing the checkpoint file and its version (node-init.ts, records.ts).
 */
import { hostBits, parseIpv4 } from '../vpc/ipv4.ts';
import { parseIpv6Cidr } from '../vpc/ipv6.ts';
import type { AddressInfo, CidrInfo } from './datastore-types.ts';
import { NETWORK_NAME } from './datastore-types.ts';
import { CHECKPOINT_VERSION, type Checkpoint, type CheckpointAllocation } from './records.ts';

/** One checkpoint entry (§3.7): a pod's sandbox and the address it holds since `assignedAt` (virtual ms). */
function checkpointEntry(e: { networkName: string; containerId: string; ifName: string; address: string; v6: boolean; assignedAt: number; namespace: string; name: string }): CheckpointAllocation {
  return {
    networkName: e.networkName,
    containerID: e.containerId,
    ifName: e.ifName,
    ...(e.v6 ? { ipv6: e.address } : { ipv4: e.address }),
    allocationTimestamp: e.assignedAt * 1e6,
    metadata: { k8sPodNamespace: e.namespace, k8sPodName: e.name, interfacesCount: 1 },
  };
}

/** The checkpoint entries (§3.7), in datastore order. */
export function checkpointEntries(allocations: readonly { info: AddressInfo; v6: boolean }[]): CheckpointAllocation[] {
  return allocations.map(({ info, v6 }) =>
    checkpointEntry({
      networkName: info.key!.networkName,
      containerId: info.key!.containerId,
      ifName: info.key!.ifName,
      address: info.address,
      v6,
      assignedAt: info.assignedAt ?? 0,
      namespace: info.pod?.namespace ?? '',
      name: info.pod?.name ?? '',
    }),
  );
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
    version: CHECKPOINT_VERSION,
    allocations: pods.map((p) =>
      checkpointEntry({ networkName: NETWORK_NAME, containerId: p.containerId, ifName: 'eth0', address: p.ip, v6: false, assignedAt: p.assignedAt, namespace: p.namespace, name: p.name }),
    ),
  };
}
