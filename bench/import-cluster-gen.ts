/**
 * A large cluster as the AWS CLI and kubectl print it (Contract 2's files, in the shapes of
 * test/fixtures/import/README.md): N m5.xlarge nodes in four managed node groups over three private /18 subnets,
 * each with two ENIs of 14 secondary addresses, and P application pods in Deployments of 100 replicas spread over
 * the nodes, plus an aws-node and a kube-proxy pod per node and CoreDNS. Pods and nodes carry the members kubectl
 * prints (managedFields, conditions, container statuses), so parsing costs what it costs on a real dump.
 * For bench/import-speed.ts; not a test fixture (deterministic, but nothing checks its contents).
 */
import { formatIpv4, parseIpv4 } from '../src/model/vpc/ipv4.ts';

const VPC = 'vpc-0b1e2c3d4e5f60718';
const ACCT = '111122223333';
const REGION = 'us-west-2';
const AZS = ['us-west-2a', 'us-west-2b', 'us-west-2c'];
const SUBNETS = AZS.map((az, i) => ({ id: `subnet-0${i + 1}a2b3c4d5e6f7081`, az, cidr: `10.0.${i * 64}.0/18`, first: parseIpv4(`10.0.${i * 64}.4`) }));
const PUBLIC = AZS.map((az, i) => ({ id: `subnet-0${i + 4}f1e2d3c4b5a6978`, az, cidr: `10.0.${192 + i}.0/24` }));
const hex = (n: number, w = 17) => n.toString(16).padStart(w, '0');
const tags = (o: Record<string, string>) => Object.entries(o).map(([Key, Value]) => ({ Key, Value }));
const list = (items: unknown[]) => ({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } });
const json = (o: unknown) => JSON.stringify(o, null, 4) + '\n';

interface GenNode {
  name: string;
  instanceId: string;
  ip: string;
  subnet: (typeof SUBNETS)[number];
  group: string;
  enis: { id: string; ips: string[]; device: number }[];
  podIps: string[];
}

export function generateCluster(nodeCount: number, podCount: number): Record<string, string> {
  // each subnet's next free address and how many this cluster took
  const subnets = SUBNETS.map((s) => ({ ...s, next: s.first, used: 0 }));
  const nodes: GenNode[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const subnet = subnets[i % 3];
    const take = () => {
      subnet.used++;
      return formatIpv4(subnet.next++);
    };
    const enis = [0, 1].map((device) => ({ id: `eni-${hex(i * 2 + device + 1)}`, device, ips: Array.from({ length: 15 }, take) }));
    const ip = enis[0].ips[0];
    nodes.push({ name: `ip-${ip.replaceAll('.', '-')}.${REGION}.compute.internal`, instanceId: `i-${hex(i + 1)}`, ip, subnet, group: `ng-${(i % 4) + 1}`, enis, podIps: enis.flatMap((e) => e.ips.slice(1)) });
  }
  const pods: unknown[] = [];
  for (let p = 0; p < podCount; p++) {
    const node = nodes[p % nodeCount];
    const dep = `app-${Math.floor(p / 100)}`;
    pods.push(pod('default', `${dep}-7d9f8c6b5a-${hex(p, 5)}`, node, node.podIps[Math.floor(p / nodeCount)], false, { app: dep, 'pod-template-hash': '7d9f8c6b5a' }, ['ReplicaSet', `${dep}-7d9f8c6b5a`]));
  }
  for (const node of nodes) {
    pods.push(pod('kube-system', `aws-node-${node.instanceId.slice(-5)}`, node, node.ip, true, { 'k8s-app': 'aws-node' }, ['DaemonSet', 'aws-node']));
    pods.push(pod('kube-system', `kube-proxy-${node.instanceId.slice(-5)}`, node, node.ip, true, { 'k8s-app': 'kube-proxy' }, ['DaemonSet', 'kube-proxy']));
  }
  const deployments = Array.from({ length: Math.ceil(podCount / 100) }, (_, d) => deployment(`app-${d}`, Math.min(100, podCount - d * 100)));
  return {
    'vpcs.json': json({ Vpcs: [{ CidrBlock: '10.0.0.0/16', State: 'available', VpcId: VPC, OwnerId: ACCT, CidrBlockAssociationSet: [{ AssociationId: 'vpc-cidr-assoc-01', CidrBlock: '10.0.0.0/16', CidrBlockState: { State: 'associated' } }], IsDefault: false }] }),
    'subnets.json': json({ Subnets: [...subnets.map((s) => subnet(s.id, s.az, s.cidr, 16384 - 5 - s.used - 3, false)), ...PUBLIC.map((s) => subnet(s.id, s.az, s.cidr, 250, true))] }),
    'network-interfaces.json': json({ NetworkInterfaces: nodes.flatMap((n) => n.enis.map((e) => eni(n, e))) }),
    'instances.json': json({ Reservations: nodes.map((n) => ({ Groups: [], Instances: [instance(n)], OwnerId: ACCT, ReservationId: `r-${n.instanceId.slice(2)}` })) }),
    'cluster.json': json({ cluster: { name: 'big', arn: `arn:aws:eks:${REGION}:${ACCT}:cluster/big`, version: '1.30', resourcesVpcConfig: { subnetIds: SUBNETS.map((s) => s.id), vpcId: VPC, endpointPublicAccess: true, endpointPrivateAccess: true }, kubernetesNetworkConfig: { serviceIpv4Cidr: '172.20.0.0/16', ipFamily: 'ipv4' }, status: 'ACTIVE', platformVersion: 'eks.5' } }),
    'nodes.json': json(list(nodes.map(node))),
    'pods.json': json(list(pods)),
    'deployments.json': json(list(deployments)),
  };
}

