/**
 * `run --export DIR`: the files are what the real commands print — the AWS CLI's `--output json` (Python's
 * `json.dumps(indent=4, ensure_ascii=False)`; goldens below were printed by Python itself), kubectl's `-o json`
 * (`json.MarshalIndent` with 4 spaces over unstructured maps: keys sorted, HTML characters escaped) and `-o yaml`
 * (go-yaml v2 through sigs.k8s.io/yaml) — in the shapes of the AWS CLI reference (botocore) and the Kubernetes API
 * reference; and every value agrees with the World and across files (an address a pod holds is on its node's ENIs,
 * a node's providerID names an instance whose ENIs are the ones describe-network-interfaces attaches to it).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import { formatCpuMilli, formatMemoryBytes, parseCpuMilli, parseMemoryBytes } from '../../src/model/k8s/quantity.ts';
import { describeNetworkInterfaces, describeSubnets } from '../../src/report/aws-shapes.ts';
import { exportClusterFiles } from '../../src/report/export/cluster-files.ts';
import { awsCliJson, kubectlJson, kubectlList, kubectlYaml } from '../../src/report/export/printers.ts';
import { runScenario } from '../../src/scenario/runner.ts';
import { runCli } from '../support/cli.ts';
import { clusterState, type ClusterState } from '../support/cluster-state.ts';

/** Parsed JSON, read field by field as the tests walk it. */
type Json = Record<string, any>;

function exported(file: string, until?: number) {
  const run = runScenario(loadScenario(file), until === undefined ? {} : { until });
  const files = exportClusterFiles(run.world);
  const byName = new Map(files.map((f) => [f.name, f]));
  const json = (name: string): Json => JSON.parse(byName.get(name)!.text) as Json;
  return { world: run.world, files, byName, json };
}

describe('printers', () => {
  it('prints --output json as the AWS CLI does (Python json.dumps, indent 4, non-ASCII as it is)', () => {
    const v = { Vpcs: [{ CidrBlock: '10.0.0.0/24', Tags: [], Empty: {}, Name: 'café <a&b>', Nested: [{ K: [1, 2] }], Flag: false }] };
    expect(awsCliJson(v)).toBe(
      '{\n    "Vpcs": [\n        {\n            "CidrBlock": "10.0.0.0/24",\n            "Tags": [],\n            "Empty": {},\n' +
        '            "Name": "café <a&b>",\n            "Nested": [\n                {\n                    "K": [\n                        1,\n' +
        '                        2\n                    ]\n                }\n            ],\n            "Flag": false\n        }\n    ]\n}\n',
    );
  });

  it('prints -o json as kubectl does: keys sorted at every level, HTML characters escaped, a List wrapper', () => {
    const text = kubectlJson(kubectlList([{ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'a', labels: { z: '1', a: '<&>' } } }]));
    expect(text).toBe(
      '{\n    "apiVersion": "v1",\n    "items": [\n        {\n            "apiVersion": "v1",\n            "kind": "Pod",\n' +
        '            "metadata": {\n                "labels": {\n                    "a": "\\u003c\\u0026\\u003e",\n                    "z": "1"\n' +
        '                },\n                "name": "a"\n            }\n        }\n    ],\n    "kind": "List",\n    "metadata": {\n' +
        '        "resourceVersion": ""\n    }\n}\n',
    );
  });

  it('prints -o yaml as kubectl does: sorted keys, sequences flush with their key, "" quoted', () => {
    const eni = { kind: 'ENIConfig', apiVersion: 'crd.k8s.amazonaws.com/v1alpha1', metadata: { name: 'us-west-2a' }, spec: { subnet: 'subnet-0aaa', securityGroups: ['sg-0123'] } };
    expect(kubectlYaml(kubectlList([eni]))).toBe(
      [
        'apiVersion: v1',
        'items:',
        '- apiVersion: crd.k8s.amazonaws.com/v1alpha1',
        '  kind: ENIConfig',
        '  metadata:',
        '    name: us-west-2a',
        '  spec:',
        '    securityGroups:',
        '    - sg-0123',
        '    subnet: subnet-0aaa',
        'kind: List',
        'metadata:',
        '  resourceVersion: ""',
        '',
      ].join('\n'),
    );
  });

  it('writes quantities back in the canonical form the API server returns', () => {
    expect([100, 1000, 1930, 2500].map(formatCpuMilli)).toEqual(['100m', '1', '1930m', '2500m']);
    expect([70 * 2 ** 20, 7 * 2 ** 30, 7291468 * 1024, 1000, 0].map(formatMemoryBytes)).toEqual(['70Mi', '7Gi', '7291468Ki', '1000', '0']);
    for (const m of [1, 50, 999, 1000, 12345]) expect(parseCpuMilli(formatCpuMilli(m))).toBe(m);
    for (const b of [1, 1024, 3 * 2 ** 20 + 1, 2 ** 40]) expect(parseMemoryBytes(formatMemoryBytes(b))).toBe(b);
  });
});

