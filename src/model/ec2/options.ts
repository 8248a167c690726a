/**
 * Every knob of the simulated EC2 in one place, with its default and where the default comes from. A scenario's
 * `ec2:` section maps onto `Ec2OptionsInput` one to one (any field may be left out; `resolveEc2Options` fills the
 * rest). Sources: user-scenarios.md §C.1 (request limits), §C.3 (latencies); ipamd-behaviour.md §8.4 (SDK retryer),
 * §8.6 (IMDS lag). Defaults marked "assumption" have no published figure.
 * Not here: how the knobs are applied (ec2-api.ts, token-buckets.ts, imds.ts), which of them are faults in force and
 * healing them (faults.ts).
 */
import type { Ec2Action, Ec2ErrorCode, Principal } from './types.ts';
import { MAX_DECIMALS, ratioFromDecimal } from '../../util/ratio.ts';
import { DEFAULT_VPC_CIDR_BLOCK_LIMIT } from '../vpc/vpc.ts';

/**
 * A latency distribution in integer milliseconds: uniform in [minMs, maxMs]; with chance `tailProbability` (a decimal
 * with at most six places, drawn as its integer ratio) the draw is instead uniform in [maxMs, tailMaxMs] (a long
 * tail). `{ minMs: 500, maxMs: 500 }` is a fixed delay.
 */
export interface LatencySpec {
  minMs: number;
  maxMs: number;
  tailProbability?: number;
  tailMaxMs?: number;
}

/** One token bucket: `capacity` tokens at most ("burst"), refilled continuously at `refillPerSecond` ("sustained"). */
export interface BucketSpec {
  capacity: number;
  refillPerSecond: number;
}

/**
 * The account-and-Region-wide buckets (user-scenarios §C.1). Each uncategorized action has its own bucket; the
 * categories share one. `describe` is the non-mutating bucket (filtered or paginated Describe*); `describeUnfiltered`
 * the smaller one for unfiltered, unpaginated DescribeNetworkInterfaces / DescribeInstances / DescribeSecurityGroups;
 * `mutating` the generic mutating bucket (Attach/Detach, AssociateVpcCidrBlock, CreateSubnet).
 */
export type BucketName =
  | 'describe'
  | 'describeUnfiltered'
  | 'mutating'
  | 'CreateNetworkInterface'
  | 'DeleteNetworkInterface'
  | 'AssignPrivateIpAddresses'
  | 'UnassignPrivateIpAddresses'
  | 'AssignIpv6Addresses'
  | 'UnassignIpv6Addresses'
  | 'ModifyNetworkInterfaceAttribute'
  | 'CreateTags'
  | 'DeleteTags'
  | 'CreateSubnetCidrReservation'
  | 'RunInstances'
  | 'RunInstancesResource'
  | 'TerminateInstances'
  | 'TerminateInstancesResource';

/**
 * Injected failures for one action, as a scenario writes them: each attempt fails with `code` with chance `rate`, a
 * decimal in 0..1 with at most six places (faults.ts holds it as the integer ratio it writes, 0.05 → 5/100).
 */
export interface FaultSpec {
  rate: number;
  code: Ec2ErrorCode;
  /** Message text; default the usual EC2 message for the code. */
  message?: string;
}

