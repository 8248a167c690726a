/**
 * One pool pass (src/model/ipamd/pool-loop.ts, spec §2.5): the PrivateIpAddressLimitExceeded resync adds only
 * what the current mode asks EC2 for (GetIPv4sFromEC2 in SIP, GetIPv4PrefixesFromEC2 in PD). And the loop
 * (§2.2) while idle: the wakes the engine skips for it change nothing that can be seen.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Process } from '../../src/sim/index.ts';
import { SingleNode } from '../../src/model/world/one-node.ts';
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

describe('§2.2 the pool loop while idle', () => {
  afterEach(() => vi.restoreAllMocks());

  /** Pods come and go every ~30 s, leaving quiet spells; what can be seen of the daemon, every 7.3 s or 61 s. */
  const observe = (env: Record<string, string>) => {
    const n = new SingleNode({ instanceType: 'm5.large', env });
    n.start();
    const seen: unknown[] = [];
    for (let i = 0; i < 120; i++) {
      n.run(i % 4 === 0 ? 61_000 : 7_300);
      if (i % 3 === 1 && i < 80) n.addPod();
      if (i % 5 === 4) n.deletePod();
      seen.push({ t: n.sim.now, events: n.sim.eventCount, passes: { ...n.ipamd.passMarkers() }, stats: n.ipamd.stats() });
    }
    return { seen, decisions: n.ipamd.decisions() };
  };

  for (const [name, env] of [
    ['warm ENI', {}],
    ['warm prefix', { ENABLE_PREFIX_DELEGATION: 'true' }],
    ['provisioning disabled', { DISABLE_NETWORK_RESOURCE_PROVISIONING: 'true' }],
  ] as const) {
    it(`${name}: pass markers, event counts, stats and decisions are those of a loop that wakes every time`, () => {
      let skipped = 0;
      const take = Process.prototype.takeSkippedWakes;
      vi.spyOn(Process.prototype, 'takeSkippedWakes').mockImplementation(function (this: Process<unknown>) {
        const k = take.call(this);
        skipped += k;
        return k;
      });
      const skipping = observe(env);
      expect(skipped).toBeGreaterThan(100);
      vi.restoreAllMocks();
      // the reference: the engine is never allowed to skip a wake
      vi.spyOn(Process.prototype, 'skipWakesUntil').mockImplementation(() => {});
      expect(skipping).toEqual(observe(env));
    });
  }
});