describe('the inflate walkthrough exported at 4m30s', () => {
  const x = exported('scenarios/inflate-exhaustion.yaml', 270_000);

  it('writes the same bytes for the same scenario and seed, and others for another seed', () => {
    const again = exported('scenarios/inflate-exhaustion.yaml', 270_000);
    expect(again.files).toEqual(x.files);
    const s = loadScenario('scenarios/inflate-exhaustion.yaml', { seed: 99 });
    const other = exportClusterFiles(runScenario(s, { until: 270_000 }).world);
    expect(other.find((f) => f.name === 'pods.json')!.text).not.toBe(x.byName.get('pods.json')!.text);
  });

  it('writes one file per command, each ending in a newline', () => {
    expect(x.files.map((f) => f.name)).toEqual([
      'vpcs.json',
      'subnets.json',
      'network-interfaces.json',
      'instances.json',
      'cluster.json',
      'nodes.json',
      'pods.json',
      'aws-node.json',
      'deployments.json',
      'eniconfigs.yaml',
    ]);
    for (const f of x.files) expect(f.text.endsWith('\n'), f.name).toBe(true);
  });

  it('gives subnets and ENIs exactly as the report\'s AWS shapes have them, and the VPC its blocks', () => {
    expect(x.json('subnets.json')).toEqual(describeSubnets(x.world));
    expect(x.json('network-interfaces.json')).toEqual(describeNetworkInterfaces(x.world));
    const vpc = x.json('vpcs.json').Vpcs[0];
    expect(vpc.VpcId).toBe(x.world.vpcId);
    expect(vpc.CidrBlockAssociationSet.map((a: Json) => a.CidrBlock)).toEqual(x.world.vpc().cidrBlocks);
    expect(Object.keys(vpc)).toEqual(['CidrBlock', 'State', 'VpcId', 'CidrBlockAssociationSet', 'IsDefault']);
  });

  it('lists each node\'s instance with the ENIs describe-network-interfaces attaches to it, in botocore\'s member order', () => {
    const nodes = x.json('nodes.json');
    const instances = x.json('instances.json').Reservations.flatMap((r: Json) => r.Instances) as Json[];
    const enis = x.json('network-interfaces.json').NetworkInterfaces as Json[];
    expect(nodes.kind).toBe('List');
    expect(nodes.items).toHaveLength(x.world.nodes().filter((n) => n.registered).length);
    for (const n of nodes.items as Json[]) {
      const [, az, id] = /^aws:\/\/\/([a-z0-9-]+)\/(i-[0-9a-f]+)$/.exec(n.spec.providerID)!;
      expect(n.metadata.labels['topology.kubernetes.io/zone']).toBe(az);
      const inst = instances.find((i) => i.InstanceId === id)!;
      expect(inst.PrivateDnsName).toBe(n.metadata.name);
      expect(n.metadata.labels['node.kubernetes.io/instance-type']).toBe(inst.InstanceType);
      expect(n.metadata.labels['eks.amazonaws.com/nodegroup']).toBe('ng-1');
      expect(n.status.allocatable.pods).toBe('29');
      expect(inst.Placement.AvailabilityZone).toBe(az);
      const attached = enis.filter((e) => e.Attachment?.InstanceId === id).sort((a, b) => a.Attachment.DeviceIndex - b.Attachment.DeviceIndex);
      expect(inst.NetworkInterfaces.map((e: Json) => e.NetworkInterfaceId)).toEqual(attached.map((e) => e.NetworkInterfaceId));
      expect(inst.NetworkInterfaces.map((e: Json) => e.PrivateIpAddresses)).toEqual(attached.map((e) => e.PrivateIpAddresses));
    }
    expect(Object.keys(instances[0])).toEqual(['InstanceId', 'InstanceType', 'LaunchTime', 'Placement', 'PrivateDnsName', 'PrivateIpAddress', 'State', 'SubnetId', 'VpcId', 'NetworkInterfaces', 'Tags']);
    expect(instances[0].State).toEqual({ Code: 16, Name: 'running' });
    expect(Object.keys(instances[0].NetworkInterfaces[0].Attachment)).toEqual(['AttachmentId', 'DeleteOnTermination', 'DeviceIndex', 'Status', 'NetworkCardIndex']);
    expect(Object.keys(enis[0].Attachment)).toEqual(['AttachmentId', 'DeleteOnTermination', 'DeviceIndex', 'NetworkCardIndex', 'InstanceId', 'Status']);
    expect(instances[0].LaunchTime).toMatch(/^2025-01-01T00:\d\d:\d\d\+00:00$/);
  });

  it('gives every pod of the API server with its owner, node and the address its node\'s ENIs hold', () => {
    const pods = x.json('pods.json').items as Json[];
    const enis = x.json('network-interfaces.json').NetworkInterfaces as Json[];
    const nodes = x.json('nodes.json').items as Json[];
    expect(pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(
      x.world
        .pods()
        .map((p) => `${p.namespace}/${p.name}`)
        .sort(),
    );
    const world = new Map(x.world.pods().map((p) => [`${p.namespace}/${p.name}`, p]));
    let running = 0;
    for (const p of pods) {
      const w = world.get(`${p.metadata.namespace}/${p.metadata.name}`)!;
      expect(p.spec.nodeName).toBe(w.node);
      expect(p.status.phase).toBe(w.status === 'Running' ? 'Running' : 'Pending');
      if (w.owner.kind !== 'None') expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: w.owner.kind, name: w.owner.name }]);
      if (w.status !== 'Running') {
        expect(p.status.podIP).toBeUndefined();
        continue;
      }
      running++;
      expect(p.status.podIP).toBe(w.ip);
      const node = nodes.find((n) => n.metadata.name === p.spec.nodeName)!;
      const instanceId = node.spec.providerID.split('/').pop();
      const held = enis.filter((e) => e.Attachment?.InstanceId === instanceId).flatMap((e) => e.PrivateIpAddresses.map((a: Json) => a.PrivateIpAddress));
      expect(held).toContain(p.status.podIP);
      if (p.spec.hostNetwork === true) expect(p.status.podIP).toBe(node.status.addresses[0].address);
    }
    expect(running).toBeGreaterThan(20);
    const stuck = pods.filter((p) => p.metadata.labels.app === 'inflate' && p.status.phase === 'Pending');
    expect(stuck.length).toBeGreaterThanOrEqual(10);
    expect(stuck[0].status.containerStatuses[0].state).toEqual({ waiting: { reason: 'ContainerCreating' } });
  });

  it('gives the Deployments with replicas, selector and template, and aws-node with its image tag and env', () => {
    const deps = x.json('deployments.json').items as Json[];
    const inflate = deps.find((d) => d.metadata.name === 'inflate')!;
    expect(inflate.spec.replicas).toBe(50);
    expect(inflate.spec.selector).toEqual({ matchLabels: { app: 'inflate' } });
    expect(inflate.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '50m' } });
    expect(inflate.status.replicas).toBe(50);
    expect(inflate.status.readyReplicas).toBe(x.world.deployments().find((d) => d.name === 'inflate')!.ready);
    expect(deps.map((d) => `${d.metadata.namespace}/${d.metadata.name}`)).toEqual(['default/inflate', 'kube-system/coredns']);
    const ds = x.json('aws-node.json');
    expect(ds.kind).toBe('DaemonSet');
    const c = ds.spec.template.spec.containers[0];
    expect(c.image).toBe('602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.18.0');
    const env = Object.fromEntries((c.env as Json[]).map((e) => [e.name, e.value]));
    expect(env).toEqual(x.world.clusterInfo().awsNode.env);
    expect(env.WARM_ENI_TARGET).toBe('1');
    expect(ds.status.desiredNumberScheduled).toBe(2);
    const cluster = x.json('cluster.json').cluster;
    expect(cluster.version).toBe(x.world.spec.cluster.kubernetesVersion);
    expect(cluster.resourcesVpcConfig.vpcId).toBe(x.world.vpcId);
  });
});

