/**
 * The playground's knobs (src/scenario/knobs.ts) as edits of scenario text: a value in the file is replaced where it
 * stands and nothing else moves; a missing env key adds its lines and nothing else (comments and layout kept); an empty value removes an env
 * key; the instance type changes every node group; replicas is the first Deployment step's; the edited text loads
 * and carries the new values; a text that is not YAML, or has no place for a knob, is left alone.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readKnobs, setKnob } from '../../src/scenario/knobs.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';

const INFLATE = readFileSync('scenarios/inflate-exhaustion.yaml', 'utf8');

function changedLines(a: string, b: string): [string | undefined, string | undefined][] {
  const x = a.split('\n');
  const y = b.split('\n');
  const out: [string | undefined, string | undefined][] = [];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) out.push([x[i], y[i]]);
  return out;
}

describe('knobs', () => {
  it('reads what the flagship sets and leaves unset env knobs empty', () => {
    const k = readKnobs(INFLATE)!;
    expect(Object.fromEntries([...k].map(([id, v]) => [id, v.value]))).toEqual({
      WARM_ENI_TARGET: '',
      WARM_IP_TARGET: '',
      MINIMUM_IP_TARGET: '',
      WARM_PREFIX_TARGET: '',
      ENABLE_PREFIX_DELEGATION: '',
      ENABLE_SUBNET_DISCOVERY: '',
      version: '1.18.0',
      instanceType: 'm6a.large',
      replicas: '50',
      seed: '1',
    });
  });

  it('replaces a value where it stands, nothing else in the text moving', () => {
    const out = setKnob(setKnob(setKnob(INFLATE, 'replicas', '80')!, 'version', '1.19.0')!, 'seed', '7')!;
    expect(changedLines(INFLATE, out)).toEqual([
      ['seed: 1', 'seed: 7'],
      ['    version: 1.18.0', '    version: 1.19.0'],
      ['        replicas: 50', '        replicas: 80'],
    ]);
    const s = loadScenarioText(out, 'x.yaml');
    expect(s.seed).toBe(7);
    expect(s.cluster.vpcCni.version).toBe('1.19.0');
  });

  it('adds a missing env key with every comment kept, and an empty value removes it again', () => {
    const out = setKnob(INFLATE, 'WARM_IP_TARGET', '2')!;
    // only the two new lines: every other line, comments and flow collections included, stays as written
    expect(out.split('\n').filter((l) => !/^\s+(env:|WARM_IP_TARGET: 2)$/.test(l))).toEqual(INFLATE.split('\n'));
    expect(out).toMatch(/vpcCni:\n\s+version: 1\.18\.0\n\s+env:\n\s+WARM_IP_TARGET: 2\n/);
    expect(loadScenarioText(out, 'x.yaml').cluster.vpcCni.env).toMatchObject({ WARM_IP_TARGET: '2' });
    const back = setKnob(setKnob(out, 'ENABLE_PREFIX_DELEGATION', 'true')!, 'WARM_IP_TARGET', '')!;
    expect(readKnobs(back)!.get('WARM_IP_TARGET')!.value).toBe('');
    expect(readKnobs(back)!.get('ENABLE_PREFIX_DELEGATION')!.value).toBe('true');
    expect(loadScenarioText(back, 'x.yaml').cluster.vpcCni.env).toEqual({ ENABLE_PREFIX_DELEGATION: 'true' });
  });

  it('sets the instance type of every node group', () => {
    const two = INFLATE.replace('nodeGroups:\n', 'nodeGroups:\n  - { name: ng-0, instanceType: t3.small, desiredCapacity: 1, subnets: [subnet-private-a] }\n');
    const out = setKnob(two, 'instanceType', 'm5.large')!;
    expect(loadScenarioText(out, 'x.yaml').nodeGroups.map((g) => g.instanceType)).toEqual(['m5.large', 'm5.large']);
  });

  it('leaves a text that is not YAML, or has no place for the knob, alone', () => {
    expect(readKnobs('a: [1,')).toBeUndefined();
    expect(setKnob('a: [1,', 'seed', '3')).toBeUndefined();
    const noDeployment = INFLATE.replace('kind: Deployment', 'kind: ConfigMap');
    expect(readKnobs(noDeployment)!.get('replicas')).toEqual({ value: '', settable: false });
    expect(setKnob(noDeployment, 'replicas', '3')).toBeUndefined();
  });
});
