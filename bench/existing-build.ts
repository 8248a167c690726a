/**
 * How fast a World starts from a large existing state (`npm run bench:existing`): `plan` builds one for every
 * simulation it runs, so the build must be cheap. For 100 and 1,000 m5.xlarge nodes with 20 pods each
 * (bench/existing-cases.ts): the time to build the World from its spec (checks, EC2 adoption, nodes, ipamd restores,
 * pods), the heap it holds, the time to load the same state from scenario YAML, and one simulated minute after.
 * Figures are the fastest of `--repeat` builds (default 5) in this process, wall and CPU time (user + system: the
 * steadier figure on a shared machine); heap from Node itself (run with --expose-gc, as the npm script does).
 * Target (2-core machine): the 1,000-node, 20,000-pod build well under 1 s.
 */
import { stringify } from 'yaml';
import { World } from '../src/model/world.ts';
import { loadScenarioText } from '../src/scenario/loader.ts';
import { buildWorld } from '../src/scenario/runner.ts';
import { existingCluster } from './existing-cases.ts';

const repeat = Number(process.argv.find((a) => a.startsWith('--repeat='))?.slice(9) ?? 5);
const sizes = [100, 1000];
const PODS = 20;

function ms(t0: number): number {
  return performance.now() - t0;
}

function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

console.log(`| nodes | pods | build World: wall ms (CPU ms), best of ${repeat} | heap held (MiB) | load YAML + build (CPU ms) | YAML (MiB) | 1 simulated minute (CPU ms) |`);
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const n of sizes) {
  const spec = existingCluster(n, PODS);
  let best = Infinity;
  let bestCpu = Infinity;
  let world: World | undefined;
  const heap0 = heapMiB();
  for (let i = 0; i < repeat; i++) {
    world = undefined;
    // the World keeps its spec: each build gets its own copy, made outside the timing (the runner's worldSpecOf)
    const copy = structuredClone(spec);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    world = new World(copy, { keepHistory: false });
    const c = process.cpuUsage(c0);
    best = Math.min(best, ms(t0));
    bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000);
  }
  const held = heapMiB() - heap0;
  const c1 = process.cpuUsage();
  world!.runUntil(60_000);
  const cm = process.cpuUsage(c1);
  const minute = (cm.user + cm.system) / 1000;
  const doc = { name: 'big', ...spec, seed: undefined };
  delete (doc as { seed?: number }).seed;
  const text = stringify(doc);
  const c2 = process.cpuUsage();
  buildWorld(loadScenarioText(text, 'big.yaml'));
  const c = process.cpuUsage(c2);
  const load = (c.user + c.system) / 1000;
  console.log(`| ${n} | ${n * PODS} | ${best.toFixed(0)} (${bestCpu.toFixed(0)}) | ${held.toFixed(0)} | ${load.toFixed(0)} | ${(text.length / 2 ** 20).toFixed(1)} | ${minute.toFixed(0)} |`);
}
