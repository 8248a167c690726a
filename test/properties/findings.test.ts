/**
 * The documented findings (src/check/findings.ts, docs/testing.md): each finding's scenario shows
 * its finding when run like `vpc-cni-sim run FILE --check-invariants`, with no invariant failure and every
 * expectation met. Keeps the simulator from "fixing" a real daemon behaviour by accident.
 */
import { describe, expect, it } from 'vitest';
import { KNOWN_FINDINGS, RESTART_DROPS_ALLOCATION } from '../../src/check/findings.ts';
import type { Violation } from '../../src/check/index.ts';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import { runScenario } from '../../src/scenario/runner.ts';

describe('known findings reproduce', () => {
  for (const f of KNOWN_FINDINGS) {
    it(`${f.id}: ${f.scenario}`, () => {
      let seen: { failures: Violation[]; findings: Violation[] } | undefined;
      const result = runScenario(loadScenario(f.scenario), {
        checkInvariants: true,
        observe: (_w, c) => {
          seen = c;
        },
      });
      expect(seen!.failures.map((v) => v.message)).toEqual([]);
      expect(new Set(seen!.findings.map((v) => v.finding))).toContain(f.id);
      expect(result.expectations.filter((e) => !e.ok)).toEqual([]);
    });
  }
});

describe('restart-drops-allocation across nodes', () => {
  it('scenarios/findings/restart-drops-allocation-other-node.yaml: the released address reaches a pod on a second node', () => {
    let seen: { failures: Violation[]; findings: Violation[] } | undefined;
    const result = runScenario(loadScenario('scenarios/findings/restart-drops-allocation-other-node.yaml'), {
      checkInvariants: true,
      observe: (_w, c) => {
        seen = c;
      },
    });
    expect(seen!.failures.map((v) => v.message)).toEqual([]);
    const shared = seen!.findings.filter((v) => v.finding === RESTART_DROPS_ALLOCATION);
    expect(shared.length).toBeGreaterThan(0);
    // the two pods of each pair run on two different nodes (the message names both)
    for (const v of shared) expect(v.message).toMatch(/\(nodes \S+ and \S+\)/);
    expect(result.expectations.filter((e) => !e.ok)).toEqual([]);
  });
});
