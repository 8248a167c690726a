/**
 * The IMDS/EC2 reconcile (src/model/ipamd/reconcile.ts, spec §2.10): the 60 s gate and its ENABLE_POD_ENI
 * exception, /32s and /28s both reconciled whatever the mode, and the force-removal metrics (§10).
 */
import { describe, expect, it } from 'vitest';
import { eniView, failCalls, metric } from './audit-helpers.ts';
import { freshNode } from './helpers.ts';
import { SingleNode } from '../../src/model/world/one-node.ts';

const removedByReconcile = (n: SingleNode, cidr: string) =>
  n.ipamd.decisions().some((d) => d.kind === 'reconcile' && Array.isArray(d.data?.removed) && (d.data.removed as string[]).includes(cidr));

describe('§2.10 gate', () => {
  /** One secondary IP vanishes from the primary ENI behind ipamd's back, well within 60 s of the last pool action. */
  const vanish = (env: Record<string, string>) => {
    const n = freshNode({ instanceType: 'm5.large', env });
    const primary = n.instance.primaryEniId;
    const ip = eniView(n, primary).secondaryPrivateIpAddresses[0];
    const r = n.ec2.state.unassignPrivateIpAddresses({ eniId: primary, privateIpAddresses: [ip] });
    expect(r.ok).toBe(true);
    n.run(10_000);
    return { n, cidr: `${ip}/32` };
  };
  it('without ENABLE_POD_ENI the reconcile waits for 60 s after the last pool action', () => {
    const { n, cidr } = vanish({});
    expect(n.sim.now).toBeLessThan(60_000);
    expect(removedByReconcile(n, cidr)).toBe(false);
  });
  it('ENABLE_POD_ENI with no trunk ENI yet: the reconcile runs every pass', () => {
    const { n, cidr } = vanish({ ENABLE_POD_ENI: 'true' });
    expect(n.sim.now).toBeLessThan(60_000);
    expect(removedByReconcile(n, cidr)).toBe(true);
  });
});

describe('§2.10 step 3: /32s and prefixes are both reconciled ("same for prefixes")', () => {
  it('SIP mode: a prefix that appeared on the primary ENI is adopted after the gate', () => {
    const n = freshNode({ instanceType: 'm5.large', env: { WARM_IP_TARGET: '2' } });
    const primary = n.instance.primaryEniId;
    const a = n.ec2.state.assignPrivateIpAddresses({ eniId: primary, ipv4PrefixCount: 1 });
    expect(a.ok).toBe(true);
    n.run(120_000);
    expect(n.ipamd.enis().find((e) => e.primary)!.prefixes).toBe(1);
    // other-mode CIDRs are not pool addresses (§glossary)
    expect(n.ipamd.stats().totalIps).toBe(2);
  });
  it('PD mode: a /32 that vanished from EC2 is force-removed', () => {
    const n = freshNode({ instanceType: 'm5.large', env: { ENABLE_PREFIX_DELEGATION: 'true' } });
    const primary = n.instance.primaryEniId;
    // a leftover /32 ipamd knows about (adopted by the reconcile), then removed behind its back
    const a = n.ec2.state.assignPrivateIpAddresses({ eniId: primary, secondaryPrivateIpAddressCount: 1 });
    expect(a.ok).toBe(true);
    n.run(120_000);
    expect(n.ipamd.enis().find((e) => e.primary)!.secondaryIps).toBe(1);
    const ip = eniView(n, primary).secondaryPrivateIpAddresses[0];
    n.ec2.state.unassignPrivateIpAddresses({ eniId: primary, privateIpAddresses: [ip] });
    n.run(120_000);
    expect(n.ipamd.enis().find((e) => e.primary)!.secondaryIps).toBe(0);
    expect(removedByReconcile(n, `${ip}/32`)).toBe(true);
  });
});

describe('§10 force-removal metrics', () => {
  it('an ENI detached behind ipamd with pods on it counts the ENI and its pods', () => {
    const n = freshNode({ instanceType: 'm5.large' });
    n.addPodsSettling(12);
    const victim = n.ipamd.enis().find((e) => !e.primary && e.assignedPods > 0)!;
    const att = eniView(n, victim.id).attachment!;
    expect(n.ec2.state.detachNetworkInterface({ attachmentId: att.attachmentId, force: true }).ok).toBe(true);
    n.run(120_000);
    expect(n.ipamd.enis().some((e) => e.id === victim.id)).toBe(false);
    expect(metric(n, 'awscni_force_removed_enis')).toBe(1);
    expect(metric(n, 'awscni_force_removed_ips')).toBe(victim.assignedPods);
  });
});

describe('§2.10 step 2: a failed DescribeAllENIs aborts the reconcile', () => {
  it('the gate is not reset, so the next pass (5 s later) tries again and adopts the new ENI', () => {
    let n: SingleNode | undefined;
    const f = failCalls(() => n!.sim, 'describeNetworkInterfaces', 'InternalError', 0);
    n = new SingleNode({ instanceType: 'm5.large', wrapEc2: f.wrap });
    n.start();
    n.settle();
    const c = n.ec2.state.createNetworkInterface({
      subnetId: n.subnetIds[0],
      description: 'attached by hand',
      securityGroups: [],
      secondaryPrivateIpAddressCount: 2,
      tags: { 'node.k8s.amazonaws.com/instance_id': n.instance.instanceId },
    });
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(n.ec2.state.attachNetworkInterface({ eniId: c.value.id, instanceId: n.instance.instanceId, deviceIndex: 1 }).ok).toBe(true);
    f.arm(12); // every attempt of one DescribeAllENIs (§8.4: up to 12)
    n.run(70_000 - n.sim.now);
    expect(f.failed()).toBe(12);
    const failedAt = n.sim.now;
    n.run(15_000);
    const adopted = n.ipamd.decisions().find((d) => d.kind === 'reconcile' && d.data?.eniId === c.value.id);
    expect(adopted).toBeDefined();
    expect(adopted!.t).toBeLessThan(failedAt + 15_000);
  });
});
