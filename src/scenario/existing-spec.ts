/**
 * The declaration of a scenario's `existing` section (the cluster's state at t = 0; model: src/model/world/spec.ts
 * ExistingSpec): nodes with their instances and ENIs, running pods, Deployments. Joined into the scenario format in
 * spec.ts; its rules between fields are existing.ts (the model's existing-check.ts). Declaration only.
 */
import { obj, opt, req, str, type Desc } from './descriptor.ts';
import { K8S_NAME, labels, NAME, NAMESPACE, subnetId } from './fields.ts';

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const ipv4 = (doc: string) => str(doc, { pattern: IPV4, patternDoc: 'an IPv4 address like 10.0.0.102', maxLength: 15 });

const eniDesc = obj({
  id: req(str('ENI id', { pattern: /^eni-[0-9a-zA-Z]{1,40}$/, patternDoc: 'an ENI id like eni-0aaa' }), 'The network interface id (kept as given; ids the simulator makes later never collide).'),
  deviceIndex: req({ t: 'int', min: 0, max: 127 }, 'Attachment.DeviceIndex; the primary ENI is 0 and comes first.'),
  subnet: req(subnetId('subnet id'), "The ENI's subnet (in the node's availability zone)."),
  primaryIp: req(ipv4('primary IPv4 address'), 'Its primary private IPv4 address (the node address for the primary ENI).'),
  secondaryIps: opt({ t: 'array', items: ipv4('secondary IPv4 address'), maxItems: 100 }, 'Secondary private IPv4 addresses.'),
  prefixes: opt({ t: 'array', items: { t: 'cidr4' }, maxItems: 100 }, 'Delegated /28 IPv4 prefixes (prefix delegation).'),
});

const nodeDesc = obj({
  name: req(str('node name', { pattern: K8S_NAME, patternDoc: 'a Kubernetes node name', maxLength: 253 }), 'Kubernetes node name (ip-10-0-0-101.us-west-2.compute.internal).'),
  instanceId: req(str('instance id', { pattern: /^i-[0-9a-zA-Z]{1,40}$/, patternDoc: 'an instance id like i-0123456789abcdef0' }), 'EC2 instance id (kept as given).'),
  instanceType: req(str('instance type', { maxLength: 32 }), 'EC2 instance type (m6a.large).'),
  subnet: req(subnetId('subnet id'), "The primary ENI's subnet; the node's availability zone follows from it."),
  nodeGroup: opt(str('node group', { pattern: NAME }), 'A node group of `nodeGroups` whose desiredCapacity counts this node (nothing is launched for it); absent: a standalone node.'),
  maxPods: opt({ t: 'int', min: 1, max: 1000 }, "kubelet --max-pods (default: the group's, else the type's eni-max-pods.txt value)."),
  labels: opt(labels('node labels'), 'Extra node labels.'),
  enis: req({ t: 'array', items: eniDesc, minItems: 1, maxItems: 100 }, 'Every ENI attached to it, device index 0 first.'),
});

const podDesc = obj({
  namespace: NAMESPACE,
  name: req(str('pod name', { pattern: K8S_NAME, patternDoc: 'a Kubernetes object name', maxLength: 253 }), 'Pod name.'),
  node: req(str('node name', { maxLength: 253 }), 'The existing node it runs on.'),
  ip: opt(ipv4('pod IPv4 address'), "Its address: a secondary IP or an address in a prefix of the node's ENIs (required unless hostNetwork)."),
  hostNetwork: opt({ t: 'bool', default: false }, "A host-network pod (its address is the node's)."),
  labels: opt(labels('pod labels'), 'Pod labels.'),
  deployment: opt(str('Deployment name', { pattern: K8S_NAME }), 'Owned by this Deployment of `deployments` (same namespace).'),
  requests: opt(obj({ cpu: opt({ t: 'envValue' }, 'CPU request (50m).'), memory: opt({ t: 'envValue' }, 'Memory request (64Mi).') }), 'Resource requests, summed over its containers.'),
});

export const EXISTING_DESC: Desc = obj(
  {
    nodes: req({ t: 'array', items: nodeDesc, maxItems: 5000 }, 'Instances already running and Ready, with aws-node Running.'),
    pods: opt({ t: 'array', items: podDesc, maxItems: 500_000 }, 'Pods bound and Running at t = 0 (not aws-node or kube-proxy: every node runs those itself).'),
    deployments: opt(
      { t: 'array', items: { t: 'any' }, maxItems: 10_000 },
      'Deployments at t = 0, as `kubectl apply` takes them (metadata.namespace default "default"); a shortfall of Running pods is created at t = 0.',
    ),
  },
  { doc: "The cluster's state at t = 0 (docs/scenario-format.md \"Starting from an existing state\"); without it the cluster starts empty." },
);
