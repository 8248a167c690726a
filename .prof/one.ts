import { loadScenarioText } from '/work/main/src/scenario/loader.ts';
import { simulate } from '/work/main/src/plan/simulate.ts';
import { bigClusterYaml } from '/work/main/bench/plan-cluster.ts';
const n = Number(process.argv[2] ?? 13000);
const hist = process.argv[3] === 'hist';
const s = loadScenarioText(bigClusterYaml(1000, 10), 'g.yaml');
const t = performance.now();
const o = simulate({ scenario: s, seed: 1, change: { target: { kind: 'scale', namespace: 'default', name: 'app' }, n, addNodes: 0 }, n, history: hist, stopWhenOutOfAddresses: !hist });
console.log(n, o.fits, o.stuck, o.stoppedBy, o.ranMs, o.events, JSON.stringify(o.throttled), ((performance.now() - t) / 1000).toFixed(1) + ' s');
