/**
 * The end of a run's safety phase: removes every injected fault from a world's EC2 (error rates, IAM denials, IMDS
 * lag and shrunken token buckets back to the defaults), so the liveness phase judges the daemon's own rules only
 * (house-style "TigerBeetle": a safety phase with faults, then a liveness phase with faults healed). The buckets keep
 * their current levels and refill at the default rates. world-view.ts notices the healing by itself (no fault left in
 * the options) and starts the liveness clock then.
 * Not here: which faults a run had (the scenario's `ec2:` and `deniedPermissions`).
 */
import { DEFAULT_EC2_OPTIONS } from '../model/ec2/options.ts';
import type { World } from '../model/world.ts';

export function healFaults(world: World): void {
  const o = world.ec2.options;
  for (const k of Object.keys(o.faults) as (keyof typeof o.faults)[]) delete o.faults[k];
  for (const k of Object.keys(o.deny)) delete o.deny[k];
  const d = DEFAULT_EC2_OPTIONS;
  o.imds.attachLag = structuredClone(d.imds.attachLag);
  o.imds.ipLag = structuredClone(d.imds.ipLag);
  o.imds.detachLag = structuredClone(d.imds.detachLag);
  for (const [name, spec] of Object.entries(o.throttling.buckets)) {
    const def = d.throttling.buckets[name as keyof typeof d.throttling.buckets];
    // In place: a bucket already in use holds this object.
    if (def !== undefined) Object.assign(spec, def);
  }
}
