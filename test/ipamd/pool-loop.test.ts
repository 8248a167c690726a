/**
 * One pool pass (src/model/ipamd/pool-loop.ts, spec §2.5): the PrivateIpAddressLimitExceeded resync adds only
 * what the current mode asks EC2 for (GetIPv4sFromEC2 in SIP, GetIPv4PrefixesFromEC2 in PD). And the loop (§2.2)
 * while idle: its naps change nothing that can be seen, and its pass markers count the passes it ran.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Ipamd } from '../../src/model/ipamd/ipamd.ts';
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

describe('§2.2 the pool loop while idle, and its pass markers', () => {
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
      const { reconcilePasses, reconcileCompleted } = n.ipamd.passMarkers();
      seen.push({ t: n.sim.now, events: n.sim.eventCount, reconcile: [reconcilePasses, reconcileCompleted], stats: n.ipamd.stats() });
    }
    return { seen, decisions: n.ipamd.decisions(), poolPasses: n.ipamd.passMarkers().poolPasses };
  };

  for (const [name, env] of [
    ['warm ENI', {}],
    ['warm prefix', { ENABLE_PREFIX_DELEGATION: 'true' }],
    ['provisioning disabled', { DISABLE_NETWORK_RESOURCE_PROVISIONING: 'true' }],
  ] as const) {
    it(`${name}: event counts, stats, decisions and reconcile markers are those of a loop that never naps`, () => {
      const napping = observe(env);
      // the reference: the loop never naps
      vi.spyOn(Ipamd.prototype as unknown as { idleNap(): undefined }, 'idleNap').mockReturnValue(undefined);
      const awake = observe(env);
      expect(napping.seen).toEqual(awake.seen);
      expect(napping.decisions).toEqual(awake.decisions);
      // pool passes are those the loop ran: fewer while it naps (the ones slept through had nothing to do)
      if (env.DISABLE_NETWORK_RESOURCE_PROVISIONING === undefined) expect(napping.poolPasses).toBeLessThan(awake.poolPasses / 2);
      else expect(napping.poolPasses).toBe(0);
    });
  }

  it('a change ends the nap: the next pool pass runs, and is counted, within 5 s', () => {
    const n = new SingleNode({ instanceType: 'm5.large', env: {} });
    n.start();
    n.run(300_000);
    const before = n.ipamd.passMarkers().poolPasses;
    const t = n.sim.now;
    expect(n.addPod().ok).toBe(true);
    n.run(5_000);
    const m = n.ipamd.passMarkers();
    expect(m.poolPasses).toBe(before + 1);
    expect(m.poolPassStartedAt).toBeGreaterThan(t);
    expect(m.poolPassStartedAt).toBeLessThanOrEqual(t + 5_000);
  });

  it('while quiet the reconcile still runs once its gate opens, about every minute', () => {
    const n = new SingleNode({ instanceType: 'm5.large', env: {} });
    n.start();
    n.run(300_000);
    const before = n.ipamd.passMarkers().reconcilePasses;
    n.run(600_000);
    const passes = n.ipamd.passMarkers().reconcilePasses - before;
    expect(passes).toBeGreaterThanOrEqual(9);
    expect(passes).toBeLessThanOrEqual(10);
  });
});
