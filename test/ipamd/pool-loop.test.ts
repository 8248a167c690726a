/**
 * One pool pass (src/model/ipamd/pool-loop.ts, spec §2.5): the PrivateIpAddressLimitExceeded resync adds only
 * what the current mode asks EC2 for (GetIPv4sFromEC2 in SIP, GetIPv4PrefixesFromEC2 in PD). And the loop's own
 * pass markers (§2.2), which the per-pass invariants read: one count per pool pass, at its start.
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

describe('§2.2 the pass markers the loop keeps', () => {
  /** Every pool pass the loop runs is counted as it starts, idle or not; pass starts are 5 s apart when no EC2 call lengthens one. */
  for (const [name, env] of [
    ['warm ENI', {}],
    ['warm prefix', { ENABLE_PREFIX_DELEGATION: 'true' }],
  ] as const) {
    it(`${name}: a quiet minute is twelve pool passes, each counted at its start`, () => {
      const n = new SingleNode({ instanceType: 'm5.large', env });
      n.start();
      n.run(120_000);
      const starts: number[] = [];
      let last = n.ipamd.passMarkers().poolPasses;
      for (let t = 0; t < 60_000; t += 500) {
        n.run(500);
        const m = n.ipamd.passMarkers();
        if (m.poolPasses !== last) starts.push(m.poolPassStartedAt);
        expect(m.poolPasses - last).toBeLessThanOrEqual(1);
        last = m.poolPasses;
      }
      expect(starts).toHaveLength(12);
      for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBe(5_000);
    });
  }

  it('provisioning disabled: no pool pass is counted, reconcile passes still are', () => {
    const n = new SingleNode({ instanceType: 'm5.large', env: { DISABLE_NETWORK_RESOURCE_PROVISIONING: 'true' } });
    n.start();
    n.run(300_000);
    const m = n.ipamd.passMarkers();
    expect(m.poolPasses).toBe(0);
    expect(m.reconcilePasses).toBeGreaterThan(0);
  });
});
