/**
 * Enhanced subnet discovery (src/model/ipamd/subnet-discovery.ts, spec §4.1, §4.6, §4.7): a truth table of
 * tag values × primary/secondary × cluster tags × version era, the ranking order, and version parsing.
 */
import { describe, expect, it } from 'vitest';
import type { SubnetView } from '../../src/model/ec2/types.ts';
import { CNI_ERAS, cniEra, type CniEra } from '../../src/model/ipamd/cni-version.ts';
import { ERR_NO_ENI_CONFIG } from '../../src/model/ipamd/eni-config.ts';
import {
  MSG_NO_VALID_SUBNETS,
  MSG_PRIMARY_EXCLUDED_NO_DISCOVERY,
  newEniSubnets,
  rankSubnets,
  subnetExclusion,
  subnetInvalidReason,
  type NewEniSubnetsInput,
} from '../../src/model/ipamd/subnet-discovery.ts';

function subnet(id: string, free: number, tags: Record<string, string> = {}): SubnetView {
  return { subnetId: id, vpcId: 'vpc-1', cidrBlock: '10.0.0.0/24', availabilityZone: 'az1', availableIpAddressCount: free, tags, mapPublicIpOnLaunch: false };
}

const ROLE = 'kubernetes.io/role/cni';
type Tag = 'absent' | 'empty' | '0' | '1';
const tagOf = (t: Tag): Record<string, string> => (t === 'absent' ? {} : { [ROLE]: t === 'empty' ? '' : t });

// valid? for [tag][primary|secondary] per era, with no cluster tags
const TABLE: Record<CniEra, Record<Tag, [boolean, boolean]>> = {
  'pre-1.18': { absent: [true, false], empty: [true, false], '0': [true, false], '1': [true, false] },
  '1.18.x': { absent: [true, false], empty: [true, true], '0': [true, true], '1': [true, true] },
  '1.19-1.21': { absent: [true, false], empty: [true, true], '0': [true, true], '1': [true, true] },
  '1.22.0': { absent: [true, false], empty: [true, false], '0': [false, false], '1': [true, true] },
  '1.22.1': { absent: [true, false], empty: [true, false], '0': [false, false], '1': [true, true] },
  '1.23+': { absent: [true, false], empty: [true, false], '0': [false, false], '1': [true, true] },
};

describe('§4.1 validity truth table (no cluster tags)', () => {
  for (const era of CNI_ERAS) {
    for (const tag of ['absent', 'empty', '0', '1'] as Tag[]) {
      for (const [i, role] of (['primary', 'secondary'] as const).entries()) {
        const expected = TABLE[era][tag][i];
        it(`${era}: ${role} subnet, tag ${tag} → ${expected ? 'valid' : 'skipped'}`, () => {
          const s = subnet(role === 'primary' ? 'subnet-p' : 'subnet-s', 100, tagOf(tag));
          expect(subnetInvalidReason(s, 'subnet-p', 'prod', era) === undefined).toBe(expected);
        });
      }
    }
  }
});

