/**
 * The introspection endpoints (spec §10; pkg/ipamd/introspect.go `setupIntrospectionServer`): `GET /v1/enis` (the
 * datastore in the real JSON shape: card-indexed `map[int]*datastore.ENIInfos`, raw TotalIPs/AssignedIPs,
 * containerID/ifName blanked, masks base64, AddressFamily empty — datastore/data_store.go `GetENIInfos` does not copy
 * it), `GET /`, `/v1/eni-configs`, `/v1/networkutils-env-settings` (networkutils/network.go `GetConfigForDebug`, read
 * from the env as the real one is; the host networking it configures is not modelled) and `/v1/ipamd-env-settings`
 * (ipamd.go `GetConfigForDebug`). Go's encoding/json writes map keys sorted, so every map here is built in sorted key
 * order and struct fields in their declared order; src/report/go-json.ts prints them as `json.Marshal` would.
 * Also the virtual-time → RFC3339 mapping used for tags and timestamps.
 */
import { formatIpv4, hostBits } from '../vpc/ipv4.ts';
import type { IpamdConfig } from './config.ts';
import { goAtoi, goParseBool } from './go-parse.ts';
import type { AddressInfo, Datastore } from './datastore.ts';

/** Virtual t = 0 is this instant (RFC3339 timestamps in tags and introspection). */
export const SIM_EPOCH_MS = Date.UTC(2025, 0, 1, 0, 0, 0);
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** The last second formatted: an ENI's creation tag is formatted on every attempt, many in the same second. */
let lastSecond = { s: NaN, text: '' };

export function rfc3339(t: number): string {
  const s = Math.floor(t / 1000);
  if (s !== lastSecond.s) lastSecond = { s, text: new Date(SIM_EPOCH_MS + s * 1000).toISOString().replace(/\.000Z$/, 'Z') };
  return lastSecond.text;
}

/** Go's `time.Time` JSON (RFC3339Nano: fractional seconds with trailing zeros dropped), as AssignedTime prints. */
function rfc3339Nano(t: number): string {
  return new Date(SIM_EPOCH_MS + t).toISOString().replace(/\.(\d{3})Z$/, (_m, f: string) => (f === '000' ? 'Z' : `.${f.replace(/0+$/, '')}Z`));
}

