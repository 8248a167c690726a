import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/index.ts';
import { Ec2State } from '../../src/model/ec2/state.ts';
import { parseCidr } from '../../src/model/vpc/ipv4.ts';

function setup(limit = 5) {
  const st = new Ec2State(new Simulation(7), { vpcCidrBlockLimit: limit, unattachedEniIpv4Limit: 50 });
  const vpc = st.createVpc({ cidrBlock: '10.0.0.0/16', amazonProvidedIpv6CidrBlock: true });
  if (!vpc.ok) throw new Error(vpc.error.message);
  return { st, vpc: vpc.value };
}

describe('VPC CIDR blocks', () => {
  it('accepts /16../28 and rejects other sizes with InvalidVpc.Range', () => {
    const { st, vpc } = setup();
    expect(st.associateVpcCidrBlock(vpc.id, '100.64.0.0/15')).toMatchObject({ ok: false, error: { code: 'InvalidVpc.Range' } });
    expect(st.associateVpcCidrBlock(vpc.id, '100.64.0.0/29')).toMatchObject({ ok: false, error: { code: 'InvalidVpc.Range' } });
    expect(st.associateVpcCidrBlock(vpc.id, '100.64.0.0/28')).toMatchObject({ ok: true });
    const bad = new Ec2State(new Simulation(1)).createVpc({ cidrBlock: '10.0.0.0/8' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'InvalidVpc.Range', message: "The CIDR '10.0.0.0/8' is invalid." } });
  });

  it('rejects overlapping blocks', () => {
    const { st, vpc } = setup();
    const r = st.associateVpcCidrBlock(vpc.id, '10.0.128.0/17');
    expect(r).toMatchObject({ ok: false, error: { code: 'InvalidVpc.Range' } });
    if (!r.ok) expect(r.error.message).toMatch(/conflicts with another CIDR block '10\.0\.0\.0\/16'/);
  });

  it('enforces the CIDR block limit (primary included)', () => {
    const { st, vpc } = setup(5);
    for (let i = 1; i <= 4; i++) expect(st.associateVpcCidrBlock(vpc.id, `100.${64 + i}.0.0/16`).ok).toBe(true);
    const r = st.associateVpcCidrBlock(vpc.id, '100.70.0.0/16');
    expect(r).toMatchObject({ ok: false, error: { code: 'CidrLimitExceeded', message: `This network '${vpc.id}' has met its maximum number of allowed CIDRs: 5` } });
    const six = setup(6);
    for (let i = 1; i <= 5; i++) expect(six.st.associateVpcCidrBlock(six.vpc.id, `100.${64 + i}.0.0/16`).ok).toBe(true);
    expect(six.st.associateVpcCidrBlock(six.vpc.id, '100.80.0.0/16')).toMatchObject({ ok: false, error: { code: 'CidrLimitExceeded' } });
  });

  it('unknown VPC and malformed CIDR', () => {
    const { st, vpc } = setup();
    expect(st.associateVpcCidrBlock('vpc-nope', '100.64.0.0/16')).toMatchObject({ ok: false, error: { code: 'InvalidVpcID.NotFound' } });
    expect(st.associateVpcCidrBlock(vpc.id, '100.64.0.1/16')).toMatchObject({ ok: false, error: { code: 'InvalidParameterValue' } });
  });

  it('derives a deterministic Amazon-provided /56', () => {
    const a = setup().vpc.ipv6Cidr!;
    const b = setup().vpc.ipv6Cidr!;
    expect(a).toEqual(b);
    expect(a.prefixLen).toBe(56);
    expect(a.base >> 96n).toBe(0x26001f14n);
  });
});