describe('§4.1 cluster tags (CLUSTER_NAME=prod)', () => {
  const cases: [CniEra, Record<string, string>, boolean, boolean, string][] = [
    // era, extra tags, primary valid, secondary(tag=1) valid, note
    ['1.23+', { 'cni.networking.k8s.aws/cluster/prod': '' }, true, true, 'own cluster tag'],
    ['1.23+', { 'cni.networking.k8s.aws/cluster/other': '' }, true, false, 'other cluster only: untagged primary skips the check (1.22.1+)'],
    ['1.23+', { 'cni.networking.k8s.aws/cluster/other': '', 'cni.networking.k8s.aws/cluster/prod': '1' }, true, true, 'shared by both'],
    ['1.23+', { 'kubernetes.io/cluster/other': 'shared' }, true, true, 'old prefix ignored after 1.22.1'],
    ['1.22.1', { 'cni.networking.k8s.aws/cluster/other': '' }, true, false, '1.22.1 prefix'],
    ['1.22.0', { 'kubernetes.io/cluster/other': 'shared' }, false, false, '1.22.0: kubernetes.io/cluster/ prefix, the untagged primary is checked too'],
    ['1.22.0', { 'kubernetes.io/cluster/prod': 'owned' }, true, true, '1.22.0 own cluster'],
    ['1.22.0', { 'cni.networking.k8s.aws/cluster/other': '' }, true, true, '1.22.0 ignores the later prefix'],
    ['1.19-1.21', { 'cni.networking.k8s.aws/cluster/other': '' }, true, true, 'no cluster scoping before 1.22'],
    ['1.18.x', { 'kubernetes.io/cluster/other': 'shared' }, true, true, 'no cluster scoping before 1.22'],
  ];
  for (const [era, tags, prim, sec, note] of cases) {
    it(`${era}: ${note}`, () => {
      expect(subnetInvalidReason(subnet('subnet-p', 1, tags), 'subnet-p', 'prod', era) === undefined).toBe(prim);
      expect(subnetInvalidReason(subnet('subnet-s', 1, { ...tags, [ROLE]: '1' }), 'subnet-p', 'prod', era) === undefined).toBe(sec);
    });
  }
  it('without CLUSTER_NAME there is no cluster check', () => {
    expect(subnetInvalidReason(subnet('subnet-s', 1, { [ROLE]: '1', 'cni.networking.k8s.aws/cluster/other': '' }), 'subnet-p', '', '1.23+')).toBeUndefined();
  });
});

describe('§4.1 ranking', () => {
  it('most free first, stable on ties, reasons for skipped ones', () => {
    const r = rankSubnets({
      subnets: [subnet('a', 10, { [ROLE]: '1' }), subnet('p', 50), subnet('b', 8187, { [ROLE]: '1' }), subnet('c', 9000, { [ROLE]: '0' }), subnet('d', 50, { [ROLE]: '1' })],
      primarySubnetId: 'p',
      clusterName: '',
      era: '1.23+',
    });
    expect(r.valid.map((s) => s.subnetId)).toEqual(['b', 'p', 'd', 'a']);
    expect(r.skipped).toEqual([{ subnetId: 'c', availableIpAddressCount: 9000, reason: 'tag kubernetes.io/role/cni=0' }]);
  });
  it('a full subnet is ranked last, not filtered (§4.1)', () => {
    const r = rankSubnets({ subnets: [subnet('p', 0), subnet('s', 5, { [ROLE]: '1' })], primarySubnetId: 'p', clusterName: '', era: '1.23+' });
    expect(r.valid.map((s) => s.subnetId)).toEqual(['s', 'p']);
  });
});

describe('§4.6 exclusion of existing ENIs', () => {
  it('tag 0 excludes, untagged does not, cluster mismatch excludes (1.22+ only)', () => {
    expect(subnetExclusion(subnet('s', 1, { [ROLE]: '0' }), 'prod', '1.23+')).toMatchObject({ excluded: true });
    expect(subnetExclusion(subnet('s', 1), 'prod', '1.23+')).toEqual({ excluded: false });
    expect(subnetExclusion(subnet('s', 1, { [ROLE]: '1', 'cni.networking.k8s.aws/cluster/x': '' }), 'prod', '1.23+')).toMatchObject({ excluded: true });
    expect(subnetExclusion(subnet('s', 1, { [ROLE]: '0' }), 'prod', '1.19-1.21')).toEqual({ excluded: false });
  });
  it('a subnet missing from the listing: not excluded in 1.23+ (HyperPod), an error before', () => {
    expect(subnetExclusion(undefined, 'prod', '1.23+')).toEqual({ excluded: false });
    expect(subnetExclusion(undefined, 'prod', '1.22.1')).toHaveProperty('error');
  });
});

