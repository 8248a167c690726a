import { describe, expect, it } from 'vitest';
import { NODE, call, must, settle, world } from './helpers.ts';

const fixed = (ms: number) => ({ minMs: ms, maxMs: ms });

function node(opts = {}) {
  const w = world({ imds: { ipLag: fixed(2000), attachLag: fixed(5000), detachLag: fixed(1000) }, ...opts });
  const inst = must(w.ec2.runInstancesNow({ instanceType: 'm5.large', subnetId: w.subnet.id }))[0];
  return { ...w, inst };
}

describe('IMDS view', () => {
  it('shows the primary ENI as soon as the instance runs', () => {
    const { ec2, inst } = node();
    const enis = ec2.imds.enis(inst.instanceId);
    expect(enis).toHaveLength(1);
    expect(enis[0]).toMatchObject({ eniId: inst.primaryEniId, deviceIndex: 0, networkCardIndex: 0, localIpv4s: [inst.privateIpAddress], subnetCidr: '10.0.0.0/24' });
    expect(enis[0].mac).toMatch(/^02(:[0-9a-f]{2}){5}$/);
    expect(ec2.imds.enis('i-unknown')).toEqual([]);
  });

  it('IP assignments appear, and unassignments disappear, after the IP lag', () => {
    const { sim, ec2, inst } = node();
    const r = call(sim, ec2.assignPrivateIpAddresses(NODE, { eniId: inst.primaryEniId, secondaryPrivateIpAddressCount: 2 }));
    const t = sim.now;
    sim.run({ until: t + 1999 });
    expect(ec2.imds.enis(inst.instanceId)[0].localIpv4s).toHaveLength(1);
    sim.run({ until: t + 2000 });
    expect(ec2.imds.enis(inst.instanceId)[0].localIpv4s).toEqual([inst.privateIpAddress, ...r.assignedPrivateIpAddresses]);
    call(sim, ec2.unassignPrivateIpAddresses(NODE, { eniId: inst.primaryEniId, privateIpAddresses: [r.assignedPrivateIpAddresses[0]] }));
    const t2 = sim.now;
    expect(ec2.imds.enis(inst.instanceId)[0].localIpv4s).toHaveLength(3); // EC2 already changed; IMDS not yet
    sim.run({ until: t2 + 2000 });
    expect(ec2.imds.enis(inst.instanceId)[0].localIpv4s).toEqual([inst.privateIpAddress, r.assignedPrivateIpAddresses[1]]);
  });

  it('settled: the same number while the view stays the same, undefined while a change lags', () => {
    const { sim, ec2, inst } = node();
    const id = inst.instanceId;
    const before = ec2.imds.settled(id);
    expect(before).toBeTypeOf('number');
    sim.run({ until: sim.now + 60_000 });
    expect(ec2.imds.settled(id)).toBe(before);
    call(sim, ec2.assignPrivateIpAddresses(NODE, { eniId: inst.primaryEniId, secondaryPrivateIpAddressCount: 1 }));
    const t = sim.now;
    expect(ec2.imds.settled(id)).toBeUndefined();
    sim.run({ until: t + 1999 });
    expect(ec2.imds.settled(id)).toBeUndefined();
    sim.run({ until: t + 2000 });
    const after = ec2.imds.settled(id);
    expect(after).toBeTypeOf('number');
    expect(after).not.toBe(before);
    expect(ec2.imds.enis(id)[0].localIpv4s).toHaveLength(2);
    expect(ec2.imds.settled('i-unknown')).toBe(0);
  });

  it('an attached ENI appears after the attach lag, with IPs assigned meanwhile never ahead of it', () => {
    const { sim, ec2, inst, subnet } = node();
    const eni = call(sim, ec2.createNetworkInterface(NODE, { subnetId: subnet.id, description: 'x', securityGroups: [], secondaryPrivateIpAddressCount: 1 }));
    call(sim, ec2.attachNetworkInterface(NODE, { eniId: eni.networkInterfaceId, instanceId: inst.instanceId, deviceIndex: 1 }));
    const t = sim.now;
    const p = call(sim, ec2.assignPrivateIpAddresses(NODE, { eniId: eni.networkInterfaceId, ipv4PrefixCount: 1 }));
    expect(sim.now - t).toBeLessThan(3000); // the IP lag (2 s) would end before the attach lag (5 s)
    sim.run({ until: t + 4999 });
    expect(ec2.imds.enis(inst.instanceId)).toHaveLength(1);
    sim.run({ until: t + 5000 });
    const view = ec2.imds.enis(inst.instanceId);
    expect(view.map((e) => e.deviceIndex)).toEqual([0, 1]);
    expect(view[1].localIpv4s).toEqual([eni.privateIpAddress, ...eni.secondaryPrivateIpAddresses]);
    expect(view[1].ipv4Prefixes).toEqual(p.assignedIpv4Prefixes);
  });

  it('a detached ENI disappears after the detach lag', () => {
    const { sim, ec2, inst, subnet } = node();
    const eni = call(sim, ec2.createNetworkInterface(NODE, { subnetId: subnet.id, description: 'x', securityGroups: [] }));
    const { attachmentId } = call(sim, ec2.attachNetworkInterface(NODE, { eniId: eni.networkInterfaceId, instanceId: inst.instanceId, deviceIndex: 1 }));
    sim.run({ until: sim.now + 6000 });
    expect(ec2.imds.enis(inst.instanceId)).toHaveLength(2);
    call(sim, ec2.detachNetworkInterface(NODE, { attachmentId }));
    const t = sim.now;
    expect(ec2.imds.enis(inst.instanceId)).toHaveLength(2);
    sim.run({ until: t + 1000 });
    expect(ec2.imds.enis(inst.instanceId)).toHaveLength(1);
  });

  it('default attach lag lies in 2–18 s', () => {
    const w = world();
    const inst = must(w.ec2.runInstancesNow({ instanceType: 'c5.4xlarge', subnetId: w.subnet.id }))[0];
    for (let d = 1; d < 8; d++) {
      const eni = call(w.sim, w.ec2.createNetworkInterface(NODE, { subnetId: w.subnet.id, description: 'x', securityGroups: [] }));
      settle(w.sim, w.ec2.attachNetworkInterface(NODE, { eniId: eni.networkInterfaceId, instanceId: inst.instanceId, deviceIndex: d }));
      const t = w.sim.now;
      w.sim.run({ until: t + 1999 });
      expect(w.ec2.imds.eni(inst.instanceId, eni.networkInterfaceId)).toBeUndefined();
      w.sim.run({ until: t + 18_000 });
      expect(w.ec2.imds.eni(inst.instanceId, eni.networkInterfaceId)).toBeDefined();
    }
  });
});
