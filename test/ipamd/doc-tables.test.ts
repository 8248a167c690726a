/**
 * Every example row of the VPC CNI docs `docs/eni-and-ip-target.md` and `docs/prefix-and-ip-target.md`
 * (aws/amazon-vpc-cni-k8s), reproduced by simulating a fresh node (warm-pool procedure), not by a formula.
 * Where a row contradicts the code's rules (spec §11), the test follows the code and says so in its name.
 * "IPs per ENI" / "Prefixes per ENI" are compared as multisets: pods land on random ENIs (§3.2, §11.8).
 */
import { describe, expect, it } from 'vitest';
import { warmPoolRow } from './helpers.ts';

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

describe('docs/eni-and-ip-target.md (secondary-IP mode)', () => {
  const WARM_ENI_1 = { WARM_ENI_TARGET: '1' };
  const WIP_1_1 = { WARM_IP_TARGET: '1', MINIMUM_IP_TARGET: '1' };
  const WIP_2_5 = { WARM_IP_TARGET: '2', MINIMUM_IP_TARGET: '5' };
  const WIP_5_10 = { WARM_IP_TARGET: '5', MINIMUM_IP_TARGET: '10' };
  // [name, type, env, pods, ENIs, secondary IPs, unused, IPs per ENI]
  const rows: [string, string, Record<string, string>, number, number, number, number, number[]][] = [
    ['t3.small WARM_ENI 1, 0 pods', 't3.small', WARM_ENI_1, 0, 1, 3, 3, [3]],
    ['t3.small WARM_ENI 1, 5 pods', 't3.small', WARM_ENI_1, 5, 3, 9, 4, [3, 3, 3]],
    ['t3.small WARM_ENI 1, 9 pods', 't3.small', WARM_ENI_1, 9, 3, 9, 0, [3, 3, 3]],
    ['t3.small WARM_IP 1 / MIN 1, 0 pods', 't3.small', WIP_1_1, 0, 1, 1, 1, [1]],
    ['t3.small WARM_IP 1 / MIN 1, 5 pods', 't3.small', WIP_1_1, 5, 2, 6, 1, [3, 3]],
    ['t3.small WARM_IP 1 / MIN 1, 9 pods', 't3.small', WIP_1_1, 9, 3, 9, 0, [3, 3, 3]],
    ['t3.small WARM_IP 2 / MIN 5, 0 pods (doc lists "2,3"; code fills the primary first: 3,2 — §11.8, order only)', 't3.small', WIP_2_5, 0, 2, 5, 5, [2, 3]],
    ['t3.small WARM_IP 2 / MIN 5, 5 pods', 't3.small', WIP_2_5, 5, 3, 7, 2, [3, 3, 1]],
    ['t3.small WARM_IP 2 / MIN 5, 9 pods', 't3.small', WIP_2_5, 9, 3, 9, 0, [3, 3, 3]],
    ['p3dn.24xlarge WARM_ENI 1, 0 pods', 'p3dn.24xlarge', WARM_ENI_1, 0, 1, 49, 49, [49]],
    ['p3dn.24xlarge WARM_ENI 1, 3 pods', 'p3dn.24xlarge', WARM_ENI_1, 3, 2, 98, 95, [49, 49]],
    ['p3dn.24xlarge WARM_ENI 1, 95 pods', 'p3dn.24xlarge', WARM_ENI_1, 95, 3, 147, 52, [49, 49, 49]],
    ['p3dn.24xlarge WARM_IP 5 / MIN 10, 0 pods', 'p3dn.24xlarge', WIP_5_10, 0, 1, 10, 10, [10]],
    ['p3dn.24xlarge WARM_IP 5 / MIN 10, 7 pods', 'p3dn.24xlarge', WIP_5_10, 7, 1, 12, 5, [12]],
    ['p3dn.24xlarge WARM_IP 5 / MIN 10, 15 pods', 'p3dn.24xlarge', WIP_5_10, 15, 1, 20, 5, [20]],
    ['p3dn.24xlarge WARM_IP 5 / MIN 10, 45 pods', 'p3dn.24xlarge', WIP_5_10, 45, 2, 50, 5, [49, 1]],
  ];
  for (const [name, type, env, pods, enis, ips, unused, perEni] of rows) {
    it(name, () => {
      const r = warmPoolRow(type, env, pods);
      expect(r.pods).toBe(pods);
      expect(r.enis).toBe(enis);
      expect(r.attachedSecondaryIps).toBe(ips);
      expect(r.unusedIps).toBe(unused);
      expect(sorted(r.perEni.map((e) => e.secondaryIps))).toEqual(sorted(perEni));
      expect(r.attachedPrefixes).toBe(0);
    });
  }
});