describe('a pod being deleted', () => {
  it('keeps its phase and address, with deletionTimestamp and the grace period, as the API server shows it', () => {
    const run = runScenario(loadScenario('scenarios/inflate-exhaustion.yaml'), { until: 270_000 });
    expect(run.world.cluster.scale('kube-system', 'coredns', 0).ok).toBe(true);
    run.world.runUntil(275_000);
    const pods = (JSON.parse(exportClusterFiles(run.world).find((f) => f.name === 'pods.json')!.text) as Json).items as Json[];
    const dns = pods.filter((p) => p.metadata.labels['k8s-app'] === 'kube-dns');
    expect(dns).toHaveLength(2);
    for (const p of dns) {
      expect(p.metadata.deletionTimestamp).toBe('2025-01-01T00:04:30Z');
      expect(p.metadata.deletionGracePeriodSeconds).toBe(30);
      expect(p.status.phase).toBe('Running');
      expect(p.status.podIP).toBe(run.world.podSpec('kube-system', p.metadata.name)!.ip);
    }
  });
});

/** The cluster state as the files tell it, read the way the API reference defines the fields. */
function stateOfFiles(json: (name: string) => Json): ClusterState {
  const subnets = json('subnets.json').Subnets as Json[];
  const cidr = new Map(subnets.map((s) => [s.SubnetId, s.CidrBlock]));
  const enis = json('network-interfaces.json').NetworkInterfaces as Json[];
  const instances = new Map((json('instances.json').Reservations as Json[]).flatMap((r) => r.Instances as Json[]).map((i) => [i.InstanceId, i]));
  return {
    subnets: subnets.map((s) => ({ cidr: s.CidrBlock, az: s.AvailabilityZone, free: s.AvailableIpAddressCount })).sort((a, b) => (a.cidr < b.cidr ? -1 : 1)),
    nodes: (json('nodes.json').items as Json[]).map((n) => {
      const instanceId = (n.spec.providerID as string).split('/').pop()!;
      return {
        name: n.metadata.name,
        instanceId,
        instanceType: n.metadata.labels['node.kubernetes.io/instance-type'],
        az: n.metadata.labels['topology.kubernetes.io/zone'],
        subnet: cidr.get(instances.get(instanceId)!.SubnetId)!,
        enis: enis
          .filter((e) => e.Attachment?.InstanceId === instanceId)
          .sort((a, b) => a.Attachment.DeviceIndex - b.Attachment.DeviceIndex)
          .map((e) => ({
            id: e.NetworkInterfaceId,
            deviceIndex: e.Attachment.DeviceIndex,
            subnet: cidr.get(e.SubnetId)!,
            primaryIp: e.PrivateIpAddress,
            secondaryIps: (e.PrivateIpAddresses as Json[]).filter((a) => !a.Primary).map((a) => a.PrivateIpAddress as string).sort(),
            prefixes: ((e.Ipv4Prefixes ?? []) as Json[]).map((p) => p.Ipv4Prefix as string).sort(),
          })),
      };
    }),
    pods: (json('pods.json').items as Json[])
      .filter((p) => p.status.phase === 'Running' && p.metadata.deletionTimestamp === undefined && p.metadata.ownerReferences?.[0]?.kind !== 'DaemonSet')
      .map((p) => ({ pod: `${p.metadata.namespace}/${p.metadata.name}`, node: p.spec.nodeName, ip: p.status.podIP }))
      .sort((a, b) => (a.pod < b.pod ? -1 : 1)),
  };
}

