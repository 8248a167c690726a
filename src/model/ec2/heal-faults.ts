/**
 * Removing injected faults from live EC2 options (a simulator control, not an AWS operation): error rates and IAM
 * denials cleared, IMDS lags and token buckets that are worse than the defaults put back to the defaults. Knobs set
 * better than the defaults, latencies and quotas are left alone; buckets keep their current token levels (the
 * options are edited in place, where the running model reads them). Used by the scenario step `sim heal-faults`
 * (World.healFaults) and by test harnesses (src/check/heal.ts).
 * Not here: deciding when a run counts as healed (src/check/world-view.ts).
 */
import { DEFAULT_EC2_OPTIONS, type Ec2Options, type LatencySpec } from './options.ts';

function worst(l: LatencySpec): number {
  return Math.max(l.maxMs, l.tailProbability !== undefined && l.tailProbability > 0 ? (l.tailMaxMs ?? l.maxMs) : l.maxMs);
}

/** Heals `o` in place; returns what it removed, one short phrase each (empty when no fault was in force). */
export function healEc2Faults(o: Ec2Options): string[] {
  const out: string[] = [];
  const faulted = Object.keys(o.faults).filter((k) => o.faults[k as keyof typeof o.faults] !== undefined);
  for (const k of Object.keys(o.faults) as (keyof typeof o.faults)[]) delete o.faults[k];
  if (faulted.length > 0) out.push(`error rates on ${faulted.join(', ')}`);
  const denied = [...new Set(Object.values(o.deny).flat())];
  for (const p of Object.keys(o.deny)) delete o.deny[p];
  if (denied.length > 0) out.push(`IAM denials of ${denied.join(', ')}`);
  const d = DEFAULT_EC2_OPTIONS;
  const lags: string[] = [];
  for (const k of ['attachLag', 'ipLag', 'detachLag'] as const) {
    if (worst(o.imds[k]) > worst(d.imds[k])) {
      o.imds[k] = structuredClone(d.imds[k]);
      lags.push(k);
    }
  }
  if (lags.length > 0) out.push(`IMDS ${lags.join(', ')}`);
  const buckets: string[] = [];
  for (const [name, spec] of Object.entries(o.throttling.buckets)) {
    const def = d.throttling.buckets[name as keyof typeof d.throttling.buckets];
    if (def === undefined || (spec.capacity >= def.capacity && spec.refillPerSecond >= def.refillPerSecond)) continue;
    // In place: a bucket already in use holds this object.
    Object.assign(spec, def);
    buckets.push(name);
  }
  if (buckets.length > 0) out.push(`throttling of the ${buckets.join(', ')} bucket${buckets.length === 1 ? '' : 's'}`);
  return out;
}
