/**
 * The timeline step `sim heal-faults` (a simulator control, docs/scenario-format.md): it removes the injected EC2
 * faults at its time, records itself in the run's actions, and lets a run stuck on faults recover; the invariant
 * checker's liveness clock starts there.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import { runScenario } from '../../src/scenario/runner.ts';

const yaml = (heal: boolean) => `
name: heal-step
seed: 3
region: us-west-2
duration: 12m
vpc: { cidrBlocks: [10.0.0.0/16] }
subnets:
  - { id: subnet-private-a, az: us-west-2a, cidr: 10.0.0.0/24 }
cluster: { name: heal, kubernetesVersion: "1.31" }
nodeGroups:
  - { name: ng-1, instanceType: m5.large, desiredCapacity: 1, subnets: [subnet-private-a] }
ec2:
  faults:
    AssignPrivateIpAddresses: { rate: 1, code: InternalError }
    CreateNetworkInterface: { rate: 1, code: InternalError }
  imds:
    attachLag: { minMs: 100000, maxMs: 100000, tailProbability: 0 }
deniedPermissions: [ec2:DescribeSubnets]
timeline:
  - at: 1m
    run: kubectl apply
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: app }
      spec:
        replicas: 20
        selector: { matchLabels: { app: app } }
        template:
          metadata: { labels: { app: app } }
          spec: { containers: [{ name: pause, image: public.ecr.aws/eks-distro/kubernetes/pause:3.9 }] }
${heal ? '  - { at: 3m, run: sim heal-faults, note: end of the safety phase }' : ''}
expect:
  - { at: 12m, pods: { selector: app=app, phase: Running, count: ${heal ? 20 : '"<20"'} } }
`;

describe('sim heal-faults', () => {
  it('removes the injected faults at its time and the run recovers', () => {
    let healedAt: number | undefined;
    const result = runScenario(loadScenarioText(yaml(true), 'heal-step.yaml'), {
      checkInvariants: true,
      observe: (w) => {
        w.onEvent(() => {
          healedAt ??= w.ec2.faults.active().length === 0 ? w.now : undefined;
        });
      },
    });
    const step = result.actions.find((a) => a.command === 'sim heal-faults');
    expect(step).toMatchObject({ t: 180_000, ok: true, note: 'end of the safety phase' });
    expect(step!.message).toBe(
      'removed error rates on AssignPrivateIpAddresses, CreateNetworkInterface; IAM denials of DescribeSubnets; IMDS attachLag',
    );
    expect(healedAt).toBeGreaterThanOrEqual(180_000);
    expect(result.expectations.filter((e) => !e.ok)).toEqual([]);
    expect(result.invariants?.failures).toEqual([]);
  });

  it('without it the faults stay all run long', () => {
    const result = runScenario(loadScenarioText(yaml(false), 'no-heal.yaml'));
    expect(result.actions.some((a) => a.command === 'sim heal-faults')).toBe(false);
    expect(result.expectations.filter((e) => !e.ok)).toEqual([]);
  });
});
