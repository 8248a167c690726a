/**
 * Config parsing (src/model/ipamd/config.ts, spec §1): Go parsing (strconv.Atoi, ParseBool), fallbacks,
 * manifest defaults, the entrypoint's lexicographic PD check and IP_COOLDOWN_PERIOD rejection, isConfigValid.
 */
import { describe, expect, it } from 'vitest';
import { goAtoi, goParseBool } from '../../src/model/ipamd/go-parse.ts';
import {
  MANIFEST_DEFAULT_ENV,
  MSG_PD_ZERO_TARGETS,
  checkConfigValid,
  effectiveMaxEni,
  parseConfig,
  unknownEnvKeys,
  validateEntrypointEnv,
} from '../../src/model/ipamd/config.ts';

describe('Go parsing', () => {
  const atoi: [string, number | undefined][] = [['5', 5], ['+5', 5], ['-3', -3], ['007', 7], [' 5', undefined], ['5 ', undefined], ['5.0', undefined], ['', undefined], ['0x10', undefined], ['1_000', undefined], ['-0', 0]];
  for (const [s, n] of atoi) it(`Atoi(${JSON.stringify(s)}) = ${n}`, () => expect(goAtoi(s)).toBe(n));
  const bools: [string, boolean | undefined][] = [['1', true], ['t', true], ['T', true], ['TRUE', true], ['true', true], ['True', true], ['0', false], ['f', false], ['FALSE', false], ['False', false], ['yes', undefined], ['tRUE', undefined], ['', undefined]];
  for (const [s, b] of bools) it(`ParseBool(${JSON.stringify(s)}) = ${b}`, () => expect(goParseBool(s)).toBe(b));
});

describe('targets', () => {
  const cases: [Record<string, string>, keyof ReturnType<typeof parseConfig>['config'], unknown][] = [
    [{}, 'warmEniTarget', 1],
    [{ WARM_ENI_TARGET: '0' }, 'warmEniTarget', 0],
    [{ WARM_ENI_TARGET: '-1' }, 'warmEniTarget', 1],
    [{ WARM_ENI_TARGET: 'two' }, 'warmEniTarget', 1],
    [{ WARM_ENI_TARGET: '+2' }, 'warmEniTarget', 2],
    [{ WARM_IP_TARGET: ' 3' }, 'warmIpTarget', 0],
    [{ WARM_IP_TARGET: '-5' }, 'warmIpTarget', 0],
    [{ MINIMUM_IP_TARGET: '12' }, 'minimumIpTarget', 12],
    [{}, 'warmPrefixTarget', 0],
    [{ MAX_ENI: '0' }, 'maxEni', -1],
    [{ MAX_ENI: '2' }, 'maxEni', 2],
    [{ MAX_ENI: 'x' }, 'maxEni', -1],
    [{}, 'ipCooldownMs', 30_000],
    [{ IP_COOLDOWN_PERIOD: '0' }, 'ipCooldownMs', 0],
    [{ IP_COOLDOWN_PERIOD: '-5' }, 'ipCooldownMs', 0],
    [{ IP_COOLDOWN_PERIOD: 'abc' }, 'ipCooldownMs', 30_000],
    [{}, 'enableIpv4', false],
    [{ ENABLE_IPv4: 'True' }, 'enableIpv4', true],
    [{}, 'subnetDiscovery', true],
    [{ ENABLE_SUBNET_DISCOVERY: '' }, 'subnetDiscovery', true],
    [{ ENABLE_SUBNET_DISCOVERY: 'false' }, 'subnetDiscovery', false],
    [{ ENABLE_SUBNET_DISCOVERY: 'nope' }, 'subnetDiscovery', true],
    [{ ENABLE_PREFIX_DELEGATION: 'yes' }, 'prefixDelegation', false],
    [{ ENI_CONFIG_LABEL_DEF: '' }, 'eniConfigLabelDef', 'k8s.amazonaws.com/eniConfig'],
    [{ ENI_CONFIG_ANNOTATION_DEF: 'my/key' }, 'eniConfigAnnotationDef', 'my/key'],
    [{ DISABLE_NETWORK_RESOURCE_PROVISIONING: 'true' }, 'disableLeakedEniCleanup', true],
    [{ ENABLE_IPv6: 'true' }, 'disableLeakedEniCleanup', true],
    [{ ADDITIONAL_ENI_TAGS: '{"team":"a","x.k8s.amazonaws.com/y":"z"}' }, 'additionalEniTags', { team: 'a' }],
    [{ INCLUDE_COOLDOWN_IPS_IN_POOL_SIZE: 'true' }, 'includeCooldownInPoolSize', true],
  ];
  for (const [env, key, want] of cases) {
    it(`${JSON.stringify(env)} → ${key} = ${JSON.stringify(want)}`, () => expect(parseConfig(env).config[key]).toEqual(want));
  }
  it('fallbacks are reported as warnings', () => {
    expect(parseConfig({ WARM_ENI_TARGET: 'two' }).warnings).toEqual([expect.objectContaining({ key: 'WARM_ENI_TARGET', value: 'two' })]);
  });
  it('manifest values: IPv4 on, WARM_ENI 1, WARM_PREFIX 1, discovery on', () => {
    const c = parseConfig({ ...MANIFEST_DEFAULT_ENV }).config;
    expect([c.enableIpv4, c.enableIpv6, c.warmEniTarget, c.warmPrefixTarget, c.subnetDiscovery, c.prefixDelegation]).toEqual([true, false, 1, 1, true, false]);
  });
  it('unknown keys are listed, not rejected', () => {
    expect(unknownEnvKeys({ WARM_IP_TARGET: '1', FOO: 'x' })).toEqual(['FOO']);
  });
  it('MAX_ENI cannot exceed the instance limit', () => {
    expect(effectiveMaxEni(10, 3)).toBe(3);
    expect(effectiveMaxEni(2, 3)).toBe(2);
    expect(effectiveMaxEni(-1, 3)).toBe(3);
  });
});

