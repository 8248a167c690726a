/**
 * Example pool-policy plugin for `vpc-cni-sim bench --policies ./bench/policies/arrival-rate.ts`: a warm target
 * that follows the recent pod arrival rate. No real system does this; the VPC CNI's targets are fixed numbers.
 *
 * Each node keeps a moving average of pod ADDs per second — exponentially weighted, rising with a 5 s time
 * constant (a burst shows within a pass) and decaying with a 120 s one (the pool is kept a while after) — and
 * keeps   warm = clamp(⌈rate × LEAD_S × SAFETY⌉, MIN_WARM, one ENI's worth)   free addresses, where LEAD_S is how
 * long new addresses take to arrive (a 5 s pool pass plus the EC2 call). Addresses in IP cooldown count as in
 * use (as the experimental INCLUDE_COOLDOWN_IPS_IN_POOL_SIZE does), since a pod cannot get them. It releases
 * only above twice the target (hysteresis), so a burst's pool is kept for a while and then returned.
 * Everything else — how much one call asks for, which ENI to free, subnet ranking — is the real daemon's warm-IP
 * arithmetic (src/model/ipamd/pool-policy.ts) applied to the moving target.
 *
 * The daemon does not tell a policy how many ADDs it served, so they are inferred from the pool between passes:
 * ADDs ≈ Δ(assigned) + deletions, and deletions over dt ≈ cooldownIps × dt / IP_COOLDOWN_PERIOD (every deleted
 * pod's address sits in cooldown for that long; 30 s assumed). When every usable address is taken, demand is
 * hidden (failed ADDs do not show), so an empty pool doubles the estimate.
 *
 * It is a plugin: it imports only the PoolPolicy vocabulary and the real daemon's helpers, and keeps its state
 * per node (the default export is a factory, so each node of each run gets a fresh instance).
 */
import { ipamdPolicy, type EniSummary, type PoolPolicy, type PoolState } from '../../src/model/ipamd/pool-policy.ts';

/** EWMA time constants: the estimate rises fast (a burst is served within a pass or two) and decays slowly. */
const TAU_UP_MS = 5_000;
const TAU_DOWN_MS = 120_000;
/** Expected time from "pool too low" to new addresses usable (pool pass 5 s + assign ~1–2 s, with margin). */
const LEAD_S = 10;
const SAFETY = 1.5;
const MIN_WARM = 1;
/** IP_COOLDOWN_PERIOD assumed when inferring deletions (the default, spec §1). */
const COOLDOWN_S = 30;

interface PolicyContext {
  node: string;
  now(): number;
}

class ArrivalRatePolicy implements PoolPolicy {
  readonly name = 'arrival-rate';
  private lastT = -1;
  private lastAssigned = 0;
  /** ADDs per second, smoothed. */
  private rate = 0;

  constructor(private readonly ctx: PolicyContext) {}

  /** Updates the rate estimate once per distinct time it is asked at. */
  private observe(s: PoolState): void {
    const t = this.ctx.now();
    if (this.lastT < 0) {
      this.lastT = t;
      this.lastAssigned = s.assignedIps;
      return;
    }
    const dt = t - this.lastT;
    if (dt <= 0) return;
    const deletions = (s.cooldownIps * (dt / 1000)) / COOLDOWN_S;
    let adds = Math.max(0, s.assignedIps - this.lastAssigned + deletions);
    const usable = s.totalIps - s.assignedIps - s.cooldownIps;
    if (usable <= 0 && adds > 0) adds *= 2; // demand beyond supply is invisible: assume more
    const inst = adds / (dt / 1000);
    const a = 1 - Math.exp(-dt / (inst > this.rate ? TAU_UP_MS : TAU_DOWN_MS));
    this.rate += a * (inst - this.rate);
    this.lastT = t;
    this.lastAssigned = s.assignedIps;
  }

  private warm(s: PoolState): number {
    const perEni = s.mode === 'pd' ? s.maxPrefixesPerEni * 16 : s.maxIpsPerEni;
    return Math.max(MIN_WARM, Math.min(perEni, Math.ceil(this.rate * LEAD_S * SAFETY)));
  }

  /** The state the real daemon's warm-IP rules see: our moving target, cooldown counted as in use. */
  private grow(s: PoolState): PoolState {
    return { ...s, warmIpTarget: this.warm(s), minimumIpTarget: 0, includeCooldownInPoolSize: true };
  }

  private shrink(s: PoolState): PoolState {
    const w = this.warm(s);
    return { ...s, warmIpTarget: w + Math.max(2, w), minimumIpTarget: 0 };
  }

  isTooLow(s: PoolState): boolean {
    this.observe(s);
    return ipamdPolicy.isTooLow(this.grow(s));
  }
  topUpAmount(s: PoolState, eni: EniSummary): number {
    return ipamdPolicy.topUpAmount(this.grow(s), eni);
  }
  newEniAmount(s: PoolState): number {
    return ipamdPolicy.newEniAmount(this.grow(s));
  }
  isTooHigh(s: PoolState): boolean {
    this.observe(s);
    return ipamdPolicy.isTooHigh(this.shrink(s));
  }
  releaseAmount(s: PoolState): number {
    return ipamdPolicy.releaseAmount(this.shrink(s));
  }
  shouldRemoveExtraEnis(): boolean {
    return true;
  }
  deletableEni(s: PoolState, order: readonly EniSummary[], minEniAgeMs: number): EniSummary | undefined {
    return ipamdPolicy.deletableEni(this.shrink(s), order, minEniAgeMs);
  }
  rankSubnets(input: Parameters<PoolPolicy['rankSubnets']>[0]): ReturnType<PoolPolicy['rankSubnets']> {
    return ipamdPolicy.rankSubnets(input);
  }
  describeTarget(s: PoolState): string {
    return `arrival-rate ${this.rate.toFixed(2)} ADD/s → warm ${this.warm(s)} addresses`;
  }
}

export default {
  name: 'arrival-rate',
  create: (ctx: PolicyContext): PoolPolicy => new ArrivalRatePolicy(ctx),
};
