/**
 * The pure pool decisions (src/model/ipamd/pool-policy.ts) on edge values: targets 0, targets above one ENI's
 * addresses, max pods reached, cooldown-heavy pools, PD prefix arithmetic, and the §2.8 E deletable-ENI table.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  deletableEni,
  ipamdPolicy,
  isPoolTooHigh,
  isPoolTooLow,
  newEniAmount,
  releaseAmount,
  shouldRemoveExtraEnis,
  topUpAmount,
  type EniSummary,
  type PoolState,
} from '../../src/model/ipamd/pool-policy.ts';

function eni(id: string, o: Partial<EniSummary> = {}): EniSummary {
  return { id, primary: false, excluded: false, trunk: false, efa: false, cidrs: 0, totalIps: 0, assignedIps: 0, cooldownIps: 0, pods: o.assignedIps ?? 0, anyCooldown: o.cooldownIps ?? 0, prefixes: 0, freePrefixes: 0, freeCidrs: o.freePrefixes ?? 0, ageMs: 600_000, ...o };
}

/** m5.large SIP: 9 IPs per ENI. */
function sip(o: Partial<PoolState> = {}): PoolState {
  return { mode: 'sip', warmEniTarget: 1, warmIpTarget: 0, minimumIpTarget: 0, warmPrefixTarget: 0, maxIpsPerEni: 9, maxPrefixesPerEni: 0, maxPods: 29, totalIps: 0, assignedIps: 0, cooldownIps: 0, totalPrefixes: 0, freePrefixes: 0, enis: [], ...o };
}

/** m5.large PD: 9 prefix slots per ENI. */
function pd(o: Partial<PoolState> = {}): PoolState {
  return sip({ mode: 'pd', maxIpsPerEni: 144, maxPrefixesPerEni: 9, warmPrefixTarget: 1, maxPods: 110, ...o });
}

describe('§2.4 too low', () => {
  it('warm-ENI: low while available < WARM_ENI_TARGET × maxIPsPerENI', () => {
    expect(isPoolTooLow(sip({ totalIps: 9, assignedIps: 0 }))).toBe(false);
    expect(isPoolTooLow(sip({ totalIps: 9, assignedIps: 1 }))).toBe(true);
    expect(isPoolTooLow(sip({ warmEniTarget: 2, totalIps: 18 }))).toBe(false);
    expect(isPoolTooLow(sip({ warmEniTarget: 2, totalIps: 18, assignedIps: 1 }))).toBe(true);
  });
  it('WARM_ENI_TARGET 0 grows only when nothing is available', () => {
    expect(isPoolTooLow(sip({ warmEniTarget: 0, totalIps: 9, assignedIps: 8 }))).toBe(false);
    expect(isPoolTooLow(sip({ warmEniTarget: 0, totalIps: 9, assignedIps: 9 }))).toBe(true);
    expect(isPoolTooLow(sip({ warmEniTarget: 0 }))).toBe(true);
  });
  it('max pods is a hard stop on allocated addresses (§2.4.0)', () => {
    expect(isPoolTooLow(sip({ totalIps: 29, assignedIps: 29 }))).toBe(false);
    expect(isPoolTooLow(sip({ totalIps: 27, assignedIps: 27 }))).toBe(true);
    expect(isPoolTooLow(pd({ maxPods: 29, totalIps: 32, assignedIps: 32 }))).toBe(false);
  });
  it('warm-IP mode: short from WARM_IP and MINIMUM_IP; WARM_ENI ignored', () => {
    expect(isPoolTooLow(sip({ warmIpTarget: 2, minimumIpTarget: 5, totalIps: 5, assignedIps: 3 }))).toBe(false);
    expect(isPoolTooLow(sip({ warmIpTarget: 2, minimumIpTarget: 5, totalIps: 5, assignedIps: 4 }))).toBe(true);
    expect(isPoolTooLow(sip({ warmIpTarget: 2, minimumIpTarget: 5, totalIps: 4 }))).toBe(true);
  });
  it('MINIMUM_IP_TARGET alone: no growth once total ≥ minimum, even with 0 free (§1)', () => {
    expect(isPoolTooLow(sip({ minimumIpTarget: 11, totalIps: 11, assignedIps: 11 }))).toBe(false);
    expect(isPoolTooLow(sip({ minimumIpTarget: 11, totalIps: 10, assignedIps: 10 }))).toBe(true);
  });
  it('cooldown counts as available: a cooldown-heavy pool is not low (§11.11)', () => {
    const s = sip({ warmIpTarget: 2, minimumIpTarget: 23, totalIps: 23, assignedIps: 19, cooldownIps: 4 });
    expect(isPoolTooLow(s)).toBe(false);
    // the experimental INCLUDE_COOLDOWN_IPS_IN_POOL_SIZE flag (PR #3752) grows it
    expect(isPoolTooLow({ ...s, includeCooldownInPoolSize: true })).toBe(true);
    expect(topUpAmount({ ...s, includeCooldownInPoolSize: true }, eni('e', { cidrs: 5 }))).toBe(2);
  });
  it('PD warm-prefix trigger uses free addresses, not free prefixes (§11.10)', () => {
    expect(isPoolTooLow(pd({ totalIps: 16, assignedIps: 0, totalPrefixes: 1, freePrefixes: 1 }))).toBe(false);
    expect(isPoolTooLow(pd({ totalIps: 16, assignedIps: 1, totalPrefixes: 1, freePrefixes: 0 }))).toBe(true);
    expect(isPoolTooLow(pd({ warmPrefixTarget: 0, totalIps: 16, assignedIps: 15 }))).toBe(false);
    expect(isPoolTooLow(pd({ warmPrefixTarget: 0, totalIps: 16, assignedIps: 16 }))).toBe(true);
  });
});

