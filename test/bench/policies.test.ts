import { describe, expect, it } from 'vitest';
import { resolvePolicies, resolvePolicy } from '../../src/bench/policies.ts';

describe('named policies', () => {
  it.each([
    ['warm-eni-1', { WARM_ENI_TARGET: '1' }],
    ['warm-eni-0', { WARM_ENI_TARGET: '0' }],
    ['warm-ip-2-min-10', { WARM_IP_TARGET: '2', MINIMUM_IP_TARGET: '10' }],
    ['warm-ip-5', { WARM_IP_TARGET: '5', MINIMUM_IP_TARGET: '0' }],
    ['min-ip-11', { WARM_IP_TARGET: '0', MINIMUM_IP_TARGET: '11' }],
    ['prefix-warm-prefix-1', { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1', WARM_IP_TARGET: '0', MINIMUM_IP_TARGET: '0' }],
    ['prefix-warm-ip-min', { ENABLE_PREFIX_DELEGATION: 'true', WARM_IP_TARGET: '5', MINIMUM_IP_TARGET: '20' }],
    ['cooldown-0', { WARM_ENI_TARGET: '1', IP_COOLDOWN_PERIOD: '0' }],
    ['warm-ip-2-min-23+cooldown-in-pool', { WARM_IP_TARGET: '2', MINIMUM_IP_TARGET: '23', INCLUDE_COOLDOWN_IPS_IN_POOL_SIZE: 'true' }],
    ['warm-eni-1+subnet-discovery-off+cooldown-60', { WARM_ENI_TARGET: '1', ENABLE_SUBNET_DISCOVERY: 'false', IP_COOLDOWN_PERIOD: '60' }],
  ])('%s', (name, env) => {
    expect(resolvePolicy(name)).toEqual({ name, env });
  });
  it('workload-defined names', () => {
    expect(resolvePolicy('mine+cooldown-0', { mine: { WARM_IP_TARGET: '7' } }).env).toEqual({ WARM_IP_TARGET: '7', IP_COOLDOWN_PERIOD: '0' });
  });
  it('rejects unknown names and modifiers', () => {
    expect(() => resolvePolicy('warm-enis-1')).toThrow('--policies: unknown policy name "warm-enis-1"');
    // one line, listing the grammar
    expect(() => resolvePolicy('warm-enis-1')).toThrow(/^[^\n]*known: warm-eni-N, [^\n]*max-eni-N; or a path to a plugin module[^\n]*$/);
    expect(() => resolvePolicy('warm-eni-1+fast')).toThrow('unknown policy modifier "fast"');
    expect(() => resolvePolicy('./nope.ts')).toThrow('policy module not found: ./nope.ts');
  });
  it('loads the example plugin and takes its name', async () => {
    const [p] = await resolvePolicies(['./bench/policies/arrival-rate.ts+cooldown-0'], {}, new URL('../../', import.meta.url).pathname);
    expect(p.name).toBe('arrival-rate+cooldown-0');
    expect(p.plugin).toMatch(/bench\/policies\/arrival-rate\.ts$/);
    expect(p.env).toEqual({ IP_COOLDOWN_PERIOD: '0' });
  });
  it('rejects duplicates', async () => {
    await expect(resolvePolicies(['warm-eni-1', 'warm-eni-1'], {})).rejects.toThrow('given twice');
  });
});
