/**
 * Every rule the loader enforces on an `existing` section: each broken input is refused as one line naming the file,
 * line, column and field, with the reason (and a suggestion for an unknown name); the CLI exits 2 without a stack.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import { InputError } from '../../src/util/input-error.ts';
import { runCli } from '../support/cli.ts';
import { baseDoc, yamlOf, type Doc } from './fixture.ts';

function refusal(edit: (d: Doc) => void): string {
  const d = baseDoc();
  edit(d);
  try {
    loadScenarioText(yamlOf(d), 'c.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('loaded without complaint');
}

const node0 = 'existing.nodes[0]';
const eni0 = `${node0}.enis[0]`;

describe('existing: the loader', () => {
  it('loads the base document', () => {
    const s = loadScenarioText(yamlOf(baseDoc()), 'c.yaml');
    expect(s.existing?.nodes).toHaveLength(2);
    expect(s.existing?.pods).toHaveLength(4);
  });

  const cases: Array<[string, (d: Doc) => void, RegExp]> = [
    ['an unknown subnet, with a suggestion', (d) => (d.existing.nodes[0].subnet = 'subnet-aa'), new RegExp(`^c\\.yaml:\\d+:\\d+: ${esc(node0)}\\.subnet: unknown subnet "subnet-aa".*did you mean.*subnet-a`)],
    ['an unknown ENI subnet', (d) => (d.existing.nodes[0].enis[1].subnet = 'subnet-zz'), /existing\.nodes\[0\]\.enis\[1\]\.subnet: unknown subnet "subnet-zz"/],
    ['an unknown node group, with a suggestion', (d) => (d.existing.nodes[0].nodeGroup = 'ng-2'), /existing\.nodes\[0\]\.nodeGroup: no node group "ng-2".*ng-1/],
    ['an unknown Deployment, with a suggestion', (d) => (d.existing.pods[0].deployment = 'apq'), /existing\.pods\[0\]\.deployment: no Deployment default\/apq.*default\/app/],
    ['a pod on an unknown node, with a suggestion', (d) => (d.existing.pods[0].node = 'ip-10-0-0-11.us-west-2.compute.internal'), /existing\.pods\[0\]\.node: no existing node "ip-10-0-0-11\.us-west-2\.compute\.internal".*ip-10-0-0-10/],
    ['an address outside its ENI subnet', (d) => (d.existing.nodes[0].enis[0].secondaryIps[1] = '10.0.1.99'), new RegExp(`${esc(eni0)}\\.secondaryIps\\[1\\]: 10\\.0\\.1\\.99 is outside subnet "subnet-a" \\(10\\.0\\.0\\.0/24\\)`)],
    ['a primary IP outside its subnet', (d) => (d.existing.nodes[0].enis[1].primaryIp = '10.0.0.99'), /enis\[1\]\.primaryIp: 10\.0\.0\.99 is outside subnet "subnet-a2"/],
    ['an AWS-reserved address', (d) => (d.existing.nodes[0].enis[0].secondaryIps[0] = '10.0.0.3'), /secondaryIps\[0\]: 10\.0\.0\.3 is one of the five addresses AWS reserves/],
    ['an address held twice by two ENIs', (d) => (d.existing.nodes[0].enis[1].secondaryIps[0] = '10.0.1.10'), /enis\[1\]\.secondaryIps\[0\]: 10\.0\.1\.10 is already held by ip-10-0-0-10\.us-west-2\.compute\.internal eni-0aab/],
    ['an address held by a prefix', (d) => (d.existing.nodes[1].enis[0].primaryIp = '10.0.2.33'), /10\.0\.2\.32\/28 overlaps an address already held/],
    ['a prefix that is not a /28', (d) => (d.existing.nodes[1].enis[0].prefixes = ['10.0.2.32/27']), /prefixes\[0\]: 10\.0\.2\.32\/27 is not a \/28/],
    ['a pod address used twice', (d) => (d.existing.pods[2].ip = '10.0.2.33'), /existing\.pods\[2\]\.ip: 10\.0\.2\.33 is already the address of pod default\/app-5d8c7f9b6d-bbbbb/],
    ["a pod address its node's ENIs do not hold", (d) => (d.existing.pods[0].ip = '10.0.0.50'), /existing\.pods\[0\]\.ip: 10\.0\.0\.50 is not a secondary IP or in a prefix of ip-10-0-0-10/],
    ['a pod on the primary IP', (d) => (d.existing.pods[0].ip = '10.0.0.10'), /existing\.pods\[0\]\.ip: 10\.0\.0\.10 is not a secondary IP/],
    ['a pod without an address', (d) => delete d.existing.pods[0].ip, /existing\.pods\[0\]\.ip: a pod that is not hostNetwork needs its ip/],
    [
      'an ENI holding more addresses than its type allows',
      (d) => (d.existing.nodes[0].enis[1].secondaryIps = Array.from({ length: 10 }, (_, i) => `10.0.1.${20 + i}`)),
      /existing\.nodes\[0\]\.enis\[1\]: 10 secondary IPs and 0 prefixes, but a m5\.large ENI holds at most 9 besides its primary/,
    ],
    [
      'more ENIs than the type allows',
      (d) => d.existing.nodes[0].enis.push(...[2, 3].map((k) => ({ id: `eni-0ac${k}`, deviceIndex: k, subnet: 'subnet-a2', primaryIp: `10.0.1.${100 + k}` }))),
      /existing\.nodes\[0\]\.enis: 4 ENIs, but a m5\.large takes at most 3/,
    ],
    ['prefixes on a type without prefix delegation', (d) => (d.existing.nodes[0].instanceType = 't2.medium', d.existing.nodes[0].enis[0].prefixes = ['10.0.0.64/28']), /prefixes: prefix delegation is not supported for instance type t2\.medium/],
    ['an unknown instance type', (d) => (d.existing.nodes[0].instanceType = 'm5.larg'), /existing\.nodes\[0\]\.instanceType: unknown instance type "m5\.larg"/],
    [
      'more pods on a node than its max pods',
      // app-…-aaaaa and node-agent on it, with aws-node and kube-proxy: 4 > 3
      (d) => (d.existing.nodes[0].maxPods = 3),
      /existing\.pods\[3\]\.node: more pods on ip-10-0-0-10\.us-west-2\.compute\.internal than its max pods 3 \(aws-node and kube-proxy count too\)/,
    ],
    ['the primary ENI outside the node subnet', (d) => (d.existing.nodes[0].enis[0].subnet = 'subnet-a2', d.existing.nodes[0].enis[0].primaryIp = '10.0.1.50', d.existing.nodes[0].enis[0].secondaryIps = []), /enis\[0\]\.subnet: the primary ENI is in the node's subnet \("subnet-a"\)/],
    ['an ENI in another zone', (d) => (d.existing.nodes[0].enis[1].subnet = 'subnet-b', d.existing.nodes[0].enis[1].primaryIp = '10.0.2.90', d.existing.nodes[0].enis[1].secondaryIps = []), /enis\[1\]\.subnet: subnet "subnet-b" is in us-west-2b, the node in us-west-2a/],
    ['a first ENI that is not device 0', (d) => (d.existing.nodes[0].enis[0].deviceIndex = 2), /enis\[0\]\.deviceIndex: the first ENI is the primary: device index 0/],
    ['a device index used twice', (d) => (d.existing.nodes[0].enis[1].deviceIndex = 0), /enis\[1\]\.deviceIndex: device index 0 is used twice/],
    ['a duplicate ENI id', (d) => (d.existing.nodes[1].enis[0].id = 'eni-0aaa'), /existing\.nodes\[1\]\.enis\[0\]\.id: duplicate ENI id "eni-0aaa"/],
    ['a duplicate node', (d) => (d.existing.nodes[1].name = d.existing.nodes[0].name), /existing\.nodes\[1\]\.name: duplicate node/],
    ['a duplicate instance id', (d) => (d.existing.nodes[1].instanceId = 'i-0aaa'), /existing\.nodes\[1\]\.instanceId: duplicate instance id "i-0aaa"/],
    ['a duplicate pod', (d) => (d.existing.pods[1].name = d.existing.pods[0].name), /existing\.pods\[1\]\.name: duplicate pod default\/app-5d8c7f9b6d-aaaaa/],
    ['more existing nodes than the group wants', (d) => (d.nodeGroups[0].desiredCapacity = 0), /existing\.nodes\[0\]\.nodeGroup: node group "ng-1" has desiredCapacity 0, fewer than its existing nodes/],
    ['a Deployment manifest kubectl would refuse', (d) => delete d.existing.deployments[0].spec.selector, /existing\.deployments\[0\]\.spec\.selector: missing spec\.selector\.matchLabels/],
    ['a kind other than Deployment', (d) => (d.existing.deployments[0].kind = 'Pod'), /existing\.deployments\[0\]\.kind: expected kind: Deployment/],
    ['a malformed address', (d) => (d.existing.pods[0].ip = '10.0.0'), /existing\.pods\[0\]\.ip: "10\.0\.0" is not an IPv4 address like 10\.0\.0\.102/],
    ['an IPv6 cluster', (d) => ((d.vpc.ipv6 = true), (d.cluster.ipFamily = 'ipv6')), /existing: an existing state is IPv4 only/],
  ];

  for (const [what, edit, want] of cases) {
    it(`refuses ${what}`, () => {
      expect(refusal(edit)).toMatch(want);
    });
  }

  it('refuses an externalUse that no longer fits beside the existing ENIs', () => {
    // 251 usable, 3 held by eni-0aab
    expect(refusal((d) => (d.subnets[1].externalUse = 249))).toMatch(/^c\.yaml:\d+:\d+: subnets\[1\]\.externalUse: 249 addresses held outside the cluster, but only 248 are free besides the existing ENIs'$/);
  });

  it('the command line: one line on stderr, exit 2, nothing on stdout', async () => {
    const d = baseDoc();
    d.existing.pods[0].node = 'nowhere';
    const r = await runScenario(d);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^.*c\.yaml:\d+:\d+: existing\.pods\[0\]\.node: no existing node "nowhere"/);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});

async function runScenario(d: Doc) {
  const dir = mkdtempSync(`${tmpdir()}/existing-`);
  writeFileSync(`${dir}/c.yaml`, yamlOf(d));
  return await runCli(['run', `${dir}/c.yaml`]);
}

function esc(s: string): string {
  return s.replace(/[.[\]]/g, (c) => `\\${c}`);
}
