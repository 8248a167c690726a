/**
 * What one node could still do for a waiting pod, read from the facts: its pool counters (spec glossary GetIPStats),
 * whether any address is free, which ENIs could be topped up and which subnets a new ENI could go to (§2.5, §4.1,
 * §4.3, §5). Shared by the liveness check and the findings classifier; pure.
 * Which subnets a new ENI may use is the daemon's own rule (src/model/ipamd/subnet-discovery.ts `newEniSubnets`),
 * not a second reading of it here.
 */
import { CNI_ERAS, type CniEra } from '../model/ipamd/cni-version.ts';
import { newEniSubnets } from '../model/ipamd/subnet-discovery.ts';
import type { DsEniFacts, NodeFacts, SubnetFacts } from './view.ts';

export interface PoolCounts {
  totalIps: number;
  assignedIps: number;
  /** total − assigned (cooldown included, as ipamd counts it). */
  availableIps: number;
  datastoreEnis: number;
}

function cidrSize(cidr: string, prefix: boolean): number {
  return prefix ? 2 ** (32 - Number(cidr.split('/')[1] ?? 28)) : 1;
}

/** Stats over non-excluded ENIs, current-mode CIDRs only (glossary). */
export function poolCounts(n: NodeFacts): PoolCounts {
  const d = n.ipamd;
  if (d === undefined) return { totalIps: 0, assignedIps: 0, availableIps: 0, datastoreEnis: 0 };
  let total = 0;
  let assigned = 0;
  for (const e of d.datastore) {
    if (e.excluded) continue;
    for (const c of e.cidrs) {
      if (c.prefix !== d.settings.prefixDelegation) continue;
      total += cidrSize(c.cidr, c.prefix);
      for (const a of c.addresses) if (a.owner !== undefined) assigned++;
    }
  }
  return { totalIps: total, assignedIps: assigned, availableIps: total - assigned, datastoreEnis: d.datastore.length };
}

/** Whether a subnet has room for one more unit of the node's mode: an address (SIP) or an aligned /28 (PD). */
export function subnetHasRoom(s: SubnetFacts, pd: boolean): boolean {
  return pd ? s.freePrefixBlocks > 0 : s.freeAddresses > 0;
}

/** ENIs a top-up may pick (§2.5 step 1, ds.go GetAllocatableENIs). */
export function allocatableEnis(n: NodeFacts): DsEniFacts[] {
  const d = n.ipamd;
  if (d === undefined) return [];
  return d.datastore.filter(
    (e) => !e.trunk && !e.excluded && !(e.primary && d.settings.customNetworking) && e.cidrs.length < d.settings.maxCidrsPerEni,
  );
}

/** The daemon's era; a daemon that does not say is taken to run the newest rules (as ipamd.ts defaults). */
export function eraOf(cniEra: string | undefined): CniEra {
  return CNI_ERAS.find((e) => e === cniEra) ?? '1.23+';
}

/**
 * Subnets a new ENI may be created in and will serve pod addresses from, in the order the daemon tries them
 * (§4.1, §4.3, §4.6, §4.7 via `newEniSubnets`): the node's AZ subnets as its DescribeSubnets lists them, the node's
 * ENIConfig subnet with custom networking. Empty when the daemon cannot create an ENI (e.g. no valid subnet).
 */
export function eniSubnets(n: NodeFacts, subnets: readonly SubnetFacts[]): SubnetFacts[] {
  const d = n.ipamd;
  if (d === undefined) return [];
  const like = (f: SubnetFacts) => ({ subnetId: f.id, availableIpAddressCount: f.available, tags: f.tags, facts: f });
  const cfg = n.eniConfigSubnetId === undefined ? undefined : subnets.find((s) => s.id === n.eniConfigSubnetId);
  const choice = newEniSubnets({
    subnets: subnets.filter((s) => s.az === n.az).map(like),
    primarySubnetId: n.subnetId,
    clusterName: d.settings.clusterName ?? '',
    era: eraOf(d.settings.cniEra),
    subnetDiscovery: d.settings.subnetDiscovery,
    customNetworking: d.settings.customNetworking,
    ...(cfg === undefined ? {} : { eniConfigSubnet: like(cfg) }),
    ipv6: d.settings.ipv6,
  });
  return choice.usable.map((s) => s.facts);
}

/** Where the node could get one more address: free pool addresses, a top-up or a new ENI. */
export interface GrowthRoom {
  counts: PoolCounts;
  /** Some address is unassigned (possibly cooling). */
  free: boolean;
  /** An allocatable ENI whose subnet has room. */
  topUp: boolean;
  /** Room for another ENI (maxENI) and a valid subnet with room for one unit. */
  newEni: boolean;
  /** The valid subnets for a new ENI. */
  candidates: SubnetFacts[];
  /** Below max pods (growth stops at TotalIPs ≥ maxPods, §2.4 step 0). */
  belowMaxPods: boolean;
}

export function growthRoom(n: NodeFacts, subnets: readonly SubnetFacts[]): GrowthRoom {
  const counts = poolCounts(n);
  const d = n.ipamd;
  const pd = d?.settings.prefixDelegation ?? false;
  const byId = new Map(subnets.map((s) => [s.id, s]));
  const candidates = eniSubnets(n, subnets);
  const topUp = allocatableEnis(n).some((e) => {
    const s = e.subnetId === undefined ? undefined : byId.get(e.subnetId);
    return s !== undefined && subnetHasRoom(s, pd);
  });
  const newEni =
    d !== undefined && counts.datastoreEnis < d.settings.maxEni && candidates.some((s) => subnetHasRoom(s, pd) && s.freeAddresses > 0);
  return {
    counts,
    free: counts.availableIps > 0,
    topUp,
    newEni,
    candidates,
    belowMaxPods: d !== undefined && counts.totalIps < d.settings.maxPods,
  };
}
