/** Where plan's cni-subnets what-if puts its subnets: free aligned blocks inside the VPC, else a new secondary /16. */
import { describe, expect, it } from 'vitest';
import { freeBlocks, secondaryBlock, suggestSubnets } from '../../src/plan/free-cidrs.ts';
import { formatCidr, parseCidr } from '../../src/model/vpc/ipv4.ts';

describe('free blocks inside the VPC', () => {
  it('skips blocks that overlap a subnet and takes the lowest free ones', () => {
    const got = freeBlocks([parseCidr('10.0.0.0/24')], ['10.0.0.0/27', '10.0.0.64/26'].map(parseCidr), 27, 3).map(formatCidr);
    expect(got).toEqual(['10.0.0.32/27', '10.0.0.128/27', '10.0.0.160/27']);
  });

  it('places one subnet per AZ inside the VPC when there is room', () => {
    const s = suggestSubnets(['us-west-2a', 'us-west-2b'], { blocks: ['10.0.0.0/16'], avoid: ['10.0.0.0/16'], subnets: ['10.0.0.0/19'] }, 19);
    expect(s).toEqual({ subnets: [{ az: 'us-west-2a', cidr: '10.0.32.0/19' }, { az: 'us-west-2b', cidr: '10.0.64.0/19' }] });
  });
});

describe('a secondary block when the VPC is full (the walkthrough: a /24 cannot hold a /19)', () => {
  it('takes the next /16 of the primary block\'s RFC 1918 range that no block overlaps', () => {
    const s = suggestSubnets(['us-west-2a', 'us-west-2b', 'us-west-2c'], { blocks: ['10.0.0.0/24'], avoid: ['10.0.0.0/24'], subnets: ['10.0.0.0/27'] }, 19);
    expect(s).toEqual({
      associate: '10.1.0.0/16',
      subnets: [
        { az: 'us-west-2a', cidr: '10.1.0.0/19' },
        { az: 'us-west-2b', cidr: '10.1.32.0/19' },
        { az: 'us-west-2c', cidr: '10.1.64.0/19' },
      ],
    });
  });

  it('avoids blocks the VPC will have (a later associate-vpc-cidr-block) and other ranges\' primaries', () => {
    expect(formatCidr(secondaryBlock(['10.0.0.0/24', '10.1.0.0/16'].map(parseCidr), 16)!)).toBe('10.2.0.0/16');
    expect(formatCidr(secondaryBlock(['192.168.0.0/16'].map(parseCidr), 16)!)).toBe('100.64.0.0/16');
    expect(formatCidr(secondaryBlock(['172.16.0.0/16'].map(parseCidr), 16)!)).toBe('172.17.0.0/16');
  });
});
