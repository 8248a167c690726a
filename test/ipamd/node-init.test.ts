/**
 * Start-up (src/model/ipamd/node-init.ts, spec §2.1 step 4, §3.7, §5, §6): the IPv6 prefix is part of
 * setupENI (retried, not fatal, before the checkpoint restore), the mode-switch release does not depend on
 * DISABLE_NETWORK_RESOURCE_PROVISIONING, and restored allocations keep their allocationTimestamp.
 */
import { describe, expect, it } from 'vitest';
import { SingleNode } from '../../src/model/world/one-node.ts';
import { eniView, failCalls } from './audit-helpers.ts';
import { freshNode } from './helpers.ts';

const V6 = { ENABLE_IPv6: 'true', ENABLE_IPv4: 'false', ENABLE_PREFIX_DELEGATION: 'true' };

describe('§6 / §2.1 f: the IPv6 prefix is assigned inside setupENI', () => {
  it('a failed AssignIpv6Addresses is retried 10 s later like any setupENI failure, not fatal', () => {
    let n: SingleNode | undefined;
    const f = failCalls(() => n!.sim, 'assignIpv6Addresses', 'InternalError');
    n = new SingleNode({ instanceType: 'm5.large', env: V6, wrapEc2: f.wrap });
    n.start();
    expect(f.failed()).toBe(1);
    expect(n.ipamd.state).toBe('ready');
    expect(n.sim.now).toBeGreaterThanOrEqual(10_000);
    expect(n.ipamd.stats().totalIps).toBe(2 ** 48);
    expect(n.addPod().ok).toBe(true);
  });
  it('a restart restores IPv6 pods (the prefix is in the datastore before the checkpoint is read)', () => {
    const n = freshNode({ instanceType: 'm5.large', env: V6 });
    for (let i = 0; i < 3; i++) expect(n.addPod().ok).toBe(true);
    n.restart();
    expect(n.ipamd.state).toBe('ready');
    expect(n.ipamd.stats().assignedIps).toBe(3);
    expect(n.ipamd.checkpoint().allocations.map((a) => a.ipv6).sort()).toEqual(n.pods.map((p) => p.ip).sort());
  });
});

describe('§2.1 h / §5: mode-switch release', () => {
  it('PD switched on with DISABLE_NETWORK_RESOURCE_PROVISIONING: the free /32s are still released', () => {
    const n = freshNode({ instanceType: 'm5.large' });
    const primary = n.instance.primaryEniId;
    expect(eniView(n, primary).secondaryPrivateIpAddresses.length).toBe(9);
    n.env.ENABLE_PREFIX_DELEGATION = 'true';
    n.env.DISABLE_NETWORK_RESOURCE_PROVISIONING = 'true';
    n.restart();
    expect(n.ipamd.state).toBe('ready');
    n.run(5_000);
    expect(eniView(n, primary).secondaryPrivateIpAddresses.length).toBe(0);
    expect(n.ipamd.stats().secondaryIps).toBe(0);
  });
});

describe('§3.7 checkpoint restore', () => {
  it('a restored allocation keeps its allocationTimestamp', () => {
    const n = freshNode({ instanceType: 'm5.large' });
    n.addPodsSettling(3);
    n.run(100_000);
    const before = n.ipamd.checkpoint().allocations.map((a) => [a.containerID, a.allocationTimestamp] as const);
    n.restart();
    const after = n.ipamd.checkpoint().allocations.map((a) => [a.containerID, a.allocationTimestamp] as const);
    expect(new Map(after)).toEqual(new Map(before));
  });
});
