/**
 * EC2's account-and-Region-wide request token buckets (user-scenarios §C.1): every request takes one token from its
 * action's bucket, an empty bucket answers RequestLimitExceeded, and buckets refill continuously in virtual time at a
 * real-valued rate (some refill rates are fractional). Levels never go below zero nor above capacity.
 * Also which bucket an action draws from. Not here: retries (ec2-api.ts).
 */
import type { BucketName, BucketSpec } from './options.ts';
import type { Ec2Action } from './types.ts';

class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    readonly spec: BucketSpec,
    now: number,
  ) {
    this.tokens = spec.capacity;
    this.at = now;
  }

  level(now: number): number {
    if (now > this.at) {
      this.tokens = Math.min(this.spec.capacity, this.tokens + (this.spec.refillPerSecond * (now - this.at)) / 1000);
      this.at = now;
    }
    return this.tokens;
  }

  take(now: number, n: number): boolean {
    if (this.level(now) < n) return false;
    this.tokens -= n;
    return true;
  }
}

export class TokenBuckets {
  private readonly buckets = new Map<BucketName, TokenBucket>();

  constructor(
    private readonly specs: Record<BucketName, BucketSpec>,
    private readonly enabled: boolean,
  ) {}

  /** Takes one token from each `[bucket, n]` pair, all or none. False (nothing taken) when any is short. */
  take(now: number, wants: ReadonlyArray<readonly [BucketName, number]>): boolean {
    if (!this.enabled) return true;
    for (const [name, n] of wants) if (this.bucket(name, now).level(now) < n) return false;
    for (const [name, n] of wants) this.bucket(name, now).take(now, n);
    return true;
  }

  /** Current level of every bucket (full buckets never used included), for invariant checks and reports. */
  levels(now: number): Record<BucketName, number> {
    const out = {} as Record<BucketName, number>;
    for (const name of Object.keys(this.specs) as BucketName[]) out[name] = this.bucket(name, now).level(now);
    return out;
  }

  private bucket(name: BucketName, now: number): TokenBucket {
    let b = this.buckets.get(name);
    if (b === undefined) {
      b = new TokenBucket(this.specs[name], now);
      this.buckets.set(name, b);
    }
    return b;
  }
}

/**
 * The buckets a request draws from. `unfiltered` marks a Describe with no ids, no filters and no pagination, which
 * draws from the smaller bucket; `resources` is the instance count for RunInstances/TerminateInstances.
 */
export function bucketsFor(action: Ec2Action, unfiltered: boolean, resources = 1): Array<readonly [BucketName, number]> {
  switch (action) {
    case 'DescribeNetworkInterfaces':
    case 'DescribeInstances':
    case 'DescribeSecurityGroups':
      return [[unfiltered ? 'describeUnfiltered' : 'describe', 1]];
    case 'DescribeSubnets':
      return [['describe', 1]];
    case 'AttachNetworkInterface':
    case 'DetachNetworkInterface':
    case 'AssociateVpcCidrBlock':
    case 'CreateSubnet':
      return [['mutating', 1]];
    case 'RunInstances':
      return [['RunInstances', 1], ['RunInstancesResource', resources]];
    case 'TerminateInstances':
      return [['TerminateInstances', 1], ['TerminateInstancesResource', resources]];
    default:
      return [[action, 1]];
  }
}
