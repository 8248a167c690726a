/**
 * `import` refuses bad input with one line naming the file and the field, exit 2, and writes nothing: a truncated
 * JSON, an AWS error saved in place of the output (the CLI's text and botocore's error document), files from two
 * VPCs or two clusters, a pod on an unknown node, an ENI holding more addresses than its instance type allows
 * (test/fixtures/import/bad, each the walkthrough's file with one thing wrong).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCluster } from '../../src/import/index.ts';
import { InputError } from '../../src/util/input-error.ts';
import { runCli } from '../support/cli.ts';
import { BAD, walkthroughFiles } from './walkthrough-files.ts';

const tmp = mkdtempSync(join(tmpdir(), 'vpc-cni-sim-import-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function refusal(replace: Record<string, string>): string {
  try {
    importCluster(walkthroughFiles({ replace }));
  } catch (err) {
    if (err instanceof InputError) return err.message;
    throw err;
  }
  throw new Error('imported without complaint');
}

const CASES: [string, Record<string, string>, string][] = [
  ['a truncated JSON', { 'subnets.json': 'truncated-subnets.json' }, `${BAD}/truncated-subnets.json:109:14: the JSON ends before it is complete (a truncated file?)`],
  [
    "the AWS CLI's error text",
    { 'network-interfaces.json': 'unauthorized-network-interfaces.json' },
    `${BAD}/unauthorized-network-interfaces.json: the file holds an AWS CLI error (UnauthorizedOperation calling DescribeNetworkInterfaces: You are not authorized to perform this operation. User: arn:aws:sts::111122223333:assumed-role/ReadOnly/alice is not …), not the command's output`,
  ],
  ["botocore's error document", { 'instances.json': 'error-document-instances.json' }, `${BAD}/error-document-instances.json: Error: the file holds an AWS error (UnauthorizedOperation: You are not authorized to perform this operation.), not the command's output`],
  ['a subnet of another VPC', { 'subnets.json': 'other-vpc-subnets.json' }, `${BAD}/other-vpc-subnets.json: Subnets[4].VpcId: vpc-0f9e8d7c6b5a43210, but test/fixtures/import/walkthrough/vpcs.json is of vpc-0a3c5e7f9b1d24680: the files come from two VPCs`],
  ['the add-on of another cluster', { 'addon-vpc-cni.json': 'other-cluster-addon.json' }, `${BAD}/other-cluster-addon.json: addon.clusterName: cluster "prod-east", but test/fixtures/import/walkthrough/cluster.json is of cluster "esd-demo": the files come from two clusters`],
  ['a pod on an unknown node', { 'pods.json': 'unknown-node-pods.json' }, `${BAD}/unknown-node-pods.json: items[2].spec.nodeName: unknown node "ip-10-0-0-149.us-west-2.compute.internal": not in the nodes file (did you mean "ip-10-0-0-109.us-west-2.compute.internal" or "ip-10-0-0-147.us-west-2.compute.internal"?)`],
  ['an ENI holding more addresses than m6a.large allows', { 'network-interfaces.json': 'overfull-network-interfaces.json' }, `${BAD}/overfull-network-interfaces.json: NetworkInterfaces[2].PrivateIpAddresses: eni-0cc33dd44ee55ff63 on i-0123456789abcdef1 (m6a.large) holds 11 addresses; the type allows 10 per ENI`],
];

describe('bad input: one line naming the file and the field', () => {
  for (const [what, replace, message] of CASES) {
    it(what, () => {
      const m = refusal(replace);
      expect(m).toBe(message);
      expect(m).not.toContain('\n');
    });
  }

  it('two outputs of the same command', () => {
    const files = walkthroughFiles();
    files.push({ file: 'more-subnets.json', text: files.find((f) => f.file.endsWith('subnets.json'))!.text });
    expect(() => importCluster(files)).toThrow(/^more-subnets\.json: a second output of `aws ec2 describe-subnets --filters Name=vpc-id,Values=\$VPC --output json` \(the first is test\/fixtures\/import\/walkthrough\/subnets\.json\)/);
  });

  it('a kubectl error saved in place of its output', () => {
    const files = walkthroughFiles();
    files.find((f) => f.file.endsWith('nodes.json'))!.text = 'error: You must be logged in to the server (Unauthorized)\n';
    expect(() => importCluster(files)).toThrow(/^test\/fixtures\/import\/walkthrough\/nodes\.json: the file holds a kubectl error \(error: You must be logged in to the server \(Unauthorized\)\)/);
  });

  it("a pod on an address its node's ENIs do not hold (files collected at different times)", () => {
    const files = walkthroughFiles();
    const pods = files.find((f) => f.file.endsWith('pods.json'))!;
    pods.text = pods.text.replace('"podIP": "10.0.0.141"', '"podIP": "10.0.0.143"');
    expect(() => importCluster(files)).toThrow(
      "test/fixtures/import/walkthrough/pods.json: items[2].status.podIP: 10.0.0.143 is not a secondary address or in a prefix of node ip-10-0-0-147.us-west-2.compute.internal's ENIs (files collected at different times? collect them again)",
    );
  });

  it('a list mixing kinds (kubectl get nodes,pods)', () => {
    const files = walkthroughFiles();
    const nodes = files.find((f) => f.file.endsWith('nodes.json'))!;
    const doc = JSON.parse(nodes.text);
    doc.items.push(JSON.parse(files.find((f) => f.file.endsWith('pods.json'))!.text).items[0]);
    nodes.text = JSON.stringify(doc);
    expect(() => importCluster(files)).toThrow('test/fixtures/import/walkthrough/nodes.json: items[2].kind: a list mixing Node with "Pod"; give one command\'s output per file');
  });

  it('an IPv6 cluster', () => {
    const files = walkthroughFiles();
    const cluster = files.find((f) => f.file.endsWith('cluster.json'))!;
    cluster.text = cluster.text.replace('"ipFamily": "ipv4"', '"ipFamily": "ipv6"');
    expect(() => importCluster(files)).toThrow("test/fixtures/import/walkthrough/cluster.json: cluster.kubernetesNetworkConfig.ipFamily: ipv6: import reads IPv4 clusters (an existing IPv6 cluster's state is not modelled)");
  });

  it('a required file missing', () => {
    expect(() => importCluster(walkthroughFiles({ without: ['network-interfaces.json'] }))).toThrow('no output of `aws ec2 describe-network-interfaces --filters Name=vpc-id,Values=$VPC --output json` among the files');
  });
});

describe('the import command', () => {
  it('writes the scenario and nothing on stderr for the complete walkthrough', async () => {
    const out = join(tmp, 'ok.yaml');
    const r = await runCli(['import', 'test/fixtures/import/walkthrough', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`wrote ${out}\n`);
    expect(readFileSync(out, 'utf8')).toContain('name: esd-demo');
  });

  it('exits 2 with one line and writes nothing', async () => {
    const out = join(tmp, 'bad.yaml');
    const files = walkthroughFiles({ replace: { 'pods.json': 'unknown-node-pods.json' } }).map((f) => f.file);
    const r = await runCli(['import', ...files, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([`vpc-cni-sim import: ${CASES[5][2]}`]);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('warns on stderr for each default it takes', async () => {
    const files = walkthroughFiles({ without: ['vpcs.json', 'cluster.json'] }).map((f) => f.file);
    const r = await runCli(['import', ...files]);
    expect(r.code).toBe(0);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'vpc-cni-sim import: warning: no describe-vpcs output: the VPC\'s blocks are taken as the smallest blocks holding its subnets, one per /16: 10.0.0.0/24',
      "vpc-cni-sim import: warning: no describe-cluster output: the Kubernetes version is the nodes' kubelet version, 1.29",
      'vpc-cni-sim import: warning: no endpoint access in describe-cluster (resourcesVpcConfig.endpointPublicAccess/endpointPrivateAccess): public, as EKS creates a cluster',
    ]);
    expect(r.stdout).toContain('# no describe-vpcs output');
  });

  it('says which entries of a folder it did not read', async () => {
    const dir = mkdtempSync(join(tmp, 'dir-'));
    for (const f of walkthroughFiles()) writeFileSync(join(dir, f.file.replace(/^.*\//, '')), f.text);
    writeFileSync(join(dir, 'notes.txt'), 'collected on Tuesday\n');
    const r = await runCli(['import', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`vpc-cni-sim import: note: ${join(dir, 'notes.txt')}: not a .json, .yaml or .yml file; not read\n`);
    expect(r.stdout).toContain('existing:');
  });
});
