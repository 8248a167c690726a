/**
 * Assigning and unassigning an ENI's secondary IPv4 addresses, /28 prefixes and IPv6 prefixes and addresses
 * (AssignPrivateIpAddresses, UnassignPrivateIpAddresses, AssignIpv6Addresses, UnassignIpv6Addresses) against the
 * account state: the instance type's limits (spec §5), prefix delegation only where the type supports it, all or
 * nothing. Functions over the state's maps (state.ts calls them); the state tells IMDS of each change.
 */
import { parseIpv4, formatIpv4 } from '../vpc/ipv4.ts';
import type { Eni } from './eni.ts';
import { errors, fail, ok, parseCidrParam } from './errors.ts';
import type { Instance } from './instance.ts';
import { supportsPrefixDelegation } from './instance-types.ts';
import type { Ec2StateLimits } from './state-params.ts';
import type { AssignPrivateIpParams, AssignPrivateIpResult, Ec2Result, EniId, InstanceId, UnassignPrivateIpParams } from './types.ts';

/** What the operations read of the account state, and how they tell it an ENI's addresses changed. */
export interface EniAddressHost {
  readonly enis: ReadonlyMap<EniId, Eni>;
  readonly instances: ReadonlyMap<InstanceId, Instance>;
  readonly limits: Ec2StateLimits;
  /** The ENI's addresses changed (IMDS will show it). */
  emitUpdate(eni: Eni): void;
}

export function assignPrivateIpAddresses(h: EniAddressHost, p: AssignPrivateIpParams): Ec2Result<AssignPrivateIpResult> {
  const eni = h.enis.get(p.eniId);
  if (eni === undefined) return { ok: false, error: errors.eniNotFound(p.eniId) };
  const nIps = p.secondaryPrivateIpAddressCount;
  const nPrefixes = p.ipv4PrefixCount;
  if ((nIps === undefined) === (nPrefixes === undefined)) {
    return fail('InvalidParameterValue', 'Specify exactly one of SecondaryPrivateIpAddressCount and Ipv4PrefixCount');
  }
  const n = (nIps ?? nPrefixes)!;
  if (!Number.isInteger(n) || n < 1) return fail('InvalidParameterValue', `Invalid value '${n}' for ${nIps !== undefined ? 'SecondaryPrivateIpAddressCount' : 'Ipv4PrefixCount'}`);
  const inst = eni.attachment === undefined ? undefined : h.instances.get(eni.attachment.instanceId);
  if (nPrefixes !== undefined && inst !== undefined && !supportsPrefixDelegation(inst.type)) {
    return fail('InvalidParameterValue', `Prefix delegation is not supported for instance type ${inst.type.name}.`);
  }
  const limit = inst !== undefined ? inst.type.ipv4PerEni : h.limits.unattachedEniIpv4Limit;
  if (eni.slotsUsed + n > limit - 1) return { ok: false, error: errors.privateIpLimit() };
  const a = eni.subnet.allocator;
  if (nIps !== undefined) {
    const ips = a.allocateAddresses(n);
    if (typeof ips === 'string') return { ok: false, error: errors.insufficientAddresses() };
    eni.secondaryIps.push(...ips);
    h.emitUpdate(eni);
    return ok({ assignedPrivateIpAddresses: ips.map(formatIpv4), assignedIpv4Prefixes: [] });
  }
  const bases = a.allocatePrefixes(n);
  if (typeof bases === 'string') {
    return { ok: false, error: bases === 'InsufficientCidrBlocks' ? errors.insufficientCidrBlocks() : errors.insufficientAddresses() };
  }
  eni.prefixes.push(...bases);
  h.emitUpdate(eni);
  return ok({ assignedPrivateIpAddresses: [], assignedIpv4Prefixes: bases.map((b) => `${formatIpv4(b)}/28`) });
}

