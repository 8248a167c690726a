/**
 * What one node could still do for a waiting pod, read from the facts: its pool counters (spec glossary GetIPStats),
 * whether any address is free, which ENIs could be topped up and which subnets a new ENI could go to (§2.5, §4.1,
 * §4.3, §5). Shared by the liveness check and the findings classifier; pure.
 */
import type { DsEniFacts, NodeFacts, SubnetFacts } from './view.ts';

export interface PoolCounts {
  totalIps: number;
  assignedIps: number;
  /** total − assigned (cooldown included, as ipamd counts it). */
  availableIps: number;
  datastoreEnis: number;
}

const CNI_TAG = 'kubernetes.io/role/cni';
const CLUSTER_TAG_PREFIX = 'cni.networking.k8s.aws/cluster/';

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

/**
 * Subnets a new ENI may be created in (§4.1, §4.3): the ENIConfig subnet with custom networking; otherwise, with
 * discovery, the node's subnet unless tagged 0 plus subnets of its AZ tagged with a non-empty, non-0 cni tag and no
 * cluster-scoped tag (a conservative reading: cluster-scoped subnets are left out); without discovery (off, or a CNI
 * version before 1.18.0), the node's subnet unless tagged 0.
 */
export function eniSubnets(n: NodeFacts, subnets: readonly SubnetFacts[]): SubnetFacts[] {
  const d = n.ipamd;
  if (d === undefined) return [];
  if (d.settings.customNetworking) return subnets.filter((s) => s.id === n.eniConfigSubnetId);
  return subnets.filter((s) => {
    const tag = s.tags[CNI_TAG];
    if (tag === '0') return false;
    if (s.id === n.subnetId) return true;
    // no discovery before v1.18.0 (§4.7): new ENIs go to the node's subnet only
    if (!d.settings.subnetDiscovery || d.settings.cniEra === 'pre-1.18' || s.az !== n.az) return false;
    if (tag === undefined || tag === '') return false;
    return !Object.keys(s.tags).some((k) => k.startsWith(CLUSTER_TAG_PREFIX));
  });
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
