/**
 * The action table drives everything an action is: the loader's checks, the published schema and the command line
 * the report and the World's timeline show. This test registers no action of its own; it walks the table, so a new
 * action file is covered as soon as it is listed in src/scenario/actions/index.ts. The command lines are written
 * out by hand here, in the real tools' forms (kubectl, AWS CLI, eksctl), so a rendering that drifts fails.
 */
import { describe, expect, it } from 'vitest';
import { ACTION_TABLE } from '../../src/scenario/actions/index.ts';
import { defName, scenarioJsonSchema } from '../../src/scenario/json-schema.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import { runScenario } from '../../src/scenario/runner.ts';
import { InputError } from '../../src/util/input-error.ts';
import { oneSubnetCluster } from '../support/one-subnet-cluster.ts';

const head = `
name: actions
seed: 5
${oneSubnetCluster({ region: 'us-west-2', cidr: '10.0.0.0/24', cluster: 'demo', group: 'name: ng-1, instanceType: m5.large, desiredCapacity: 1, maxSize: 3' })}`;

const error = (text: string): string => {
  try {
    loadScenarioText(text, 'actions.yaml');
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error('the scenario loaded');
};

describe('the action table', () => {
  const schema = scenarioJsonSchema() as { $defs: Record<string, { properties: Record<string, unknown>; required: string[] }> };

  it('is what the schema publishes: one definition per action, with exactly its declared fields', () => {
    expect(Object.keys(schema.$defs).sort()).toEqual(ACTION_TABLE.map((m) => defName(m.run)).sort());
    for (const m of ACTION_TABLE) {
      const def = schema.$defs[defName(m.run)];
      expect(Object.keys(def.properties).sort()).toEqual(['at', 'note', 'run', ...Object.keys(m.fields)].sort());
      const required = Object.entries(m.fields as Record<string, { required?: boolean }>).filter(([, f]) => f.required === true).map(([k]) => k);
      expect(def.required.sort()).toEqual(['at', 'run', ...required].sort());
    }
  });

  it('is what the loader accepts: an unknown command lists every action, and each action refuses keys it does not declare', () => {
    const msg = error(`${head}timeline:\n  - { at: 1m, run: kubectl frobnicate }\n`);
    expect(msg).toContain('unknown command "kubectl frobnicate"');
    expect(msg).toContain(`(commands: ${ACTION_TABLE.map((m) => m.run).join('; ')})`);
    for (const m of ACTION_TABLE) {
      const bad = error(`${head}timeline:\n  - { at: 1m, run: ${m.run}, bogusField: 1 }\n`);
      expect(bad).toMatch(/timeline\[0\]\.bogusField: unknown key "bogusField"/);
      const known = ['at', 'note', 'run', ...Object.keys(m.fields)].join(', ');
      expect(bad).toContain(`(known keys: ${known})`);
    }
  });

  it('is what the runner performs: every action, as the real command line, in the report and on the World timeline', () => {
    const deployment = `{ apiVersion: apps/v1, kind: Deployment, metadata: { name: web }, spec: { replicas: 2, selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: nginx }] } } } }`;
    const s = loadScenarioText(
      `${head}timeline:
  - { at: 1m, run: kubectl apply, manifest: ${deployment} }
  - { at: 1m, run: kubectl scale, deployment: web, replicas: 3 }
  - { at: 1m, run: kubectl set env daemonset aws-node, env: { WARM_IP_TARGET: 2, WARM_ENI_TARGET: null } }
  - { at: 2m, run: kubectl label node, selector: eks.amazonaws.com/nodegroup=ng-1, labels: { team: blue, old: null } }
  - { at: 2m, run: kubectl annotate node, selector: eks.amazonaws.com/nodegroup=ng-1, annotations: { why: two words } }
  - { at: 2m, run: kubectl cordon, selector: team=blue }
  - { at: 2m, run: kubectl uncordon, selector: team=green }
  - { at: 2m, run: aws ec2 associate-vpc-cidr-block, cidrBlock: 10.1.0.0/16 }
  - { at: 2m, run: aws ec2 create-subnet, id: subnet-b, cidrBlock: 10.1.0.0/24, availabilityZone: us-west-2b, tags: { kubernetes.io/role/cni: "1" } }
  - { at: 2m, run: aws ec2 create-tags, resources: [subnet-b], tags: { env: test } }
  - { at: 2m, run: aws ec2 delete-tags, resources: [subnet-b], tags: [env] }
  - { at: 2m, run: eksctl scale nodegroup, nodegroup: ng-1, nodes: 2 }
  - { at: 3m, run: kubectl delete, resource: deployment/web }
  - { at: 3m, run: aws ec2 terminate-instances, selector: team=blue }
  - { at: 3m, run: sim heal-faults }
`,
      'actions.yaml',
    );
    expect(new Set(s.timeline.map((a) => a.run))).toEqual(new Set(ACTION_TABLE.map((m) => m.run)));
    // read the World as the last steps leave it (without a duration, the run would go on 2 minutes to settle)
    const run = runScenario(s, { until: 180_000 });
    const node = run.world.nodes().find((n) => n.labels.team === 'blue')!;
    const vpc = run.world.vpcId;
    expect(run.actions.map((a) => a.command)).toEqual([
      'kubectl apply -f -',
      'kubectl scale deployment/web --replicas=3',
      'kubectl set env daemonset aws-node -n kube-system WARM_IP_TARGET=2 WARM_ENI_TARGET-',
      `kubectl label node ${node.name} team=blue old-`,
      `kubectl annotate node ${node.name} 'why=two words'`,
      `kubectl cordon ${node.name}`,
      'kubectl uncordon -l team=green',
      `aws ec2 associate-vpc-cidr-block --vpc-id ${vpc} --cidr-block 10.1.0.0/16`,
      `aws ec2 create-subnet --vpc-id ${vpc} --cidr-block 10.1.0.0/24 --availability-zone us-west-2b --tag-specifications 'ResourceType=subnet,Tags=[{Key=kubernetes.io/role/cni,Value=1}]' # subnet-b`,
      'aws ec2 create-tags --resources subnet-b --tags Key=env,Value=test',
      'aws ec2 delete-tags --resources subnet-b --tags Key=env',
      'eksctl scale nodegroup --cluster=demo --nodes=2 --name=ng-1',
      'kubectl delete deployment/web',
      `aws ec2 terminate-instances --instance-ids ${node.instanceId}`,
      'sim heal-faults',
    ]);
    expect(run.actions.find((a) => a.command.startsWith('kubectl uncordon'))).toMatchObject({ ok: false, message: 'No resources found: no node matches team=green' });
    // The World's timeline carries the same lines, each with what the tool printed.
    const worldLines = run.world.timeline.filter((h) => h.kind === 'action' || h.kind === 'action-failed').map((h) => h.message.split('\n')[0]);
    expect(worldLines).toEqual(run.actions.map((a) => `$ ${a.command}`));
  });
});