describe('docs/prefix-and-ip-target.md (prefix delegation)', () => {
  const PD = { ENABLE_PREFIX_DELEGATION: 'true' };
  const WP1 = { ...PD, WARM_PREFIX_TARGET: '1' };
  const WIP_1_1 = { ...PD, WARM_IP_TARGET: '1', MINIMUM_IP_TARGET: '1' };
  const WIP_7_20 = { ...PD, WARM_IP_TARGET: '7', MINIMUM_IP_TARGET: '20' };
  const WIP_5_10 = { ...PD, WARM_IP_TARGET: '5', MINIMUM_IP_TARGET: '10' };
  // t3.small rows need kubelet max-pods ≥ 58 (§11.7: the t3.small default is 11); run them with 110.
  const t3 = { maxPods: 110 };
  // [name, type, env, pods, ENIs, attached prefixes, prefixes per ENI, unused IPs, options]
  const rows: [string, string, Record<string, string>, number, number, number, number[], number, object][] = [
    ['t3.small WARM_PREFIX 1, 0 pods (max-pods 110, §11.7)', 't3.small', WP1, 0, 1, 1, [1], 16, t3],
    ['t3.small WARM_PREFIX 1, 5 pods (max-pods 110, §11.7)', 't3.small', WP1, 5, 1, 2, [2], 27, t3],
    ['t3.small WARM_PREFIX 1, 16 pods (max-pods 110, §11.7)', 't3.small', WP1, 16, 1, 2, [2], 16, t3],
    ['t3.small WARM_PREFIX 1, 17 pods (max-pods 110, §11.7)', 't3.small', WP1, 17, 1, 3, [3], 31, t3],
    ['t3.small WARM_PREFIX 1, 58 pods (max-pods 110, §11.7)', 't3.small', WP1, 58, 2, 5, [3, 2], 22, t3],
    ['t3.small WARM_IP 1 / MIN 1, 0 pods (max-pods 110, §11.7)', 't3.small', WIP_1_1, 0, 1, 1, [1], 16, t3],
    ['t3.small WARM_IP 1 / MIN 1, 5 pods (max-pods 110, §11.7)', 't3.small', WIP_1_1, 5, 1, 1, [1], 11, t3],
    ['t3.small WARM_IP 1 / MIN 1, 17 pods (max-pods 110, §11.7)', 't3.small', WIP_1_1, 17, 1, 2, [2], 15, t3],
    ['t3.small WARM_IP 1 / MIN 1, 58 pods (max-pods 110, §11.7)', 't3.small', WIP_1_1, 58, 2, 4, [3, 1], 6, t3],
    [
      't3.small WARM_IP 7 / MIN 20, 0 pods: doc says 1 prefix / 16 unused (self-contradictory), code gives ceil(20/16) = 2 prefixes, 32 unused (§11.7)',
      't3.small', WIP_7_20, 0, 1, 2, [2], 32, t3,
    ],
    ['t3.small WARM_IP 7 / MIN 20, 5 pods (max-pods 110, §11.7)', 't3.small', WIP_7_20, 5, 1, 2, [2], 27, t3],
    ['t3.small WARM_IP 7 / MIN 20, 17 pods (max-pods 110, §11.7)', 't3.small', WIP_7_20, 17, 1, 2, [2], 15, t3],
    ['t3.small WARM_IP 7 / MIN 20, 58 pods (max-pods 110, §11.7)', 't3.small', WIP_7_20, 58, 2, 5, [3, 2], 22, t3],
    ['p3dn.24xlarge WARM_PREFIX 1, 0 pods', 'p3dn.24xlarge', WP1, 0, 1, 1, [1], 16, {}],
    ['p3dn.24xlarge WARM_PREFIX 1, 3 pods: doc says 2 ENIs (2,0), code never creates an ENI while the primary has free slots: 1 ENI (§11.7)', 'p3dn.24xlarge', WP1, 3, 1, 2, [2], 29, {}],
    ['p3dn.24xlarge WARM_PREFIX 1, 95 pods: doc says 3 ENIs (7,0,0), code gives 1 ENI with 7 prefixes (§11.7)', 'p3dn.24xlarge', WP1, 95, 1, 7, [7], 17, {}],
    ['p3dn.24xlarge WARM_IP 5 / MIN 10, 0 pods', 'p3dn.24xlarge', WIP_5_10, 0, 1, 1, [1], 16, {}],
    ['p3dn.24xlarge WARM_IP 5 / MIN 10, 7 pods', 'p3dn.24xlarge', WIP_5_10, 7, 1, 1, [1], 9, {}],
    ['p3dn.24xlarge WARM_IP 5 / MIN 10, 15 pods', 'p3dn.24xlarge', WIP_5_10, 15, 1, 2, [2], 17, {}],
    ['p3dn.24xlarge WARM_IP 5 / MIN 10, 45 pods: doc says 2 ENIs (4,0), code gives 1 ENI with 4 prefixes (§11.7)', 'p3dn.24xlarge', WIP_5_10, 45, 1, 4, [4], 19, {}],
  ];
  for (const [name, type, env, pods, enis, prefixes, perEni, unused, extra] of rows) {
    it(name, () => {
      const r = warmPoolRow(type, env, pods, extra);
      expect(r.mode).toBe('pd');
      expect(r.pods).toBe(pods);
      expect(r.enis).toBe(enis);
      expect(r.attachedPrefixes).toBe(prefixes);
      expect(sorted(r.perEni.map((e) => e.prefixes))).toEqual(sorted(perEni));
      expect(r.unusedIps).toBe(unused);
      expect(r.attachedSecondaryIps).toBe(0);
    });
  }
});