describe('newEniSubnets: where a new ENI goes and whether it serves pods (§4.1, §4.3, §4.6, §4.7)', () => {
  const base = (over: Partial<NewEniSubnetsInput<SubnetView>>): NewEniSubnetsInput<SubnetView> => ({
    subnets: [subnet('p', 5), subnet('s', 50, { [ROLE]: '0' }), subnet('t', 20, { [ROLE]: '1' })],
    primarySubnetId: 'p',
    clusterName: 'prod',
    era: '1.23+',
    subnetDiscovery: true,
    customNetworking: false,
    ...over,
  });
  const ids = (xs: SubnetView[]) => xs.map((x) => x.subnetId);

  it('ranks with discovery on, per era', () => {
    expect(ids(newEniSubnets(base({})).usable)).toEqual(['t', 'p']);
    expect(ids(newEniSubnets(base({ era: '1.19-1.21' })).usable)).toEqual(['s', 't', 'p']);
    expect(newEniSubnets(base({ era: '1.19-1.21' })).placement).toBe('ranked');
    const none = newEniSubnets(base({ subnets: [subnet('p', 5, { [ROLE]: '0' })] }));
    expect(none).toMatchObject({ tried: [], usable: [], error: MSG_NO_VALID_SUBNETS });
  });

  it('uses only the node subnet with discovery off or before 1.18, refusing it when tagged 0 in 1.22.0+ (§4.1 step 7)', () => {
    expect(ids(newEniSubnets(base({ subnetDiscovery: false })).usable)).toEqual(['p']);
    expect(ids(newEniSubnets(base({ era: 'pre-1.18' })).usable)).toEqual(['p']);
    const zero = [subnet('p', 5, { [ROLE]: '0' })];
    expect(newEniSubnets(base({ subnets: zero, subnetDiscovery: false }))).toMatchObject({ placement: 'node-subnet', usable: [], error: MSG_PRIMARY_EXCLUDED_NO_DISCOVERY });
    expect(ids(newEniSubnets(base({ subnets: zero, subnetDiscovery: false, era: '1.19-1.21' })).usable)).toEqual(['p']);
  });

  it('uses the ENIConfig subnet with custom networking; tagged 0 it is tried but its ENI is excluded (§4.3)', () => {
    const eniConfigSubnet = subnet('s', 50, { [ROLE]: '0' });
    const cn = newEniSubnets(base({ customNetworking: true, eniConfigSubnet }));
    expect(cn.placement).toBe('custom-networking');
    expect(ids(cn.tried)).toEqual(['s']);
    expect(cn.usable).toEqual([]);
    expect(ids(newEniSubnets(base({ customNetworking: true, eniConfigSubnet, subnetDiscovery: false })).usable)).toEqual(['s']);
    expect(ids(newEniSubnets(base({ customNetworking: true, eniConfigSubnet, era: '1.19-1.21' })).usable)).toEqual(['s']);
    expect(ids(newEniSubnets(base({ customNetworking: true, eniConfigSubnet, ipv6: true })).usable)).toEqual(['s']);
    expect(newEniSubnets(base({ customNetworking: true }))).toMatchObject({ tried: [], error: ERR_NO_ENI_CONFIG });
  });
});

describe('§4.7 version eras', () => {
  const cases: [string, CniEra | undefined][] = [
    ['1.17.1', 'pre-1.18'],
    ['1.18.0', '1.18.x'],
    ['v1.18.6-eksbuild.1', '1.18.x'],
    ['1.19.0', '1.19-1.21'],
    ['1.21.1', '1.19-1.21'],
    ['1.22.0', '1.22.0'],
    ['1.22.1', '1.22.1'],
    ['1.22.3', '1.22.1'],
    ['1.23.0', '1.23+'],
    ['1.23.1', '1.23+'],
    ['2.0.0', '1.23+'],
    ['latest', undefined],
  ];
  for (const [v, era] of cases) it(`${v} → ${era}`, () => expect(cniEra(v)).toBe(era));
});
