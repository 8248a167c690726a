/**
 * A bounded swarm for CI: 20 random scenarios with every invariant on must all pass. The full swarm is
 * `npm run swarm -- --seeds N` (run.ts).
 */
import { describe, expect, it } from 'vitest';
import { runSwarm } from '../../src/swarm/swarm.ts';

describe('swarm', () => {
  it('20 random scenarios keep every invariant', () => {
    const r = runSwarm({ from: 1, seeds: 20 });
    expect(r.failures.map((f) => `seed ${f.seed} [${f.kind}] ${f.summary} → ${f.file}`)).toEqual([]);
    expect(r.seeds).toBe(20);
  });
});
