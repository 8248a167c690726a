/** The change itself: its flags' grammar, and what applying it does to a World (commands on its timeline, nodes added). */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import { describeChange, parseDeploymentRef, parseScale, type Change } from '../../src/plan/change.ts';
import { simulateWorld } from '../../src/plan/simulate.ts';

describe('--scale', () => {
  it.each([
    ['deployment/inflate=50', { namespace: 'default', name: 'inflate', n: 50 }],
    ['deploy/kube-system/coredns=3', { namespace: 'kube-system', name: 'coredns', n: 3 }],
    ['inflate=0', { namespace: 'default', name: 'inflate', n: 0 }],
  ])('%s', (text, want) => expect(parseScale(text)).toEqual(want));

  it.each(['deployment/inflate', 'pod/x=1', 'deployment/Inflate=1', 'inflate=-1', 'inflate=1.5'])('refuses %s', (text) => expect(parseScale(text)).toBeUndefined());
});

describe('--like', () => {
  it.each([
    ['deployment/web', { namespace: 'default', name: 'web' }],
    ['deploy/kube-system/coredns', { namespace: 'kube-system', name: 'coredns' }],
  ])('%s', (text, want) => expect(parseDeploymentRef(text)).toEqual(want));

  it.each(['deployment/web=3', 'pod/web', 'deployment/Web'])('refuses %s', (text) => expect(parseDeploymentRef(text)).toBeUndefined());
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

  it('--like: the pods added have that Deployment\'s pod spec (requests, containers) under labels of their own', () => {
    const like: Change = { target: { kind: 'add-pods', like: { namespace: 'kube-system', name: 'coredns' } }, n: 3, addNodes: 0 };
    expect(describeChange(like)).toBe('+3 pods like deployment/kube-system/coredns');
    const { world, commands } = simulateWorld({ scenario: s, seed: 1, change: like, n: 3 });
    expect(commands.map((c) => c.command)).toEqual(['kubectl apply -f plan-added.yaml   # 3 replicas, pods like deployment/kube-system/coredns']);
    const added = [...world.cluster.podMap.values()].filter((p) => p.owner.deployment === 'plan-added');
    expect(added).toHaveLength(3);
    for (const p of added) {
      expect(p.template.containers).toEqual(['coredns']);
      expect(p.template.requests).toEqual({ cpuMilli: 100, memoryBytes: 70 * 1024 * 1024 });
      expect(p.template.labels).toEqual({ app: 'plan-added' });
    }
    // the original's pods are not taken over
    expect([...world.cluster.podMap.values()].filter((p) => p.owner.deployment === 'coredns')).toHaveLength(2);
  });
});
