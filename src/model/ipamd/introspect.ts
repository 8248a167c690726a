/**
 * The introspection endpoints (spec §10, introspect.go): `GET /v1/enis` (the datastore in the real JSON shape:
 * card-indexed, raw TotalIPs/AssignedIPs, containerID/ifName blanked, masks base64, AddressFamily empty), `GET /`,
 * `/v1/eni-configs` and `/v1/ipamd-env-settings`. Also the virtual-time → RFC3339 mapping used for tags and
 * timestamps. `/v1/networkutils-env-settings` is listed but not rendered (host networking is not modelled).
 */
import { formatIpv4 } from '../vpc/ipv4.ts';
import type { IpamdConfig } from './config.ts';
import type { AddressInfo, Datastore } from './datastore.ts';

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

/** Go's net.IPMask as JSON: the mask bytes (4 for IPv4, 16 for IPv6) in base64 (`/////w==` = /32). */
function maskBase64(prefixLen: number, bytes = 4): string {
  const out: number[] = [];
  for (let i = 0; i < bytes; i++) {
    const bits = Math.max(0, Math.min(8, prefixLen - 8 * i));
    out.push((0xff << (8 - bits)) & 0xff);
  }
  // btoa is in every browser and in Node ≥ 16: the mask bytes as a binary string, then base64
  return btoa(String.fromCharCode(...out));
}

/** The `IPAddresses` map of one CIDR (containerID and ifName blanked, as the real copy does). */
function addressesJson(addresses: Iterable<AddressInfo>): Record<string, unknown> {
  const ips: Record<string, unknown> = {};
  for (const a of addresses) {
    ips[a.address] = {
      Address: a.address,
      IPAMKey: { networkName: a.key?.networkName ?? '', containerID: '', ifName: '' },
      IPAMMetadata: a.pod === undefined ? {} : { k8sPodNamespace: a.pod.namespace, k8sPodName: a.pod.name, interfacesCount: 1 },
      AssignedTime: a.assignedAt === undefined ? GO_ZERO_TIME : rfc3339(a.assignedAt),
      UnassignedTime: a.unassignedAt === undefined ? GO_ZERO_TIME : rfc3339(a.unassignedAt),
    };
  }
  return ips;
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
      const ips = addressesJson(c.addresses.values());
      const prefixLen = 32 - Math.log2(c.size);
      v4[c.cidr] = { Cidr: { IP: formatIpv4(c.base), Mask: maskBase64(prefixLen) }, IPAddresses: ips, IsPrefix: c.isPrefix, AddressFamily: '' };
    }
    const v6: Record<string, unknown> = {};
    for (const c of e.v6Cidrs.values()) {
      total += c.size;
      assigned += c.assigned;
      const ips = addressesJson(c.addresses.values());
      v6[c.cidr] = { Cidr: { IP: c.cidr.split('/')[0], Mask: maskBase64(Number(c.cidr.split('/')[1]), 16) }, IPAddresses: ips, IsPrefix: true, AddressFamily: '' };
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

/** `GET /`: the endpoint list (order unspecified in the real daemon). */
export const INTROSPECTION_COMMANDS = ['/v1/enis', '/v1/eni-configs', '/v1/networkutils-env-settings', '/v1/ipamd-env-settings'] as const;

/** `GET /v1/ipamd-env-settings` (`GetConfigForDebug`): the five parsed values. */
export function introspectEnvSettings(c: IpamdConfig): Record<string, number | boolean> {
  return {
    WARM_IP_TARGET: c.warmIpTarget,
    WARM_ENI_TARGET: c.warmEniTarget,
    AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: c.customNetworking,
    AWS_MANAGE_ENIS_NON_SCHEDULABLE: c.manageEnisNonSchedulable,
    ENABLE_SUBNET_DISCOVERY: c.subnetDiscovery,
  };
}
