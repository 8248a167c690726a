/**
 * Speed of `import` (`npm run bench:import`): generates a cluster of 1,000 nodes and 20,000 application pods as the
 * AWS CLI and kubectl print it (bench/import-cluster-gen.ts), then times `importCluster` on those files — JSON
 * parsing, joining, checks and the YAML written — and loading the written scenario with the scenario loader.
 * Target (issue 21): importing under 5 s on the 2-core machine. Prints the figures; asserts nothing.
 *
 * Usage: npm run bench:import [-- NODES PODS]
 */
import { importCluster } from '../src/import/index.ts';
import { loadScenarioText } from '../src/scenario/loader.ts';
import { generateCluster } from './import-cluster-gen.ts';

const nodes = Number(process.argv[2] ?? 1000);
const podCount = Number(process.argv[3] ?? 20_000);
const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MB`;

const files = Object.entries(generateCluster(nodes, podCount)).map(([file, text]) => ({ file, text }));
console.log(`input: ${nodes} nodes, ${podCount} application pods; ${files.map((f) => `${f.file} ${mb(f.text.length)}`).join(', ')}`);
const times: number[] = [];
let result!: ReturnType<typeof importCluster>;
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  result = importCluster(files);
  times.push(performance.now() - t0);
}
const s = result.scenario as { existing: { nodes: unknown[]; pods: unknown[] } };
console.log(`import: ${times.map((t) => `${(t / 1000).toFixed(2)} s`).join(', ')} (best ${(Math.min(...times) / 1000).toFixed(2)} s); target < 5 s`);
console.log(`written: ${mb(result.yaml.length)}, ${result.yaml.split('\n').length} lines; ${s.existing.nodes.length} nodes, ${s.existing.pods.length} pods; ${result.warnings.length} warnings`);
console.log(`memory: ${mb(process.memoryUsage().rss)} resident after the runs (the input texts held throughout)`);
const t1 = performance.now();
try {
  const sc = loadScenarioText(result.yaml, 'big.yaml');
  console.log(`scenario loader: ${((performance.now() - t1) / 1000).toFixed(2)} s (${sc.name})`);
} catch (err) {
  console.log(`scenario loader refused it after ${((performance.now() - t1) / 1000).toFixed(2)} s: ${(err as Error).message}`);
}
