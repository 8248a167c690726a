/**
 * Where an Auto Scaling group puts its next instance and which one it removes on scale-in, as pure functions.
 *   - launch: balance across Availability Zones — the AZ with the fewest instances of the group, ties in the order the
 *     group lists its subnets; within an AZ, the subnet with the fewest instances, then list order. A candidate list in
 *     that order is returned so a failed launch (e.g. InsufficientFreeAddressesInSubnet) can move on to the next AZ.
 *   - scale-in: from the AZ with the most instances, the newest instance (ties by instance id). The real default
 *     policy then looks at launch templates and billing hours; all instances here share one template, and "newest"
 *     stands in for the random last step so runs stay reproducible.
 */

export interface GroupSubnet {
  subnetId: string;
  az: string;
}

export interface GroupInstance {
  instanceId: string;
  subnetId: string;
  az: string;
  launchedAt: number;
}

export function launchCandidates(subnets: readonly GroupSubnet[], instances: readonly GroupInstance[]): GroupSubnet[] {
  const perAz = new Map<string, number>();
  const perSubnet = new Map<string, number>();
  for (const s of subnets) {
    perAz.set(s.az, 0);
    perSubnet.set(s.subnetId, 0);
  }
  for (const i of instances) {
    if (perAz.has(i.az)) perAz.set(i.az, perAz.get(i.az)! + 1);
    if (perSubnet.has(i.subnetId)) perSubnet.set(i.subnetId, perSubnet.get(i.subnetId)! + 1);
  }
  const azOrder = [...new Set(subnets.map((s) => s.az))];
  const indexed = subnets.map((s, i) => ({ s, i }));
  indexed.sort(
    (a, b) =>
      perAz.get(a.s.az)! - perAz.get(b.s.az)! ||
      azOrder.indexOf(a.s.az) - azOrder.indexOf(b.s.az) ||
      perSubnet.get(a.s.subnetId)! - perSubnet.get(b.s.subnetId)! ||
      a.i - b.i,
  );
  return indexed.map((x) => x.s);
}

export function scaleInVictim<T extends GroupInstance>(instances: readonly T[]): T | undefined {
  if (instances.length === 0) return undefined;
  const perAz = new Map<string, number>();
  for (const i of instances) perAz.set(i.az, (perAz.get(i.az) ?? 0) + 1);
  return [...instances].sort(
    (a, b) =>
      perAz.get(b.az)! - perAz.get(a.az)! ||
      b.launchedAt - a.launchedAt ||
      (a.instanceId < b.instanceId ? 1 : a.instanceId > b.instanceId ? -1 : 0),
  )[0];
}
