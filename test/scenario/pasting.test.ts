/**
 * Pasting what users have: a `kubectl apply` step reads a real manifest file (several documents, errors located in
 * that file), pod placement the scheduler does not model is a located warning rather than silence, and a pasted
 * eksctl ClusterConfig or Kubernetes manifest given as the scenario is refused with a hint (test/hostile cases
 * pasted-*.yaml hold the exact lines).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import { runScenario } from '../../src/scenario/runner.ts';
import { InputError } from '../../src/util/input-error.ts';
import { runCli } from '../support/cli.ts';

const base = readFileSync('test/hostile/base.yaml', 'utf8');
/** base.yaml with its timeline replaced by `steps`. */
const withSteps = (steps: string) => base.replace(/timeline:[\s\S]*?expect:/, `timeline:\n${steps}\nexpect:`).replace(/expect:[\s\S]*$/, 'duration: 3m\nexpect: []\n');

const deployment = (name: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: 2
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:${extra}
      containers: [{ name: ${name}, image: nginx }]
`;

describe('kubectl apply -f FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vpc-cni-sim-paste-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const scenario = join(dir, 'paste.yaml');
  writeFileSync(scenario, withSteps('  - { at: 30s, run: kubectl apply, file: manifests/app.yaml }'));

  it('applies every document of the file, each as `kubectl apply -f FILE`', async () => {
    const m = join(dir, 'manifests');
    mkdirSync(m, { recursive: true });
    writeFileSync(join(m, 'app.yaml'), `# two objects\n${deployment('web')}---\n${deployment('api')}---\n`);
    const r = await runCli(['run', scenario, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { actions: { command: string; message: string }[]; pods: { deployment?: string; phase: string }[] };
    expect(out.actions.map((a) => `${a.command} → ${a.message}`)).toEqual([
      'kubectl apply -f manifests/app.yaml → deployment.apps/web created',
      'kubectl apply -f manifests/app.yaml → deployment.apps/api created',
    ]);
    expect(out.pods.filter((p) => p.deployment === 'api' && p.phase === 'Running')).toHaveLength(2);
  });

  it('locates an error inside the manifest file: its own path, line and column', async () => {
    writeFileSync(join(dir, 'manifests', 'app.yaml'), `${deployment('web')}---\n${deployment('api').replace(', image: nginx', '')}`);
    const r = await runCli(['run', scenario]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`vpc-cni-sim run: ${join(dir, 'manifests/app.yaml')}:21:20: spec.template.spec.containers[0].image: a container needs an image\n`);
  });

  it('a missing file is one line naming the step field', async () => {
    writeFileSync(scenario, withSteps('  - { at: 30s, run: kubectl apply, file: nope.yaml }'));
    const r = await runCli(['run', scenario]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`vpc-cni-sim run: ${scenario}:27:42: timeline[0].file: cannot read nope.yaml: no such file\n`);
  });

  it('parsing a scenario from text reads no file: without a reader the step says what to do instead', () => {
    expect(() => loadScenarioText(withSteps('  - { at: 30s, run: kubectl apply, file: app.yaml }'), 's.yaml')).toThrow(
      's.yaml:27:42: timeline[0].file: manifest files are read by the vpc-cni-sim command; give the objects inline under manifest',
    );
  });
});

describe('placement the scheduler does not model', () => {
  it('warns, naming each field where it is written', () => {
    const extra = '\n      affinity: { nodeAffinity: {} }\n      tolerations: [{ key: k, operator: Exists }]\n      topologySpreadConstraints: []\n      nodeSelector: { team: blue }';
    const manifest = deployment('web', extra).replace(/^/gm, '      ').trimEnd();
    const s = loadScenarioText(withSteps(`  - at: 30s\n    run: kubectl apply\n    manifest:\n${manifest}`), 'w.yaml');
    expect(s.warnings).toEqual([
      'w.yaml:39:23: timeline[0].manifest.spec.template.spec.affinity: affinity is not modelled: the simulated scheduler ignores it (it places pods by nodeSelector, resources and max pods)',
      'w.yaml:40:26: timeline[0].manifest.spec.template.spec.tolerations: tolerations is not modelled: the simulated scheduler ignores it (it places pods by nodeSelector, resources and max pods)',
      'w.yaml:41:40: timeline[0].manifest.spec.template.spec.topologySpreadConstraints: topologySpreadConstraints is not modelled: the simulated scheduler ignores it (it places pods by nodeSelector, resources and max pods)',
    ]);
  });

  it('a scenario without them has no warnings', () => {
    expect(loadScenarioText(base, 'base.yaml').warnings).toEqual([]);
  });
});

describe('a pasted file that is not a scenario', () => {
  const refuse = (text: string) => {
    try {
      loadScenarioText(text, 'p.yaml');
    } catch (e) {
      if (e instanceof InputError) return e.message;
    }
    throw new Error('loaded');
  };
  it('an eksctl ClusterConfig: says how its parts map onto a scenario', () => {
    expect(refuse('apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: { name: demo }\n')).toMatch(/^p\.yaml:1:1: apiVersion: this is an eksctl ClusterConfig, not a scenario: .*managedNodeGroups as nodeGroups/);
  });
  it('a Kubernetes manifest: says to apply it from a timeline step', () => {
    expect(refuse(deployment('web'))).toMatch(/^p\.yaml:1:1: apiVersion: this is a Kubernetes Deployment manifest, not a scenario: apply it from a scenario's timeline/);
  });
});

describe('kind: Pod', () => {
  it('a bare Pod is applied, scheduled and given an address; applying it again changes nothing', async () => {
    const pod = `{ apiVersion: v1, kind: Pod, metadata: { name: debug, labels: { app: debug } }, spec: { containers: [{ name: sh, image: busybox }], tolerations: [] } }`;
    const s = loadScenarioText(withSteps(`  - { at: 30s, run: kubectl apply, manifest: ${pod} }\n  - { at: 2m, run: kubectl apply, manifest: ${pod} }`), 'pod.yaml');
    expect(s.warnings).toEqual([expect.stringMatching(/^pod\.yaml:27:\d+: timeline\[0\]\.manifest\.spec\.tolerations: tolerations is not modelled/), expect.stringMatching(/^pod\.yaml:28:\d+: timeline\[1\]/)]);
    const run = runScenario(s);
    expect(run.actions.map((a) => a.message)).toEqual(['pod/debug created', 'pod/debug unchanged']);
    const p = run.world.pods().find((x) => x.name === 'debug')!;
    expect(p).toMatchObject({ namespace: 'default', status: 'Running', labels: { app: 'debug' } });
    expect(p.ip).toMatch(/^10\.0\.[01]\.\d+$/);
    expect(p.deployment).toBeUndefined();
  });

  it('a Pod without containers is refused when the scenario loads', () => {
    expect(() => loadScenarioText(withSteps('  - { at: 30s, run: kubectl apply, manifest: { apiVersion: v1, kind: Pod, metadata: { name: p }, spec: {} } }'), 'pod.yaml')).toThrow(
      /^pod\.yaml:27:\d+: timeline\[0\]\.manifest\.spec\.containers: a pod needs at least one container$/,
    );
  });
});