describe('entrypoint validateEnvVars (lexicographic PD check)', () => {
  const pd = { ENABLE_PREFIX_DELEGATION: 'true' };
  const cases: [Record<string, string>, string | undefined][] = [
    [{ ...pd }, MSG_PD_ZERO_TARGETS],
    [{ ...pd, WARM_PREFIX_TARGET: '1' }, undefined],
    [{ ...pd, WARM_PREFIX_TARGET: '0' }, MSG_PD_ZERO_TARGETS],
    [{ ...pd, WARM_PREFIX_TARGET: '-1' }, MSG_PD_ZERO_TARGETS],
    [{ ...pd, WARM_PREFIX_TARGET: '00' }, undefined],
    [{ ...pd, WARM_PREFIX_TARGET: '' }, MSG_PD_ZERO_TARGETS],
    [{ ...pd, WARM_IP_TARGET: '5' }, undefined],
    [{ ...pd, MINIMUM_IP_TARGET: '1' }, undefined],
    [{ ENABLE_PREFIX_DELEGATION: 'false' }, undefined],
    [{ ENABLE_PREFIX_DELEGATION: 'nope' }, undefined],
    [{ IP_COOLDOWN_PERIOD: '-1' }, 'IP_COOLDOWN_PERIOD MUST be a valid positive integer. -1 is invalid'],
    [{ IP_COOLDOWN_PERIOD: '1.5' }, 'IP_COOLDOWN_PERIOD MUST be a valid positive integer. 1.5 is invalid'],
    [{ IP_COOLDOWN_PERIOD: '0' }, undefined],
  ];
  for (const [env, msg] of cases) it(`${JSON.stringify(env)} → ${msg ?? 'ok'}`, () => expect(validateEntrypointEnv(env)).toBe(msg));
});

describe('isConfigValid', () => {
  const base = parseConfig({ ...MANIFEST_DEFAULT_ENV }).config;
  const nitro = { instanceType: 'm5.large', prefixDelegationSupported: true };
  const xen = { instanceType: 'm4.large', prefixDelegationSupported: false };
  it('both or neither IP family → fatal', () => {
    expect(checkConfigValid({ ...base, enableIpv6: true }, nitro)).toMatchObject({ ok: false, message: expect.stringContaining('both enabled') });
    expect(checkConfigValid({ ...base, enableIpv4: false }, nitro)).toMatchObject({ ok: false, message: expect.stringContaining('both disabled') });
  });
  it('PD on a non-Nitro type falls back to secondary IPs with a warning', () => {
    const r = checkConfigValid({ ...base, prefixDelegation: true }, xen);
    expect(r).toMatchObject({ ok: true, prefixDelegation: false, warning: expect.stringContaining('falling back') });
  });
  it('IPv6 needs PD, no custom networking, Nitro', () => {
    const v6 = { ...base, enableIpv4: false, enableIpv6: true };
    expect(checkConfigValid(v6, nitro)).toMatchObject({ ok: false });
    expect(checkConfigValid({ ...v6, prefixDelegation: true }, nitro)).toMatchObject({ ok: true });
    expect(checkConfigValid({ ...v6, prefixDelegation: true, customNetworking: true }, nitro)).toMatchObject({ ok: false });
    expect(checkConfigValid({ ...v6, prefixDelegation: true }, xen)).toMatchObject({ ok: false });
  });
  it('IPv6 with security groups for pods is valid (v1.23.1 ipamd.go:2766 checks custom networking and PD only)', () => {
    const v6pd = { ...base, enableIpv4: false, enableIpv6: true, prefixDelegation: true };
    expect(checkConfigValid({ ...v6pd, enablePodEni: true }, nitro)).toMatchObject({ ok: true, prefixDelegation: true });
    expect(checkConfigValid({ ...v6pd, prefixDelegation: false, enablePodEni: true }, nitro)).toEqual({
      ok: false,
      message: 'IPv6 is supported only in Prefix Delegation mode. Custom Networking is not supported in IPv6 mode. Please set the env variables accordingly.',
    });
    expect(checkConfigValid({ ...base, enableIpv6: true }, nitro)).toMatchObject({ message: 'IPv4 and IPv6 are both enabled. VPC CNI currently does not support dual stack mode' });
  });
});