describe('the files read back', () => {
  for (const [file, until] of [
    ['scenarios/inflate-exhaustion.yaml', 270_000],
    ['scenarios/inflate-exhaustion.yaml', 600_000],
    ['scenarios/prefix-fragmentation.yaml', undefined],
    ['scenarios/custom-networking.yaml', undefined],
    ['scenarios/warm-pool-tradeoff.yaml', 300_000],
  ] as const) {
    it(`give the World's nodes, ENIs, addresses, prefixes, Running pods and free addresses (${file.replace('scenarios/', '')}${until === undefined ? '' : ` at ${until / 1000}s`})`, () => {
      const x = exported(file, until);
      const state = clusterState(x.world);
      expect(stateOfFiles(x.json)).toEqual(state);
      expect(state.pods.length).toBeGreaterThan(0);
    });
  }
});

describe('other clusters', () => {
  it('writes ENIConfigs with their subnets\' EC2 ids (custom networking)', () => {
    const x = exported('scenarios/custom-networking.yaml');
    const list = x.byName.get('eniconfigs.yaml')!.text;
    const subnets = x.json('subnets.json').Subnets as Json[];
    const idOf = (name: string) => subnets.find((s) => s.Tags.some((t: Json) => t.Key === 'Name' && t.Value === name))!.SubnetId;
    expect(list).toContain(`- apiVersion: crd.k8s.amazonaws.com/v1alpha1\n  kind: ENIConfig\n  metadata:\n    name: us-west-2a\n  spec:\n    subnet: ${idOf('subnet-pods-a')}\n`);
    expect(list).toContain(`    name: us-west-2b\n  spec:\n    subnet: ${idOf('subnet-pods-b')}\n`);
  });

  it('gives an IPv6 cluster its /56 and ipFamily', () => {
    const x = exported('scenarios/inflate-ipv6.yaml');
    expect(x.json('vpcs.json').Vpcs[0].Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock).toMatch(/::\/56$/);
    expect(x.json('cluster.json').cluster.kubernetesNetworkConfig).toEqual({ ipFamily: 'ipv6' });
  });
});

describe('vpc-cni-sim run --export', () => {
  it('writes the folder beside the report and says where on stderr', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'export-')), 'cluster');
    const r = await runCli(['run', 'scenarios/inflate-exhaustion.yaml', '--until', '4m30s', '--export', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('inflate');
    expect(r.stderr).toContain(`exported the cluster at 4m30s to ${dir}`);
    expect(readdirSync(dir).sort()).toEqual(exportedNames().sort());
    expect(readFileSync(join(dir, 'pods.json'), 'utf8').startsWith('{\n    "apiVersion": "v1",\n    "items": [\n')).toBe(true);
  });

  it('refuses a path that is a file, in one line naming --export, before running', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'export-')), 'f');
    writeFileSync(file, 'x');
    const r = await runCli(['run', 'scenarios/inflate-exhaustion.yaml', '--export', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--export');
    expect(r.stdout).toBe('');
  });
});

function exportedNames(): string[] {
  return ['vpcs.json', 'subnets.json', 'network-interfaces.json', 'instances.json', 'cluster.json', 'nodes.json', 'pods.json', 'aws-node.json', 'deployments.json', 'eniconfigs.yaml'];
}
