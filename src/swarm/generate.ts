/**
 * Random scenarios for the swarm (`vpc-cni-sim swarm`) and the property tests, as fast-check arbitraries: a VPC with a few subnets (tagged,
 * untagged, excluded, nearly full), node groups of small instance types (Nitro and Xen, so prefix delegation on
 * non-Nitro types is covered), aws-node settings with edge values (0, above one ENI's addresses, MAX_ENI below the
 * limit, cooldown 0), a workload (bursts, churn, scale to zero, rolling restarts) and faults (EC2 error rates,
 * throttling, IMDS lag, aws-node restarts mid-allocation, node termination, subnet tag removal, denied permissions).
 *
 * Every generated value is a `GenScenario`; `scenario-doc.ts` prints it in the scenario format so a failure is a YAML
 * file `vpc-cni-sim run` reproduces. A run has a safety phase (faults on, until `healAt`) and a liveness phase
 * (faults healed, no more workload changes, long enough for the liveness bound and a reconcile window).
 * Shrinking works on the structure: fewer subnets, node groups, timeline steps and faults, smaller numbers.
 * The same seed gives the same scenario, always (`scenarioForSeed`; bench/fingerprint.ts hashes the swarm's first
 * seeds): a change here that alters what a seed draws changes every recorded swarm seed.
 */
import fc from 'fast-check';
import type { Ratio } from '../util/ratio.ts';

export const REGION = 'us-west-2';
export const AZS = ['us-west-2a', 'us-west-2b'] as const;

/** Small types keep runs cheap and limits reachable. Xen types cannot do prefix delegation (spec §5). */
export const INSTANCE_TYPES = ['t3.small', 't3.medium', 'm5.large', 'c6g.medium', 'm5.xlarge', 't3a.micro', 'm4.large', 't2.medium'] as const;

export const FAULT_ACTIONS = [
  'AssignPrivateIpAddresses',
  'CreateNetworkInterface',
  'AttachNetworkInterface',
  'DescribeNetworkInterfaces',
  'DescribeSubnets',
  'UnassignPrivateIpAddresses',
  'DetachNetworkInterface',
  'DeleteNetworkInterface',
  'CreateTags',
] as const;

export const DENIABLE = ['ec2:DescribeSubnets', 'ec2:CreateTags', 'ec2:AssignPrivateIpAddresses', 'ec2:CreateNetworkInterface'] as const;

export interface GenSubnet {
  id: string;
  az: string;
  /** Prefix length; the CIDR is carved in order out of 10.0.0.0/16. */
  size: number;
  cniTag: 'none' | '1' | '0';
  externalUse: number;
}

export interface GenNodeGroup {
  name: string;
  instanceType: string;
  desired: number;
  /** Indexes into the subnets. */
  subnets: number[];
  maxPods?: number;
}

export type GenStep =
  | { at: number; kind: 'scale'; deployment: number; replicas: number }
  | { at: number; kind: 'restart-deployment'; deployment: number }
  | { at: number; kind: 'restart-aws-node' }
  | { at: number; kind: 'terminate'; group: number }
  | { at: number; kind: 'untag'; subnet: number }
  | { at: number; kind: 'tag'; subnet: number }
  | { at: number; kind: 'cordon'; group: number }
  | { at: number; kind: 'uncordon'; group: number };

export interface GenFaults {
  /** Per-attempt error chances (printed as `ec2.faults.<Action>.rate`, the decimal of the ratio). */
  errors: { action: string; chance: Ratio; code: 'InternalError' | 'RequestLimitExceeded' }[];
  /** Tiny token buckets (bucket names of src/model/ec2/options.ts) — throttling. */
  throttle: { action: string; capacity: number; refillPerSecond: number }[];
  /** IMDS lag, ms (0 = default). */
  imdsLagMs: number;
  denied: string[];
}

export interface GenScenario {
  seed: number;
  subnets: GenSubnet[];
  nodeGroups: GenNodeGroup[];
  env: Record<string, string>;
  /** Initial replicas of each deployment. */
  deployments: number[];
  timeline: GenStep[];
  faults: GenFaults;
  /** End of the safety phase (ms): faults heal here and the workload stops changing. */
  healAt: number;
  /** Length of the liveness phase (ms). */
  settle: number;
}

const S = 1000;
const MIN = 60 * S;

const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });

/** aws-node env at edge values: each knob unset, 0, small or large (WARM_IP_TARGET=0 beside MINIMUM_IP_TARGET included). */
export const envArb: fc.Arbitrary<Record<string, string>> = fc
  .record({
    WARM_ENI_TARGET: optional(fc.constantFrom('0', '1', '2')),
    WARM_IP_TARGET: optional(fc.constantFrom('0', '1', '2', '5', '12', '40')),
    MINIMUM_IP_TARGET: optional(fc.constantFrom('0', '3', '11', '22', '40')),
    WARM_PREFIX_TARGET: optional(fc.constantFrom('0', '1', '2')),
    ENABLE_PREFIX_DELEGATION: optional(fc.constantFrom('true', 'false')),
    MAX_ENI: optional(fc.constantFrom('1', '2', '8')),
    IP_COOLDOWN_PERIOD: optional(fc.constantFrom('0', '5', '30', '60')),
    ENABLE_SUBNET_DISCOVERY: optional(fc.constantFrom('true', 'false')),
  })
  .map((r) => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
    return out;
  });

const subnetArb = (i: number): fc.Arbitrary<GenSubnet> =>
  fc.record({
    id: fc.constant(`subnet-${String.fromCharCode(97 + i)}`),
    az: i === 0 ? fc.constant<string>(AZS[0]) : fc.constantFrom<string>(...AZS),
    size: fc.constantFrom(24, 25, 26, 27, 28),
    cniTag: i === 0 ? fc.constantFrom<GenSubnet['cniTag']>('none', '1') : fc.constantFrom<GenSubnet['cniTag']>('1', 'none', '0'),
    externalUse: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 }) }),
  });

