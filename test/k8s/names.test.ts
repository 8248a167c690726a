import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/index.ts';
import { NAME_ALPHABET, nodeNameFor } from '../../src/model/k8s/names.ts';
import { deployment, makeCluster } from './fakes.ts';

function podNames(seed: number): string[] {
  const sim = new Simulation(seed);
  const h = makeCluster(sim);
  sim.run({ until: 60_000 });
  h.cluster.apply(deployment('inflate', 5));
  h.cluster.apply(deployment('web', 2));
  return h.cluster.podLog.filter((p) => p.namespace === 'default').map((p) => p.name);
}

describe('generated names', () => {
  it('ReplicaSet style <deploy>-<10-char hash>-<5-char suffix> from the apimachinery alphabet', () => {
    const names = podNames(7);
    const cls = `[${NAME_ALPHABET}]`;
    for (const n of names) expect(n).toMatch(new RegExp(`^(inflate|web)-${cls}{10}-${cls}{5}$`));
    const hashes = new Set(names.filter((n) => n.startsWith('inflate-')).map((n) => n.split('-')[1]));
    expect(hashes.size).toBe(1);
  });

  it('are the same for the same seed and differ across seeds', () => {
    expect(podNames(7)).toEqual(podNames(7));
    expect(podNames(7)).not.toEqual(podNames(8));
  });

  it('a second deployment does not shift the first one\'s names', () => {
    const sim = new Simulation(7);
    const h = makeCluster(sim);
    sim.run({ until: 60_000 });
    h.cluster.apply(deployment('inflate', 5));
    const alone = h.cluster.podLog.filter((p) => p.namespace === 'default').map((p) => p.name);
    expect(podNames(7).filter((n) => n.startsWith('inflate-'))).toEqual(alone);
  });

  it('node names are EC2 private DNS names', () => {
    expect(nodeNameFor('10.0.1.23', 'us-west-2')).toBe('ip-10-0-1-23.us-west-2.compute.internal');
    expect(nodeNameFor('10.0.1.23', 'us-east-1')).toBe('ip-10-0-1-23.ec2.internal');
  });
});
