import { describe, expect, it } from 'vitest';
import { parseDeployment, parseEniConfig } from '../../src/model/k8s/manifest.ts';
import { parseCpuMilli, parseMemoryBytes } from '../../src/model/k8s/quantity.ts';
import { podsToDelete } from '../../src/model/k8s/replicaset.ts';
import { Pod } from '../../src/model/k8s/types.ts';

describe('quantities', () => {
  it.each([
    ['250m', 250],
    ['0.5', 500],
    ['2', 2000],
    [1, 1000],
  ])('cpu %s → %i m', (q, m) => expect(parseCpuMilli(q)).toBe(m));
  it.each([
    ['128Mi', 128 * 2 ** 20],
    ['1G', 1e9],
    ['1e3', 1000],
    ['70Mi', 70 * 2 ** 20],
  ])('memory %s → %i bytes', (q, b) => expect(parseMemoryBytes(q)).toBe(b));
  it('rejects junk', () => expect(parseCpuMilli('lots')).toBeUndefined());
});

describe('Deployment manifests', () => {
  it('reads replicas, requests (summed), hostNetwork, nodeSelector, grace period', () => {
    const r = parseDeployment({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web', tier: 'front' } },
          spec: {
            hostNetwork: true,
            nodeSelector: { pool: 'a' },
            terminationGracePeriodSeconds: 5,
            containers: [
              { name: 'a', image: 'nginx', resources: { requests: { cpu: '250m', memory: '64Mi' } } },
              { name: 'b', image: 'side', resources: { requests: { cpu: '0.25' } } },
            ],
          },
        },
      },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ namespace: 'shop', name: 'web', replicas: 3 });
    expect(r.value.template).toMatchObject({
      hostNetwork: true,
      nodeSelector: { pool: 'a' },
      terminationGracePeriodSeconds: 5,
      requests: { cpuMilli: 500, memoryBytes: 64 * 2 ** 20 },
      containers: ['a', 'b'],
    });
  });

  it('defaults: 1 replica, default namespace, 30 s grace', () => {
    const r = parseDeployment({ metadata: { name: 'x' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c' }] } } } });
    expect(r.ok && [r.value.replicas, r.value.namespace, r.value.template.terminationGracePeriodSeconds]).toEqual([1, 'default', 30]);
  });

  it('ENIConfig', () => {
    expect(parseEniConfig({ metadata: { name: 'us-west-2a' }, spec: { subnet: 'subnet-1', securityGroups: ['sg-1'] } })).toEqual({
      ok: true,
      value: { name: 'us-west-2a', subnet: 'subnet-1', securityGroups: ['sg-1'] },
    });
  });
});

describe('ReplicaSet scale-down order', () => {
  const tmpl = { labels: {}, containers: ['c'], image: '', hostNetwork: false, nodeSelector: {}, requests: { cpuMilli: 0, memoryBytes: 0 }, requestsStated: { cpu: false, memory: false }, terminationGracePeriodSeconds: 0 };
  it('unscheduled first, then not running, then crowded nodes, then newest', () => {
    const mk = (uid: number, node?: string, running = false) => {
      const p = new Pod(uid, 'default', `p${uid}`, { kind: 'ReplicaSet', name: 'rs', deployment: 'd' }, tmpl, uid);
      p.nodeName = node;
      p.running = running;
      if (running) p.runningAt = uid;
      return p;
    };
    const pods = [mk(1, 'a', true), mk(2, 'a', true), mk(3, 'b', true), mk(4, 'c'), mk(5)];
    expect(podsToDelete(pods, 5).map((p) => p.name)).toEqual(['p5', 'p4', 'p2', 'p1', 'p3']);
  });
});
