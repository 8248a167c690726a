/**
 * `plan` on the walkthrough's cluster just before the inflate Deployment, as an `existing:` state
 * (scenarios/inflate-existing.yaml; the change applies at t = 0 and its timeline is not played): 50 pods more leave
 * pods stuck because the small private subnets run out, and the cni-subnets what-if — tagged /19s in a new secondary
 * block, as the walkthrough's rescue — makes all of them fit. The same cluster built by a timeline instead
 * (test/plan/fixtures/walkthrough-before.yaml) gives the same answer after it settles. Same input, same answer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import { plan, type PlanRequest, type PlanResult } from '../../src/plan/plan.ts';
import { workerSimulator } from '../../src/cli/plan-workers.ts';
import { simulate } from '../../src/plan/simulate.ts';
import { renderPlanJson, renderPlanText } from '../../src/plan/render.ts';

const EXISTING = 'scenarios/inflate-existing.yaml';
const FIXTURE = 'test/plan/fixtures/walkthrough-before.yaml';
const add50: PlanRequest = { change: { target: { kind: 'add-pods' }, n: 50, addNodes: 0 }, seeds: [1, 2], subnetPrefix: 19 };

describe('plan on the walkthrough\'s existing state before the inflate Deployment', () => {
  const s = loadScenario(EXISTING);
  let r: PlanResult;
  beforeAll(async () => {
    r = await plan(s, add50);
  });

  it('applies the change at t = 0', () => {
    expect(r.appliedAt).toBe('t = 0 (the existing state)');
    for (const seed of r.asIs.seeds) expect(seed.outcome.firstStuck!.after).toBeLessThan(60_000);
  });

  it('50 pods more do not fit: pods stay stuck because the node subnets are empty', () => {
    expect(r.asIs.fits).toBe(false);
    for (const seed of r.asIs.seeds) {
      expect(seed.outcome.stuck).toBeGreaterThanOrEqual(10);
      expect(seed.outcome.stuckByCause['subnet empty']).toBe(seed.outcome.stuck);
      expect(seed.outcome.firstStuck?.cause).toBe('subnet empty');
      expect(seed.outcome.firstStuck?.chain.at(-1)).toBe('cause: subnet empty');
      // the node subnets are what ran out
      const free = Object.fromEntries(seed.outcome.subnets.map((x) => [x.id, x.free]));
      expect(free['subnet-private-c']).toBe(0);
      expect(free['subnet-private-b']).toBeLessThan(10);
    }
  });

  it('its headroom is below 50, exact, and each seed\'s headroom was seen to fit while one more was seen stuck', () => {
    expect(r.asIs.headroom).toBeGreaterThan(0);
    expect(r.asIs.headroom).toBeLessThan(50);
    for (const seed of r.asIs.seeds) {
      const h = seed.headroom;
      expect(h.exact).toBe(true);
      expect(simulate({ scenario: s, seed: seed.seed, change: add50.change, n: h.fits }).fits).toBe(true);
      expect(simulate({ scenario: s, seed: seed.seed, change: add50.change, n: h.stuck! }).fits).toBe(false);
    }
  });

  it('tagged /19 subnets in a new secondary block rescue every pod', () => {
    const cni = r.whatIfs.find((w) => w.key === 'cni-subnets')!;
    expect(cni.changes[0]).toMatch(/associate-vpc-cidr-block .* --cidr-block 10\.1\.0\.0\/16$/);
    // one per AZ of the node group, as the walkthrough's rescue: 10.1.0.0/19, 10.1.32.0/19, 10.1.64.0/19
    const created = cni.changes.filter((c) => c.includes('create-subnet') && c.includes('kubernetes.io/role/cni'));
    expect(created.map((c) => /--cidr-block (\S+)/.exec(c)![1])).toEqual(['10.1.0.0/19', '10.1.32.0/19', '10.1.64.0/19']);
    expect(cni.fits).toBe(true);
    for (const seed of cni.seeds) {
      expect(seed.outcome.targetRunning).toBe(50);
      const used = seed.outcome.subnets.filter((x) => x.id.startsWith('subnet-cni-') && x.free < 8187);
      expect(used.length).toBeGreaterThan(0);
    }
    expect(cni.headroom).toBeGreaterThanOrEqual(50);
  });

  it('simulates every what-if or says why not', () => {
    expect(r.whatIfs.map((w) => w.key)).toEqual(['cni-subnets', 'lean-warm', 'prefix-delegation', 'more-nodes', 'larger-nodes']);
    for (const w of r.whatIfs) expect(w.unavailable !== undefined || w.seeds.length === 2).toBe(true);
    const more = r.whatIfs.find((w) => w.key === 'more-nodes')!;
    expect(more.changes[0]).toMatch(/^eksctl scale nodegroup --cluster esd-demo --name ng-1 --nodes 3$/);
    const larger = r.whatIfs.find((w) => w.key === 'larger-nodes')!;
    expect(larger.title).toBe('ng-1 on m6a.xlarge instead of m6a.large');
    expect(larger.changes[0]).toMatch(/^eksctl create nodegroup --cluster esd-demo --name ng-1-xlarge --node-type m6a\.xlarge --nodes 2\b/);
    expect(larger.seeds).toHaveLength(2);
  });

  it('says it in text: the answer, the why-chain and the what-ifs table', () => {
    const text = renderPlanText(r);
    expect(text).toContain('Does it fit? no');
    expect(text).toContain('cause: subnet empty');
    expect(text).toMatch(/a kubernetes\.io\/role\/cni=1 \/19 subnet in each AZ\s+yes\s+0/);
  });

  it('is deterministic: the same request gives the same JSON, in this thread or spread over worker threads', async () => {
    expect(renderPlanJson(await plan(s, add50))).toBe(renderPlanJson(r));
    const threads = workerSimulator(2);
    try {
      expect(renderPlanJson(await plan(s, add50, undefined, threads))).toBe(renderPlanJson(r));
    } finally {
      await threads.close();
    }
  });
});

describe('plan on a scenario without existing:', () => {
  it('applies the change after the timeline once pods settle, with the same answer as from the existing state', async () => {
    const r = await plan(loadScenario(FIXTURE), { ...add50, seeds: [1], whatIfs: [] });
    expect(r.appliedAt).toMatch(/^2m \(after the timeline's last step, once pods settled\)$/);
    expect(r.asIs.fits).toBe(false);
    expect(r.asIs.seeds[0].outcome.firstStuck?.cause).toBe('subnet empty');
    expect(r.asIs.headroom).toBe((await plan(loadScenario(EXISTING), { ...add50, seeds: [1], whatIfs: [] })).asIs.headroom);
  });
});
