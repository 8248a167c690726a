/**
 * Export → import → load: a shipped scenario run to an instant, written as the files `aws` and `kubectl` print
 * (`run --export`, src/report/export), imported and loaded again, starts at t = 0 from the same cluster — subnets'
 * free addresses, nodes, every ENI with its addresses and prefixes, the Running pods on their addresses
 * (test/support/cluster-state.ts says what that comparison keeps). Examples at fixed instants; the random-scenario
 * property is the export side's.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import { importCluster } from '../../src/import/index.ts';
import { exportClusterFiles } from '../../src/report/export/cluster-files.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import { runScenario } from '../../src/scenario/runner.ts';
import { clusterState } from '../support/cluster-state.ts';

describe('export, import, load: the same cluster at t = 0', () => {
  /** Instants (ms; undefined: the scenario's end) per shipped scenario. */
  const INSTANTS: Record<string, (number | undefined)[]> = {
    'inflate-exhaustion.yaml': [119_000, 270_000, 600_000],
    'prefix-fragmentation.yaml': [undefined],
    'custom-networking.yaml': [undefined],
    'warm-pool-tradeoff.yaml': [300_000],
  };
  for (const [file, until] of Object.entries(INSTANTS).flatMap(([f, ts]) => ts.map((t) => [`scenarios/${f}`, t] as const))) {
    it(`${file.replace('scenarios/', '')}${until === undefined ? ' at its end' : ` at ${until / 1000}s`}`, () => {
      const before = runScenario(loadScenario(file), until === undefined ? {} : { until }).world;
      const files = exportClusterFiles(before).map((f) => ({ file: f.name, text: f.text }));
      const imported = importCluster(files);
      const after = runScenario(loadScenarioText(imported.yaml, 'imported.yaml'), { until: 0, checkInvariants: true });
      expect(after.invariants?.failures ?? []).toEqual([]);
      const state = clusterState(before);
      expect(state.nodes.length).toBeGreaterThan(0);
      expect(state.pods.length).toBeGreaterThan(0);
      expect(clusterState(after.world)).toEqual(state);
    });
  }
});
