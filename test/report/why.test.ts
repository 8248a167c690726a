/**
 * The "why is my pod stuck" chain (src/report/why.ts) says what the rule of the daemon's version is: on CNI 1.18.x a
 * partly filled ENI in an empty subnet is only ever topped up and a new ENI is never tried (before #2954, spec §2.5
 * step 1, §4.7); a refused EC2 call names the call and the MissingIAMPermissions event (§8.5); "no valid subnet" says
 * which subnets discovery skips (§4.1). Other versions keep the new-ENI explanation.
 */
import { describe, expect, it } from 'vitest';
import type { StuckExplanation } from '../../src/report/types.ts';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import { collectResult } from '../../src/report/collect.ts';
import { runScenario } from '../../src/scenario/runner.ts';

function stuckAt(file: string, until: number): StuckExplanation[] {
  return collectResult(runScenario(loadScenario(file), { until })).stuck;
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
    expect(stuck.length).toBe(34); // 16 inflate pods run on the primary ENIs' addresses
    for (const s of stuck) {
      expect(s.cause).toBe('missing IAM permission');
      expect(s.chain.some((l) => /^the node role may not call ec2:DescribeSubnets \(\d+ times since \d+s\): EC2 answers UnauthorizedOperation and aws-node raises Warning MissingIAMPermissions on kube-system\/aws-node-[a-z0-9]{5} \(pkg\/awsutils\/awsutils\.go checkAPIErrorAndBroadcastEvent\)$/.test(l))).toBe(true);
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

  describe('lists the subnets a new ENI may use by the daemon\'s rules of its version (§4.1, §4.7)', () => {
    /** One m5.xlarge in a small node subnet; 50 pods outgrow it; the other subnets are tagged per test; CLUSTER_NAME=blue. */
    const doc = (version: string, subnets: string): string => `
name: why-subnet-rules
seed: 1
duration: 10m
region: us-west-2
vpc: { cidrBlocks: [10.0.0.0/16] }
subnets:
${subnets}
cluster:
  name: blue
  kubernetesVersion: "1.29"
  vpcCni: { version: ${version}, env: { CLUSTER_NAME: blue } }
nodeGroups:
  - { name: ng, instanceType: m5.xlarge, desiredCapacity: 1, subnets: [subnet-node-a] }
timeline:
  - at: 1m
    run: kubectl apply
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: app }
      spec:
        replicas: 50
        selector: { matchLabels: { app: app } }
        template:
          metadata: { labels: { app: app } }
          spec:
            containers: [{ name: app, image: nginx, resources: { requests: { cpu: 10m } } }]
`;
    const run = (version: string, subnets: string) =>
      collectResult(runScenario(loadScenarioText(doc(version, subnets), 'why-subnet-rules.yaml'), { until: 600_000, checkInvariants: true }));
    const listing = (s: StuckExplanation): string => s.chain.find((l) => l.startsWith('subnets in us-west-2a: ')) ?? '';

    it('1.18 and 1.21: a secondary subnet tagged kubernetes.io/role/cni=0 is usable (the tag key is what counts)', () => {
      const subnets = `  - { id: subnet-node-a, az: us-west-2a, cidr: 10.0.0.0/27 }
  - { id: subnet-zero, az: us-west-2a, cidr: 10.0.1.0/28, tags: { kubernetes.io/role/cni: "0" } }
  - { id: subnet-untagged, az: us-west-2a, cidr: 10.0.2.0/24 }`;
      for (const v of ['1.18.0', '1.21.0']) {
        const r = run(v, subnets);
        expect(r.stuck.length).toBe(38);
        for (const s of r.stuck) {
          expect(s.cause).toBe('subnet empty');
          expect(listing(s)).toBe(
            "subnets in us-west-2a: subnet-node-a 12 free (node's subnet; usable); subnet-zero 11 free (usable: kubernetes.io/role/cni=0); " +
              'subnet-untagged 251 free (not used: no kubernetes.io/role/cni tag)',
          );
        }
        // the daemon did try subnet-zero; the checker agrees it is a candidate (too small for a whole ENI: the finding)
        expect(r.invariants?.failures).toEqual([]);
        expect(r.invariants?.findings.map((f) => f.split(']')[0])).toEqual(['[finding eni-create-all-or-nothing']);
      }
    });

    it('1.22.0 skips a subnet of another cluster by kubernetes.io/cluster/*, 1.22.1+ by cni.networking.k8s.aws/cluster/*', () => {
      const subnets = (k8sCidr: string, cniCidr: string) => `  - { id: subnet-node-a, az: us-west-2a, cidr: 10.0.0.0/27, tags: { kubernetes.io/role/cni: "1" } }
  - { id: subnet-k8s-green, az: us-west-2a, cidr: ${k8sCidr}, tags: { kubernetes.io/role/cni: "1", kubernetes.io/cluster/green: owned } }
  - { id: subnet-cni-green, az: us-west-2a, cidr: ${cniCidr}, tags: { kubernetes.io/role/cni: "1", cni.networking.k8s.aws/cluster/green: "1" } }`;
      const v1220 = run('1.22.0', subnets('10.0.1.0/24', '10.0.2.0/28'));
      expect(v1220.stuck.length).toBe(38);
      for (const s of v1220.stuck) {
        expect(listing(s)).toBe(
          "subnets in us-west-2a: subnet-node-a 12 free (node's subnet; usable: kubernetes.io/role/cni=1); " +
            'subnet-k8s-green 251 free (not used: cluster tags (kubernetes.io/cluster/*) do not name blue); ' +
            'subnet-cni-green 11 free (usable: kubernetes.io/role/cni=1)',
        );
      }
      // the checker does not count subnet-k8s-green as room, as the daemon does not: no false liveness failure
      expect(v1220.invariants?.failures).toEqual([]);
      expect(v1220.invariants?.findings.map((f) => f.split(']')[0])).toEqual(['[finding eni-create-all-or-nothing']);

      for (const v of ['1.22.1', '1.23.1']) {
        const r = run(v, subnets('10.0.1.0/28', '10.0.2.0/24'));
        expect(r.stuck.length).toBe(38);
        for (const s of r.stuck) {
          expect(listing(s)).toBe(
            "subnets in us-west-2a: subnet-node-a 12 free (node's subnet; usable: kubernetes.io/role/cni=1); " +
              'subnet-k8s-green 11 free (usable: kubernetes.io/role/cni=1); ' +
              'subnet-cni-green 251 free (not used: cluster tags (cni.networking.k8s.aws/cluster/*) do not name blue)',
          );
        }
        expect(r.invariants?.failures).toEqual([]);
      }
    });
  });
});