function subnet(id: string, az: string, cidr: string, available: number, pub: boolean) {
  return { AvailabilityZone: az, AvailableIpAddressCount: available, CidrBlock: cidr, DefaultForAz: false, MapPublicIpOnLaunch: pub, State: 'available', SubnetId: id, VpcId: VPC, OwnerId: ACCT, AssignIpv6AddressOnCreation: false, Ipv6CidrBlockAssociationSet: [], Tags: tags({ Name: `big/${pub ? 'public' : 'private'}-${az}`, [`kubernetes.io/role/${pub ? 'elb' : 'internal-elb'}`]: '1' }), SubnetArn: `arn:aws:ec2:${REGION}:${ACCT}:subnet/${id}` };
}

function eni(n: GenNode, e: GenNode['enis'][number]) {
  const dns = (ip: string) => `ip-${ip.replaceAll('.', '-')}.${REGION}.compute.internal`;
  return {
    Attachment: { AttachTime: '2024-05-01T10:00:00+00:00', AttachmentId: `eni-attach-${e.id.slice(4)}`, DeleteOnTermination: true, DeviceIndex: e.device, NetworkCardIndex: 0, InstanceId: n.instanceId, InstanceOwnerId: ACCT, Status: 'attached' },
    AvailabilityZone: n.subnet.az, Description: e.device === 0 ? '' : `aws-K8S-${n.instanceId}`, Groups: [{ GroupName: 'eks-cluster-sg-big', GroupId: 'sg-0123456789abcdef0' }], InterfaceType: 'interface', Ipv6Addresses: [],
    MacAddress: '02:00:00:00:00:01', NetworkInterfaceId: e.id, OwnerId: ACCT, PrivateDnsName: dns(e.ips[0]), PrivateIpAddress: e.ips[0],
    PrivateIpAddresses: e.ips.map((ip, i) => ({ Primary: i === 0, PrivateDnsName: dns(ip), PrivateIpAddress: ip })),
    RequesterManaged: false, SourceDestCheck: true, Status: 'in-use', SubnetId: n.subnet.id, TagSet: tags(e.device === 0 ? {} : { 'node.k8s.amazonaws.com/instance_id': n.instanceId, 'cluster.k8s.amazonaws.com/name': 'big' }), VpcId: VPC,
  };
}

function instance(n: GenNode) {
  return {
    AmiLaunchIndex: 0, ImageId: 'ami-0c5f1c2b9e8e4b9a1', InstanceId: n.instanceId, InstanceType: 'm5.xlarge', LaunchTime: '2024-05-01T10:00:00+00:00',
    Placement: { AvailabilityZone: n.subnet.az, GroupName: '', Tenancy: 'default' }, PrivateDnsName: n.name, PrivateIpAddress: n.ip, State: { Code: 16, Name: 'running' },
    SubnetId: n.subnet.id, VpcId: VPC, Architecture: 'x86_64', Hypervisor: 'xen', EnaSupport: true,
    NetworkInterfaces: n.enis.map((e) => ({ Attachment: { DeviceIndex: e.device, Status: 'attached' }, NetworkInterfaceId: e.id, PrivateIpAddress: e.ips[0], SubnetId: n.subnet.id, VpcId: VPC })),
    Tags: tags({ 'eks:cluster-name': 'big', 'eks:nodegroup-name': n.group, 'kubernetes.io/cluster/big': 'owned' }),
  };
}