describe('§2.5 growth amounts', () => {
  it('warm-ENI fills the ENI completely; new ENI gets maxIPsPerENI', () => {
    expect(topUpAmount(sip(), eni('a', { cidrs: 0 }))).toBe(9);
    expect(topUpAmount(sip(), eni('a', { cidrs: 4 }))).toBe(5);
    expect(topUpAmount(sip(), eni('a', { cidrs: 9 }))).toBe(0);
    expect(newEniAmount(sip())).toBe(9);
  });
  it('warm-IP tops up by the shortfall, capped by the free slots', () => {
    const s = sip({ warmIpTarget: 2, minimumIpTarget: 5 });
    expect(topUpAmount(s, eni('a'))).toBe(5);
    expect(topUpAmount(s, eni('a', { cidrs: 7 }))).toBe(2);
    expect(newEniAmount(sip({ warmIpTarget: 1, totalIps: 9, assignedIps: 9 }))).toBe(1);
  });
  it('targets above one ENI: capped at maxIPsPerENI per step', () => {
    const s = sip({ warmIpTarget: 30 });
    expect(topUpAmount(s, eni('a'))).toBe(9);
    expect(newEniAmount(s)).toBe(9);
  });
  it('warm-IP with nothing short: no top-up and no ENI', () => {
    const s = sip({ warmIpTarget: 1, totalIps: 5, assignedIps: 2 });
    expect(topUpAmount(s, eni('a'))).toBe(0);
    expect(newEniAmount(s)).toBe(0);
  });
  it('PD: need = max(1, WARM_PREFIX − free) or ceil(short/16); capped at the slots', () => {
    expect(topUpAmount(pd({ warmPrefixTarget: 3, freePrefixes: 1 }), eni('a', { cidrs: 2 }))).toBe(2);
    expect(topUpAmount(pd({ warmPrefixTarget: 1, freePrefixes: 1 }), eni('a', { cidrs: 2 }))).toBe(1);
    expect(topUpAmount(pd({ warmIpTarget: 5, minimumIpTarget: 20 }), eni('a'))).toBe(2);
    expect(topUpAmount(pd({ warmIpTarget: 200 }), eni('a', { cidrs: 7 }))).toBe(2);
    expect(newEniAmount(pd({ warmIpTarget: 500 }))).toBe(9);
  });
  it('leftover /32s share the PD slots (§5)', () => {
    expect(topUpAmount(pd({ warmPrefixTarget: 5 }), eni('a', { cidrs: 8 }))).toBe(1);
  });
});

describe('§2.6 too high / release', () => {
  it('warm-ENI mode never releases single IPs', () => {
    expect(isPoolTooHigh(sip({ totalIps: 27 }))).toBe(false);
    expect(releaseAmount(sip({ totalIps: 27 }))).toBe(0);
  });
  it('worked example B: 9 pods → 2 releases 6, the MINIMUM floor dominates', () => {
    const s = sip({ warmIpTarget: 2, minimumIpTarget: 5, totalIps: 11, assignedIps: 2 });
    expect(isPoolTooHigh(s)).toBe(true);
    expect(releaseAmount(s)).toBe(6);
    expect(releaseAmount(sip({ warmIpTarget: 2, minimumIpTarget: 5, totalIps: 5, assignedIps: 2 }))).toBe(0);
  });
  it('worked example D: PD over in prefixes', () => {
    const s = pd({ warmIpTarget: 5, minimumIpTarget: 20, totalIps: 48, assignedIps: 0, totalPrefixes: 3, freePrefixes: 3 });
    expect(releaseAmount(s)).toBe(1);
  });
  it('warm-prefix: release freePrefixes − WARM_PREFIX_TARGET; WARM_PREFIX 0 counts as defined (§1)', () => {
    expect(releaseAmount(pd({ freePrefixes: 3 }))).toBe(2);
    expect(isPoolTooHigh(pd({ freePrefixes: 1 }))).toBe(false);
    expect(isPoolTooHigh(pd({ warmPrefixTarget: 0, freePrefixes: 1 }))).toBe(true);
  });
  it('property: a release never takes total below MINIMUM_IP_TARGET or available below WARM_IP_TARGET (SIP)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), (w, m, total, assignedRaw) => {
        const assigned = Math.min(total, assignedRaw);
        const s = sip({ warmIpTarget: w, minimumIpTarget: m, totalIps: total, assignedIps: assigned });
        if (w === 0 && m === 0) return true;
        const r = releaseAmount(s);
        return r >= 0 && (r === 0 || (total - r >= m && total - assigned - r >= w));
      }),
    );
  });
});

