import { describe, expect, it } from 'vitest';
import { Simulation, wait } from '../../src/sim/index.ts';
import { Ec2 } from '../../src/model/ec2/ec2-api.ts';
import type { Ec2Happening } from '../../src/model/ec2/happenings.ts';
import { Stream } from '../../src/util/stream.ts';
import { NODE, must } from './helpers.ts';

/** A small busy workload: 20 nodes each creating, attaching and filling ENIs through the API. */
function workload(seed: number) {
  const sim = new Simulation(seed);
  const ec2 = new Ec2(sim, { faults: { AssignPrivateIpAddresses: { rate: 0.1, code: 'InternalError' } } });
  // every attempt of every call, as the World's trace would write it
  const calls: string[] = [];
  const stream = new Stream<Ec2Happening>();
  stream.subscribe((h) => calls.push(JSON.stringify(h)));
  ec2.happenings = stream;
  const vpc = must(ec2.state.createVpc({ cidrBlock: '10.0.0.0/16' }));
  const subnet = must(ec2.state.createSubnet({ vpcId: vpc.id, cidrBlock: '10.0.0.0/22', availabilityZone: 'a', externalUse: 40 }));
  const insts = must(ec2.runInstancesNow({ instanceType: 'm5.large', subnetId: subnet.id, count: 20 }));
  for (const inst of insts) {
    sim.spawn(`node ${inst.instanceId}`, (function* () {
      for (let d = 1; d <= 2; d++) {
        const c = yield* wait(ec2.createNetworkInterface(NODE, { subnetId: subnet.id, description: `aws-K8S-${inst.instanceId}`, securityGroups: [], secondaryPrivateIpAddressCount: 3 }));
        if (!c.ok) continue;
        yield* wait(ec2.attachNetworkInterface(NODE, { eniId: c.value.networkInterfaceId, instanceId: inst.instanceId, deviceIndex: d }));
        yield* wait(ec2.assignPrivateIpAddresses(NODE, { eniId: c.value.networkInterfaceId, ipv4PrefixCount: 2 }));
      }
    })());
  }
  sim.run();
  const views = [...ec2.state.enis.values()].map((e) => e.view());
  return { trace: calls.join('\n'), views: JSON.stringify(views), imds: JSON.stringify(insts.map((i) => ec2.imds.enis(i.instanceId))), metrics: JSON.stringify(ec2.metrics.snapshot()) };
}

describe('determinism', () => {
  it('same seed → same addresses, ids, trace, IMDS and counters', () => {
    const a = workload(11);
    const b = workload(11);
    expect(b).toEqual(a);
    expect(a.trace.length).toBeGreaterThan(0);
    const c = workload(12);
    expect(c.views).not.toEqual(a.views);
  });
});

describe('scale', () => {
  it('a /16 subnet with 5,000 instances × 3 ENIs allocates (no timing assertion)', () => {
    const sim = new Simulation(5);
    const ec2 = new Ec2(sim);
    const st = ec2.state;
    const vpc = must(st.createVpc({ cidrBlock: '10.0.0.0/16' }));
    const subnet = must(st.createSubnet({ vpcId: vpc.id, cidrBlock: '10.0.0.0/16', availabilityZone: 'a', externalUse: 100 }));
    // Thousands of random single IPs leave no free aligned /28 (fragmentation, §5): prefixes come from a reservation.
    must(st.createSubnetCidrReservation({ subnetId: subnet.id, cidr: '10.0.240.0/20', reservationType: 'prefix' }));
    const insts = must(st.runInstances({ instanceType: 'm5.large', subnetId: subnet.id, count: 5000 }));
    let used = 100 + 5000;
    for (const [n, inst] of insts.entries()) {
      st.markRunning(inst.id);
      must(st.assignPrivateIpAddresses({ eniId: inst.primaryEni.id, secondaryPrivateIpAddressCount: 3 }));
      used += 3;
      for (let d = 1; d <= 2; d++) {
        const pd = n % 50 === 0; // 200 prefixes: fits the ~245 free blocks of the reservation
        const eni = must(st.createNetworkInterface({ subnetId: subnet.id, description: 'x', securityGroups: [], ...(pd ? { ipv4PrefixCount: 1 } : { secondaryPrivateIpAddressCount: 2 }) }));
        must(st.attachNetworkInterface({ eniId: eni.id, instanceId: inst.id, deviceIndex: d }));
        used += pd ? 17 : 3;
      }
    }
    expect(subnet.availableIpAddressCount).toBe(65531 - used);
    expect(subnet.allocator.checkInvariants()).toEqual([]);
    // Release half the ENIs and the pool accounts for it.
    for (const inst of insts.slice(0, 2500)) {
      st.beginTermination(inst.id);
      st.finishTermination(inst.id);
    }
    expect(subnet.allocator.checkInvariants()).toEqual([]);
    // Primary ENIs (DeleteOnTermination) are gone; the other two per instance were detached and are 'available'.
    expect(st.enis.size).toBe(2500 * 3 + 2500 * 2);
    expect([...st.enis.values()].filter((e) => e.status === 'available').length).toBe(5000);
  });
});