/** Go map keys in encoding/json's order (byte-wise sorted). */
function sortedKeys<T>(m: Iterable<[string, T]>): [string, T][] {
  return [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
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
  for (const [, a] of sortedKeys([...addresses].map((x) => [x.address, x] as [string, AddressInfo]))) {
    ips[a.address] = {
      Address: a.address,
      IPAMKey: { networkName: a.key?.networkName ?? '', containerID: '', ifName: '' },
      IPAMMetadata: a.pod === undefined ? {} : { k8sPodNamespace: a.pod.namespace, k8sPodName: a.pod.name, interfacesCount: 1 },
      AssignedTime: a.assignedAt === undefined ? GO_ZERO_TIME : rfc3339Nano(a.assignedAt),
      UnassignedTime: a.unassignedAt === undefined ? GO_ZERO_TIME : rfc3339Nano(a.unassignedAt),
    };
  }
  return ips;
}

export function introspectEnis(ds: Datastore): Record<string, unknown> {
  let total = 0;
  let assigned = 0;
  const enis: Record<string, unknown> = {};
  for (const [, e] of sortedKeys(ds.enis)) {
    const v4: Record<string, unknown> = {};
    for (const [, c] of sortedKeys([...e.cidrs.values()].map((x) => [x.cidr, x] as [string, typeof x]))) {
      total += c.size;
      assigned += c.assigned;
      const ips = addressesJson(c.addresses.values());
      const prefixLen = 32 - hostBits(c.size);
      v4[c.cidr] = { Cidr: { IP: formatIpv4(c.base), Mask: maskBase64(prefixLen) }, IPAddresses: ips, IsPrefix: c.isPrefix, AddressFamily: '' };
    }
    const v6: Record<string, unknown> = {};
    for (const [, c] of sortedKeys([...e.v6Cidrs.values()].map((x) => [x.cidr, x] as [string, typeof x]))) {
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

/** `GET /v1/ipamd-env-settings` (ipamd.go `GetConfigForDebug`): the five parsed values, keys in Go's map order. */
export function introspectEnvSettings(c: IpamdConfig): Record<string, number | boolean> {
  return {
    AWS_MANAGE_ENIS_NON_SCHEDULABLE: c.manageEnisNonSchedulable,
    AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: c.customNetworking,
    ENABLE_SUBNET_DISCOVERY: c.subnetDiscovery,
    WARM_ENI_TARGET: c.warmEniTarget,
    WARM_IP_TARGET: c.warmIpTarget,
  };
}

/** networkutils `parseCIDRString`: comma-separated IPv4 CIDRs in canonical form; unset → null (a nil slice). */
function cidrList(v: string | undefined): string[] | null {
  if (v === undefined || v === '') return null;
  const out: string[] = [];
  for (const part of v.split(',')) {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(part.trim());
    if (m === null) continue; // the real one logs "is not a valid CIDR" (or "is an IPV6 CIDR") and skips it
    const octets = m.slice(1, 5).map(Number);
    const len = Number(m[5]);
    if (octets.some((o) => o > 255) || len > 32) continue;
    const n = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    const base = len === 0 ? 0 : (n & (~0 << (32 - len))) >>> 0;
    out.push(`${formatIpv4(base)}/${len}`);
  }
  return out.length === 0 ? null : out;
}

/**
 * `GET /v1/networkutils-env-settings` (networkutils/network.go `GetConfigForDebug`): eight host-networking settings
 * read from the env with the real defaults (connmark 0x80, MTU 9001, veth prefix "eni", node-port support on,
 * SNAT randomisation `prng` = 2 as the snatType enum). Keys in Go's map order.
 */
export function introspectNetworkEnvSettings(env: Readonly<Record<string, string>>): Record<string, unknown> {
  const bool = (k: string, d: boolean) => {
    const v = env[k];
    if (v === undefined || v === '') return d;
    const b = goParseBool(v);
    return b === undefined ? d : b;
  };
  const connmark = (() => {
    const v = env.AWS_VPC_K8S_CNI_CONNMARK;
    if (v === undefined || v === '') return 0x80;
    const n = goParseIntBase0(v);
    return n === undefined || n <= 0 || n > 0xffffffff ? 0x80 : n;
  })();
  const mtu = env.AWS_VPC_ENI_MTU === undefined ? 9001 : goAtoi(env.AWS_VPC_ENI_MTU) ?? 9001;
  const snat: Record<string, number> = { none: 0, hashrandom: 1, prng: 2 };
  return {
    AWS_EXTERNAL_SERVICE_CIDRS: cidrList(env.AWS_EXTERNAL_SERVICE_CIDRS),
    AWS_VPC_CNI_NODE_PORT_SUPPORT: bool('AWS_VPC_CNI_NODE_PORT_SUPPORT', true),
    AWS_VPC_ENI_MTU: mtu,
    AWS_VPC_K8S_CNI_CONNMARK: connmark,
    AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS: cidrList(env.AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS),
    AWS_VPC_K8S_CNI_EXTERNALSNAT: bool('AWS_VPC_K8S_CNI_EXTERNALSNAT', false),
    AWS_VPC_K8S_CNI_RANDOMIZESNAT: snat[env.AWS_VPC_K8S_CNI_RANDOMIZESNAT ?? ''] ?? 2,
    AWS_VPC_K8S_CNI_VETHPREFIX: env.AWS_VPC_K8S_CNI_VETHPREFIX ?? 'eni',
  };
}

/** strconv.ParseInt(s, 0, 64): 0x / 0o / 0 prefixes; undefined when Go would fail (underscores not handled). */
function goParseIntBase0(s: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (m === null) return undefined;
  const b = m[2];
  const n = /^0[xX]/.test(b) ? parseInt(b.slice(2), 16) : /^0[oO]/.test(b) ? parseInt(b.slice(2), 8) : b.length > 1 && b[0] === '0' ? parseInt(b.slice(1), 8) : Number(b);
  return m[1] === '-' ? -n : n;
}