/** All or nothing: an address or prefix not on the ENI (or the primary) fails the whole call. */
export function unassignPrivateIpAddresses(h: EniAddressHost, p: UnassignPrivateIpParams): Ec2Result<void> {
  const eni = h.enis.get(p.eniId);
  if (eni === undefined) return { ok: false, error: errors.eniNotFound(p.eniId) };
  const ipIdx: number[] = [];
  for (const text of p.privateIpAddresses ?? []) {
    let ip: number;
    try {
      ip = parseIpv4(text);
    } catch (err) {
      return fail('InvalidParameterValue', (err as Error).message);
    }
    if (ip === eni.primaryIp) return fail('InvalidParameterValue', `The primary private IP address ${text} of ${eni.id} cannot be unassigned.`);
    const i = eni.secondaryIps.indexOf(ip);
    if (i < 0 || ipIdx.includes(i)) return fail('InvalidParameterValue', `Some of the specified addresses are not assigned to interface ${eni.id}`);
    ipIdx.push(i);
  }
  const pfxIdx: number[] = [];
  for (const text of p.ipv4Prefixes ?? []) {
    const c = parseCidrParam(text);
    if ('code' in c) return { ok: false, error: c };
    const i = c.prefixLen === 28 ? eni.prefixes.indexOf(c.base) : -1;
    if (i < 0 || pfxIdx.includes(i)) return fail('InvalidParameterValue', `Some of the specified prefixes are not assigned to interface ${eni.id}`);
    pfxIdx.push(i);
  }
  if (ipIdx.length + pfxIdx.length === 0) return fail('InvalidParameterValue', 'No addresses or prefixes specified');
  const a = eni.subnet.allocator;
  for (const i of ipIdx) a.release(eni.secondaryIps[i]);
  for (const i of pfxIdx) a.releasePrefix(eni.prefixes[i]);
  removeIndexes(eni.secondaryIps, ipIdx);
  removeIndexes(eni.prefixes, pfxIdx);
  h.emitUpdate(eni);
  return ok(undefined);
}

export function assignIpv6Addresses(
h: EniAddressHost,
p: { eniId: EniId; ipv6PrefixCount?: number; ipv6AddressCount?: number },
): Ec2Result<{ assignedIpv6Prefixes: string[]; assignedIpv6Addresses: string[] }> {
  const eni = h.enis.get(p.eniId);
  if (eni === undefined) return { ok: false, error: errors.eniNotFound(p.eniId) };
  const pool = eni.subnet.ipv6;
  if (pool === undefined) return fail('InvalidParameterValue', `Subnet ${eni.subnet.id} has no IPv6 CIDR block`);
  const nP = p.ipv6PrefixCount ?? 0;
  const nA = p.ipv6AddressCount ?? 0;
  if (!Number.isInteger(nP) || !Number.isInteger(nA) || nP < 0 || nA < 0 || nP + nA === 0) {
    return fail('InvalidParameterValue', 'Specify a positive Ipv6PrefixCount or Ipv6AddressCount');
  }
  const inst = eni.attachment === undefined ? undefined : h.instances.get(eni.attachment.instanceId);
  if (nP > 0 && inst !== undefined && !supportsPrefixDelegation(inst.type)) {
    return fail('InvalidParameterValue', `Prefix delegation is not supported for instance type ${inst.type.name}.`);
  }
  const prefixes = nP > 0 ? pool.allocatePrefixes(nP) : [];
  if (prefixes === undefined) return { ok: false, error: errors.insufficientCidrBlocks() };
  const addrs = pool.allocateAddresses(nA);
  eni.ipv6Prefixes.push(...prefixes);
  eni.ipv6Addresses.push(...addrs);
  h.emitUpdate(eni);
  return ok({ assignedIpv6Prefixes: prefixes, assignedIpv6Addresses: addrs });
}

export function unassignIpv6Addresses(h: EniAddressHost, p: { eniId: EniId; ipv6Prefixes?: string[]; ipv6Addresses?: string[] }): Ec2Result<void> {
  const eni = h.enis.get(p.eniId);
  if (eni === undefined) return { ok: false, error: errors.eniNotFound(p.eniId) };
  const prefixes = p.ipv6Prefixes ?? [];
  const addrs = p.ipv6Addresses ?? [];
  if (prefixes.some((x) => !eni.ipv6Prefixes.includes(x)) || addrs.some((x) => !eni.ipv6Addresses.includes(x))) {
    return fail('InvalidParameterValue', `Some of the specified addresses are not assigned to interface ${eni.id}`);
  }
  for (const x of prefixes) {
    eni.subnet.ipv6!.releasePrefix(x);
    eni.ipv6Prefixes.splice(eni.ipv6Prefixes.indexOf(x), 1);
  }
  for (const x of addrs) {
    eni.subnet.ipv6!.releaseAddress(x);
    eni.ipv6Addresses.splice(eni.ipv6Addresses.indexOf(x), 1);
  }
  h.emitUpdate(eni);
  return ok(undefined);
}

/** Removes the given indexes from `arr`, keeping the order of the rest. */
function removeIndexes<T>(arr: T[], idx: number[]): void {
  if (idx.length === 0) return;
  const drop = new Set(idx);
  let w = 0;
  for (let r = 0; r < arr.length; r++) if (!drop.has(r)) arr[w++] = arr[r];
  arr.length = w;
}
