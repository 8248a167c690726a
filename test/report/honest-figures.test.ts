/**
 * Figures that do not flatter: time to address counts pods still waiting as lower bounds (≥) and leaves
 * host-network pods out; report and benchmark share one percentile; the timeline never puts a summary before what
 * it summarises and shows each folded line's span; the JSON carries EC2's own shapes (aws-shapes.ts).
 */
import { describe, expect, it } from 'vitest';
import * as benchMetrics from '../../src/bench/metrics.ts';
import type { PodInfo } from '../../src/model/world/views.ts';
import { renderText } from '../../src/report/text.ts';
import { ipWaitFigures } from '../../src/report/wait-figures.ts';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import { runReport } from '../support/report.ts';
import * as stats from '../../src/util/stats.ts';

const pod = (p: Partial<PodInfo>): PodInfo => ({ namespace: 'default', name: 'p', status: 'Running', ready: true, labels: {}, hostNetwork: false, createdAt: 0, sandboxAttempts: 1, owner: { kind: 'ReplicaSet', name: 'x' }, containers: ['c'], image: 'i', requestsStated: false, ...p });

describe('scheduled → address', () => {
  it('counts waiting pods with their wait so far, marks figures on or above one as lower bounds, skips host network', () => {
    const history = [
      pod({ ipWaitMs: 100, scheduledAt: 0 }),
      pod({ ipWaitMs: 200, scheduledAt: 0 }),
      pod({ ipWaitMs: 300, scheduledAt: 0 }),
      pod({ status: 'ContainerCreating', scheduledAt: 10_000 }), // waited 50 s at t = 60 s
      pod({ hostNetwork: true, ipWaitMs: 0, scheduledAt: 0 }),
      pod({ status: 'Terminating', scheduledAt: 0, deletedAt: 5_000 }),
    ];
    const w = ipWaitFigures(history, 60_000);
    expect(w.count).toBe(4);
    expect(w.waiting).toBe(1);
    // nearest rank over [100, 200, 300, ≥50000]: p50 is rank 2, p99 and max rank 4
    expect([w.p50, w.p99, w.max]).toEqual([200, 50_000, 50_000]);
    expect(w.atLeast).toEqual({ p50: false, p99: true, max: true });
  });

  it('the report and the benchmark use the same percentile', () => {
    expect(benchMetrics.percentile).toBe(stats.percentile);
    expect(benchMetrics.percentileOfSorted).toBe(stats.percentileOfSorted);
    expect(stats.percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(stats.percentile([1, 2, 3, 4], 99)).toBe(4);
  });
});

describe('the walkthrough at 4m30s', () => {
  const r = runReport(loadScenario('scenarios/inflate-exhaustion.yaml'), { until: 270_000 });
  const text = renderText(r);

  it('says how many pods still wait and that the figures are lower bounds', () => {
    const w = r.metrics.ipWaitMs;
    const stuck = r.pods.filter((p) => p.namespace === 'default' && p.phase === 'ContainerCreating').length;
    expect(w.waiting).toBe(stuck);
    expect(w.count).toBe(r.pods.filter((p) => p.node !== null && !(p.labels['k8s-app'] === 'aws-node' || p.labels['k8s-app'] === 'kube-proxy')).length);
    expect(text).toMatch(new RegExp(`scheduled → address: p50 \\S+, p99 ≥ 2m30s, max ≥ 2m30s over ${w.count} pods, ${stuck} still waiting`));
  });

  it('timeline: folded lines show their span, stand at their end, and their counts match', () => {
    const folded = r.timeline.filter((e) => e.from !== undefined);
    expect(folded.length).toBeGreaterThan(0);
    for (const e of folded) expect(e.from!).toBeLessThanOrEqual(e.t);
    const times = r.timeline.map((e) => e.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const stuckLine = r.timeline.find((e) => /pods failed to get an address/.test(e.text))!;
    const m = /^(\d+) pods failed to get an address .*?; (\d+) still without one at the end of this span, (\d+) of them got one later/.exec(stuckLine.text)!;
    expect(Number(m[1])).toBe(Number(m[2]));
    expect(Number(m[1]) - Number(m[3])).toBe(r.metrics.ipWaitMs.waiting);
    expect(text).toMatch(/^ +02:00\.\d–02:\d\d\.\d {2}\d+ pods got addresses/m);
  });

  it('--format json carries Subnets[] and NetworkInterfaces[] in the AWS CLI field names', () => {
    const sub = r.describeSubnets.Subnets.find((x) => x.CidrBlock === '10.0.0.96/27')!;
    expect(Object.keys(sub)).toEqual(['AvailabilityZone', 'AvailableIpAddressCount', 'CidrBlock', 'DefaultForAz', 'MapPublicIpOnLaunch', 'State', 'SubnetId', 'VpcId', 'AssignIpv6AddressOnCreation', 'Tags']);
    expect(sub.AvailableIpAddressCount).toBe(r.subnets.find((x) => x.cidr === '10.0.0.96/27')!.availableIpAddressCount);
    expect(sub.Tags).toContainEqual({ Key: 'Name', Value: 'subnet-private-a' });
    const enis = r.describeNetworkInterfaces.NetworkInterfaces;
    expect(enis.length).toBe(r.nodes.reduce((a, n) => a + n.enis.length, 0));
    const e = enis.find((x) => (x.Attachment as { DeviceIndex: number }).DeviceIndex === 1)!;
    const mine = r.nodes.flatMap((n) => n.enis).find((x) => x.id === e.NetworkInterfaceId)!;
    expect(e.PrivateIpAddresses).toEqual([{ Primary: true, PrivateIpAddress: mine.primaryIp }, ...mine.secondaryIps.map((a) => ({ Primary: false, PrivateIpAddress: a }))]);
    expect(e.Description).toMatch(/^aws-K8S-i-/);
    expect(Array.isArray(e.TagSet)).toBe(true);
  });

  it('text tables name the aws command and --query projection they show, columns in the CLI order', () => {
    expect(text).toMatch(/^\$ aws ec2 describe-subnets --filters Name=vpc-id,Values=vpc-\d+ --output table --query 'Subnets\[\]\.\{AvailabilityZone:/m);
    expect(text).toMatch(/^\|\s+AvailabilityZone \|\s+AvailableIpAddressCount \|\s+CidrBlock\s+\|\s+Name\s+\|\s+SubnetId\s+\|\s+Tags\s+\|$/m);
    expect(text).toMatch(/^\$ aws ec2 describe-network-interfaces --filters Name=attachment\.instance-id,Values=i-\d+ --output table --query 'sort_by\(NetworkInterfaces/m);
  });

  it('cites no document the user does not have', () => {
    expect(text).not.toMatch(/user-scenarios|spec §|§[A-D]\.\d/);
  });
});
