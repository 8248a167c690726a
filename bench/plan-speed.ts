/**
 * Speed of `plan` on a big cluster (`npm run bench:plan`): a generated 1,000-node existing cluster
 * (bench/plan-cluster.ts: m5.xlarge, 10 pods each, WARM_IP_TARGET=4, three /19 subnets), the Deployment `app` scaled
 * from 10,000 to 13,000 replicas, 3 seeds, headroom search and the four what-ifs. Prints the time to load the
 * scenario, one line per simulation as it finishes (what it found, its simulated time and events, the wall time since
 * the previous line), and the totals. The simulations run on WORKERS threads (default: CPUs; 1 runs them in this
 * thread). Target (issue 21): within 2 minutes on this 2-core machine.
 *
 * Usage: npm run bench:plan [-- NODES PODS_PER_NODE REPLICAS SEEDS WORKERS [WHAT-IFS]]
 * WHAT-IFS: comma-separated keys (default all), or `none`.
 */
import { availableParallelism } from 'node:os';
import { loadScenarioText } from '../src/scenario/loader.ts';
import { plan } from '../src/plan/plan.ts';
import { WHAT_IF_KEYS, type WhatIfKey } from '../src/plan/what-ifs.ts';
import { workerSimulator } from '../src/cli/plan-workers.ts';
import { renderPlanText } from '../src/plan/render.ts';
import { bigClusterYaml } from './plan-cluster.ts';

const [nodes, perNode, replicas, seeds, workers] = [1000, 10, 13_000, 3, availableParallelism()].map((d, i) => Number(process.argv[2 + i] ?? d));
const whatIfArg = process.argv[7];
const whatIfKeys = whatIfArg === undefined ? WHAT_IF_KEYS : whatIfArg === 'none' ? [] : (whatIfArg.split(',') as WhatIfKey[]);
const cpu = (c0: NodeJS.CpuUsage): string => {
  const c = process.cpuUsage(c0);
  return `${((c.user + c.system) / 1e6).toFixed(1)} s CPU`;
};
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

const c0 = process.cpuUsage();
const t0 = performance.now();
const text = bigClusterYaml(nodes, perNode);
const scenario = loadScenarioText(text, `generated-${nodes}-nodes.yaml`);
console.log(`what-ifs: ${whatIfKeys.length === 0 ? 'none' : whatIfKeys.join(', ')}; seeds ${seeds}; ${workers} worker thread${workers === 1 ? '' : 's'}`);
console.log(`scenario: ${nodes} nodes, ${nodes * perNode} pods, ${(text.length / 1e6).toFixed(1)} MB of YAML, loaded in ${secs(performance.now() - t0)} (${cpu(c0)})`);

const t1 = performance.now();
const c1 = process.cpuUsage();
let last = t1;
const threads = workers > 1 ? workerSimulator(workers) : undefined;
let result;
try {
  result = await plan(
    scenario,
    { change: { target: { kind: 'scale', namespace: 'default', name: 'app' }, n: replicas, addNodes: 0 }, seeds: Array.from({ length: seeds }, (_, i) => 1 + i), subnetPrefix: 19, whatIfs: whatIfKeys },
    (p) => {
      const now = performance.now();
      const o = p.outcome;
      const what = o.fits ? 'fits' : `${o.stuck} stuck`;
      console.log(`  #${p.simulations} ${p.variant} seed ${p.seed} size ${p.n}: ${what}, ${o.stoppedBy} after ${secs(o.ranMs)} simulated, ${o.events} events, +${secs(now - last)} wall`);
      last = now;
    },
    threads,
  );
} finally {
  await threads?.close();
}
const wall = performance.now() - t1;
console.log('');
console.log(renderPlanText(result));
console.log(`plan: ${result.simulations} simulations on ${workers} thread${workers === 1 ? '' : 's'} in ${secs(wall)} wall (${cpu(c1)}, every thread); with loading ${secs(performance.now() - t0)} (${cpu(c0)}); peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