describe('subnets', () => {
  it('creates subnets inside a VPC block with AZ, tags, route kind and IPv6 /64', () => {
    const { st, vpc } = setup();
    const s = st.createSubnet({ vpcId: vpc.id, cidrBlock: '10.0.1.0/24', availabilityZone: 'us-west-2a', tags: { 'kubernetes.io/role/cni': '1' }, routeKind: 'igw', ipv6: true });
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    const v = s.value.view();
    expect(v).toMatchObject({ cidrBlock: '10.0.1.0/24', availabilityZone: 'us-west-2a', availableIpAddressCount: 251, mapPublicIpOnLaunch: true, tags: { 'kubernetes.io/role/cni': '1' } });
    expect(v.ipv6CidrBlock).toMatch(/::\/64$/);
    const s2 = st.createSubnet({ vpcId: vpc.id, cidrBlock: '10.0.2.0/24', availabilityZone: 'us-west-2a', ipv6: true });
    expect(s2.ok && s2.value.view().ipv6CidrBlock).not.toBe(v.ipv6CidrBlock);
  });

  it('InvalidSubnet.Range outside the VPC or outside /16../28', () => {
    const { st, vpc } = setup();
    for (const c of ['10.1.0.0/24', '10.0.0.0/29', '10.0.0.0/15']) {
      const r = st.createSubnet({ vpcId: vpc.id, cidrBlock: c, availabilityZone: 'a' });
      expect(r).toMatchObject({ ok: false, error: { code: 'InvalidSubnet.Range', message: `The CIDR '${c}' is invalid.` } });
    }
  });

  it('InvalidSubnet.Conflict on overlap', () => {
    const { st, vpc } = setup();
    expect(st.createSubnet({ vpcId: vpc.id, cidrBlock: '10.0.0.0/24', availabilityZone: 'a' }).ok).toBe(true);
    const r = st.createSubnet({ vpcId: vpc.id, cidrBlock: '10.0.0.128/25', availabilityZone: 'a' });
    expect(r).toMatchObject({ ok: false, error: { code: 'InvalidSubnet.Conflict', message: "The CIDR '10.0.0.128/25' conflicts with another subnet" } });
  });

  it('subnets in a secondary block', () => {
    const { st, vpc } = setup();
    expect(st.createSubnet({ vpcId: vpc.id, cidrBlock: '100.64.0.0/24', availabilityZone: 'a' })).toMatchObject({ ok: false, error: { code: 'InvalidSubnet.Range' } });
    st.associateVpcCidrBlock(vpc.id, '100.64.0.0/16');
    expect(st.createSubnet({ vpcId: vpc.id, cidrBlock: '100.64.0.0/24', availabilityZone: 'a' }).ok).toBe(true);
  });

  it('externalUse holds real addresses so a subnet starts at an exact free count', () => {
    const { st, vpc } = setup();
    const s = st.createSubnet({ vpcId: vpc.id, cidrBlock: '10.0.0.0/26', availabilityZone: 'a', externalUse: 50 });
    expect(s.ok && s.value.availableIpAddressCount).toBe(9);
    if (!s.ok) return;
    expect(s.value.externalAddresses.length).toBe(50);
    expect(s.value.addExternalUse(10)).toMatchObject({ code: 'InsufficientFreeAddressesInSubnet' });
    s.value.releaseExternalUse(5);
    expect(s.value.availableIpAddressCount).toBe(14);
    expect(st.createSubnet({ vpcId: vpc.id, cidrBlock: '10.0.1.0/28', availabilityZone: 'a', externalUse: 12 })).toMatchObject({ ok: false, error: { code: 'InsufficientFreeAddressesInSubnet' } });
  });

  it('subnet CIDR reservations: inside the subnet, no overlap', () => {
    const { st, vpc } = setup();
    const s = st.createSubnet({ vpcId: vpc.id, cidrBlock: '10.0.0.0/24', availabilityZone: 'a' });
    if (!s.ok) throw new Error();
    const id = s.value.id;
    expect(st.createSubnetCidrReservation({ subnetId: id, cidr: '10.0.0.128/25', reservationType: 'prefix' })).toMatchObject({ ok: true });
    expect(st.createSubnetCidrReservation({ subnetId: id, cidr: '10.0.0.192/26', reservationType: 'explicit' })).toMatchObject({ ok: false, error: { code: 'InvalidParameterValue' } });
    expect(st.createSubnetCidrReservation({ subnetId: id, cidr: '10.0.1.0/28', reservationType: 'prefix' })).toMatchObject({ ok: false, error: { code: 'InvalidParameterValue' } });
    expect(st.createSubnetCidrReservation({ subnetId: 'subnet-x', cidr: '10.0.0.0/28', reservationType: 'prefix' })).toMatchObject({ ok: false, error: { code: 'InvalidSubnetID.NotFound' } });
    expect(s.value.allocator.freeAddressCount).toBe(251 - 128 + 1); // last address is AWS-reserved and inside the reservation
    expect(s.value.reservations[0].cidr).toEqual(parseCidr('10.0.0.128/25'));
  });
});
