/**
 * The imported walkthrough is a scenario the loader takes, whose t = 0 is the cluster in the files: the private
 * subnets have 16, 7 and 0 free addresses and every invariant holds; applying the 50-replica `inflate` then leaves
 * pods stuck in ContainerCreating because their subnet is empty — as the walkthrough shows before its rescue.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { importCluster } from '../../src/import/index.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import { runScenario } from '../../src/scenario/runner.ts';
import { walkthroughFiles } from './walkthrough-files.ts';

/** The walkthrough's own Deployment: the first step of scenarios/inflate-exhaustion.yaml (50 replicas of `inflate`). */
const INFLATE = parse(readFileSync('scenarios/inflate-exhaustion.yaml', 'utf8')).timeline[0].manifest;
const PRIVATE = { a: 'subnet-0d4e5f6a7b8c9d0e3', b: 'subnet-0e5f6a7b8c9d0e1f4', c: 'subnet-0f6a7b8c9d0e1f2a5' };

describe('the imported walkthrough', () => {
  const { yaml } = importCluster(walkthroughFiles());

  it('loads as written, with no warning', () => {
    const s = loadScenarioText(yaml, 'esd-demo.yaml');
    expect(s.warnings).toEqual([]);
    expect(s.name).toBe('esd-demo');
  });

  it('starts at 16, 7 and 0 free addresses, and the 50-replica inflate leaves pods stuck for lack of addresses', () => {
    const doc = parse(yaml);
    doc.timeline = [{ at: '10s', run: 'kubectl apply', manifest: INFLATE }];
    doc.expect = [
      { at: '0', subnet: { id: PRIVATE.a, available: 16 } },
      { at: '0', subnet: { id: PRIVATE.b, available: 7 } },
      { at: '0', subnet: { id: PRIVATE.c, available: 0 } },
      { at: '0', pods: { namespace: 'kube-system', selector: 'k8s-app=kube-dns', phase: 'Running', count: 2 } },
      { at: '3m', pods: { selector: 'app=inflate', phase: 'ContainerCreating', count: 25 } },
      { at: '3m', stuck: { cause: 'subnet empty', count: 25 } },
      { at: '3m', subnet: { id: PRIVATE.a, available: '<=6' } },
    ];
    const run = runScenario(loadScenarioText(stringify(doc), 'esd-demo-inflate.yaml'), { checkInvariants: true });
    for (const e of run.expectations) expect(e.ok, `${e.description}: ${e.actual}`).toBe(true);
    expect(run.invariants?.failures ?? []).toEqual([]);
  });
});
