/**
 * The end of a run's safety phase, for harnesses that heal without a scenario step: removes every injected fault
 * from a world's EC2 (error rates, IAM denials, IMDS lag and shrunken token buckets back to the defaults), so the
 * liveness phase judges the daemon's own rules only (house-style "TigerBeetle": a safety phase with faults, then a
 * liveness phase with faults healed). The buckets keep their current levels and refill at the default rates.
 * The same healing as the scenario step `sim heal-faults` (World.healFaults, src/model/ec2/heal-faults.ts), without
 * its timeline record. world-view.ts notices the healing by itself (no fault left in the options) and starts the
 * liveness clock then.
 * Not here: which faults a run had (the scenario's `ec2:` and `deniedPermissions`).
 */
import { healEc2Faults } from '../model/ec2/heal-faults.ts';
import type { World } from '../model/world.ts';

export function healFaults(world: World): void {
  healEc2Faults(world.ec2.options);
}
