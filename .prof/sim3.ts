import { loadScenarioText } from '../src/scenario/loader.ts';
import { simulate } from '../src/plan/simulate.ts';
import { bigClusterYaml } from '../bench/plan-cluster.ts';
const s = loadScenarioText(bigClusterYaml(1000, 10), 'g.yaml');
for (const n of [18834, 20608]) {
  const o = simulate({ scenario: s, seed: 1, change: { target: { kind: 'scale', namespace: 'default', name: 'app' }, n, addNodes: 0 }, n, history: false, stopWhenOutOfAddresses: true });
  console.log(n, o.stuck, o.stoppedBy, o.ranMs, o.events);
}