export interface Ec2Options {
  /** Response latency per action, per attempt (the state changes when the response is produced). */
  latency: Record<Ec2Action, LatencySpec>;
  /** Latency of a RequestLimitExceeded response (assumption: rejected before any work, so fast). */
  throttledLatency: LatencySpec;
  /** RunInstances response → instance 'running' (brevdev/ec2-coldboot-research: Pending→Running ≈16.5 s, §C.3). */
  instanceLaunch: LatencySpec;
  /** TerminateInstances response → 'terminated' and ENIs deleted/detached (assumption). */
  instanceShutdown: LatencySpec;
  /** DetachNetworkInterface response → ENI 'available' (assumption; ipamd waits 2 s before deleting, §8.1). */
  detachCompletion: LatencySpec;
  throttling: {
    /** Off: no RequestLimitExceeded from buckets (faults may still inject it). */
    enabled: boolean;
    buckets: Record<BucketName, BucketSpec>;
  };
  /** The SDK standard retryer inside every call (§8.4): retries are invisible to the caller but counted. */
  retry: {
    /** Attempts per call, the first included (SDK default 3). */
    maxAttempts: number;
    /** Backoff before retry k (1-based) is uniform in [0, min(2^k s, maxBackoffMs)) (SDK "exponential jitter", cap 20 s). */
    maxBackoffMs: number;
    /** Codes the retryer retries: throttling and 5xx (§8.4). */
    retryableCodes: Ec2ErrorCode[];
  };
  /** Injected failures per action, e.g. `{ AssignPrivateIpAddresses: { rate: 0.05, code: 'InternalError' } }`. */
  faults: Partial<Record<Ec2Action, FaultSpec>>;
  /** IAM denials: principal (or '*' for everyone) → actions (or '*' for all) answered with UnauthorizedOperation. */
  deny: Record<Principal, Array<Ec2Action | '*'>>;
  imds: {
    /** Assign/Unassign (IPs, prefixes, SGs) → visible in IMDS (§C.3 "could add 1-3 seconds"). */
    ipLag: LatencySpec;
    /** Attach → ENI visible in IMDS (§C.3: "up to 10 seconds" typical, tail to ~18 s). */
    attachLag: LatencySpec;
    /** Detach → ENI gone from IMDS (assumption: like ipLag). */
    detachLag: LatencySpec;
  };
  /** IPv4 CIDR blocks per VPC, primary included: default 6 = primary + 5 secondary (a 6th secondary fails CidrLimitExceeded). Set 5 for AWS's default quota. */
  vpcCidrBlockLimit: number;
  /** IPv4 addresses an unattached ENI may hold (largest ipv4PerEni in the type table); rechecked at attach. */
  unattachedEniIpv4Limit: number;
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends Array<unknown> ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** What a scenario writes: any subset of the options. */
export type Ec2OptionsInput = DeepPartial<Ec2Options>;

const ms = (minMs: number, maxMs: number): LatencySpec => ({ minMs, maxMs });

/** §C.3: "CreateNetworkInterface ~0.2–1 s, AssignPrivateIpAddresses ~0.2–1 s", Describe* and others assumptions. */
export const DEFAULT_LATENCY: Record<Ec2Action, LatencySpec> = {
  DescribeSubnets: ms(50, 300), // assumption: fast read
  DescribeNetworkInterfaces: ms(50, 300), // assumption
  DescribeInstances: ms(50, 300), // assumption
  DescribeSecurityGroups: ms(50, 300), // assumption
  CreateNetworkInterface: ms(200, 1000), // §C.3
  AttachNetworkInterface: ms(1000, 3000), // §C.3 (attach + IMDS ≤ 10 s; IMDS part in imds.attachLag)
  DetachNetworkInterface: ms(200, 1000), // assumption (the detach itself completes in detachCompletion)
  DeleteNetworkInterface: ms(200, 1000), // assumption, like Create
  ModifyNetworkInterfaceAttribute: ms(100, 500), // assumption
  AssignPrivateIpAddresses: ms(200, 1000), // §C.3
  UnassignPrivateIpAddresses: ms(200, 1000), // assumption, like Assign
  AssignIpv6Addresses: ms(200, 1000), // assumption, like Assign
  UnassignIpv6Addresses: ms(200, 1000), // assumption
  CreateTags: ms(100, 500), // assumption
  DeleteTags: ms(100, 500), // assumption
  AssociateVpcCidrBlock: ms(500, 2000), // assumption
  CreateSubnet: ms(200, 1000), // assumption
  CreateSubnetCidrReservation: ms(200, 1000), // assumption
  RunInstances: ms(500, 2000), // assumption (the response; 'running' follows after instanceLaunch)
  TerminateInstances: ms(200, 1000), // assumption
};

/** user-scenarios §C.1 (AWS "Request throttling for the Amazon EC2 API"). UnassignIpv6Addresses: assumed uncategorized 100/5. */
export const DEFAULT_BUCKETS: Record<BucketName, BucketSpec> = {
  describe: { capacity: 100, refillPerSecond: 20 },
  describeUnfiltered: { capacity: 50, refillPerSecond: 10 },
  mutating: { capacity: 50, refillPerSecond: 5 },
  CreateNetworkInterface: { capacity: 100, refillPerSecond: 5 },
  DeleteNetworkInterface: { capacity: 100, refillPerSecond: 5 },
  AssignPrivateIpAddresses: { capacity: 100, refillPerSecond: 5 },
  UnassignPrivateIpAddresses: { capacity: 100, refillPerSecond: 5 },
  AssignIpv6Addresses: { capacity: 100, refillPerSecond: 5 },
  UnassignIpv6Addresses: { capacity: 100, refillPerSecond: 5 },
  ModifyNetworkInterfaceAttribute: { capacity: 100, refillPerSecond: 5 },
  CreateTags: { capacity: 100, refillPerSecond: 10 },
  DeleteTags: { capacity: 100, refillPerSecond: 10 },
  CreateSubnetCidrReservation: { capacity: 5, refillPerSecond: 1 },
  RunInstances: { capacity: 5, refillPerSecond: 2 },
  RunInstancesResource: { capacity: 1000, refillPerSecond: 2 },
  TerminateInstances: { capacity: 100, refillPerSecond: 5 },
  TerminateInstancesResource: { capacity: 1000, refillPerSecond: 20 },
};

export const DEFAULT_EC2_OPTIONS: Ec2Options = {
  latency: DEFAULT_LATENCY,
  throttledLatency: ms(20, 100),
  instanceLaunch: ms(10_000, 25_000),
  instanceShutdown: ms(5_000, 30_000),
  detachCompletion: ms(500, 3_000),
  throttling: { enabled: true, buckets: DEFAULT_BUCKETS },
  retry: { maxAttempts: 3, maxBackoffMs: 20_000, retryableCodes: ['RequestLimitExceeded', 'InternalError'] },
  faults: {},
  deny: {},
  imds: {
    ipLag: ms(1_000, 3_000),
    attachLag: { minMs: 2_000, maxMs: 10_000, tailProbability: 0.02, tailMaxMs: 18_000 },
    detachLag: ms(1_000, 3_000),
  },
  vpcCidrBlockLimit: DEFAULT_VPC_CIDR_BLOCK_LIMIT,
  unattachedEniIpv4Limit: 50,
};

/** Defaults overlaid with the scenario's values (objects merged key by key, arrays and scalars replaced). */
export function resolveEc2Options(input: Ec2OptionsInput = {}): Ec2Options {
  return merge(DEFAULT_EC2_OPTIONS, input) as Ec2Options;
}

function merge(base: unknown, over: unknown): unknown {
  if (over === undefined) return structuredClone(base);
  if (base === null || typeof base !== 'object' || Array.isArray(base) || over === null || typeof over !== 'object' || Array.isArray(over)) {
    return structuredClone(over);
  }
  const out: Record<string, unknown> = {};
  const b = base as Record<string, unknown>;
  const o = over as Record<string, unknown>;
  for (const k of new Set([...Object.keys(b), ...Object.keys(o)])) out[k] = k in b ? merge(b[k], o[k]) : structuredClone(o[k]);
  return out;
}

/** Problems with a resolved options object (negative latencies, rates outside 0..1, …), as `field: reason` lines. */
export function ec2OptionsErrors(o: Ec2Options): string[] {
  const errs: string[] = [];
  const lat = (field: string, l: LatencySpec): void => {
    if (!(Number.isFinite(l.minMs) && Number.isFinite(l.maxMs) && l.minMs >= 0 && l.maxMs >= l.minMs)) errs.push(`${field}: need 0 <= minMs <= maxMs`);
    if (l.tailProbability !== undefined && !(l.tailProbability >= 0 && l.tailProbability <= 1)) errs.push(`${field}.tailProbability: must be 0..1`);
    else if (l.tailProbability !== undefined && ratioFromDecimal(l.tailProbability) === undefined) errs.push(`${field}.tailProbability: ${tooFine(l.tailProbability)}`);
    if (l.tailProbability !== undefined && l.tailProbability > 0 && !((l.tailMaxMs ?? -1) >= l.maxMs)) errs.push(`${field}.tailMaxMs: must be >= maxMs`);
  };
  for (const [a, l] of Object.entries(o.latency)) lat(`latency.${a}`, l);
  lat('throttledLatency', o.throttledLatency);
  lat('instanceLaunch', o.instanceLaunch);
  lat('instanceShutdown', o.instanceShutdown);
  lat('detachCompletion', o.detachCompletion);
  for (const [k, l] of Object.entries(o.imds)) lat(`imds.${k}`, l);
  for (const [k, b] of Object.entries(o.throttling.buckets)) {
    if (!(b.capacity >= 1 && b.refillPerSecond >= 0)) errs.push(`throttling.buckets.${k}: need capacity >= 1 and refillPerSecond >= 0`);
  }
  if (!(Number.isInteger(o.retry.maxAttempts) && o.retry.maxAttempts >= 1)) errs.push('retry.maxAttempts: must be an integer >= 1');
  if (!(o.retry.maxBackoffMs >= 0)) errs.push('retry.maxBackoffMs: must be >= 0');
  for (const [a, f] of Object.entries(o.faults)) {
    if (f === undefined) continue;
    if (!ACTIONS.has(a)) errs.push(`faults.${a}: unknown EC2 action`);
    if (!(typeof f.rate === 'number' && f.rate >= 0 && f.rate <= 1)) errs.push(`faults.${a}.rate: must be 0..1`);
    else if (ratioFromDecimal(f.rate) === undefined) errs.push(`faults.${a}.rate: ${tooFine(f.rate)}`);
    if (typeof f.code !== 'string' || (f.code as string) === '') errs.push(`faults.${a}.code: an EC2 error code is required`);
  }
  for (const [p, list] of Object.entries(o.deny)) {
    if (!Array.isArray(list)) errs.push(`deny.${p}: must be a list of actions`);
    else for (const a of list) if (a !== '*' && !ACTIONS.has(a)) errs.push(`deny.${p}: unknown EC2 action "${a}"`);
  }
  if (!(Number.isInteger(o.vpcCidrBlockLimit) && o.vpcCidrBlockLimit >= 1)) errs.push('vpcCidrBlockLimit: must be an integer >= 1');
  return errs;
}

const tooFine = (x: number): string => `${x} has more than ${MAX_DECIMALS} decimal places (chances are exact to parts per million)`;

const ACTIONS: ReadonlySet<string> = new Set(Object.keys(DEFAULT_LATENCY));
const LATENCY_KEYS = new Set(['minMs', 'maxMs', 'tailProbability', 'tailMaxMs']);

/**
 * Keys in a scenario's options that match no knob (typos), as `path: reason` lines; free-form maps (`faults`,
 * `deny`) are checked by `ec2OptionsErrors` instead.
 */
export function unknownEc2OptionKeys(input: Ec2OptionsInput): string[] {
  const errs: string[] = [];
  const walk = (val: unknown, def: unknown, path: string): void => {
    if (val === null || typeof val !== 'object' || Array.isArray(val) || def === null || typeof def !== 'object') return;
    const d = def as Record<string, unknown>;
    const isLatency = 'minMs' in d && 'maxMs' in d;
    for (const [k, v] of Object.entries(val as Record<string, unknown>)) {
      const p = path === '' ? k : `${path}.${k}`;
      if (p === 'faults' || p === 'deny') continue;
      if (k in d) walk(v, d[k], p);
      else if (!(isLatency && LATENCY_KEYS.has(k))) errs.push(`${p}: unknown option`);
    }
  };
  walk(input, DEFAULT_EC2_OPTIONS, '');
  return errs;
}
