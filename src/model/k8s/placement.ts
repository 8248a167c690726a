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
  const counts = new PlacementCounts();
  for (const i of instances) counts.add(i, 1);
  return rankLaunchSubnets(subnets, counts);
}

/** A group's instances per AZ and per subnet, kept as instances come and go (a large group need not recount). */
export class PlacementCounts {
  private readonly perAz = new Map<string, number>();
  private readonly perSubnet = new Map<string, number>();

  add(i: GroupSubnet, sign: 1 | -1): void {
    this.perAz.set(i.az, (this.perAz.get(i.az) ?? 0) + sign);
    this.perSubnet.set(i.subnetId, (this.perSubnet.get(i.subnetId) ?? 0) + sign);
  }

  inAz(az: string): number {
    return this.perAz.get(az) ?? 0;
  }

  inSubnet(subnetId: string): number {
    return this.perSubnet.get(subnetId) ?? 0;
  }
}

/** `launchCandidates` from counts of the group's instances. */
export function rankLaunchSubnets(subnets: readonly GroupSubnet[], counts: PlacementCounts): GroupSubnet[] {
  const azOrder = [...new Set(subnets.map((s) => s.az))];
  const indexed = subnets.map((s, i) => ({ s, i }));
  indexed.sort(
    (a, b) =>
      counts.inAz(a.s.az) - counts.inAz(b.s.az) ||
      azOrder.indexOf(a.s.az) - azOrder.indexOf(b.s.az) ||
      counts.inSubnet(a.s.subnetId) - counts.inSubnet(b.s.subnetId) ||
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
