/**
 * Property: from any sound existing state — random subnets, nodes of several types with random ENIs, secondary IPs or
 * prefixes, pods on random held addresses (some host-network, some of a Deployment whose replicas may be above or
 * below its running pods), random warm targets — every invariant checker holds from the first instant and for the
 * minutes that follow, and the World starts without an EC2 call.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attachInvariantChecker, formatViolation } from '../../src/check/index.ts';
import { findInstanceType, supportsPrefixDelegation } from '../../src/model/ec2/instance-types.ts';
import { formatIpv4 } from '../../src/model/vpc/ipv4.ts';
import { World, type WorldSpec } from '../../src/model/world.ts';
import { checkExisting } from '../../src/model/world/existing-check.ts';
import type { ExistingNodeSpec, ExistingPodSpec } from '../../src/model/world/spec.ts';
import { computeMaxPods } from '../../src/model/max-pods.ts';
import { parseCidr } from '../../src/model/vpc/ipv4.ts';

const TYPES = ['m5.large', 'c5.xlarge', 't3.medium', 'm5.2xlarge'];
const AZS = ['us-west-2a', 'us-west-2b'];

/** A small deterministic generator (mulberry32), seeded by fast-check: the state is a function of the seed. */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

function randomSpec(seed: number): WorldSpec {
  const r = rng(seed);
  const pd = r(3) === 0;
  const subnets = Array.from({ length: 1 + r(3) }, (_, i) => ({ id: `subnet-s${i}`, az: AZS[i % 2], cidr: `10.0.${i}.0/24`, externalUse: r(3) === 0 ? r(20) : 0 }));
  // each subnet's free addresses (AWS's first four and the last kept out), taken in random order
  const free = subnets.map((s) => {
    const base = parseCidr(s.cidr).base;
    return Array.from({ length: 251 }, (_, k) => base + 4 + k);
  });
  const take = (si: number): number => free[si].splice(r(free[si].length), 1)[0];
  const takeBlock = (si: number): number | undefined => {
    const base = parseCidr(subnets[si].cidr).base;
    const blocks = [...new Set(free[si].map((ip) => (ip - base) >> 4))].filter((b) => b > 0 && b < 15 && [...Array(16).keys()].every((k) => free[si].includes(base + b * 16 + k)));
    if (blocks.length === 0) return undefined;
    const b = base + blocks[r(blocks.length)] * 16;
    free[si] = free[si].filter((ip) => ip < b || ip >= b + 16);
    return b;
  };
  const nodes: ExistingNodeSpec[] = [];
  const pods: ExistingPodSpec[] = [];
  let grouped = 0;
  const nodeCount = 1 + r(4);
  for (let i = 0; i < nodeCount; i++) {
    const type = findInstanceType(pd ? TYPES.filter((t) => supportsPrefixDelegation(findInstanceType(t)!))[r(3)] : TYPES[r(TYPES.length)])!;
    const si = r(subnets.length);
    const sameAz = subnets.map((_, k) => k).filter((k) => subnets[k].az === subnets[si].az);
    const enis: ExistingNodeSpec['enis'] = [];
    const podIps: number[] = [];
    for (let d = 0; d < 1 + r(type.enis); d++) {
      const esi = d === 0 ? si : sameAz[r(sameAz.length)];
      const primaryIp = formatIpv4(take(esi));
      const slots = r(type.ipv4PerEni);
      if (pd) {
        const prefixes: string[] = [];
        for (let k = 0; k < Math.min(slots, 2); k++) {
          const b = takeBlock(esi);
          if (b === undefined) break;
          prefixes.push(`${formatIpv4(b)}/28`);
          for (let j = 0; j < 16; j++) podIps.push(b + j);
        }
        enis.push({ id: `eni-n${i}d${d}`, deviceIndex: d, subnet: subnets[esi].id, primaryIp, prefixes });
      } else {
        const secondaryIps = Array.from({ length: Math.min(slots, free[esi].length) }, () => take(esi));
        podIps.push(...secondaryIps);
        enis.push({ id: `eni-n${i}d${d}`, deviceIndex: d, subnet: subnets[esi].id, primaryIp, secondaryIps: secondaryIps.map(formatIpv4) });
      }
    }
    const inGroup = r(2) === 0;
    if (inGroup) grouped++;
    const name = `ip-10-0-${si}-${i}.us-west-2.compute.internal`;
    const maxPods = computeMaxPods(type).maxPods;
    nodes.push({ name, instanceId: `i-0n${i}`, instanceType: type.name, subnet: subnets[si].id, ...(inGroup ? { nodeGroup: 'ng' } : {}), maxPods, enis });
    const n = Math.min(r(maxPods - 1), podIps.length);
    for (let k = 0; k < n; k++) {
      const ip = podIps.splice(r(podIps.length), 1)[0];
      const host = r(8) === 0;
      const owned = r(2) === 0;
      pods.push({ name: `p-${i}-${k}`, node: name, ...(host ? { hostNetwork: true } : { ip: formatIpv4(ip) }), ...(owned ? { deployment: 'web', labels: { app: 'web' } } : {}) });
    }
  }
  const owned = pods.filter((p) => p.deployment !== undefined).length;
  const env: Record<string, string> = [{}, { WARM_IP_TARGET: String(1 + r(5)) }, { WARM_IP_TARGET: String(1 + r(3)), MINIMUM_IP_TARGET: String(r(10)) }, { WARM_ENI_TARGET: '0', MINIMUM_IP_TARGET: '5' }][r(4)];
  if (pd) env.ENABLE_PREFIX_DELEGATION = 'true';
  return {
    seed,
    region: 'us-west-2',
    vpc: { cidrBlocks: ['10.0.0.0/16'] },
    subnets,
    cluster: { name: 'prop', kubernetesVersion: '1.29', vpcCni: { version: ['1.18.0', '1.19.0', '1.23.1'][r(3)], env } },
    nodeGroups: [{ name: 'ng', instanceType: 'm5.large', desiredCapacity: grouped + r(2), subnets: subnets.map((s) => s.id) }],
    existing: {
      nodes,
      pods,
      deployments: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web' },
          spec: { replicas: Math.max(0, owned + r(7) - 3), selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { terminationGracePeriodSeconds: 5, containers: [{ name: 'web', image: 'pause' }] } } },
        },
      ],
    },
  };
}

