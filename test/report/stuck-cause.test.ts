/**
 * The stuck-cause label (src/model/world/stuck-cause.ts): it survives a long growth freeze whose decision has been
 * pushed out of ipamd's decision ring by the retrying pods' assign-failed records (the daemon keeps the newest record
 * of each kind), and it names a missing IAM permission and "no valid subnet" (spec §4.1, §8.5), which the scenario
 * format accepts in `stuck: { cause }` expectations.
 */
import { describe, expect, it } from 'vitest';
import { MSG_NO_VALID_SUBNETS } from '../../src/model/ipamd/subnet-discovery.ts';
import type { DecisionRecord } from '../../src/model/ipamd/types.ts';
import { causeFromDecisions, STUCK_CAUSE_LABELS, withLatestOfEachKind } from '../../src/model/world/stuck-cause.ts';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import { collectResult } from '../../src/report/collect.ts';
import { runScenario } from '../../src/scenario/runner.ts';
import { STUCK_CAUSES } from '../../src/scenario/spec.ts';

const rec = (t: number, kind: string, message: string, data?: Record<string, unknown>): DecisionRecord => ({ t, node: 'n1', kind, message, ...(data ? { data } : {}) });

const assignFailed = (t: number) =>
  rec(t, 'assign-failed', 'AssignPodIPv4Address: no available IP/Prefix addresses for default/p', { reason: 'exhausted', totalIps: 0, assignedIps: 0, cooldownIps: 0 });

/** Pods stuck at the end of a scenario run (with these overrides, or stopped at `until` ms), by cause (kube-system left out). */
function causesAt(file: string, sets: string[], until?: number): Record<string, number> {
  const r = collectResult(runScenario(loadScenario(file, { sets }), until === undefined ? {} : { until }));
  const out: Record<string, number> = {};
  for (const p of r.pods) if (p.namespace !== 'kube-system' && p.stuckCause !== undefined) out[p.stuckCause] = (out[p.stuckCause] ?? 0) + 1;
  return out;
}

describe('stuck cause over a long freeze', () => {
  it('reads the freeze decision even after 200 assign-failed records pushed it out of the ring', () => {
    const freeze = rec(1000, 'pool-no-grow', 'did not grow: failed to create ENI: InsufficientFreeAddressesInSubnet', {
      reason: 'insufficient',
      code: 'InsufficientFreeAddressesInSubnet',
      until: 121_000,
    });
    const ring = Array.from({ length: 200 }, (_, i) => assignFailed(2000 + i * 500));
    expect(causeFromDecisions(ring)).toBeUndefined();
    const merged = withLatestOfEachKind(ring, [freeze, ring[199]]);
    expect(merged[0]).toBe(freeze);
    expect(merged.length).toBe(201);
    expect(causeFromDecisions(merged)).toBe('subnet empty');
    // records still in the ring are not repeated
    expect(withLatestOfEachKind([freeze, ...ring], [freeze, ring[199]]).length).toBe(201);
  });

  it('unbalanced-subnets at 15m: every waiting pod is "subnet empty", none "unknown"', () => {
    expect(causesAt('scenarios/unbalanced-subnets.yaml', ['duration=15m'])).toEqual({ 'subnet empty': 42 });
  });

  it('inflate-pre-2954-1.18 with 50 replicas at 20m: every waiting pod is "subnet empty"', () => {
    expect(causesAt('scenarios/inflate-pre-2954-1.18.yaml', ['timeline.0.manifest.spec.replicas=50', 'duration=20m'])).toEqual({ 'subnet empty': 21 });
  });
});