function node(n: GenNode) {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { annotations: { 'alpha.kubernetes.io/provided-node-ip': n.ip, 'node.alpha.kubernetes.io/ttl': '0' }, creationTimestamp: '2024-05-01T10:01:00Z', name: n.name, resourceVersion: '1000', uid: `00000000-0000-4000-8000-${n.instanceId.slice(-12)}`,
      labels: { 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'eks.amazonaws.com/capacityType': 'ON_DEMAND', 'eks.amazonaws.com/nodegroup': n.group, 'eks.amazonaws.com/nodegroup-image': 'ami-0c5f1c2b9e8e4b9a1', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'm5.xlarge', 'topology.kubernetes.io/region': REGION, 'topology.kubernetes.io/zone': n.subnet.az } },
    spec: { providerID: `aws:///${n.subnet.az}/${n.instanceId}` },
    status: {
      addresses: [{ address: n.ip, type: 'InternalIP' }, { address: n.name, type: 'Hostname' }],
      allocatable: { cpu: '3920m', 'ephemeral-storage': '95551679124', memory: '15136200Ki', pods: '58' }, capacity: { cpu: '4', 'ephemeral-storage': '104845292Ki', memory: '16012744Ki', pods: '58' },
      conditions: ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => ({ lastHeartbeatTime: '2024-05-01T12:00:00Z', lastTransitionTime: '2024-05-01T10:01:00Z', message: '', reason: `Kubelet${type}`, status: type === 'Ready' ? 'True' : 'False', type })),
      nodeInfo: { architecture: 'amd64', containerRuntimeVersion: 'containerd://1.7.11', kernelVersion: '5.10.213', kubeProxyVersion: 'v1.30.0-eks-036c24b', kubeletVersion: 'v1.30.0-eks-036c24b', operatingSystem: 'linux', osImage: 'Amazon Linux 2' },
    },
  };
}

function pod(ns: string, name: string, n: GenNode, ip: string, host: boolean, labels: Record<string, string>, owner: [string, string]) {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { creationTimestamp: '2024-05-01T10:05:00Z', generateName: name.replace(/[^-]+$/, ''), labels, name, namespace: ns, resourceVersion: '2000', uid: `11111111-0000-4000-8000-${name.slice(-12).padStart(12, '0')}`,
      ownerReferences: [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: owner[0], name: owner[1], uid: '22222222-0000-4000-8000-000000000000' }],
      managedFields: [{ apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:generateName': {}, 'f:labels': { '.': {} }, 'f:ownerReferences': {} }, 'f:spec': { 'f:containers': {}, 'f:dnsPolicy': {}, 'f:restartPolicy': {} } }, manager: 'kube-controller-manager', operation: 'Update', time: '2024-05-01T10:05:00Z' }] },
    spec: { containers: [{ image: 'public.ecr.aws/docker/library/nginx:1.25', imagePullPolicy: 'IfNotPresent', name: 'app', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { requests: { cpu: '100m', memory: '128Mi' } }, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', volumeMounts: [{ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: 'kube-api-access', readOnly: true }] }],
      dnsPolicy: 'ClusterFirst', enableServiceLinks: true, hostNetwork: host, nodeName: n.name, restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, serviceAccountName: 'default', terminationGracePeriodSeconds: 30,
      tolerations: [{ effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 }, { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 }] },
    status: { conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ lastProbeTime: null, lastTransitionTime: '2024-05-01T10:05:02Z', status: 'True', type })),
      containerStatuses: [{ containerID: 'containerd://0123456789abcdef', image: 'public.ecr.aws/docker/library/nginx:1.25', imageID: 'public.ecr.aws/docker/library/nginx@sha256:0123', lastState: {}, name: 'app', ready: true, restartCount: 0, started: true, state: { running: { startedAt: '2024-05-01T10:05:02Z' } } }],
      hostIP: n.ip, hostIPs: [{ ip: n.ip }], phase: 'Running', podIP: ip, podIPs: [{ ip }], qosClass: 'Burstable', startTime: '2024-05-01T10:05:00Z' },
  };
}

function deployment(name: string, replicas: number) {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { annotations: { 'deployment.kubernetes.io/revision': '1' }, creationTimestamp: '2024-05-01T10:04:00Z', generation: 1, labels: { app: name }, name, namespace: 'default', resourceVersion: '3000', uid: '33333333-0000-4000-8000-000000000000' },
    spec: { progressDeadlineSeconds: 600, replicas, revisionHistoryLimit: 10, selector: { matchLabels: { app: name } }, strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ image: 'public.ecr.aws/docker/library/nginx:1.25', name: 'app', resources: { requests: { cpu: '100m', memory: '128Mi' } } }], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', terminationGracePeriodSeconds: 30 } } },
    status: { availableReplicas: replicas, readyReplicas: replicas, replicas, updatedReplicas: replicas },
  };
}