describe('random existing states', () => {
  it('the generator makes states the rules accept', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const s = randomSpec(seed);
      const problem = checkExisting(s.existing!, {
        subnet: (n) => {
          const x = s.subnets.find((y) => y.id === n);
          return x === undefined ? undefined : { key: x.id, cidr: parseCidr(x.cidr), az: x.az };
        },
        subnetNames: s.subnets.map((x) => x.id),
        externalUse: (n) => s.subnets.find((y) => y.id === n)?.externalUse ?? 0,
        groups: new Map([['ng', { desiredCapacity: s.nodeGroups[0].desiredCapacity, maxPods: 29 }]]),
        ipFamily: 'ipv4',
      });
      expect(problem).toBeUndefined();
    }
  });

  it('every invariant holds from t = 0 through three minutes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const spec = randomSpec(seed);
        const w = new World(spec);
        expect(Object.keys(w.ec2Counters().total.calls)).toEqual([]);
        const given = new Map(spec.existing!.pods!.filter((p) => p.ip !== undefined).map((p) => [p.name, p.ip]));
        const checker = attachInvariantChecker(w);
        w.runUntil(180_000);
        checker.detach();
        expect(checker.failures.map(formatViolation)).toEqual([]);
        // every existing pod still running has the address it was given (none was re-allocated)
        for (const p of w.pods()) if (given.has(p.name) && p.status === 'Running') expect(p.ip).toBe(given.get(p.name));
      }),
      { numRuns: 25 },
    );
  });
});
