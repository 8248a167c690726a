/**
 * The "why is my pod stuck" chain (src/report/why.ts) says what the rule of the daemon's version is: on CNI 1.18.x a
 * partly filled ENI in an empty subnet is only ever topped up and a new ENI is never tried (before #2954, spec §2.5
 * step 1, §4.7); a refused EC2 call names the call and the MissingIAMPermissions event (§8.5); "no valid subnet" says
 * which subnets discovery skips (§4.1). Other versions keep the new-ENI explanation.
 */
import { describe, expect, it } from 'vitest';
import type { StuckExplanation } from '../../src/report/types.ts';
import { loadScenario } from '../../src/scenario/loader.ts';
import { runScenario } from '../../src/scenario/runner.ts';

function stuckAt(file: string, until: number): StuckExplanation[] {
  return runScenario(loadScenario(file), { until }).stuck;
}

const PRE_2954 = /^ipamd 1\.18\.x never tries a new ENI while an ENI has a free slot \(before v1\.19\.0, #2954\)/;

describe('why chain', () => {
  it('on 1.18.x names the top-up of the partly filled ENI and the missing new-ENI attempt, not a new ENI that does not fit', () => {
    const stuck = stuckAt('scenarios/inflate-pre-2954-1.18.yaml', 900_000);
    expect(stuck.length).toBe(16);
    for (const s of stuck) {
      expect(s.cause).toBe('subnet empty');
      expect(s.chain.some((l) => /^eni-\d+ in subnet-private-b has 4 of 9 address slots free, so ipamd keeps topping it up; subnet-private-b has 0 free addresses, so each top-up fails with InsufficientFreeAddressesInSubnet and freezes growth for 120 s$/.test(l))).toBe(true);
      expect(s.chain.find((l) => PRE_2954.test(l))).toMatch(/although subnet-cni-b \(kubernetes\.io\/role\/cni=1\) has 8187 free$/);
      expect(s.chain.join('\n')).not.toMatch(/a new ENI on m6a\.large needs/);
    }
  });

  it('on 1.19.0 (with #2954) and 1.23 keeps the new-ENI explanation', () => {
    const early = stuckAt('scenarios/inflate-pre-2954-1.19.yaml', 270_000);
    expect(early.length).toBeGreaterThan(0);
    for (const s of early) expect(s.chain.some((l) => PRE_2954.test(l))).toBe(false);
    const unbalanced = stuckAt('scenarios/unbalanced-subnets.yaml', 840_000);
    expect(unbalanced.length).toBe(42);
    for (const s of unbalanced) {
      expect(s.chain.some((l) => PRE_2954.test(l))).toBe(false);
      expect(s.chain.some((l) => l.startsWith('a new ENI on m5.large needs up to 10 addresses'))).toBe(true);
    }
  });

  it('names the refused call and the event for a missing IAM permission', () => {
    const stuck = stuckAt('scenarios/inflate-missing-describe-subnets-1.23.yaml', 600_000);
    expect(stuck.length).toBe(50);
    for (const s of stuck) {
      expect(s.cause).toBe('missing IAM permission');
      expect(s.chain.some((l) => /^the node role may not call ec2:DescribeSubnets \(\d+ times since \d+s\): EC2 answers UnauthorizedOperation and aws-node raises Warning MissingIAMPermissions on kube-system\/aws-node-[a-z0-9]{5} \(§8\.5\)$/.test(l))).toBe(true);
      expect(s.chain[s.chain.length - 1]).toBe('cause: missing IAM permission');
    }
  });

  it('says which subnets discovery skips when none is valid', () => {
    const stuck = stuckAt('scenarios/subnet-tag-lifecycle.yaml', 660_000);
    expect(stuck.length).toBe(16);
    for (const s of stuck) {
      expect(s.cause).toBe('no valid subnet');
      expect(s.chain.some((l) => l.startsWith('no subnet in us-west-2a is valid for a new ENI'))).toBe(true);
      expect(s.chain.some((l) => l.includes("subnet-node-a 249 free (node's subnet; excluded: kubernetes.io/role/cni=0)"))).toBe(true);
    }
  });
});