const faultsArb: fc.Arbitrary<GenFaults> = fc.record({
  errors: fc.array(
    fc.record({
      action: fc.constantFrom<string>(...FAULT_ACTIONS),
      chance: fc.constantFrom(50, 200, 500, 1000).map((num): Ratio => ({ num, den: 1000 })),
      code: fc.constantFrom<'InternalError' | 'RequestLimitExceeded'>('InternalError', 'RequestLimitExceeded'),
    }),
    { maxLength: 3 },
  ),
  throttle: fc.array(
    fc.record({
      action: fc.constantFrom<string>('AssignPrivateIpAddresses', 'CreateNetworkInterface', 'describe'),
      capacity: fc.integer({ min: 1, max: 5 }),
      refillPerSecond: fc.constantFrom(0.05, 0.2, 1),
    }),
    { maxLength: 2 },
  ),
  imdsLagMs: fc.constantFrom(0, 0, 5 * S, 30 * S, 200 * S),
  denied: fc.oneof({ weight: 4, arbitrary: fc.constant([] as string[]) }, { weight: 1, arbitrary: fc.subarray([...DENIABLE], { minLength: 1, maxLength: 2 }) }),
});

const stepArb = (healAt: number, nSubnets: number, nGroups: number, nDeployments: number): fc.Arbitrary<GenStep> => {
  const at = fc.integer({ min: 30, max: Math.floor(healAt / S) - 1 }).map((s) => s * S);
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ at, kind: fc.constant('scale' as const), deployment: fc.nat(nDeployments - 1), replicas: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(0)) }) },
    { weight: 2, arbitrary: fc.record({ at, kind: fc.constant('restart-deployment' as const), deployment: fc.nat(nDeployments - 1) }) },
    { weight: 2, arbitrary: fc.record({ at, kind: fc.constant('restart-aws-node' as const) }) },
    { weight: 1, arbitrary: fc.record({ at, kind: fc.constant('terminate' as const), group: fc.nat(nGroups - 1) }) },
    { weight: 1, arbitrary: fc.record({ at, kind: fc.constant('untag' as const), subnet: fc.nat(nSubnets - 1) }) },
    { weight: 1, arbitrary: fc.record({ at, kind: fc.constant('tag' as const), subnet: fc.nat(nSubnets - 1) }) },
    { weight: 1, arbitrary: fc.record({ at, kind: fc.constant('cordon' as const), group: fc.nat(nGroups - 1) }) },
    { weight: 1, arbitrary: fc.record({ at, kind: fc.constant('uncordon' as const), group: fc.nat(nGroups - 1) }) },
  );
};

export interface GenOptions {
  /** Longest safety phase (ms); default 10 min. */
  maxSafetyMs?: number;
  /** Liveness phase length (ms); default 10 min (≥ the liveness bound + a reconcile window). */
  settleMs?: number;
  /** Allow faults (default true). */
  faults?: boolean;
}

export function scenarioArb(o: GenOptions = {}): fc.Arbitrary<GenScenario> {
  const maxSafety = o.maxSafetyMs ?? 10 * MIN;
  const settle = o.settleMs ?? 10 * MIN;
  return fc
    .record({
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      nSubnets: fc.integer({ min: 1, max: 3 }),
      nGroups: fc.integer({ min: 1, max: 2 }),
      nDeployments: fc.integer({ min: 1, max: 2 }),
      healAt: fc.integer({ min: 2, max: Math.max(2, Math.floor(maxSafety / MIN)) }).map((m) => m * MIN),
    })
    .chain(({ seed, nSubnets, nGroups, nDeployments, healAt }) =>
      fc.record({
        seed: fc.constant(seed),
        subnets: fc.tuple(...Array.from({ length: nSubnets }, (_, i) => subnetArb(i))),
        nodeGroups: fc.tuple(
          ...Array.from({ length: nGroups }, (_, i) =>
            fc.record({
              name: fc.constant(`ng-${i + 1}`),
              instanceType: fc.constantFrom<string>(...INSTANCE_TYPES),
              desired: fc.integer({ min: 1, max: 2 }),
              subnets: fc.constant([0]),
              maxPods: optional(fc.constantFrom(8, 17, 29, 110)),
            }),
          ),
        ),
        env: envArb,
        deployments: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: nDeployments, maxLength: nDeployments }),
        timeline: fc.array(stepArb(healAt, nSubnets, nGroups, nDeployments), { maxLength: 8 }).map((steps) => [...steps].sort((a, b) => a.at - b.at)),
        faults: o.faults === false ? fc.constant<GenFaults>({ errors: [], throttle: [], imdsLagMs: 0, denied: [] }) : faultsArb,
        healAt: fc.constant(healAt),
        settle: fc.constant(settle),
      }),
    )
    .map((g) => ({ ...g, subnets: [...g.subnets], nodeGroups: g.nodeGroups.map((n) => ({ ...n, subnets: [...n.subnets] })) }))
    .map(dropUndefined);
}

function dropUndefined(g: GenScenario): GenScenario {
  for (const n of g.nodeGroups) if (n.maxPods === undefined) delete n.maxPods;
  return g;
}

/** One scenario for a numeric seed (the swarm): the same seed always gives the same scenario. */
export function scenarioForSeed(seed: number, o: GenOptions = {}): GenScenario {
  const [g] = fc.sample(scenarioArb(o), { seed, numRuns: 1 });
  return { ...g, seed };
}
