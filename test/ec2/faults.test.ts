/**
 * The fault module (src/model/ec2/faults.ts) and its integer chances (src/util/ratio.ts): a scenario's decimal rate
 * becomes the ratio it writes, a draw with that ratio answers exactly as the float comparison did on every value the
 * random streams can produce near the boundary, `active()` names what is in force and `heal()` removes it.
 */
import { describe, expect, it } from 'vitest';
import { Faults } from '../../src/model/ec2/faults.ts';
import { drawLatency } from '../../src/model/ec2/latency.ts';
import { resolveEc2Options } from '../../src/model/ec2/options.ts';
import { Simulation } from '../../src/sim/index.ts';
import { drawChance, ratioFromDecimal } from '../../src/util/ratio.ts';

describe('integer chances', () => {
  it('reads a decimal as the ratio it writes, down to parts per million', () => {
    expect(ratioFromDecimal(0.05)).toEqual({ num: 5, den: 100 });
    expect(ratioFromDecimal(0.2)).toEqual({ num: 2, den: 10 });
    expect(ratioFromDecimal(1)).toEqual({ num: 1, den: 1 });
    expect(ratioFromDecimal(0)).toEqual({ num: 0, den: 1 });
    expect(ratioFromDecimal(0.000001)).toEqual({ num: 1, den: 1_000_000 });
    expect(ratioFromDecimal(0.0000001)).toBeUndefined();
    expect(ratioFromDecimal(1.5)).toBeUndefined();
    expect(ratioFromDecimal(-0.1)).toBeUndefined();
  });

  it('draws exactly as `u < rate` on the 2^-32 grid around each boundary', () => {
    for (const rate of [0.05, 0.2, 0.5, 1, 0.333333, 0.123457, 0.999999, 0.000001]) {
      const r = ratioFromDecimal(rate)!;
      const edge = Math.floor(rate * 2 ** 32);
      for (let k = edge - 3; k <= edge + 3; k++) {
        const u = k / 2 ** 32;
        if (u < 0 || u >= 1) continue;
        expect(drawChance(r, u), `rate ${rate}, k ${k}`).toBe(u < rate);
      }
    }
  });
});

describe('latency tails', () => {
  it('take the tail at the ratio of tailProbability, one draw deciding, as the float comparison did', () => {
    const spec = { minMs: 2_000, maxMs: 10_000, tailProbability: 0.02, tailMaxMs: 18_000 };
    const rng = new Simulation(5).random('ec2/imds');
    const twin = new Simulation(5).random('ec2/imds');
    let tails = 0;
    for (let i = 0; i < 5000; i++) {
      const ms = drawLatency(rng, spec);
      const tail = twin.float() < 0.02;
      const expected = tail ? twin.intBetween(10_000, 18_000) : twin.intBetween(2_000, 10_000);
      expect(ms).toBe(expected);
      if (tail) tails++;
    }
    expect(tails).toBeGreaterThan(60);
    expect(tails).toBeLessThan(140);
  });
});

function faults(input: Parameters<typeof resolveEc2Options>[0], seed = 1) {
  const sim = new Simulation(seed);
  return { sim, faults: new Faults(sim, resolveEc2Options(input)) };
}

