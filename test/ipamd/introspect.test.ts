/**
 * The introspection endpoints (src/model/ipamd/introspect.ts, spec §10): `/v1/enis` masks for IPv4 and IPv6
 * CIDRs (base64 bytes), `GET /` and `/v1/ipamd-env-settings`.
 */
import { describe, expect, it } from 'vitest';
import { freshNode } from './helpers.ts';

type Enis = Record<string, { ENIs: Record<string, { IPv6Cidrs: Record<string, { Cidr: { IP: string; Mask: string } }> }> }>;

describe('§10 introspection', () => {
  it('an IPv6 /80 is shown with a base64 16-byte mask', () => {
    const n = freshNode({ instanceType: 'm5.large', env: { ENABLE_IPv6: 'true', ENABLE_IPv4: 'false', ENABLE_PREFIX_DELEGATION: 'true' } });
    const intro = n.ipamd.introspectEnis() as Enis;
    const v6 = Object.values(intro['0'].ENIs[n.instance.primaryEniId].IPv6Cidrs);
    expect(v6.length).toBe(1);
    const mask80 = Buffer.from([...Array(10).fill(255), ...Array(6).fill(0)]).toString('base64');
    expect(v6[0].Cidr.Mask).toBe(mask80);
  });
  it('GET / lists the commands; /v1/ipamd-env-settings has the five parsed values', () => {
    const n = freshNode({ instanceType: 'm5.large', env: { WARM_IP_TARGET: '3', ENABLE_SUBNET_DISCOVERY: 'false' } });
    expect(n.ipamd.introspect('/')).toEqual({
      AvailableCommands: ['/v1/enis', '/v1/eni-configs', '/v1/networkutils-env-settings', '/v1/ipamd-env-settings'],
    });
    expect(n.ipamd.introspect('/v1/ipamd-env-settings')).toEqual({
      WARM_IP_TARGET: 3,
      WARM_ENI_TARGET: 1,
      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: false,
      AWS_MANAGE_ENIS_NON_SCHEDULABLE: false,
      ENABLE_SUBNET_DISCOVERY: false,
    });
    expect(n.ipamd.introspect('/v1/enis')).toEqual(n.ipamd.introspectEnis());
    expect(n.ipamd.introspect('/v1/eni-configs')).toBe('default');
  });
});
