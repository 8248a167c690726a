/**
 * A plugin policy goes through the World's own daemon wiring (WorldOptions.poolPolicy): its decisions reach the
 * World's decision log and timeline, each node start gets its own instance, and without a plugin the real
 * decisions stand.
 */
import { describe, expect, it } from 'vitest';
import { ipamdPolicy, type PoolPolicy, type PoolState } from '../../src/model/ipamd/pool-policy.ts';
import type { PolicyContext, PolicyPlugin } from '../../src/bench/policies.ts';
import { buildWorld } from '../../src/bench/world-adapter.ts';
import { loadWorkloadText } from '../../src/scenario/loader.ts';
import { oneSubnetCluster } from '../support/one-subnet-cluster.ts';

const workload = loadWorkloadText(
  `name: plugin
duration: 5m
${oneSubnetCluster({ region: 'us-east-1', cidr: '10.0.0.0/22', cluster: 'bench', group: 'name: ng, instanceType: m5.large, desiredCapacity: 2' })}deployments:
  - { name: web, replicas: 0 }
patterns:
  - { kind: burst, at: 1m, deployment: web, replicas: 20 }
policies: [warm-eni-1]
`,
  'plugin.yaml',
);

const TARGET = 'sticky-4: 4 free addresses';
const asWarmIp4 = (s: PoolState): PoolState => ({ ...s, warmIpTarget: 4, minimumIpTarget: 0 });

/** The documentation's example plugin: keeps 4 free addresses, never releases. */
const sticky: PoolPolicy = {
  ...ipamdPolicy,
  name: 'sticky-4',
  isTooLow: (s) => ipamdPolicy.isTooLow(asWarmIp4(s)),
  topUpAmount: (s, eni) => ipamdPolicy.topUpAmount(asWarmIp4(s), eni),
  newEniAmount: (s) => ipamdPolicy.newEniAmount(asWarmIp4(s)),
  isTooHigh: () => false,
  describeTarget: () => TARGET,
};

function runWith(plugin: PolicyPlugin | undefined) {
  const world = buildWorld(workload, {}, 1, plugin);
  world.runUntil(60_000);
  const r = world.cluster.apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 20,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'pause', resources: { requests: { cpu: '1m', memory: '1Mi' } } }] },
      },
    },
  });
  expect(r.ok).toBe(true);
  world.runUntil(240_000);
  return world;
}

describe('plugin policies through the World (WorldOptions.poolPolicy)', () => {
  it('records the plugin’s pool decisions in the decision log and on the timeline', () => {
    const world = runWith(sticky);
    const grows = world.decisions().filter((d) => d.kind === 'pool-grow');
    expect(grows.length).toBeGreaterThan(0);
    expect(grows.some((d) => d.message.includes(`target ${TARGET}`) && d.data?.target === TARGET)).toBe(true);
    // the policy decided: no node released anything
    expect(world.decisions().filter((d) => d.kind === 'pool-shrink')).toEqual([]);
    for (const n of world.nodes()) expect(world.decisions(n.name).some((d) => d.kind === 'init')).toBe(true);
    expect(world.timeline.length).toBeGreaterThan(0);
    expect(world.pods({ namespace: 'default' }).filter((p) => p.ip !== undefined).length).toBe(20);
  });

  it('builds one instance per node start from a factory plugin, with the node and virtual time', () => {
    const made: PolicyContext[] = [];
    const factory: PolicyPlugin = {
      name: 'counting',
      create(ctx) {
        made.push(ctx);
        return { ...sticky, name: 'counting', describeTarget: () => `counting on ${ctx.node} at ${ctx.now()}` };
      },
    };
    const world = runWith(factory);
    const names = world.nodes().map((n) => n.name).sort();
    expect(made.map((c) => c.node).sort()).toEqual(names);
    expect(made[0].now()).toBe(world.now);
    for (const n of names) {
      expect(world.decisions(n).some((d) => d.kind === 'pool-grow' && d.message.includes(`counting on ${n} at `))).toBe(true);
    }
  });

  it('keeps the real decisions without a plugin', () => {
    const world = runWith(undefined);
    const grows = world.decisions().filter((d) => d.kind === 'pool-grow');
    expect(grows.length).toBeGreaterThan(0);
    expect(grows.every((d) => !d.message.includes(TARGET))).toBe(true);
  });
});