describe('stuck cause labels for IAM and subnet validity', () => {
  const denied =
    'UnauthorizedOperation: You are not authorized to perform this operation. User: r is not authorized to perform: ec2:DescribeSubnets';

  it('an ENI creation aborted by a refused DescribeSubnets is "missing IAM permission"', () => {
    const log = [
      rec(1, 'ec2-error', `DescribeSubnets failed: ${denied}`, { api: 'DescribeSubnets', code: 'UnauthorizedOperation', event: 'MissingIAMPermissions' }),
      rec(2, 'pool-no-grow', `did not grow: Failed to check if primary subnet is excluded: ${denied}. Quit ENI creation attempt.`, {
        reason: 'eni-create-failed',
        code: 'Error',
        message: `Failed to check if primary subnet is excluded: ${denied}. Quit ENI creation attempt.`,
      }),
      assignFailed(3),
    ];
    expect(causeFromDecisions(log)).toBe('missing IAM permission');
    // the primary ENI's set-up failing at start says so in its message only
    expect(causeFromDecisions([rec(1, 'eni-create-failed', `could not set up eni-1 at start (6 attempts): setupENI eni-1: failed to check subnet exclusion: ${denied}`, { eniId: 'eni-1', code: 'SetupFailed' })])).toBe(
      'missing IAM permission',
    );
    expect(causeFromDecisions([rec(1, 'eni-create-failed', 'ENI creation failed: UnauthorizedOperation in subnet-1', { subnetId: 'subnet-1', code: 'UnauthorizedOperation' })])).toBe(
      'missing IAM permission',
    );
  });

  it('a refused call off the growth path (the leaked-ENI sweep tagging) does not decide the label', () => {
    const freeze = rec(1, 'pool-no-grow', 'did not grow', { reason: 'insufficient', code: 'InsufficientFreeAddressesInSubnet' });
    const tags = rec(2, 'ec2-error', `CreateTags failed: ${denied}`, { api: 'CreateTags', code: 'UnauthorizedOperation', event: 'MissingIAMPermissions' });
    expect(causeFromDecisions([freeze, tags])).toBe('subnet empty');
    const subnets = rec(2, 'ec2-error', `DescribeSubnets failed: ${denied}`, { api: 'DescribeSubnets', code: 'UnauthorizedOperation' });
    expect(causeFromDecisions([subnets])).toBe('missing IAM permission');
  });

  it('no valid subnet for a new ENI is "no valid subnet"', () => {
    const choice = rec(1, 'subnet-choice', 'no valid subnet: subnet-1 (no kubernetes.io/role/cni tag)', {
      candidates: [],
      skipped: [{ subnetId: 'subnet-1', availableIpAddressCount: 10, reason: 'no kubernetes.io/role/cni tag' }],
    });
    const noGrow = rec(1, 'pool-no-grow', `did not grow: ${MSG_NO_VALID_SUBNETS}`, { reason: 'eni-create-failed', code: 'Error', message: MSG_NO_VALID_SUBNETS });
    expect(causeFromDecisions([choice, noGrow, assignFailed(2)])).toBe('no valid subnet');
    expect(causeFromDecisions([choice])).toBe('no valid subnet');
    const primary0 = 'primary subnet is tagged with kubernetes.io/role/cni=0 and subnet discovery is disabled - no valid subnets available for ENI creation';
    expect(causeFromDecisions([rec(1, 'pool-no-grow', `did not grow: ${primary0}`, { reason: 'eni-create-failed', code: 'Error', message: primary0 })])).toBe('no valid subnet');
  });

  it('the scenario format accepts exactly the labels the World assigns', () => {
    expect([...STUCK_CAUSES]).toEqual([...STUCK_CAUSE_LABELS]);
    expect(STUCK_CAUSES).toContain('missing IAM permission');
    expect(STUCK_CAUSES).toContain('no valid subnet');
    const s = loadScenario('scenarios/subnet-tag-lifecycle.yaml');
    expect(JSON.stringify(s.expect)).toContain('"cause":"no valid subnet"');
  });

  it('the shipped scenarios name the new causes', () => {
    expect(causesAt('scenarios/inflate-missing-describe-subnets-1.23.yaml', [], 600_000)).toEqual({ 'missing IAM permission': 34 });
    expect(causesAt('scenarios/subnet-tag-lifecycle.yaml', [], 660_000)).toEqual({ 'no valid subnet': 16 });
  });
});
