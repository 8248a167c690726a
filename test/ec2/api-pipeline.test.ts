import { describe, expect, it } from 'vitest';
import { countOf } from '../../src/model/ec2/metrics.ts';
import { DEFAULT_LATENCY } from '../../src/model/ec2/options.ts';
import type { Ec2Action } from '../../src/model/ec2/types.ts';
import { NODE, call, must, settle, world } from './helpers.ts';

const fixed = (ms: number) => Object.fromEntries(Object.keys(DEFAULT_LATENCY).map((a) => [a, { minMs: ms, maxMs: ms }])) as Record<Ec2Action, { minMs: number; maxMs: number }>;

describe('token buckets', () => {
  it('a full bucket serves its capacity at once, then throttles; levels never go negative', () => {
    const { sim, ec2, subnet } = world({ retry: { maxAttempts: 1 } });
    const evs = Array.from({ length: 150 }, () => ec2.createTags(NODE, [subnet.id], { a: 'b' }));
    sim.run();
    const ok = evs.filter((e) => e.value.ok).length;
    expect(ok).toBe(100); // CreateTags: capacity 100 (§C.1)
    expect(ec2.metrics.errorCount('CreateTags', 'RequestLimitExceeded')).toBe(50);
    expect(ec2.metrics.total.throttledAttempts.CreateTags).toBe(50);
    for (const v of Object.values(ec2.bucketLevels())) expect(v).toBeGreaterThanOrEqual(0);
  });

  it('refills continuously at the real-valued rate, capped at capacity', () => {
    const { sim, ec2, subnet } = world({ retry: { maxAttempts: 1 }, throttling: { buckets: { CreateSubnetCidrReservation: { capacity: 5, refillPerSecond: 0.5 } } } });
    const evs = Array.from({ length: 6 }, () =>
      ec2.createSubnetCidrReservation('admin', { subnetId: subnet.id, cidr: '10.0.0.0/16', reservationType: 'prefix' }),
    );
    sim.run();
    // Five got a token (and then failed on input); the sixth found the bucket empty.
    expect(evs.map((e) => (e.value.ok ? 'ok' : e.value.error.code))).toEqual([...Array(5).fill('InvalidParameterValue'), 'RequestLimitExceeded']);
    expect(ec2.bucketLevels().CreateSubnetCidrReservation).toBeCloseTo((0.5 * sim.now) / 1000, 9);
    sim.run({ until: 3000 });
    expect(ec2.bucketLevels().CreateSubnetCidrReservation).toBeCloseTo(1.5, 9);
    sim.run({ until: sim.now + 60_000 });
    expect(ec2.bucketLevels().CreateSubnetCidrReservation).toBe(5);
  });

  it('unfiltered DescribeNetworkInterfaces draws from the smaller bucket', () => {
    const { sim, ec2 } = world({ retry: { maxAttempts: 1 } });
    const unfiltered = Array.from({ length: 60 }, () => ec2.describeNetworkInterfaces(NODE, {}));
    const filtered = Array.from({ length: 60 }, () => ec2.describeNetworkInterfaces(NODE, { status: 'available' }));
    sim.run();
    expect(unfiltered.filter((e) => e.value.ok).length).toBe(50);
    expect(filtered.filter((e) => e.value.ok).length).toBe(60);
  });

  it('throttling can be switched off', () => {
    const { sim, ec2, subnet } = world({ throttling: { enabled: false } });
    const evs = Array.from({ length: 300 }, () => ec2.createTags(NODE, [subnet.id], { a: 'b' }));
    sim.run();
    expect(evs.every((e) => e.value.ok)).toBe(true);
  });
});

describe('SDK retryer', () => {
  it('retries throttling inside the call and counts every attempt', () => {
    const { sim, ec2, subnet } = world();
    const evs = Array.from({ length: 200 }, () => ec2.createTags(NODE, [subnet.id], { a: 'b' }));
    sim.run();
    const m = ec2.metrics.total;
    const okCalls = evs.filter((e) => e.value.ok).length;
    const failed = evs.length - okCalls;
    expect(countOf(m.calls, 'CreateTags')).toBe(200);
    expect(okCalls).toBeGreaterThan(100); // retries after backoff found refilled tokens
    expect(failed).toBeGreaterThan(0); // some failed all 3 attempts
    expect(m.errors.CreateTags?.RequestLimitExceeded).toBe(failed);
    expect(countOf(m.attempts, 'CreateTags')).toBe(200 + (m.attemptErrors.CreateTags?.RequestLimitExceeded ?? 0) - failed);
    expect(m.throttledAttempts.CreateTags).toBe(m.attemptErrors.CreateTags?.RequestLimitExceeded);
    expect(ec2.metrics.byPrincipal.get(NODE)!.calls.CreateTags).toBe(200);
  });

  it('InternalError is retried up to maxAttempts with backoff under the cap', () => {
    const { sim, ec2, subnet } = world({ latency: fixed(100), faults: { CreateTags: { rate: 1, code: 'InternalError' } }, retry: { maxAttempts: 5, maxBackoffMs: 500 } });
    const ev = ec2.createTags(NODE, [subnet.id], { a: 'b' });
    const r = settle(sim, ev);
    expect(r).toEqual({ ok: false, error: { code: 'InternalError', message: 'An internal error has occurred' } });
    expect(ec2.metrics.total.attempts.CreateTags).toBe(5);
    expect(ec2.metrics.total.attemptErrors.CreateTags?.InternalError).toBe(5);
    expect(ec2.metrics.errorCount('CreateTags', 'InternalError')).toBe(1);
    expect(sim.now).toBeGreaterThanOrEqual(500);
    expect(sim.now).toBeLessThanOrEqual(500 + 4 * 500);
  });

  it('default retryer: 3 attempts, backoff uniform below 2 s then 4 s', () => {
    const { sim, ec2, subnet } = world({ latency: fixed(0), faults: { CreateTags: { rate: 1, code: 'InternalError' } } });
    const ev = ec2.createTags(NODE, [subnet.id], { a: 'b' });
    settle(sim, ev);
    expect(ec2.metrics.total.attempts.CreateTags).toBe(3);
    expect(sim.now).toBeLessThan(6000);
  });

  it('non-retryable errors are answered at once', () => {
    const { sim, ec2 } = world();
    settle(sim, ec2.deleteNetworkInterface(NODE, 'eni-x'));
    expect(ec2.metrics.total.attempts.DeleteNetworkInterface).toBe(1);
    expect(ec2.metrics.errorCount('DeleteNetworkInterface', 'InvalidNetworkInterfaceID.NotFound')).toBe(1);
  });
});

