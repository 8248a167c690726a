import { describe, expect, it } from 'vitest';
import { NODE, call, must, settle, world } from './helpers.ts';

describe('EC2 error paths', () => {
  it('AttachmentLimitExceeded beyond the ENI limit of the card', () => {
    const { sim, ec2, subnet } = world();
    const inst = must(ec2.runInstancesNow({ instanceType: 't3.small', subnetId: subnet.id }))[0]; // 3 ENIs
    for (let d = 1; d <= 3; d++) {
      const eni = call(sim, ec2.createNetworkInterface(NODE, { subnetId: subnet.id, description: 'x', securityGroups: [] }));
      const r = settle(sim, ec2.attachNetworkInterface(NODE, { eniId: eni.networkInterfaceId, instanceId: inst.instanceId, deviceIndex: d }));
      if (d < 3) expect(r.ok).toBe(true);
      else expect(r).toEqual({ ok: false, error: { code: 'AttachmentLimitExceeded', message: 'Interface count 4 exceeds the limit for t3.small' } });
    }
  });

  it('device index in use, wrong card, wrong AZ, already attached', () => {
    const { sim, ec2, subnet, vpc } = world();
    const inst = must(ec2.runInstancesNow({ instanceType: 'm5.large', subnetId: subnet.id }))[0];
    const eni = call(sim, ec2.createNetworkInterface(NODE, { subnetId: subnet.id, description: 'x', securityGroups: [] }));
    const attach = (deviceIndex: number, networkCardIndex?: number, eniId = eni.networkInterfaceId) =>
      settle(sim, ec2.attachNetworkInterface(NODE, { eniId, instanceId: inst.instanceId, deviceIndex, networkCardIndex }));
    expect(attach(0)).toMatchObject({ ok: false, error: { code: 'InvalidParameterValue' } });
    expect(attach(1, 3)).toMatchObject({ ok: false, error: { code: 'InvalidParameterValue' } });
    expect(attach(1).ok).toBe(true);
    expect(attach(2)).toMatchObject({ ok: false, error: { code: 'InvalidNetworkInterface.InUse' } });
    const other = must(ec2.state.createSubnet({ vpcId: vpc.id, cidrBlock: '10.0.9.0/24', availabilityZone: 'us-west-2b' }));
    const far = call(sim, ec2.createNetworkInterface(NODE, { subnetId: other.id, description: 'x', securityGroups: [] }));
    expect(attach(2, 0, far.networkInterfaceId)).toMatchObject({ ok: false, error: { code: 'InvalidParameterValue' } });
    expect(settle(sim, ec2.attachNetworkInterface(NODE, { eniId: eni.networkInterfaceId, instanceId: 'i-nope', deviceIndex: 3 }))).toMatchObject({
      ok: false,
      error: { code: 'InvalidInstanceID.NotFound' },
    });
  });

  it('PrivateIpAddressLimitExceeded: secondaries and prefixes share ipv4PerEni − 1 slots', () => {
    const { sim, ec2, subnet } = world({}, '10.0.0.0/20');
    const inst = must(ec2.runInstancesNow({ instanceType: 'm5.large', subnetId: subnet.id }))[0]; // 10 per ENI
    const eniId = inst.primaryEniId;
    expect(call(sim, ec2.assignPrivateIpAddresses(NODE, { eniId, secondaryPrivateIpAddressCount: 5 })).assignedPrivateIpAddresses).toHaveLength(5);
    expect(call(sim, ec2.assignPrivateIpAddresses(NODE, { eniId, ipv4PrefixCount: 4 })).assignedIpv4Prefixes).toHaveLength(4);
    expect(settle(sim, ec2.assignPrivateIpAddresses(NODE, { eniId, secondaryPrivateIpAddressCount: 1 }))).toEqual({
      ok: false,
      error: { code: 'PrivateIpAddressLimitExceeded', message: 'Number of private addresses will exceed limit.' },
    });
    expect(settle(sim, ec2.assignPrivateIpAddresses(NODE, { eniId, ipv4PrefixCount: 1 }))).toMatchObject({ ok: false, error: { code: 'PrivateIpAddressLimitExceeded' } });
    const eni = call(sim, ec2.describeNetworkInterfaces(NODE, { networkInterfaceIds: [eniId] }))[0];
    expect(eni.secondaryPrivateIpAddresses.length + eni.ipv4Prefixes.length).toBe(9);
  });

  it('an unattached ENI with more IPs than the type allows cannot be attached', () => {
    const { sim, ec2, subnet } = world();
    const inst = must(ec2.runInstancesNow({ instanceType: 't3.small', subnetId: subnet.id }))[0]; // 4 per ENI
    const eni = call(sim, ec2.createNetworkInterface(NODE, { subnetId: subnet.id, description: 'x', securityGroups: [], secondaryPrivateIpAddressCount: 4 }));
    expect(settle(sim, ec2.attachNetworkInterface(NODE, { eniId: eni.networkInterfaceId, instanceId: inst.instanceId, deviceIndex: 1 }))).toMatchObject({
      ok: false,
      error: { code: 'PrivateIpAddressLimitExceeded' },
    });
  });

  it('prefix delegation only on Nitro / bare metal', () => {
    const { sim, ec2, subnet } = world();
    const xen = must(ec2.runInstancesNow({ instanceType: 'm4.4xlarge', subnetId: subnet.id }))[0];
    const r = settle(sim, ec2.assignPrivateIpAddresses(NODE, { eniId: xen.primaryEniId, ipv4PrefixCount: 1 }));
    expect(r).toMatchObject({ ok: false, error: { code: 'InvalidParameterValue' } });
    if (!r.ok) expect(r.error.message).toMatch(/Prefix delegation is not supported for instance type m4\.4xlarge/);
    const metal = must(ec2.runInstancesNow({ instanceType: 'm5.metal', subnetId: subnet.id }))[0];
    expect(settle(sim, ec2.assignPrivateIpAddresses(NODE, { eniId: metal.primaryEniId, ipv4PrefixCount: 1 })).ok).toBe(true);
  });

  it('InvalidNetworkInterfaceID.NotFound on every ENI call', () => {
    const { sim, ec2 } = world();
    const nf = { ok: false, error: { code: 'InvalidNetworkInterfaceID.NotFound', message: "The networkInterface ID 'eni-x' does not exist" } };
    expect(settle(sim, ec2.describeNetworkInterfaces(NODE, { networkInterfaceIds: ['eni-x'] }))).toEqual(nf);
    expect(settle(sim, ec2.deleteNetworkInterface(NODE, 'eni-x'))).toEqual(nf);
    expect(settle(sim, ec2.assignPrivateIpAddresses(NODE, { eniId: 'eni-x', secondaryPrivateIpAddressCount: 1 }))).toEqual(nf);
    expect(settle(sim, ec2.unassignPrivateIpAddresses(NODE, { eniId: 'eni-x', privateIpAddresses: ['10.0.0.9'] }))).toEqual(nf);
    expect(settle(sim, ec2.modifyNetworkInterfaceAttribute(NODE, { eniId: 'eni-x', deleteOnTermination: true }))).toEqual(nf);
    expect(settle(sim, ec2.createTags(NODE, ['eni-x'], { a: 'b' }))).toEqual(nf);
    expect(settle(sim, ec2.assignIpv6Addresses(NODE, { eniId: 'eni-x', ipv6PrefixCount: 1 }))).toEqual(nf);
  });

  it('InvalidNetworkInterface.InUse when deleting an attached or detaching ENI; delete after detach completes', () => {
    const { sim, ec2, subnet } = world();
    const inst = must(ec2.runInstancesNow({ instanceType: 'm5.large', subnetId: subnet.id }))[0];
    const eni = call(sim, ec2.createNetworkInterface(NODE, { subnetId: subnet.id, description: 'x', securityGroups: [] }));
    const { attachmentId } = call(sim, ec2.attachNetworkInterface(NODE, { eniId: eni.networkInterfaceId, instanceId: inst.instanceId, deviceIndex: 1 }));
    expect(settle(sim, ec2.deleteNetworkInterface(NODE, eni.networkInterfaceId))).toEqual({
      ok: false,
      error: { code: 'InvalidNetworkInterface.InUse', message: `The network interface '${eni.networkInterfaceId}' is currently in use.` },
    });
    call(sim, ec2.detachNetworkInterface(NODE, { attachmentId }));
    expect(ec2.state.enis.get(eni.networkInterfaceId)!.status).toBe('detaching');
    expect(settle(sim, ec2.deleteNetworkInterface(NODE, eni.networkInterfaceId))).toMatchObject({ ok: false, error: { code: 'InvalidNetworkInterface.InUse' } });
    sim.run({ until: sim.now + 5000 });
    expect(ec2.state.enis.get(eni.networkInterfaceId)!.status).toBe('available');
    const before = ec2.state.subnets.get(subnet.id)!.availableIpAddressCount;
    expect(settle(sim, ec2.deleteNetworkInterface(NODE, eni.networkInterfaceId)).ok).toBe(true);
    expect(ec2.state.subnets.get(subnet.id)!.availableIpAddressCount).toBe(before + 1);
    expect(settle(sim, ec2.detachNetworkInterface(NODE, { attachmentId }))).toMatchObject({ ok: false, error: { code: 'InvalidAttachmentID.NotFound' } });
    expect(settle(sim, ec2.detachNetworkInterface(NODE, { attachmentId: ec2.state.enis.get(inst.primaryEniId)!.attachment!.attachmentId }))).toMatchObject({
      ok: false,
      error: { code: 'OperationNotPermitted' },
    });
  });

  it('InsufficientFreeAddressesInSubnet and InsufficientCidrBlocks', () => {
    const { sim, ec2, vpc } = world();
    const small = must(ec2.state.createSubnet({ vpcId: vpc.id, cidrBlock: '10.0.5.0/28', availabilityZone: 'us-west-2a' }));
    const inst = must(ec2.runInstancesNow({ instanceType: 'm5.large', subnetId: small.id }))[0];
    expect(settle(sim, ec2.assignPrivateIpAddresses(NODE, { eniId: inst.primaryEniId, ipv4PrefixCount: 1 }))).toEqual({
      ok: false,
      error: { code: 'InsufficientCidrBlocks', message: 'The specified subnet does not have enough free cidr blocks to satisfy the request.' },
    });
    expect(call(sim, ec2.assignPrivateIpAddresses(NODE, { eniId: inst.primaryEniId, secondaryPrivateIpAddressCount: 9 })).assignedPrivateIpAddresses).toHaveLength(9);
    expect(ec2.state.subnets.get(small.id)!.availableIpAddressCount).toBe(1);
    expect(settle(sim, ec2.createNetworkInterface(NODE, { subnetId: small.id, description: 'x', securityGroups: [], secondaryPrivateIpAddressCount: 1 }))).toMatchObject({
      ok: false,
      error: { code: 'InsufficientFreeAddressesInSubnet' },
    });
    expect(settle(sim, ec2.runInstances(NODE, { instanceType: 'm5.large', subnetId: small.id, count: 2 }))).toMatchObject({
      ok: false,
      error: { code: 'InsufficientFreeAddressesInSubnet' },
    });
    expect(ec2.state.subnets.get(small.id)!.availableIpAddressCount).toBe(1); // nothing taken by the failed calls
  });

  it('bad parameters and unknown resources', () => {
    const { sim, ec2, subnet } = world();
    const inst = must(ec2.runInstancesNow({ instanceType: 'm5.large', subnetId: subnet.id }))[0];
    const eniId = inst.primaryEniId;
    const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);
    expect(code(settle(sim, ec2.assignPrivateIpAddresses(NODE, { eniId })))).toBe('InvalidParameterValue');
    expect(code(settle(sim, ec2.assignPrivateIpAddresses(NODE, { eniId, secondaryPrivateIpAddressCount: 1, ipv4PrefixCount: 1 })))).toBe('InvalidParameterValue');
    expect(code(settle(sim, ec2.assignPrivateIpAddresses(NODE, { eniId, secondaryPrivateIpAddressCount: 0 })))).toBe('InvalidParameterValue');
    const primaryIp = inst.privateIpAddress;
    expect(code(settle(sim, ec2.unassignPrivateIpAddresses(NODE, { eniId, privateIpAddresses: [primaryIp] })))).toBe('InvalidParameterValue');
    expect(code(settle(sim, ec2.unassignPrivateIpAddresses(NODE, { eniId, privateIpAddresses: ['10.0.0.250'] })))).toBe('InvalidParameterValue');
    expect(code(settle(sim, ec2.unassignPrivateIpAddresses(NODE, { eniId, ipv4Prefixes: ['10.0.0.16/28'] })))).toBe('InvalidParameterValue');
    expect(code(settle(sim, ec2.createNetworkInterface(NODE, { subnetId: 'subnet-x', description: '', securityGroups: [] })))).toBe('InvalidSubnetID.NotFound');
    expect(code(settle(sim, ec2.describeSubnets(NODE, { subnetIds: ['subnet-x'] })))).toBe('InvalidSubnetID.NotFound');
    expect(code(settle(sim, ec2.describeInstances(NODE, ['i-x'])))).toBe('InvalidInstanceID.NotFound');
    expect(code(settle(sim, ec2.runInstances(NODE, { instanceType: 'z9.huge', subnetId: subnet.id })))).toBe('InvalidParameterValue');
    expect(code(settle(sim, ec2.terminateInstances(NODE, ['i-x'])))).toBe('InvalidInstanceID.NotFound');
    expect(code(settle(sim, ec2.associateVpcCidrBlock(NODE, { vpcId: 'vpc-x', cidrBlock: '10.1.0.0/16' })))).toBe('InvalidVpcID.NotFound');
  });

  it('unassign returns addresses and prefixes to the subnet, all or nothing', () => {
    const { sim, ec2, subnet } = world();
    const inst = must(ec2.runInstancesNow({ instanceType: 'm5.large', subnetId: subnet.id }))[0];
    const eniId = inst.primaryEniId;
    const s = ec2.state.subnets.get(subnet.id)!;
    const start = s.availableIpAddressCount;
    const ips = call(sim, ec2.assignPrivateIpAddresses(NODE, { eniId, secondaryPrivateIpAddressCount: 3 })).assignedPrivateIpAddresses;
    const pfx = call(sim, ec2.assignPrivateIpAddresses(NODE, { eniId, ipv4PrefixCount: 2 })).assignedIpv4Prefixes;
    expect(s.availableIpAddressCount).toBe(start - 3 - 32);
    expect(settle(sim, ec2.unassignPrivateIpAddresses(NODE, { eniId, privateIpAddresses: [ips[0], '10.0.0.250'] })).ok).toBe(false);
    expect(s.availableIpAddressCount).toBe(start - 3 - 32);
    call(sim, ec2.unassignPrivateIpAddresses(NODE, { eniId, privateIpAddresses: [ips[0], ips[2]], ipv4Prefixes: [pfx[1]] }));
    expect(s.availableIpAddressCount).toBe(start - 1 - 16);
    const v = call(sim, ec2.describeNetworkInterfaces(NODE, { networkInterfaceIds: [eniId] }))[0];
    expect(v.secondaryPrivateIpAddresses).toEqual([ips[1]]);
    expect(v.ipv4Prefixes).toEqual([pfx[0]]);
  });

  it('terminate deletes DeleteOnTermination ENIs and detaches the others', () => {
    const { sim, ec2, subnet } = world();
    const inst = must(ec2.runInstancesNow({ instanceType: 'm5.large', subnetId: subnet.id }))[0];
    const a = call(sim, ec2.createNetworkInterface(NODE, { subnetId: subnet.id, description: 'a', securityGroups: [] }));
    const b = call(sim, ec2.createNetworkInterface(NODE, { subnetId: subnet.id, description: 'b', securityGroups: [] }));
    call(sim, ec2.attachNetworkInterface(NODE, { eniId: a.networkInterfaceId, instanceId: inst.instanceId, deviceIndex: 1 }));
    call(sim, ec2.attachNetworkInterface(NODE, { eniId: b.networkInterfaceId, instanceId: inst.instanceId, deviceIndex: 2 }));
    call(sim, ec2.modifyNetworkInterfaceAttribute(NODE, { eniId: a.networkInterfaceId, deleteOnTermination: true }));
    expect(call(sim, ec2.terminateInstances('admin', [inst.instanceId]))).toEqual([{ instanceId: inst.instanceId, previousState: 'running' }]);
    expect(ec2.state.instances.get(inst.instanceId)!.state).toBe('shutting-down');
    sim.run();
    expect(ec2.state.instances.get(inst.instanceId)!.state).toBe('terminated');
    expect(ec2.state.enis.has(inst.primaryEniId)).toBe(false);
    expect(ec2.state.enis.has(a.networkInterfaceId)).toBe(false);
    expect(ec2.state.enis.get(b.networkInterfaceId)!.status).toBe('available');
    const leaked = call(sim, ec2.describeNetworkInterfaces(NODE, { status: 'available' }));
    expect(leaked.map((e) => e.networkInterfaceId)).toEqual([b.networkInterfaceId]);
    expect(ec2.state.subnets.get(subnet.id)!.availableIpAddressCount).toBe(250);
  });

  it('runInstances: pending in the response, running after the launch latency', () => {
    const { sim, ec2, subnet } = world({ instanceLaunch: { minMs: 15000, maxMs: 15000 } });
    const [v] = call(sim, ec2.runInstances('admin', { instanceType: 'c5.large', subnetId: subnet.id, tags: { Name: 'n1' } }));
    expect(v.state).toBe('pending');
    expect(v.networkInterfaces).toEqual([{ eniId: v.primaryEniId, deviceIndex: 0, networkCardIndex: 0 }]);
    expect(ec2.imds.enis(v.instanceId)).toEqual([]);
    sim.run();
    expect(ec2.state.instances.get(v.instanceId)!.state).toBe('running');
    expect(ec2.imds.enis(v.instanceId).map((e) => e.localIpv4s[0])).toEqual([v.privateIpAddress]);
  });

  it("status 'available' lists the available ENIs in creation order, however often they were attached and detached", () => {
    const { sim, ec2, subnet } = world();
    const inst = must(ec2.runInstancesNow({ instanceType: 'm5.large', subnetId: subnet.id }))[0];
    const [a, b, c] = [1, 2, 3].map(() => call(sim, ec2.createNetworkInterface(NODE, { subnetId: subnet.id, description: 'x', securityGroups: [] })).networkInterfaceId);
    const available = () => call(sim, ec2.describeNetworkInterfaces(NODE, { status: 'available' })).map((e) => e.networkInterfaceId);
    const scan = () => [...ec2.state.enis.values()].filter((e) => e.status === 'available').map((e) => e.id);
    expect(available()).toEqual([a, b, c]);
    const attachment = (eniId: string) => call(sim, ec2.attachNetworkInterface(NODE, { eniId, instanceId: inst.instanceId, deviceIndex: 1 }));
    // a: attached, detached, available again (after b and c joined the set); b: attached; c: deleted
    const att = attachment(a);
    expect(available()).toEqual([b, c]);
    call(sim, ec2.detachNetworkInterface(NODE, { attachmentId: att.attachmentId }));
    sim.run();
    expect(available()).toEqual([a, b, c]);
    attachment(b);
    call(sim, ec2.deleteNetworkInterface(NODE, c));
    expect(available()).toEqual([a]);
    expect(available()).toEqual(scan());
  });

  it('describe filters and tags', () => {
    const { sim, ec2, subnet, vpc } = world();
    const inst = must(ec2.runInstancesNow({ instanceType: 'm5.large', subnetId: subnet.id }))[0];
    const e = call(sim, ec2.createNetworkInterface(NODE, { subnetId: subnet.id, description: 'aws-K8S-x', securityGroups: ['sg-1'], tags: { 'node.k8s.amazonaws.com/instance_id': inst.instanceId } }));
    call(sim, ec2.createTags(NODE, [e.networkInterfaceId], { 'cluster.k8s.amazonaws.com/name': 'c1' }));
    const byKey = call(sim, ec2.describeNetworkInterfaces(NODE, { tagKeys: ['node.k8s.amazonaws.com/instance_id'] }));
    expect(byKey.map((x) => x.networkInterfaceId)).toEqual([e.networkInterfaceId]);
    expect(call(sim, ec2.describeNetworkInterfaces(NODE, { tags: { 'cluster.k8s.amazonaws.com/name': 'c1' }, vpcId: vpc.id }))).toHaveLength(1);
    expect(call(sim, ec2.describeNetworkInterfaces(NODE, { attachedInstanceId: inst.instanceId })).map((x) => x.networkInterfaceId)).toEqual([inst.primaryEniId]);
    call(sim, ec2.deleteTags(NODE, [e.networkInterfaceId], ['cluster.k8s.amazonaws.com/name']));
    expect(call(sim, ec2.describeNetworkInterfaces(NODE, { tags: { 'cluster.k8s.amazonaws.com/name': 'c1' } }))).toHaveLength(0);
    expect(call(sim, ec2.describeSubnets(NODE, { vpcId: vpc.id, availabilityZone: 'us-west-2a' })).map((s) => s.subnetId)).toEqual([subnet.id]);
    expect(call(sim, ec2.describeSubnets(NODE, { availabilityZone: 'us-west-2b' }))).toEqual([]);
    expect(call(sim, ec2.describeSecurityGroups(NODE, { vpcId: vpc.id }))).toEqual([{ groupId: vpc.defaultSecurityGroupId, groupName: 'default', vpcId: vpc.id }]);
  });
});
