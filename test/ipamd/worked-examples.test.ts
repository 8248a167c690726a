/**
 * The spec's worked examples §2.8 A–D as simulations on the real EC2 model, including scale-down: ENIs and
 * addresses are freed only after their gates (IP cooldown 30 s, ENI minimum age 60 s, decrease gate 30 s).
 * (Example E is a pure table in pool-policy.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { freshNode } from './helpers.ts';

describe('§2.8 A: m5.large, secondary IPs, WARM_ENI_TARGET=1', () => {
  it('grows a full ENI at a time, stops at the ENI limit, and frees ENIs only after their gates', () => {
    const n = freshNode({ instanceType: 'm5.large' });
    expect(n.ipamd.stats()).toMatchObject({ totalIps: 9, enis: 1, maxPods: 29 });
    n.addPodsSettling(1);
    expect(n.ipamd.stats()).toMatchObject({ totalIps: 18, enis: 2 });
    n.addPodsSettling(8); // 9 pods
    expect(n.ipamd.stats()).toMatchObject({ totalIps: 18, enis: 2 });
    n.addPodsSettling(1); // 10 pods
    expect(n.ipamd.stats()).toMatchObject({ totalIps: 27, enis: 3 });
    n.addPodsSettling(17); // 27 pods
    expect(n.ipamd.stats()).toMatchObject({ totalIps: 27, assignedIps: 27, enis: 3 });
    expect(n.addPod().ok).toBe(false); // pod 28: no address
    n.settle(60_000);
    expect(n.ipamd.stats().enis).toBe(3);
    expect(n.ipamd.decisions().some((d) => d.kind === 'pool-no-grow' && d.data?.reason === 'max-eni')).toBe(true);

    // scale 27 → 1
    n.run(120_000); // every ENI is old enough
    while (n.pods.length > 1) n.deletePod(n.pods[n.pods.length - 1].key.name);
    const t0 = n.sim.now;
    n.run(25_000); // addresses of the deleted pods are still cooling on every ENI
    expect(n.ipamd.stats().enis).toBe(3);
    n.run(180_000);
    const freed = n.ipamd.decisions().filter((d) => d.kind === 'eni-free');
    expect(freed.length).toBe(1);
    expect(freed[0].t - t0).toBeGreaterThan(30_000);
    expect(n.ipamd.stats()).toMatchObject({ enis: 2, totalIps: 18, assignedIps: 1 });
  });

  it('a new ENI is not freed before it is 60 s old', () => {
    const n = freshNode({ instanceType: 'm5.large', env: { IP_COOLDOWN_PERIOD: '0' } });
    n.addPodsSettling(1);
    const created = n.ipamd.decisions().find((d) => d.kind === 'eni-create')!;
    n.deletePod();
    n.sim.run({ until: created.t + 55_000 });
    expect(n.ipamd.stats().enis).toBe(2);
    n.sim.run({ until: created.t + 75_000 });
    expect(n.ipamd.stats().enis).toBe(1);
    const freed = n.ipamd.decisions().find((d) => d.kind === 'eni-free')!;
    expect(freed.t - created.t).toBeGreaterThanOrEqual(60_000);
  });
});

describe('§2.8 B: m5.large, WARM_IP_TARGET=2, MINIMUM_IP_TARGET=5', () => {
  it('grows one IP per pod, creates an ENI with 1 IP, and shrinks to the minimum after the decrease gate', () => {
    const env = { WARM_IP_TARGET: '2', MINIMUM_IP_TARGET: '5' };
    const n = freshNode({ instanceType: 'm5.large', env });
    expect(n.ipamd.stats()).toMatchObject({ totalIps: 5, enis: 1 });
    n.addPodsSettling(3);
    expect(n.ipamd.stats().totalIps).toBe(5);
    n.addPodsSettling(1);
    expect(n.ipamd.stats().totalIps).toBe(6);
    n.addPodsSettling(3); // 7 pods: primary full (9)
    expect(n.ipamd.stats()).toMatchObject({ totalIps: 9, enis: 1 });
    n.addPodsSettling(1); // 8 pods → new ENI with 1 IP
    expect(n.ipamd.stats()).toMatchObject({ totalIps: 10, enis: 2 });
    expect(n.ipamd.decisions().find((d) => d.kind === 'eni-create')?.data?.amount).toBe(1);
    n.addPodsSettling(1); // 9 pods
    expect(n.ipamd.stats()).toMatchObject({ totalIps: 11, enis: 2 });

    while (n.pods.length > 2) n.deletePod(n.pods[n.pods.length - 1].key.name);
    n.run(240_000);
    expect(n.ipamd.stats()).toMatchObject({ totalIps: 5, assignedIps: 2 });
    const shrinks = n.ipamd.decisions().filter((d) => d.kind === 'pool-shrink');
    expect(shrinks.reduce((a, d) => a + (d.data?.cidrs as string[]).length, 0)).toBe(6);
  });
});

describe('§2.8 C: m5.large PD, WARM_PREFIX_TARGET=1', () => {
  it('prefixes = ceil(pods/16) + 1 while adding; release keeps one free prefix', () => {
    const n = freshNode({ instanceType: 'm5.large', env: { ENABLE_PREFIX_DELEGATION: 'true' }, maxPods: 110 });
    const prefixes = () => n.ipamd.stats().prefixes;
    expect(prefixes()).toBe(1);
    n.addPodsSettling(1);
    expect(prefixes()).toBe(2);
    n.addPodsSettling(4);
    expect(prefixes()).toBe(2);
    n.addPodsSettling(11); // 16
    expect(prefixes()).toBe(2);
    n.addPodsSettling(1); // 17
    expect(prefixes()).toBe(3);
    n.addPodsSettling(41); // 58
    expect(prefixes()).toBe(5);
    expect(n.ipamd.stats().enis).toBe(1);
    // pods take addresses from the /28 base upward (§3.2)
    expect(n.pods.some((p) => /\.(0|16|32|48|64|80|96|112|128|144|160|176|192|208|224|240)$/.test(p.ip))).toBe(true);

    while (n.pods.length > 5) n.deletePod(n.pods[n.pods.length - 1].key.name);
    n.run(120_000);
    // prefixes still hosting a pod, plus one free prefix (WARM_PREFIX_TARGET) — partly used ones are never released
    const hosting = new Set(n.pods.map((p) => p.ip.split('.').map(Number)).map(([a, b, c, d]) => `${a}.${b}.${c}.${d & ~15}`)).size;
    expect(n.ipamd.stats().prefixes).toBe(hosting + 1);
    expect(n.ipamd.stats().freePrefixes).toBe(1);
  });
});

describe('§2.8 D: m5.large PD, WARM_IP_TARGET=5, MINIMUM_IP_TARGET=20', () => {
  it('2 prefixes at start, 3 at pod 28, back to 2 with no pods', () => {
    const n = freshNode({ instanceType: 'm5.large', env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_IP_TARGET: '5', MINIMUM_IP_TARGET: '20' }, maxPods: 110 });
    expect(n.ipamd.stats()).toMatchObject({ prefixes: 2, totalIps: 32 });
    n.addPodsSettling(27);
    expect(n.ipamd.stats().prefixes).toBe(2);
    n.addPodsSettling(1);
    expect(n.ipamd.stats().prefixes).toBe(3);
    while (n.pods.length > 0) n.deletePod();
    n.run(120_000);
    expect(n.ipamd.stats()).toMatchObject({ prefixes: 2, totalIps: 32, assignedIps: 0 });
  });
});
