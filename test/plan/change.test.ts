/** The change itself: its flags' grammar, and what applying it does to a World (commands on its timeline, nodes added). */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import { describeChange, parseScale, type Change } from '../../src/plan/change.ts';
import { simulateWorld } from '../../src/plan/simulate.ts';

describe('--scale', () => {
  it.each([
    ['deployment/inflate=50', { namespace: 'default', name: 'inflate', n: 50 }],
    ['deploy/kube-system/coredns=3', { namespace: 'kube-system', name: 'coredns', n: 3 }],
    ['inflate=0', { namespace: 'default', name: 'inflate', n: 0 }],
  ])('%s', (text, want) => expect(parseScale(text)).toEqual(want));

  it.each(['deployment/inflate', 'pod/x=1', 'deployment/Inflate=1', 'inflate=-1', 'inflate=1.5'])('refuses %s', (text) => expect(parseScale(text)).toBeUndefined());
});

describe('applying a change', () => {
  const s = loadScenario('scenarios/inflate-existing.yaml');
  const change: Change = { target: { kind: 'add-pods' }, n: 20, addNodes: 1 };

  it('reads as it is asked', () => {
    expect(describeChange(change)).toBe('+20 pods, +1 node');
    expect(describeChange({ target: { kind: 'scale', namespace: 'kube-system', name: 'coredns' }, n: 4, addNodes: 0 })).toBe('deployment/kube-system/coredns=4');
  });

  it('--nodes +1 grows the largest node group by one and the pods are created, each command on the timeline', () => {
    const { world, commands, outcome } = simulateWorld({ scenario: s, seed: 1, change, n: 20 });
    expect(commands.map((c) => c.command)).toEqual(['eksctl scale nodegroup --cluster esd-demo --name ng-1 --nodes 3', 'kubectl apply -f plan-added.yaml   # 20 replicas']);
    expect(commands.every((c) => c.ok)).toBe(true);
    expect(world.cluster.groups.get('ng-1')!.desired).toBe(3);
    expect(world.nodes().filter((n) => n.registered)).toHaveLength(3);
    expect(world.pods().filter((p) => p.deployment === 'plan-added')).toHaveLength(20);
    expect(world.timeline.some((h) => h.message.startsWith('$ eksctl scale nodegroup'))).toBe(true);
    expect(outcome.targetRunning + outcome.stuck).toBeGreaterThanOrEqual(20);
  });
});
