/**
 * One pool pass (src/model/ipamd/pool-loop.ts, spec §2.5): the PrivateIpAddressLimitExceeded resync adds only
 * what the current mode asks EC2 for (GetIPv4sFromEC2 in SIP, GetIPv4PrefixesFromEC2 in PD).
 */
import { describe, expect, it } from 'vitest';
import { SingleNode } from '../../src/model/ipamd/single-node.ts';
import { failCalls } from './audit-helpers.ts';

describe('§2.5 PrivateIpAddressLimitExceeded', () => {
  it('SIP: the resync adds the /32s EC2 reports, not a prefix sitting on the same ENI', () => {
    let n: SingleNode | undefined;
    const f = failCalls(() => n!.sim, 'assignPrivateIpAddresses', 'PrivateIpAddressLimitExceeded', 0);
    n = new SingleNode({ instanceType: 'm5.large', env: { WARM_IP_TARGET: '2' }, wrapEc2: f.wrap });
    n.start();
    expect(n.ipamd.stats().totalIps).toBe(2);
    const primary = n.instance.primaryEniId;
    // EC2 gets 2 more /32s and a prefix behind ipamd's back; then the next top-up hits the limit error
    expect(n.ec2.state.assignPrivateIpAddresses({ eniId: primary, secondaryPrivateIpAddressCount: 2 }).ok).toBe(true);
    expect(n.ec2.state.assignPrivateIpAddresses({ eniId: primary, ipv4PrefixCount: 1 }).ok).toBe(true);
    f.arm(1);
    expect(n.addPod().ok).toBe(true);
    n.run(6_000);
    expect(f.failed()).toBe(1);
    const p = n.ipamd.enis().find((e) => e.primary)!;
    expect(p.secondaryIps).toBe(4);
    expect(p.prefixes).toBe(0);
  });
});
