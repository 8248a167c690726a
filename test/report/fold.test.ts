/**
 * The run record folds, at any time t, to what `run --until t --format json` reports: every pod's phase, address,
 * node and stuck cause; every node's ENIs with their addresses; every subnet's free count — checked at several times
 * in several shipped scenarios (the HTML page shows this fold and nothing else).
 */
import { describe, expect, it } from 'vitest';
import { recordScenario } from '../../src/cli/report-html.ts';
import { stateAt } from '../../src/report/record/fold.ts';
import type { RunRecord } from '../../src/report/record/types.ts';
import type { RunResult } from '../../src/report/types.ts';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import { runScenario } from '../../src/scenario/runner.ts';
import { collectResult } from '../../src/report/collect.ts';

function folded(r: RunRecord, t: number) {
  const s = stateAt(r, t);
  const pods = [...s.pods.values()].map((p) => `${r.pods[p.pod].namespace}/${r.pods[p.pod].name} ${p.phase} ${p.ip} ${p.node} ${p.cause} ${p.ready}`).sort();
  const enis: Record<string, unknown> = {};
  for (const [i, list] of s.enis) enis[r.nodes[i].name] = list.map(([d, id, subnet, primary, ips, prefixes]) => [d, id, subnet, primary, ips, prefixes]);
  const subnets = Object.fromEntries([...s.subnetFree].map(([i, free]) => [r.subnets[i].id, free]));
  return { pods, enis, subnets };
}

function reported(res: RunResult) {
  const pods = res.pods.map((p) => `${p.namespace}/${p.name} ${p.phase} ${p.ip} ${p.node} ${p.stuckCause ?? null} ${p.ready}`).sort();
  const enis = Object.fromEntries(res.nodes.map((n) => [n.name, n.enis.map((e) => [e.deviceIndex, e.id, e.subnet, e.primaryIp, e.secondaryIps, e.prefixes])]));
  const subnets = Object.fromEntries(res.subnets.map((s) => [s.id, s.availableIpAddressCount]));
  return { pods, enis, subnets };
}

const CASES: [string, number[]][] = [
  ['scenarios/inflate-exhaustion.yaml', [0, 119_999, 120_000, 125_300, 270_000, 300_000, 361_234, 600_000]],
  ['scenarios/cooldown-churn.yaml', [45_000, 95_500, 180_000]],
  ['scenarios/prefix-fragmentation.yaml', [60_000, 150_000]],
  ['scenarios/rolling-node-replacement.yaml', [200_000, 420_000]],
  // a cluster that was running at t = 0 is in the record from the first instant
  ['scenarios/inflate-existing.yaml', [0, 59_000, 90_000, 330_000]],
];

describe('the run record at time t equals run --until t', () => {
  for (const [file, times] of CASES) {
    it(file, () => {
      const { record } = recordScenario(loadScenario(file));
      expect(record.changes.pods.length).toBeGreaterThan(0);
      for (const t of times) {
        const res = collectResult(runScenario(loadScenario(file), { until: t }));
        const want = reported(res);
        const got = folded(record, t);
        expect(got.pods, `pods at ${t} ms`).toEqual(want.pods);
        // nodes the report lists (a terminated node's last ENIs stay in the record, as the record keeps history)
        for (const name of Object.keys(want.enis)) expect(got.enis[name] ?? [], `ENIs of ${name} at ${t} ms`).toEqual(want.enis[name]);
        expect(got.subnets, `subnets at ${t} ms`).toEqual(want.subnets);
      }
    }, 120_000);
  }
});
