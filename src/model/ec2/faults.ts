/**
 * Every injected fault of one simulated EC2 in one place: the error chance of each action (integer ratios, drawn from
 * the stream 'ec2/faults/<Action>'), IAM denials, the IMDS lags and the token-bucket sizes. The call pipeline
 * (ec2-api.ts) asks it whether an attempt is denied or fails, IMDS (imds.ts) draws its lags from it, the buckets
 * (token-buckets.ts) refill at its rates; the invariant checkers ask `active()`, and `heal()` ends a safety phase (the
 * scenario step `sim heal-faults`, or a harness). A lag or bucket counts as a fault when it is worse than the default
 * (options.ts); which knobs are faults is decided once, here, when the options are read and when they are healed.
 * Not here: the options' shapes and defaults (options.ts), the error texts (errors.ts), the checkers' use of it
 * (src/check/world-view.ts).
 */
import type { Random, Simulation } from '../../sim/index.ts';
import { drawChance, ratioFromDecimal, type Ratio } from '../../util/ratio.ts';
import { errors } from './errors.ts';
import { DEFAULT_EC2_OPTIONS, type BucketName, type BucketSpec, type Ec2Options, type LatencySpec } from './options.ts';
import type { Ec2Action, Ec2Error, Ec2ErrorCode, Principal } from './types.ts';

/** An action's injected failure: each attempt fails with `code` with chance `chance`. */
export interface ErrorFault {
  chance: Ratio;
  code: Ec2ErrorCode;
  message?: string;
}

/** The three IMDS lags (options.ts `imds`). */
export type ImdsLag = keyof Ec2Options['imds'];
const IMDS_LAGS: readonly ImdsLag[] = ['attachLag', 'ipLag', 'detachLag'];

/** The longest delay a latency can draw (its tail end when it has one), ms. */
export function worstMs(l: LatencySpec): number {
  return Math.max(l.maxMs, l.tailProbability !== undefined && l.tailProbability > 0 ? (l.tailMaxMs ?? l.maxMs) : l.maxMs);
}

export class Faults {
  /** Per action; an action without an entry never fails by injection. */
  private readonly errorFaults = new Map<Ec2Action, ErrorFault>();
  /** Principal (or '*') → actions (or '*') answered with UnauthorizedOperation. */
  private readonly deny = new Map<Principal, Array<Ec2Action | '*'>>();
  /** The IMDS lags in force (replaced, never edited, when healed). */
  readonly imdsLags: Record<ImdsLag, LatencySpec>;
  /** Bucket sizes in force (a copy of the options'): token-buckets.ts holds these objects, so healing edits them in place. */
  readonly buckets: Record<BucketName, BucketSpec>;
  private readonly throttling: boolean;
  private readonly rngs = new Map<Ec2Action, Random>();
  private activeNow: string[];

  /** `o` is resolved and checked (ec2OptionsErrors): every rate has a ratio. */
  constructor(
    private readonly sim: Simulation,
    o: Ec2Options,
  ) {
    for (const [a, f] of Object.entries(o.faults)) {
      if (f === undefined) continue;
      const e: ErrorFault = { chance: ratioFromDecimal(f.rate)!, code: f.code };
      if (f.message !== undefined) e.message = f.message;
      this.errorFaults.set(a as Ec2Action, e);
    }
    for (const [p, actions] of Object.entries(o.deny)) this.deny.set(p, [...actions]);
    this.imdsLags = { ...o.imds };
    this.buckets = structuredClone(o.throttling.buckets);
    this.throttling = o.throttling.enabled;
    this.activeNow = this.findActive();
  }

  /** Whether `p` may not call `a` (IAM): a denial for `p` or for every principal ('*'). */
  denied(p: Principal, a: Ec2Action): boolean {
    return this.deniedTo(p, a) || this.deniedTo('*', a);
  }

  /** Whether a denial names `p` itself (scenario actions as `admin` honour only these, world/admin-actions.ts). */
  deniedTo(p: Principal, a: Ec2Action): boolean {
    const list = this.deny.get(p);
    return list !== undefined && (list.includes(a) || list.includes('*'));
  }

