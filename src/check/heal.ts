/**
 * The end of a run's safety phase, for harnesses that heal without a scenario step: removes every injected fault
 * from a world's EC2 (`Faults.heal`, src/model/ec2/faults.ts: error rates, IAM denials, IMDS lag and shrunken token
 * buckets back to the defaults), so the liveness phase judges the daemon's own rules only (house-style
 * "TigerBeetle": a safety phase with faults, then a liveness phase with faults healed). The same healing as the
 * scenario step `sim heal-faults` (World.healFaults), without its timeline record. world-view.ts sees no fault
 * active from then on and starts the liveness clock.
 * Not here: which faults a run had (the scenario's `ec2:` and `deniedPermissions`).
 */
import type { World } from '../model/world.ts';

export function healFaults(world: World): void {
  world.ec2.faults.heal();
}