describe('§2.7 freeing ENIs', () => {
  it('shouldRemoveExtraENIs: warm-ENI needs (W+1)·M available', () => {
    expect(shouldRemoveExtraEnis(sip({ totalIps: 27, assignedIps: 10 }))).toBe(false);
    expect(shouldRemoveExtraEnis(sip({ totalIps: 27, assignedIps: 9 }))).toBe(true);
    expect(shouldRemoveExtraEnis(sip({ warmIpTarget: 1 }))).toBe(true);
  });
  it('shouldRemoveExtraENIs PD: any non-primary ENI without pods', () => {
    expect(shouldRemoveExtraEnis(pd({ totalIps: 48, enis: [eni('p', { primary: true }), eni('b', { assignedIps: 1 })] }))).toBe(false);
    expect(shouldRemoveExtraEnis(pd({ totalIps: 48, enis: [eni('p', { primary: true }), eni('b')] }))).toBe(true);
  });
  it('gates: primary, age < 60 s, cooldown, pods', () => {
    const s = sip({ enis: [] });
    expect(deletableEni(s, [eni('p', { primary: true })], 60_000)).toBeUndefined();
    expect(deletableEni(s, [eni('a', { ageMs: 59_999 })], 60_000)).toBeUndefined();
    expect(deletableEni(s, [eni('a', { cooldownIps: 1 })], 60_000)).toBeUndefined();
    expect(deletableEni(s, [eni('a', { assignedIps: 1 })], 60_000)).toBeUndefined();
    expect(deletableEni(s, [eni('a', { trunk: true })], 60_000)).toBeUndefined();
    expect(deletableEni(s, [eni('a', { efa: true })], 60_000)).toBeUndefined();
    expect(deletableEni(s, [eni('a', { excluded: true })], 60_000)?.id).toBe('a');
    expect(deletableEni(s, [eni('a', { ageMs: 60_000 })], 60_000)?.id).toBe('a');
  });
  describe('worked example E (TestWarmENIInteractions)', () => {
    const enis = [
      eni('eni-1', { primary: true, totalIps: 2, assignedIps: 2, cidrs: 2 }),
      eni('eni-2', { totalIps: 2, cidrs: 2 }),
      eni('eni-3', { totalIps: 1, cidrs: 1 }),
    ];
    const st = (w: number, m: number) => sip({ warmIpTarget: w, minimumIpTarget: m, totalIps: 5, assignedIps: 2, enis });
    const deletable = (w: number, m: number) => enis.filter((e) => deletableEni(st(w, m), [e], 60_000) !== undefined).map((e) => e.id);
    it('WARM_IP 2, MIN 4: only ENI-3', () => expect(deletable(2, 4)).toEqual(['eni-3']));
    it('WARM_IP 3, MIN 1: none', () => expect(deletable(3, 1)).toEqual([]));
    it('WARM_IP 1, MIN 5: none', () => expect(deletable(1, 5)).toEqual([]));
  });
  it('PD targets are rounded up to whole prefixes', () => {
    const enis = [eni('p', { primary: true, totalIps: 16, assignedIps: 1, prefixes: 1 }), eni('b', { totalIps: 16, prefixes: 1, freePrefixes: 1 })];
    // others have 15 free; WARM_IP 5 → 16 needed in PD
    expect(deletableEni(pd({ warmIpTarget: 5, warmPrefixTarget: 0, enis }), [enis[1]], 60_000)).toBeUndefined();
    expect(deletableEni(pd({ warmPrefixTarget: 0, enis }), [enis[1]], 60_000)?.id).toBe('b');
    expect(deletableEni(pd({ warmPrefixTarget: 1, enis }), [enis[1]], 60_000)).toBeUndefined();
  });
  it('WARM_PREFIX_TARGET counts any unassigned CIDR of the other ENIs, a leftover /32 too (data_store.go:1024-1040)', () => {
    // the primary has no free prefix but one free leftover /32; the candidate's own free prefix does not count
    const enis = [
      eni('p', { primary: true, totalIps: 16, assignedIps: 16, prefixes: 1, freePrefixes: 0, freeCidrs: 1, cidrs: 2 }),
      eni('b', { totalIps: 16, prefixes: 1, freePrefixes: 1, freeCidrs: 1, cidrs: 1 }),
    ];
    expect(deletableEni(pd({ warmPrefixTarget: 1, enis }), [enis[1]], 60_000)?.id).toBe('b');
    expect(deletableEni(pd({ warmPrefixTarget: 2, enis }), [enis[1]], 60_000)).toBeUndefined();
    const noLeftover = [{ ...enis[0], freeCidrs: 0 }, enis[1]];
    expect(deletableEni(pd({ warmPrefixTarget: 1, enis: noLeftover }), [enis[1]], 60_000)).toBeUndefined();
  });
  it('ipamdPolicy bundles the functions', () => {
    expect(ipamdPolicy.name).toBe('ipamd');
    expect(ipamdPolicy.describeTarget(sip())).toContain('WARM_ENI_TARGET=1');
  });
});
