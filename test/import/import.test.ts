/**
 * `import` on the walkthrough's files (the Enhanced Subnet Discovery walkthrough just before the inflate Deployment,
 * built from its published figures: a /24 VPC, six /27 subnets, private ones at 16, 7 and 0 free addresses, two
 * m6a.large nodes, CoreDNS, aws-node and kube-proxy): what the scenario says, that files are recognised by content
 * (any name, JSON or YAML), and the defaults, warnings and comments when files are missing; every scenario written
 * here is also loaded by the scenario loader.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { importCluster as importOnly, type InputFile } from '../../src/import/index.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import { walkthroughFiles } from './walkthrough-files.ts';

type Obj = Record<string, any>;

/** Every import here must also be a scenario the loader takes. */
function importCluster(files: InputFile[]) {
  const r = importOnly(files);
  loadScenarioText(r.yaml, 'imported.yaml');
  return r;
}

/** The YAML with each wrapped comment joined back into one line. */
const unwrapped = (yaml: string) => yaml.replace(/\n\s*#  {2}/g, ' ');

describe('import of the walkthrough', () => {
  const { scenario, yaml, warnings } = importCluster(walkthroughFiles());
  const s = scenario as Obj;

  it('takes the VPC, cluster and add-on as describe-vpcs, describe-cluster and the aws-node image say', () => {
    expect(warnings).toEqual([]);
    expect(s.region).toBe('us-west-2');
    expect(s.vpc).toEqual({ cidrBlocks: ['10.0.0.0/24'] });
    expect(s.cluster.name).toBe('esd-demo');
    expect(s.cluster.kubernetesVersion).toBe('1.29');
    expect(s.cluster.endpointAccess).toBe('public');
    expect(s.cluster.vpcCni.version).toBe('1.18.0');
    // Only the variables the simulator reads that differ from the manifest; the rest named in a comment.
    expect(s.cluster.vpcCni.env).toEqual({ CLUSTER_NAME: 'esd-demo' });
    expect(unwrapped(yaml)).toContain('not read by the simulator: ANNOTATE_POD_IP=false');
    expect(s.cluster.eniConfigs).toBeUndefined();
  });

  it('gives each subnet its tags and the addresses held outside the cluster, so the free counts are 16, 7 and 0', () => {
    const ids = s.subnets.map((x: Obj) => x.id);
    expect(ids).toHaveLength(6);
    const byName = (n: string) => s.subnets.find((x: Obj) => x.tags.Name === `esd-demo/Subnet${n}`);
    // NAT gateway; VPC endpoint; another instance's ENI; another instance, a leaked ENI, an NLB and an endpoint.
    expect(['PublicUSWEST2A', 'PublicUSWEST2B', 'PrivateUSWEST2A', 'PrivateUSWEST2B', 'PrivateUSWEST2C'].map((n) => byName(n).externalUse ?? 0)).toEqual([1, 0, 1, 10, 27]);
    expect(byName('PublicUSWEST2A').public).toBe(true);
    expect(byName('PrivateUSWEST2B').public).toBeUndefined();
    expect(byName('PrivateUSWEST2A').tags['kubernetes.io/role/internal-elb']).toBe('1');
    const held = (id: string) => s.existing.nodes.flatMap((n: Obj) => n.enis).filter((e: Obj) => e.subnet === id).reduce((k: number, e: Obj) => k + 1 + (e.secondaryIps?.length ?? 0), 0);
    const free = ['PrivateUSWEST2A', 'PrivateUSWEST2B', 'PrivateUSWEST2C'].map((n) => 27 - (byName(n).externalUse ?? 0) - held(byName(n).id));
    expect(free).toEqual([16, 7, 0]);
  });

  it('puts the two nodes in node group ng-1 with their ENIs as EC2 lists them', () => {
    expect(s.nodeGroups).toHaveLength(1);
    expect(s.nodeGroups[0]).toMatchObject({ name: 'ng-1', instanceType: 'm6a.large', desiredCapacity: 2, subnets: ['subnet-0d4e5f6a7b8c9d0e3', 'subnet-0e5f6a7b8c9d0e1f4'] });
    expect(s.nodeGroups[0].labels['kubernetes.io/os']).toBe('linux');
    const [a, b] = s.existing.nodes;
    expect(a).toMatchObject({ name: 'ip-10-0-0-109.us-west-2.compute.internal', instanceId: 'i-0123456789abcdef1', instanceType: 'm6a.large', subnet: 'subnet-0d4e5f6a7b8c9d0e3', nodeGroup: 'ng-1' });
    expect(a.maxPods).toBeUndefined(); // allocatable pods 29 = the type's eni-max-pods value
    expect(a.labels).toEqual({ 'failure-domain.beta.kubernetes.io/zone': 'us-west-2a', 'topology.k8s.aws/zone-id': 'usw2-az1' });
    expect(a.enis).toEqual([
      { id: 'eni-0cc33dd44ee55ff63', deviceIndex: 0, subnet: 'subnet-0d4e5f6a7b8c9d0e3', primaryIp: '10.0.0.109', secondaryIps: ['10.0.0.113', '10.0.0.126', '10.0.0.121', '10.0.0.105', '10.0.0.114', '10.0.0.117', '10.0.0.123', '10.0.0.100', '10.0.0.102'] },
    ]);
    expect(b.enis[0].primaryIp).toBe('10.0.0.147');
    // Instances in the VPC that are not nodes (reporting-db-proxy, batch-runner) are not nodes here.
    expect(s.existing.nodes).toHaveLength(2);
  });

  it('keeps CoreDNS (pods and Deployment) and leaves out the aws-node and kube-proxy pods', () => {
    expect(s.existing.pods).toEqual([
      { namespace: 'kube-system', name: 'coredns-787cb67946-8lzqw', node: 'ip-10-0-0-147.us-west-2.compute.internal', ip: '10.0.0.141', deployment: 'coredns' },
      { namespace: 'kube-system', name: 'coredns-787cb67946-vt5rn', node: 'ip-10-0-0-147.us-west-2.compute.internal', ip: '10.0.0.134', deployment: 'coredns' },
    ]);
    const [dns] = s.existing.deployments;
    expect(dns.metadata).toMatchObject({ name: 'coredns', namespace: 'kube-system' });
    expect(dns.spec.replicas).toBe(2);
    expect(dns.spec.selector).toEqual({ matchLabels: { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns' } });
    expect(dns.spec.template.spec.containers).toEqual([{ name: 'coredns', image: '602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/coredns:v1.11.1-eksbuild.4', resources: { requests: { cpu: '100m', memory: '70Mi' } } }]);
    expect(dns.spec.template.spec.affinity).toBeUndefined();
    expect(unwrapped(yaml)).toContain('# kube-system/coredns: affinity, tolerations, topologySpreadConstraints left out');
  });

  it('recognises files by content: other names, YAML instead of JSON, any order', () => {
    const renamed = walkthroughFiles().reverse().map((f, i) => ({ file: `dump-${i}.${i % 2 === 0 ? 'yaml' : 'json'}`, text: i % 2 === 0 ? stringify(JSON.parse(f.text.startsWith('{') ? f.text : '{}')) : f.text }));
    // eniconfigs.yaml's empty list can only be told by its name: unnamed, it is not read (and said so).
    const again = importCluster(renamed.filter((f) => f.text.trim() !== '{}\n' && f.text.trim() !== '{}'));
    expect(again.scenario).toEqual(scenario);
  });
});

describe('missing files take stated defaults, warn, and say so in the YAML', () => {
  it('without describe-vpcs, describe-cluster, describe-addon and describe-instances', () => {
    const r = importCluster(walkthroughFiles({ without: ['vpcs.json', 'cluster.json', 'addon-vpc-cni.json', 'instances.json'] }));
    const s = r.scenario as Obj;
    expect(s.vpc.cidrBlocks).toEqual(['10.0.0.0/24']); // the smallest block holding the six subnets
    expect(s.cluster.kubernetesVersion).toBe('1.29'); // from kubeletVersion v1.29.0-eks-…
    expect(s.cluster.name).toBe('esd-demo'); // aws-node's CLUSTER_NAME
    expect(s.cluster.endpointAccess).toBe('public');
    expect(s.existing.nodes.map((n: Obj) => n.instanceType)).toEqual(['m6a.large', 'm6a.large']); // the node label
    expect(r.warnings).toHaveLength(4);
    expect(r.warnings.join('\n')).toMatch(/no describe-vpcs output: .*10\.0\.0\.0\/24/);
    expect(r.warnings.join('\n')).toMatch(/the Kubernetes version is the nodes' kubelet version, 1\.29/);
    expect(r.warnings.join('\n')).toMatch(/no endpoint access .*: public/);
    expect(r.warnings.join('\n')).toMatch(/no describe-instances output/);
    for (const w of r.warnings) expect(unwrapped(r.yaml)).toContain(w);
    expect(r.yaml).toMatch(/# no describe-vpcs output[^\n]*\n(#[^\n]*\n)*vpc:/);
  });

  it('without pods, the aws-node DaemonSet and deployments', () => {
    const r = importCluster(walkthroughFiles({ without: ['pods.json', 'aws-node.json', 'deployments.json'] }));
    const s = r.scenario as Obj;
    expect(s.existing.pods).toEqual([]);
    expect(s.existing.deployments).toEqual([]);
    expect(s.cluster.vpcCni).toEqual({ version: '1.18.0' }); // from describe-addon
    expect(r.warnings).toHaveLength(3);
    expect(r.yaml).toMatch(/# no aws-node DaemonSet[^\n]*\n(#[^\n]*\n)*\s*vpcCni:/);
  });

  it('a pod not yet Running is left to its Deployment, with a warning naming it', () => {
    const files = walkthroughFiles();
    const pods = files.find((f) => f.file.endsWith('pods.json'))!;
    const doc = JSON.parse(pods.text);
    doc.items[3].status = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] };
    pods.text = JSON.stringify(doc);
    const r = importCluster(files);
    expect((r.scenario as Obj).existing.pods.map((p: Obj) => p.name)).toEqual(['coredns-787cb67946-8lzqw']);
    expect(r.warnings).toEqual([expect.stringContaining('kube-system/coredns-787cb67946-vt5rn (Pending)')]);
  });
});

describe('pods without a Deployment', () => {
  it('keep their labels (less pod-template-hash) and summed requests', () => {
    const r = importCluster(walkthroughFiles({ without: ['deployments.json'] }));
    const [p] = (r.scenario as Obj).existing.pods;
    expect(p).toEqual({ namespace: 'kube-system', name: 'coredns-787cb67946-8lzqw', node: 'ip-10-0-0-147.us-west-2.compute.internal', ip: '10.0.0.141', labels: { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns' }, requests: { cpu: '100m', memory: '70Mi' } });
    expect(unwrapped(r.yaml)).toContain('pods of ReplicaSets with no Deployment in the deployments file kept as bare pods: kube-system/coredns-787cb67946');
  });
});

describe('custom networking', () => {
  const eniConfigs = (items: string) => `apiVersion: v1\nitems:\n${items}kind: List\nmetadata:\n  resourceVersion: ""\n`;
  const item = (name: string, subnet: string) =>
    `- apiVersion: crd.k8s.amazonaws.com/v1alpha1\n  kind: ENIConfig\n  metadata:\n    name: ${name}\n  spec:\n    securityGroups:\n    - sg-0123456789abcdef0\n    subnet: ${subnet}\n`;

  it('ENIConfigs from `kubectl get eniconfigs -o yaml` become cluster.eniConfigs', () => {
    const files = walkthroughFiles();
    files.find((f) => f.file.endsWith('eniconfigs.yaml'))!.text = eniConfigs(item('us-west-2a', 'subnet-04f1a2b3c4d5e6f70') + item('us-west-2b', 'subnet-0b2c3d4e5f6a7b8c1'));
    const s = importCluster(files).scenario as Obj;
    expect(s.cluster.eniConfigs).toEqual([
      { name: 'us-west-2a', subnet: 'subnet-04f1a2b3c4d5e6f70', securityGroups: ['sg-0123456789abcdef0'] },
      { name: 'us-west-2b', subnet: 'subnet-0b2c3d4e5f6a7b8c1', securityGroups: ['sg-0123456789abcdef0'] },
    ]);
  });

  it('an ENIConfig naming a subnet outside the VPC is refused', () => {
    const files = walkthroughFiles();
    files.find((f) => f.file.endsWith('eniconfigs.yaml'))!.text = eniConfigs(item('us-west-2a', 'subnet-0123'));
    expect(() => importCluster(files)).toThrow('test/fixtures/import/walkthrough/eniconfigs.yaml: items[0].spec.subnet: subnet subnet-0123 is not in test/fixtures/import/walkthrough/subnets.json');
  });
});

describe('Fargate', () => {
  it('leaves Fargate nodes and their pods out, with a warning', () => {
    const files = walkthroughFiles();
    const nodes = files.find((f) => f.file.endsWith('nodes.json'))!;
    const pods = files.find((f) => f.file.endsWith('pods.json'))!;
    const nd = JSON.parse(nodes.text);
    const name = 'fargate-ip-10-0-0-150.us-west-2.compute.internal';
    nd.items.push({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'eks.amazonaws.com/compute-type': 'fargate' } }, spec: { providerID: 'aws:///us-west-2b/0a1b2c3d4e/fargate-ip-10-0-0-150.us-west-2.compute.internal' } });
    nodes.text = JSON.stringify(nd);
    const pd = JSON.parse(pods.text);
    pd.items.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'default' }, spec: { nodeName: name, containers: [{ name: 'web', image: 'nginx' }] }, status: { phase: 'Running', podIP: '10.0.0.150' } });
    pods.text = JSON.stringify(pd);
    const r = importCluster(files);
    expect((r.scenario as Obj).existing.nodes).toHaveLength(2);
    expect((r.scenario as Obj).existing.pods.map((p: Obj) => p.name)).not.toContain('web-1');
    expect(r.warnings).toEqual([`Fargate nodes left out, with their pods (no EC2 instance or ipamd to simulate): ${name}`]);
  });
});

describe('multi-card instances', () => {
  it('an ENI on network card 1 is left out and its address counts as held outside', () => {
    const files = walkthroughFiles();
    const enis = files.find((f) => f.file.endsWith('network-interfaces.json'))!;
    const subnets = files.find((f) => f.file.endsWith('subnets.json'))!;
    const doc = JSON.parse(enis.text);
    const card1 = structuredClone(doc.NetworkInterfaces[2]);
    Object.assign(card1, { NetworkInterfaceId: 'eni-0feedfacecafe0001', PrivateIpAddress: '10.0.0.125', PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: '10.0.0.125' }] });
    Object.assign(card1.Attachment, { DeviceIndex: 0, NetworkCardIndex: 1 });
    doc.NetworkInterfaces.push(card1);
    enis.text = JSON.stringify(doc);
    subnets.text = subnets.text.replace('"AvailableIpAddressCount": 16', '"AvailableIpAddressCount": 15');
    const r = importCluster(files);
    const s = r.scenario as Obj;
    expect(s.existing.nodes[0].enis.map((e: Obj) => e.id)).toEqual(['eni-0cc33dd44ee55ff63']);
    expect(s.subnets.find((x: Obj) => x.id === 'subnet-0d4e5f6a7b8c9d0e3').externalUse).toBe(2);
    expect(r.warnings).toEqual([expect.stringContaining('ENIs on network cards other than 0 left out')]);
  });
});

describe('files collected at different moments', () => {
  it('a subnet counting fewer used addresses than the nodes hold gets externalUse 0, with a warning', () => {
    const files = walkthroughFiles();
    const subnets = files.find((f) => f.file.endsWith('subnets.json'))!;
    subnets.text = subnets.text.replace('"AvailableIpAddressCount": 7', '"AvailableIpAddressCount": 20');
    const r = importCluster(files);
    expect((r.scenario as Obj).subnets.find((x: Obj) => x.id === 'subnet-0e5f6a7b8c9d0e1f4').externalUse).toBeUndefined();
    expect(r.warnings).toEqual(['subnet-0e5f6a7b8c9d0e1f4: the nodes\' ENIs hold 3 more addresses than describe-subnets counts as used (files collected at different times?); externalUse 0']);
  });
});

describe('node groups', () => {
  it('a node without a node-group label is standalone; a kubelet max pods other than the default is kept', () => {
    const files = walkthroughFiles();
    const nodes = files.find((f) => f.file.endsWith('nodes.json'))!;
    const doc = JSON.parse(nodes.text);
    for (const k of ['eks.amazonaws.com/nodegroup', 'alpha.eksctl.io/nodegroup-name']) delete doc.items[1].metadata.labels[k];
    doc.items[0].status.allocatable.pods = '110';
    doc.items[0].metadata.labels['eks.amazonaws.com/nodegroup'] = 'NG_Blue';
    doc.items[0].metadata.labels['alpha.eksctl.io/nodegroup-name'] = 'NG_Blue';
    nodes.text = JSON.stringify(doc);
    const r = importCluster(files);
    const s = r.scenario as Obj;
    expect(s.nodeGroups).toEqual([expect.objectContaining({ name: 'ng_blue', desiredCapacity: 1, maxPods: 110, subnets: ['subnet-0d4e5f6a7b8c9d0e3'] })]);
    expect(s.existing.nodes[0].nodeGroup).toBe('ng_blue');
    expect(s.existing.nodes[0].maxPods).toBeUndefined(); // the group's
    expect(s.existing.nodes[1].nodeGroup).toBeUndefined();
    expect(s.existing.nodes[1].labels['kubernetes.io/os']).toBe('linux');
    expect(unwrapped(r.yaml)).toContain('# node group "NG_Blue", renamed to a scenario name');
  });
});

describe('pods being deleted', () => {
  it('a Terminating pod (deletionTimestamp set, still Running with its address) is left out, with a warning', () => {
    const files = walkthroughFiles();
    const pods = files.find((f) => f.file.endsWith('pods.json'))!;
    const doc = JSON.parse(pods.text);
    Object.assign(doc.items[2].metadata, { deletionTimestamp: '2024-03-20T14:20:00Z', deletionGracePeriodSeconds: 30 });
    pods.text = JSON.stringify(doc);
    const r = importCluster(files);
    expect((r.scenario as Obj).existing.pods.map((p: Obj) => p.name)).toEqual(['coredns-787cb67946-vt5rn']);
    expect(r.warnings).toEqual([expect.stringContaining('kube-system/coredns-787cb67946-8lzqw (Terminating)')]);
  });
});