describe('Faults', () => {
  it('names what is in force, and nothing for the defaults', () => {
    expect(faults({}).faults.active()).toEqual([]);
    const { faults: f } = faults({
      faults: { CreateNetworkInterface: { rate: 0.2, code: 'InternalError' }, DeleteTags: { rate: 0, code: 'InternalError' } },
      deny: { 'eks-node-role': ['DescribeSubnets'] },
      imds: { ipLag: { minMs: 1_000, maxMs: 60_000 } },
      throttling: { buckets: { describe: { capacity: 2, refillPerSecond: 0.1 }, mutating: { capacity: 500, refillPerSecond: 50 } } },
    });
    expect(f.active()).toEqual(['fault CreateNetworkInterface', 'deny eks-node-role', 'imds lag', 'throttling describe']);
    expect(f.deniedActions()).toEqual(['DescribeSubnets']);
    expect(f.imdsLagWorstMs()).toBe(60_000);
  });

  it('does not count small buckets as a fault when throttling is off', () => {
    const { faults: f } = faults({ throttling: { enabled: false, buckets: { describe: { capacity: 1, refillPerSecond: 0 } } } });
    expect(f.active()).toEqual([]);
  });

  it('heals: error chances and denials gone, worse lags and buckets back to the defaults, better ones kept', () => {
    const { faults: f } = faults({
      faults: { AssignPrivateIpAddresses: { rate: 1, code: 'InternalError' } },
      deny: { '*': ['CreateTags'] },
      imds: { attachLag: { minMs: 100_000, maxMs: 100_000 }, ipLag: { minMs: 0, maxMs: 10 } },
      throttling: { buckets: { describe: { capacity: 2, refillPerSecond: 0.1 }, mutating: { capacity: 500, refillPerSecond: 50 } } },
    });
    const bucket = f.buckets.describe;
    expect(f.heal()).toEqual([
      'error rates on AssignPrivateIpAddresses',
      'IAM denials of CreateTags',
      'IMDS attachLag',
      'throttling of the describe bucket',
    ]);
    expect(f.active()).toEqual([]);
    expect(f.denied('eks-node-role', 'CreateTags')).toBe(false);
    expect(f.injectedError('AssignPrivateIpAddresses')).toBeUndefined();
    expect(f.imdsLags.attachLag.maxMs).toBe(10_000);
    expect(f.imdsLags.ipLag).toEqual({ minMs: 0, maxMs: 10 });
    // edited in place: the token bucket already holding this object refills at the default rate
    expect(bucket).toBe(f.buckets.describe);
    expect(bucket).toEqual({ capacity: 100, refillPerSecond: 20 });
    expect(f.buckets.mutating).toEqual({ capacity: 500, refillPerSecond: 50 });
    expect(f.heal()).toEqual([]);
  });

  it('heals each bucket setting on its own, names only what was in force, and leaves buckets alone with throttling off', () => {
    const { faults: f } = faults({
      faults: { DeleteTags: { rate: 0, code: 'InternalError' } },
      deny: { admin: [] },
      throttling: { buckets: { describe: { capacity: 2, refillPerSecond: 500 } } },
    });
    expect(f.heal()).toEqual(['throttling of the describe bucket']);
    expect(f.buckets.describe).toEqual({ capacity: 100, refillPerSecond: 500 });
    const { faults: off } = faults({ throttling: { enabled: false, buckets: { describe: { capacity: 1, refillPerSecond: 0 } } } });
    expect(off.heal()).toEqual([]);
    expect(off.buckets.describe).toEqual({ capacity: 1, refillPerSecond: 0 });
  });

  it('denies per principal and for everyone', () => {
    const { faults: f } = faults({ deny: { admin: ['DeleteTags'], '*': ['CreateTags'] } });
    expect(f.denied('admin', 'DeleteTags')).toBe(true);
    expect(f.denied('node', 'CreateTags')).toBe(true);
    expect(f.denied('node', 'DeleteTags')).toBe(false);
    expect(f.deniedTo('admin', 'CreateTags')).toBe(false);
  });

  it('injects the configured error at its chance, from its own stream, and draws nothing at chance 0', () => {
    const { sim, faults: f } = faults({ faults: { CreateTags: { rate: 0.25, code: 'InternalError' }, DeleteTags: { rate: 0, code: 'InternalError' } } }, 9);
    const twin = new Simulation(9).random('ec2/faults/CreateTags');
    let hits = 0;
    for (let i = 0; i < 2000; i++) {
      const e = f.injectedError('CreateTags');
      expect(e !== undefined).toBe(twin.float() < 0.25);
      if (e !== undefined) {
        expect(e.code).toBe('InternalError');
        hits++;
      }
    }
    expect(hits).toBeGreaterThan(400);
    expect(hits).toBeLessThan(600);
    expect(f.injectedError('DeleteTags')).toBeUndefined();
    expect(sim.random('ec2/faults/DeleteTags').float()).toBe(new Simulation(9).random('ec2/faults/DeleteTags').float());
  });
});
