/**
 * The introspection endpoint `GET /v1/enis` (spec §10, introspect.go): the datastore rendered in the real JSON
 * shape (card-indexed, raw TotalIPs/AssignedIPs, containerID/ifName blanked, masks base64, AddressFamily empty).
 * Also the virtual-time → RFC3339 mapping used for tags and timestamps.
 */
import { formatIpv4 } from '../vpc/ipv4.ts';
import type { Datastore } from './datastore.ts';

/** Virtual t = 0 is this instant (RFC3339 timestamps in tags and introspection). */
export const SIM_EPOCH_MS = Date.UTC(2025, 0, 1, 0, 0, 0);
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

export function rfc3339(t: number): string {
  return new Date(SIM_EPOCH_MS + t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Parses an RFC3339 tag value back to virtual ms; undefined when unparsable. */
export function parseRfc3339(s: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s)) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms - SIM_EPOCH_MS;
}

function maskBase64(prefixLen: number): string {
  const m = prefixLen === 0 ? 0 : (0xffffffff << (32 - prefixLen)) >>> 0;
  return Buffer.from([(m >>> 24) & 255, (m >>> 16) & 255, (m >>> 8) & 255, m & 255]).toString('base64');
}

export function introspectEnis(ds: Datastore): Record<string, unknown> {
  let total = 0;
  let assigned = 0;
  const enis: Record<string, unknown> = {};
  for (const e of ds.enis.values()) {
    const v4: Record<string, unknown> = {};
    for (const c of e.cidrs.values()) {
      total += c.size;
      assigned += c.assigned;
      const ips: Record<string, unknown> = {};
      for (const a of c.addresses.values()) {
        ips[a.address] = {
          Address: a.address,
          IPAMKey: { networkName: a.key?.networkName ?? '', containerID: '', ifName: '' },
          IPAMMetadata: a.pod === undefined ? {} : { k8sPodNamespace: a.pod.namespace, k8sPodName: a.pod.name, interfacesCount: 1 },
          AssignedTime: a.assignedAt === undefined ? GO_ZERO_TIME : rfc3339(a.assignedAt),
          UnassignedTime: a.unassignedAt === undefined ? GO_ZERO_TIME : rfc3339(a.unassignedAt),
        };
      }
      const prefixLen = 32 - Math.log2(c.size);
      v4[c.cidr] = { Cidr: { IP: formatIpv4(c.base), Mask: maskBase64(prefixLen) }, IPAddresses: ips, IsPrefix: c.isPrefix, AddressFamily: '' };
    }
    const v6: Record<string, unknown> = {};
    for (const c of e.v6Cidrs.values()) {
      total += c.size;
      assigned += c.assigned;
      const ips: Record<string, unknown> = {};
      for (const a of c.addresses.values()) {
        ips[a.address] = {
          Address: a.address,
          IPAMKey: { networkName: a.key?.networkName ?? '', containerID: '', ifName: '' },
          IPAMMetadata: a.pod === undefined ? {} : { k8sPodNamespace: a.pod.namespace, k8sPodName: a.pod.name, interfacesCount: 1 },
          AssignedTime: a.assignedAt === undefined ? GO_ZERO_TIME : rfc3339(a.assignedAt),
          UnassignedTime: a.unassignedAt === undefined ? GO_ZERO_TIME : rfc3339(a.unassignedAt),
        };
      }
      v6[c.cidr] = { Cidr: { IP: c.cidr.split('/')[0], Mask: '' }, IPAddresses: ips, IsPrefix: true, AddressFamily: '' };
    }
    enis[e.id] = {
      ID: e.id,
      IsPrimary: e.primary,
      IsTrunk: e.trunk,
      IsEFA: e.efa,
      DeviceNumber: e.deviceNumber,
      AvailableIPv4Cidrs: v4,
      IPv6Cidrs: v6,
      IsExcludedForPodIPs: e.excluded,
      RouteTableID: e.primary ? 254 : e.deviceNumber + 1,
      SubnetID: e.subnetId,
    };
  }
  return { '0': { TotalIPs: total, AssignedIPs: assigned, ENIs: enis } };
}
