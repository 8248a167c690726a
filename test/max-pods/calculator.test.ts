/**
 * The pure max-pods calculator (src/model/max-pods.ts) against spec §7: the eni-max-pods.txt table for every
 * type, the EKS calculator's prefix-delegation, custom-networking, max-ENI and cap rules, and version parsing.
 */
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findInstanceType, instanceTypeNames, type InstanceType } from '../../src/model/ec2/instance-types.ts';
import { cniSupportsPrefixDelegation, computeMaxPods, parseCniVersion } from '../../src/model/max-pods.ts';

// The reference table, copied into the repository (test/data/SOURCE.md says from where).
const TABLE = fileURLToPath(new URL('../data/eni-max-pods.txt', import.meta.url));
const dataLines = readFileSync(TABLE, 'utf8')
  .split('\n')
  .filter((l) => l !== '' && !l.startsWith('#'));

function type(name: string): InstanceType {
  const t = findInstanceType(name);
  if (t === undefined) throw new Error(`test needs ${name}`);
  return t;
}
const v = (s: string) => parseCniVersion(s)!;

describe('table mode (eni-max-pods.txt)', () => {
  it('reproduces every line of eni-max-pods.txt', () => {
    expect(dataLines.length).toBe(1391);
    const mismatches: string[] = [];
    for (const line of dataLines) {
      const [name, value] = line.split(' ');
      const t = findInstanceType(name);
      if (t === undefined) {
        mismatches.push(`${name}: unknown`);
        continue;
      }
      const got = computeMaxPods(t).maxPods;
      if (got !== Number(value)) mismatches.push(`${name}: file ${value}, calculator ${got}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('knows exactly the types of the file, in the file order', () => {
    expect(instanceTypeNames).toEqual(dataLines.map((l) => l.split(' ')[0]));
  });

  it.each([
    ['t3.small', 11],
    ['t3.medium', 17],
    ['m5.large', 29],
    ['m4.4xlarge', 234],
    ['c5.4xlarge', 234],
    ['m5.24xlarge', 737],
    ['p3dn.24xlarge', 737],
    ['p4d.24xlarge', 737],
    ['t2.micro', 4],
  ])('%s → %i (spec §7 examples)', (name, expected) => {
    expect(computeMaxPods(type(name)).maxPods).toBe(expected);
  });

  it('explains itself', () => {
    expect(computeMaxPods(type('m5.large'))).toEqual({
      instanceType: 'm5.large',
      maxPods: 29,
      enis: 3,
      ipv4PerEni: 10,
      hypervisor: 'nitro',
      prefixDelegation: false,
      formula: '3*(10-1)+2',
    });
  });
});

describe('prefix delegation', () => {
  it('m5.large with PD: 3×(9×16)+2 = 434 uncapped', () => {
    const r = computeMaxPods(type('m5.large'), { prefixDelegation: true });
    expect(r.maxPods).toBe(434);
    expect(r.prefixDelegation).toBe(true);
    expect(r.formula).toBe('3*((10-1)*16)+2');
  });

  it('m5.large with PD, CNI 1.9.0 and 2 vCPUs: capped at 110', () => {
    const r = computeMaxPods(type('m5.large'), { prefixDelegation: true, cniVersion: v('1.9.0'), vcpus: 2 });
    expect(r.maxPods).toBe(110);
    expect(r.formula).toBe('min(110, 3*((10-1)*16)+2)');
  });

  it('PD with CNI 1.8 (or 1.8.x, or 1.7.5) falls back to secondary IPs', () => {
    for (const ver of ['1.8', '1.8.0', '1.8.5', '1.7.5', '0.99.0']) {
      const r = computeMaxPods(type('m5.large'), { prefixDelegation: true, cniVersion: v(ver), vcpus: 2 });
      expect(r.prefixDelegation, ver).toBe(false);
      expect(r.maxPods, ver).toBe(29);
    }
  });

  it('versions compare numerically: 1.10 and 2.0 are newer than 1.8', () => {
    for (const ver of ['1.9', '1.10', '1.10.0', 'v1.12.6-eksbuild.2', '2.0']) {
      expect(cniSupportsPrefixDelegation(v(ver)), ver).toBe(true);
    }
  });

  it('non-Nitro types fall back (Xen, and bare metal with hypervisor "unknown", as the calculator does)', () => {
    const xen = computeMaxPods(type('m4.4xlarge'), { prefixDelegation: true });
    expect(xen.hypervisor).toBe('xen');
    expect(xen.prefixDelegation).toBe(false);
    expect(xen.maxPods).toBe(234);
    const metal = computeMaxPods(type('m5.metal'), { prefixDelegation: true, cniVersion: v('1.9.0') });
    expect(metal.hypervisor).toBe('unknown');
    expect(metal.prefixDelegation).toBe(false);
    expect(metal.maxPods).toBe(737);
  });

  it('the 250 cap applies above 30 vCPUs', () => {
    const r = computeMaxPods(type('m5.24xlarge'), { prefixDelegation: true, cniVersion: v('1.9.0'), vcpus: 96 });
    expect(r.maxPods).toBe(250);
    expect(computeMaxPods(type('m5.24xlarge'), { cniVersion: v('1.9.0'), vcpus: 30 }).maxPods).toBe(110);
    expect(computeMaxPods(type('m5.24xlarge'), { cniVersion: v('1.9.0'), vcpus: 31 }).maxPods).toBe(250);
    // A cap never raises a value: t2.micro stays at 4.
    expect(computeMaxPods(type('t2.micro'), { cniVersion: v('1.9.0'), vcpus: 1 }).maxPods).toBe(4);
  });
});

describe('custom networking and --cni-max-eni', () => {
  it('custom networking drops one ENI: m5.large 2×9+2 = 20, t3.medium 2×5+2 = 12', () => {
    expect(computeMaxPods(type('m5.large'), { customNetworking: true })).toMatchObject({ maxPods: 20, enis: 2 });
    expect(computeMaxPods(type('t3.medium'), { customNetworking: true }).maxPods).toBe(12);
  });

  it('custom networking with PD: m5.large 2×(9×16)+2 = 290', () => {
    expect(computeMaxPods(type('m5.large'), { customNetworking: true, prefixDelegation: true }).maxPods).toBe(290);
  });

  it('--cni-max-eni takes the minimum with the ENI limit', () => {
    expect(computeMaxPods(type('m5.large'), { maxEni: 1 })).toMatchObject({ maxPods: 11, enis: 1 });
    expect(computeMaxPods(type('m5.large'), { maxEni: 2 }).maxPods).toBe(20);
    expect(computeMaxPods(type('m5.large'), { maxEni: 50 }).maxPods).toBe(29);
    expect(computeMaxPods(type('m5.large'), { maxEni: 1, prefixDelegation: true }).maxPods).toBe(9 * 16 + 2);
  });

  it('max ENI 1 with custom networking leaves only the host-network pods', () => {
    expect(computeMaxPods(type('m5.large'), { maxEni: 1, customNetworking: true })).toMatchObject({ maxPods: 2, enis: 0 });
  });

  it('property: options only ever lower the count, and PD never lowers it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...instanceTypeNames),
        fc.boolean(),
        fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
        (name, custom, maxEni) => {
          const t = type(name);
          const plain = computeMaxPods(t).maxPods;
          const sip = computeMaxPods(t, { customNetworking: custom, maxEni }).maxPods;
          const pd = computeMaxPods(t, { customNetworking: custom, maxEni, prefixDelegation: true }).maxPods;
          expect(sip).toBeLessThanOrEqual(plain);
          expect(pd).toBeGreaterThanOrEqual(sip);
          expect(sip).toBeGreaterThanOrEqual(2);
        },
      ),
    );
  });
});

describe('parseCniVersion', () => {
  it('accepts 1.9.0, 1.10, v1.12.6-eksbuild.2', () => {
    expect(parseCniVersion('1.9.0')).toMatchObject({ major: 1, minor: 9 });
    expect(parseCniVersion('1.10')).toMatchObject({ major: 1, minor: 10 });
    expect(parseCniVersion('v1.12.6-eksbuild.2')).toMatchObject({ major: 1, minor: 12 });
  });
  it('rejects what the calculator cannot read', () => {
    for (const bad of ['', '1', 'x.y', '1.x', '1.9.0.1', 'latest', '-1.9']) expect(parseCniVersion(bad), bad).toBeUndefined();
  });
});
