/**
 * The aws-node pod as `kubectl describe` shows it: a host-network pod with the node's primary address as its IP, and
 * the Warning events ipamd raises on it — MissingIAMPermissions for an UnauthorizedOperation (spec §8.5, awsutils.go
 * checkAPIErrorAndBroadcastEvent), with the real reason and message, aggregated like other events.
 */
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/report/types.ts';
import type { PodDescribe } from '../../src/report/view-types.ts';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import { collectResult } from '../../src/report/collect.ts';
import { runScenario } from '../../src/scenario/runner.ts';

/** Runs `file` to `until` and describes its host-network kube-system pods. */
function describeSystemPods(file: string, until: number): { run: RunResult; described: PodDescribe[] } {
  const replay = runScenario(loadScenario(file), { until });
  const first = collectResult(replay);
  const names = first.pods.filter((p) => p.labels['k8s-app'] === 'aws-node' || p.labels['k8s-app'] === 'kube-proxy').map((p) => p.name);
  const run = collectResult(replay, { views: names.map((name) => ({ kind: 'describe', resource: 'pod', name }) as const) });
  return { run, described: run.views.flatMap((v) => (v.kind === 'describe-pod' ? [v.pod] : [])) };
}

const MESSAGE =
  'Unauthorized operation: failed to call ec2:DescribeSubnets due to missing permissions. ' +
  'Please refer https://github.com/aws/amazon-vpc-cni-k8s/blob/master/docs/iam-policy.md to attach relevant policy to IAM role';

describe('aws-node pod', () => {
  it('carries MissingIAMPermissions Warning events for refused EC2 calls', () => {
    const { run, described } = describeSystemPods('scenarios/inflate-missing-describe-subnets-1.23.yaml', 180_000);
    const awsNode = described.filter((d) => d.name.startsWith('aws-node-'));
    expect(awsNode.length).toBe(2);
    for (const d of awsNode) {
      const lines = d.events.split('\n').filter((l) => l.includes('MissingIAMPermissions'));
      expect(lines.length).toBe(1);
      expect(lines[0]).toMatch(/^ {2}Warning {2}MissingIAMPermissions {2}\S+ \(x\d+ over \S+\) {2}/);
      expect(lines[0]).toContain(`aws-node, aws-node-${d.node}  `);
      expect(lines[0].endsWith(MESSAGE)).toBe(true);
      // one event per node, on that node's pod
      expect(run.pods.find((p) => p.name === d.name)!.node).toBe(d.node);
    }
  });

  it('has no such event when nothing is refused, and host-network pods show the node address', () => {
    const { run, described } = describeSystemPods('scenarios/inflate-exhaustion.yaml', 180_000);
    expect(described.length).toBeGreaterThanOrEqual(4);
    for (const d of described) {
      const node = run.nodes.find((n) => n.name === d.node)!;
      expect(d.ip).toBe(node.privateIp);
      if (d.name.startsWith('aws-node-')) expect(d.events).toBe('Events:  <none>');
    }
    for (const p of run.pods.filter((x) => x.labels['k8s-app'] === 'aws-node')) expect(p.ip).toBe(run.nodes.find((n) => n.name === p.node)!.privateIp);
  });
});
