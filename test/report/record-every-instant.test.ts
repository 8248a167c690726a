/**
 * The recorder reads only what the World's stream says changed; this checks that it misses nothing: at the end of every
 * instant of a run, the record gathered so far folds to exactly what the World's full queries answer then — every
 * pod's phase, address, node, stuck cause and readiness, every node's STATUS and ENIs, every subnet's free count,
 * every datastore address assigned to a pod — in shipped scenarios and in generated ones with faults (aws-node
 * restarts, terminated nodes, EC2 errors, IMDS lag).
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import type { World } from '../../src/model/world.ts';
import { stateAt } from '../../src/report/record/fold.ts';
import { RunRecorder } from '../../src/report/record/recorder.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import { runScenario } from '../../src/scenario/runner.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { scenarioForSeed } from '../../src/swarm/generate.ts';
import { scenarioYaml } from '../../src/swarm/scenario-doc.ts';

/**
 * What the record says at `t`, keyed by names, in the shape `live` gives; addresses only of the nodes `withDaemon`
 * names (while a node has no daemon — aws-node restarting, the instance gone — the record keeps its last datastore).
 */
function fromRecord(rec: RunRecorder, t: number, withDaemon: ReadonlySet<string>) {
  const r = rec.soFar;
  const s = stateAt(r, t);
  const pods = [...s.pods.values()].map((p) => `${r.pods[p.pod].namespace}/${r.pods[p.pod].name} ${p.phase} ${p.ip} ${p.node} ${p.cause} ${p.ready}`).sort();
  const nodes: Record<string, unknown> = {};
  for (const [i, status] of s.nodeStatus) nodes[r.nodes[i].name] = [status, s.enis.get(i) ?? []];
  const subnets = Object.fromEntries([...s.subnetFree].map(([i, free]) => [r.subnets[i].subnetId, free]));
  const assigned: string[] = [];
  for (const [i, m] of s.slots) for (const [addr, slot] of m) if (slot.pod >= 0 && withDaemon.has(r.nodes[i].name)) assigned.push(`${r.nodes[i].name} ${addr} ${r.pods[slot.pod].namespace}/${r.pods[slot.pod].name}`);
  return { pods, nodes, subnets, assigned: assigned.sort() };
}

/** The same from the World's own queries now, and the nodes whose daemon is up. */
function live(w: World) {
  const pods = w.pods().map((p) => `${p.namespace}/${p.name} ${p.status} ${p.ip ?? null} ${p.node ?? null} ${p.stuckCause ?? null} ${p.ready}`).sort();
  const nodes: Record<string, unknown> = {};
  for (const n of w.nodes()) {
    nodes[n.name] = [n.status, [...n.enis].sort((a, b) => a.deviceIndex - b.deviceIndex).map((e) => [e.deviceIndex, e.eniId, e.subnet, e.primaryIp, e.secondaryIps, e.prefixes])];
  }
  const subnets = Object.fromEntries(w.subnets().map((s) => [s.subnetId, s.availableIpAddressCount]));
  const assigned: string[] = [];
  const withDaemon = new Set<string>();
  for (const [name, agent] of w.cluster.agentMap) {
    const view = agent.ipamd?.datastoreView?.();
    if (view === undefined) continue;
    withDaemon.add(name);
    for (const e of view.enis.values()) for (const c of e.cidrs.values()) for (const a of c.addresses.values()) if (a.pod !== undefined && a.key !== undefined) assigned.push(`${name} ${a.address} ${a.pod.namespace}/${a.pod.name}`);
  }
  return { pods, nodes, subnets, assigned: assigned.sort(), withDaemon };
}

/**
 * Runs `s` with a recorder and compares at the end of every `stride`-th instant (a change missed in between still shows
 * at the next one unless it was undone at once); returns how many instants were compared and addresses seen.
 */
function checkEveryInstant(s: Scenario, stride = 1): { instants: number; addresses: number } {
  let addresses = 0;
  let n = 0;
  let instants = 0;
  runScenario(s, {
    observe: (w) => {
      const rec = new RunRecorder(w, s);
      // registered after the recorder's, so it runs once the recorder has taken the instant
      w.onEvent(() => {
        if (w.sim.peek() === w.now || n++ % stride !== 0) return;
        instants++;
        const want = live(w);
        const got = fromRecord(rec, w.now, want.withDaemon);
        expect(got.pods, `pods at ${w.now} ms`).toEqual(want.pods);
        for (const [name, v] of Object.entries(want.nodes)) expect(got.nodes[name], `node ${name} at ${w.now} ms`).toEqual(v);
        expect(got.subnets, `subnets at ${w.now} ms`).toEqual(want.subnets);
        expect(got.assigned, `assigned addresses at ${w.now} ms`).toEqual(want.assigned);
        addresses += want.assigned.length;
      });
    },
  });
  return { instants, addresses };
}

/** Shipped scenarios and the stride of instants compared (the longest is sampled to keep the test quick). */
const SHIPPED: [string, number][] = [
  ['scenarios/inflate-exhaustion.yaml', 1],
  ['scenarios/cooldown-churn.yaml', 1],
  ['scenarios/rolling-node-replacement.yaml', 13],
  ['scenarios/inflate-missing-describe-subnets-1.23.yaml', 1],
  ['scenarios/eni-ceiling.yaml', 1],
  ['scenarios/subnet-tag-lifecycle.yaml', 1],
  ['scenarios/inflate-existing.yaml', 1],
];

describe('the record gathered from what changed equals the World at every instant', () => {
  for (const [file, stride] of SHIPPED) {
    it(file, () => {
      const seen = checkEveryInstant(loadScenario(file), stride);
      expect(seen.instants).toBeGreaterThan(50);
      expect(seen.addresses).toBeGreaterThan(0);
    }, 120_000);
  }

  it('scenarios/private-endpoint-unreachable.yaml (nodes never join: pods stay Pending)', () => {
    expect(checkEveryInstant(loadScenario('scenarios/private-endpoint-unreachable.yaml')).instants).toBeGreaterThan(5);
  });

  it('generated scenarios with faults (swarm seeds 1–8)', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const g = scenarioForSeed(seed);
      const s = loadScenarioText(scenarioYaml(g, { healStep: true }), `gen-${seed}.yaml`);
      expect(checkEveryInstant(s, 2).instants).toBeGreaterThan(0);
    }
  }, 300_000);
});