  /** The injected failure of this attempt of `a`, if it draws one. */
  injectedError(a: Ec2Action): Ec2Error | undefined {
    const f = this.errorFaults.get(a);
    if (f === undefined || f.chance.num === 0 || !drawChance(f.chance, this.rng(a).float())) return undefined;
    const message = f.message ?? (f.code === 'InternalError' ? errors.internal().message : f.code === 'RequestLimitExceeded' ? errors.throttled().message : `Injected ${f.code}`);
    return { code: f.code, message };
  }

  /** Every action some principal is denied, as written (for the checkers). */
  deniedActions(): string[] {
    return [...this.deny.values()].flat().map(String);
  }

  /** The worst IMDS lag in force now, ms. */
  imdsLagWorstMs(): number {
    return Math.max(...IMDS_LAGS.map((k) => worstMs(this.imdsLags[k])));
  }

  /** The faults in force, one short tag each (`fault CreateNetworkInterface`, `deny eks-node-role`, `imds lag`, …). */
  active(): readonly string[] {
    return this.activeNow;
  }

  /**
   * Removes every fault: error chances and IAM denials cleared, IMDS lags and token buckets worse than the defaults put
   * back to the defaults (buckets keep their token levels and refill at the default rate from now). Knobs set better
   * than the defaults are left alone. Returns what it removed, one short phrase each (empty when nothing was in force).
   */
  heal(): string[] {
    const out: string[] = [];
    const faulted = [...this.errorFaults].flatMap(([a, f]) => (f.chance.num > 0 ? [a] : []));
    this.errorFaults.clear();
    if (faulted.length > 0) out.push(`error rates on ${faulted.join(', ')}`);
    const denied = [...new Set([...this.deny.values()].flat())];
    this.deny.clear();
    if (denied.length > 0) out.push(`IAM denials of ${denied.join(', ')}`);
    const d = DEFAULT_EC2_OPTIONS;
    const lags = IMDS_LAGS.filter((k) => worstMs(this.imdsLags[k]) > worstMs(d.imds[k]));
    for (const k of lags) this.imdsLags[k] = structuredClone(d.imds[k]);
    if (lags.length > 0) out.push(`IMDS ${lags.join(', ')}`);
    const buckets: string[] = [];
    for (const [name, spec] of Object.entries(this.buckets)) {
      const def = d.throttling.buckets[name as BucketName];
      if (!this.throttling || def === undefined || (spec.capacity >= def.capacity && spec.refillPerSecond >= def.refillPerSecond)) continue;
      // each setting on its own: one set better than the default stays (docs/scenario-format.md)
      spec.capacity = Math.max(spec.capacity, def.capacity);
      spec.refillPerSecond = Math.max(spec.refillPerSecond, def.refillPerSecond);
      buckets.push(name);
    }
    if (buckets.length > 0) out.push(`throttling of the ${buckets.join(', ')} bucket${buckets.length === 1 ? '' : 's'}`);
    this.activeNow = this.findActive();
    return out;
  }

  /** Which knobs are faults: a non-zero error chance, a denial, a lag or (with throttling on) a bucket worse than the default. */
  private findActive(): string[] {
    const out: string[] = [];
    for (const [a, f] of this.errorFaults) if (f.chance.num > 0) out.push(`fault ${a}`);
    for (const [p, actions] of this.deny) if (actions.length > 0) out.push(`deny ${p}`);
    const d = DEFAULT_EC2_OPTIONS.imds;
    if (IMDS_LAGS.some((k) => worstMs(this.imdsLags[k]) > worstMs(d[k]))) out.push('imds lag');
    if (this.throttling) {
      for (const [name, b] of Object.entries(this.buckets)) {
        const def = DEFAULT_EC2_OPTIONS.throttling.buckets[name as BucketName];
        if (def !== undefined && (b.capacity < def.capacity || b.refillPerSecond < def.refillPerSecond)) out.push(`throttling ${name}`);
      }
    }
    return out;
  }

  private rng(a: Ec2Action): Random {
    let r = this.rngs.get(a);
    if (r === undefined) {
      r = this.sim.random(`ec2/faults/${a}`);
      this.rngs.set(a, r);
    }
    return r;
  }
}