describe('IAM, faults, latency', () => {
  it('UnauthorizedOperation for denied actions, with the real message shape, per principal', () => {
    const { sim, ec2, vpc } = world({ deny: { [NODE]: ['DescribeSubnets'], '*': ['DescribeSecurityGroups'] } });
    const r = settle(sim, ec2.describeSubnets(NODE, { vpcId: vpc.id }));
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'UnauthorizedOperation',
        message: `You are not authorized to perform this operation. User: ${NODE} is not authorized to perform: ec2:DescribeSubnets because no identity-based policy allows the ec2:DescribeSubnets action`,
      },
    });
    expect(ec2.metrics.total.attempts.DescribeSubnets).toBe(1);
    expect(settle(sim, ec2.describeSubnets('other', { vpcId: vpc.id })).ok).toBe(true);
    expect(settle(sim, ec2.describeSecurityGroups('other'))).toMatchObject({ ok: false, error: { code: 'UnauthorizedOperation' } });
    expect(ec2.metrics.byPrincipal.get(NODE)!.errors.DescribeSubnets?.UnauthorizedOperation).toBe(1);
    expect(ec2.metrics.byPrincipal.get('other')!.errors.DescribeSubnets).toBeUndefined();
  });

  it('injected faults hit at the configured rate, change nothing, and are reproducible', () => {
    const run = (seed: number) => {
      const { sim, ec2, subnet } = world({ faults: { AssignPrivateIpAddresses: { rate: 0.3, code: 'InsufficientFreeAddressesInSubnet' } } }, '10.0.0.0/16', seed);
      const inst = must(ec2.runInstancesNow({ instanceType: 'm5.24xlarge', subnetId: subnet.id }))[0];
      const out: boolean[] = [];
      for (let i = 0; i < 200; i++) {
        const r = settle(sim, ec2.assignPrivateIpAddresses(NODE, { eniId: inst.primaryEniId, secondaryPrivateIpAddressCount: 1 }));
        out.push(r.ok);
        if (r.ok) call(sim, ec2.unassignPrivateIpAddresses(NODE, { eniId: inst.primaryEniId, privateIpAddresses: r.value.assignedPrivateIpAddresses }));
      }
      expect(ec2.state.subnets.get(subnet.id)!.availableIpAddressCount).toBe(65531 - 1);
      return out;
    };
    const a = run(3);
    const failures = a.filter((x) => !x).length;
    expect(failures).toBeGreaterThan(30);
    expect(failures).toBeLessThan(90);
    expect(run(3)).toEqual(a);
  });

  it('the state changes when the response is produced', () => {
    const { sim, ec2, subnet } = world({ latency: { AssignPrivateIpAddresses: { minMs: 700, maxMs: 700 } } });
    const inst = must(ec2.runInstancesNow({ instanceType: 'm5.large', subnetId: subnet.id }))[0];
    const s = ec2.state.subnets.get(subnet.id)!;
    const before = s.availableIpAddressCount;
    const ev = ec2.assignPrivateIpAddresses(NODE, { eniId: inst.primaryEniId, secondaryPrivateIpAddressCount: 2 });
    sim.run({ until: 699 });
    expect(s.availableIpAddressCount).toBe(before);
    expect(ev.triggered).toBe(false);
    sim.run({ until: 700 });
    expect(s.availableIpAddressCount).toBe(before - 2);
    expect(ev.triggered).toBe(true);
  });

  it('latency draws stay inside the configured range', () => {
    const { sim, ec2, vpc } = world();
    for (let i = 0; i < 50; i++) {
      const t0 = sim.now;
      settle(sim, ec2.describeSubnets(NODE, { vpcId: vpc.id }));
      expect(sim.now - t0).toBeGreaterThanOrEqual(50);
      expect(sim.now - t0).toBeLessThanOrEqual(300);
    }
  });

  it('rejects bad options with a readable message', () => {
    expect(() => world({ retry: { maxAttempts: 0 } })).toThrow(/retry\.maxAttempts/);
    expect(() => world({ faults: { CreateTags: { rate: 2, code: 'InternalError' } } })).toThrow(/faults\.CreateTags\.rate/);
    expect(() => world({ latency: { CreateTags: { minMs: 5, maxMs: 1 } } })).toThrow(/latency\.CreateTags/);
    expect(() => world({ faults: { CreateTags: { rate: 0.1 } as never } })).toThrow(/faults\.CreateTags\.code/);
    expect(() => world({ deny: { me: ['DescribeSubnet' as never] } })).toThrow(/unknown EC2 action "DescribeSubnet"/);
    expect(() => world({ imds: { ipLagg: { minMs: 1, maxMs: 2 } } as never })).toThrow(/imds\.ipLagg: unknown option/);
    expect(() => world({ latency: { CreateTags: { minMs: 5, maxMs: 10, tailProbability: 0.1, tailMaxMs: 100 } } })).not.toThrow();
  });
});
