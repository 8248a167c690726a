/**
 * THE declaration of the scenario format: every key a scenario file may hold, its type, limits and meaning (the
 * timeline's steps are declared one file each in actions/ and joined here).
 * validate.ts checks files against it, json-schema.ts publishes it (schema/scenario.schema.json) and
 * docs/scenario-format.md explains it. Rules that relate fields to each other (CIDRs inside the VPC, ordered times,
 * known instance types) are in semantic.ts. Not here: the TypeScript types of a loaded scenario (types.ts).
 */
import { DEFAULT_BUCKETS, DEFAULT_LATENCY, type BucketName } from '../model/ec2/options.ts';
import type { Ec2Action, Ec2ErrorCode } from '../model/ec2/types.ts';
import { STUCK_CAUSE_LABELS } from '../model/world/stuck-cause.ts';
import { ACTIONS } from './actions/index.ts';
import { EXISTING_DESC } from './existing-spec.ts';
import { obj, opt, req, str, type Desc, type Field, type ObjectDesc } from './descriptor.ts';
import { az, count, K8S_NAME, labels, NAME, nodeRef, ENV_KEY, REGION, SELECTOR, subnetId, tags, route } from './fields.ts';

export const POD_PHASES = ['Pending', 'ContainerCreating', 'Running', 'Terminating', 'Succeeded', 'Failed'] as const;
/** The stuck-cause labels (src/model/world/stuck-cause.ts) a `stuck: { cause }` expectation may name. */
export const STUCK_CAUSES = STUCK_CAUSE_LABELS;

const subnetFields: Record<string, Field> = {
  id: req(subnetId('subnet id'), 'The subnet id other fields refer to (any `subnet-…` name).'),
  az: req(az('availability zone'), 'Availability zone, inside `region`.'),
  cidr: req({ t: 'cidr4' }, 'IPv4 CIDR, /16 to /28, inside one of the VPC blocks.'),
  public: opt({ t: 'bool', default: false }, 'Public subnet (default route to an internet gateway).'),
  route: opt(route('default route'), 'Default route: igw, nat or none. Default: igw when public, nat when private.'),
  tags: opt(tags('subnet tags'), 'Tags, e.g. `kubernetes.io/role/cni: "1"` (enhanced subnet discovery, docs/ipamd-model.md §4.1).'),
  externalUse: opt({ t: 'int', min: 0, max: 16_777_216, default: 0 }, 'Addresses held by things outside the cluster (NAT gateways, load balancers, other workloads).'),
};

const ENV_MAP: Desc = { t: 'map', value: { t: 'envValue' }, maxEntries: 100, maxKeyLength: 128, keyPattern: ENV_KEY, keyDoc: 'an environment variable name' };

const clusterDesc = obj({
  name: req(str('cluster name', { pattern: /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, patternDoc: 'an EKS cluster name (letters, digits, - and _)' }), 'EKS cluster name.'),
  kubernetesVersion: req(str('Kubernetes version', { pattern: /^1\.\d{1,2}$/, patternDoc: 'a quoted version like "1.29"' }), 'Kubernetes minor version, quoted ("1.29").'),
  ipFamily: opt(str('IP family', { enum: ['ipv4', 'ipv6'], default: 'ipv4' }), 'ipv4 (default) or ipv6.'),
  endpointAccess: opt(
    str('endpoint access', { enum: ['public', 'private', 'public-and-private'], default: 'public' }),
    'API server endpoint: public (default), private or public-and-private. A node reaches a public endpoint only through an igw or nat route.',
  ),
  vpcCni: opt(
    obj({
      version: opt(str('VPC CNI version', { pattern: /^v?\d+\.\d+\.\d+(-eksbuild\.\d+)?$/, patternDoc: 'a version like 1.18.0 or v1.18.0-eksbuild.1' }), 'VPC CNI add-on version (default 1.23.1); selects the behaviour era (docs/ipamd-model.md §4.7).'),
      env: opt(ENV_MAP, 'aws-node container env on top of the manifest defaults (docs/ipamd-model.md §1), e.g. WARM_IP_TARGET: 2.'),
    }),
    'The Amazon VPC CNI add-on.',
  ),
  eniConfigs: opt(
    {
      t: 'array',
      maxItems: 100,
      items: obj({
        name: req(str('ENIConfig name', { pattern: K8S_NAME, patternDoc: 'a Kubernetes object name' }), 'ENIConfig name; by convention the AZ (custom networking, docs/ipamd-model.md §4.3).'),
        subnet: req(subnetId('subnet id'), 'Subnet for pod ENIs.'),
        securityGroups: opt({ t: 'array', items: str('security group id'), maxItems: 5 }, 'Security groups (empty: the primary ENI\'s).'),
      }),
    },
    'ENIConfig custom resources (custom networking). Nodes pick theirs by the label k8s.amazonaws.com/eniConfig.',
  ),
});

const nodeGroupDesc = obj({
  name: req(str('node group name', { pattern: NAME, patternDoc: 'lower-case letters, digits, . _ -' }), 'Managed node group name.'),
  instanceType: req(str('instance type', { maxLength: 32 }), 'EC2 instance type (m6a.large).'),
  desiredCapacity: req({ t: 'int', min: 0, max: 1000 }, 'Nodes at start.'),
  minSize: opt({ t: 'int', min: 0, max: 1000 }, 'Lower bound for scaling (default 0).'),
  maxSize: opt({ t: 'int', min: 0, max: 1000 }, 'Upper bound for scaling (default: the larger of desiredCapacity and every later scale).'),
  subnets: req({ t: 'array', items: subnetId('subnet id'), minItems: 1, maxItems: 16 }, 'Subnets nodes launch into (spread in order).'),
  labels: opt(labels('node labels'), 'Extra node labels (eks.amazonaws.com/nodegroup is always set).'),
  maxPods: opt({ t: 'int', min: 1, max: 1000 }, 'kubelet --max-pods (default: the eni-max-pods.txt value for the type).'),
});

const EC2_ACTIONS = Object.keys(DEFAULT_LATENCY) as Ec2Action[];
const BUCKETS = Object.keys(DEFAULT_BUCKETS) as BucketName[];
/** Error codes a fault may inject (src/model/ec2/types.ts Ec2ErrorCode). */
export const EC2_ERROR_CODES = [
  'InsufficientFreeAddressesInSubnet',
  'InsufficientCidrBlocks',
  'AttachmentLimitExceeded',
  'PrivateIpAddressLimitExceeded',
  'InvalidNetworkInterfaceID.NotFound',
  'InvalidSubnetID.NotFound',
  'InvalidInstanceID.NotFound',
  'InvalidVpcID.NotFound',
  'InvalidParameterValue',
  'InvalidSubnet.Range',
  'InvalidSubnet.Conflict',
  'InvalidVpc.Range',
  'CidrLimitExceeded',
  'InvalidNetworkInterface.InUse',
  'UnauthorizedOperation',
  'RequestLimitExceeded',
  'InternalError',
] as const satisfies readonly Ec2ErrorCode[];

const MS = (doc: string): Field => opt({ t: 'int', min: 0, max: 3_600_000 }, doc);
const latency = obj({
  minMs: req({ t: 'int', min: 0, max: 3_600_000 }, 'Fastest response, ms.'),
  maxMs: req({ t: 'int', min: 0, max: 3_600_000 }, 'Slowest response (without the tail), ms.'),
  tailProbability: opt({ t: 'number', min: 0, max: 1 }, 'Chance of a draw from the long tail [maxMs, tailMaxMs].'),
  tailMaxMs: MS('End of the long tail, ms.'),
});
const actionMap = (value: Desc, doc: string): Field =>
  opt({ t: 'map', value, keys: EC2_ACTIONS, keyDoc: 'an EC2 action like CreateNetworkInterface', maxEntries: 40, maxKeyLength: 64 }, doc);

/** `ec2:` maps one to one onto Ec2OptionsInput (src/model/ec2/options.ts); IAM denials are `deniedPermissions`. */
const ec2Desc = obj({
  latency: actionMap(latency, 'Response latency per EC2 action ({minMs, maxMs}).'),
  throttledLatency: opt(latency, 'Latency of a RequestLimitExceeded answer.'),
  instanceLaunch: opt(latency, 'RunInstances → instance running.'),
  instanceShutdown: opt(latency, 'TerminateInstances → terminated.'),
  detachCompletion: opt(latency, 'DetachNetworkInterface → ENI available.'),
  throttling: opt(
    obj({
      enabled: opt({ t: 'bool', default: true }, 'Model the account-wide EC2 token buckets (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html).'),
      buckets: opt(
        {
          t: 'map',
          keys: BUCKETS,
          keyDoc: 'a bucket name (describe, mutating, CreateNetworkInterface, …)',
          maxEntries: 40,
          maxKeyLength: 64,
          value: obj({
            capacity: req({ t: 'int', min: 1, max: 1_000_000 }, 'Bucket maximum (burst).'),
            refillPerSecond: req({ t: 'number', min: 0, max: 1_000_000 }, 'Tokens added per second (sustained).'),
          }),
        },
        'Bucket sizes, per bucket.',
      ),
    }),
    'EC2 API throttling.',
  ),
  retry: opt(
    obj({
      maxAttempts: opt({ t: 'int', min: 1, max: 20 }, 'Attempts per call inside the SDK, the first included (default 3).'),
      maxBackoffMs: MS('Backoff cap, ms (default 20000).'),
      retryableCodes: opt({ t: 'array', items: str('EC2 error code', { enum: EC2_ERROR_CODES }), maxItems: 20 }, 'Codes the SDK retries.'),
    }),
    'The AWS SDK standard retryer (docs/ipamd-model.md §8.4).',
  ),
  faults: actionMap(
    obj({
      rate: req({ t: 'number', min: 0, max: 1 }, 'Chance that an attempt fails.'),
      code: req(str('EC2 error code', { enum: EC2_ERROR_CODES }), 'Error code returned.'),
      message: opt(str('message', { maxLength: 500 }), 'Message (default: the usual EC2 text).'),
    }),
    'Injected failures per action.',
  ),
  imds: opt(
    obj({ ipLag: opt(latency, 'Assign/Unassign → visible in IMDS.'), attachLag: opt(latency, 'Attach → ENI visible in IMDS.'), detachLag: opt(latency, 'Detach → ENI gone from IMDS.') }),
    'Instance metadata lag (docs/ipamd-model.md §8.2, §8.6).',
  ),
  vpcCidrBlockLimit: opt({ t: 'int', min: 1, max: 50 }, 'IPv4 CIDR blocks per VPC, primary included (default 6: primary + 5 secondary).'),
  unattachedEniIpv4Limit: opt({ t: 'int', min: 1, max: 100 }, 'IPv4 addresses an unattached ENI may hold.'),
});

const podCheck = obj({
  selector: opt(str('label selector', { pattern: SELECTOR, patternDoc: 'a label selector like app=inflate' }), 'Label selector (all pods when absent).'),
  namespace: opt(str('namespace', { pattern: K8S_NAME }), 'Only this namespace (default: all but kube-system).'),
  phase: opt(str('pod status', { enum: POD_PHASES }), 'Status as `kubectl get pods` shows it.'),
  node: opt(str('node name', { maxLength: 253 }), 'Only pods on this node.'),
  ipIn: opt({ t: 'cidr4' }, 'Only pods whose address lies in this IPv4 CIDR.'),
  ipFamily: opt(str('IP family', { enum: ['ipv4', 'ipv6'] }), 'Only pods with an address of this family.'),
  count: count('How many (`12`, `">=45"`, `"40..50"`, `all` = every pod the selector matches).'),
});

const expectDesc = obj(
  {
    at: req({ t: 'duration' }, 'When to check.'),
    description: opt(str('description', { maxLength: 300 }), 'What the check means (shown with PASS/FAIL).'),
    pods: opt(podCheck, 'Count pods.'),
    subnet: opt(obj({ id: req(subnetId('subnet id'), 'The subnet.'), available: count('AvailableIpAddressCount.') }), 'A subnet\'s free addresses.'),
    enis: opt(
      obj({ ...nodeRef, nodeGroup: opt(str('node group', { pattern: NAME }), 'Nodes of this group.'), count: count('ENIs on each matching node.') }),
      'ENIs attached to each matching node (all nodes when no node, selector or nodeGroup).',
    ),
    nodes: opt(obj({ selector: nodeRef.selector, ready: opt({ t: 'bool' }, 'Only Ready (true) or not-Ready (false) nodes.'), count: count('How many nodes.') }), 'Count nodes.'),
    stuck: opt(obj({ cause: opt(str('cause', { enum: STUCK_CAUSES }), 'Only pods stuck for this reason.'), count: count('How many pods are stuck (not Running).') }), 'Pods that are not Running, by cause (see --describe).'),
    ec2: opt(
      obj({
        code: opt(str('EC2 error code', { maxLength: 64 }), 'Count calls that failed with this code (RequestLimitExceeded, InsufficientCidrBlocks…).'),
        action: opt(str('EC2 action', { pattern: /^[A-Z][A-Za-z]+$/, patternDoc: 'an EC2 action like CreateNetworkInterface' }), 'Count calls of this action.'),
        count: count('How many calls so far.'),
      }),
      'EC2 API calls so far.',
    ),
  },
  { exactlyOne: ['pods', 'subnet', 'enis', 'nodes', 'stuck', 'ec2'], doc: 'One check at one time.' },
);

/** The cluster's shape: the sections a scenario and a benchmark workload share (loaded by world-shape.ts). */
export const WORLD_FIELDS = {
  region: req(str('region', { pattern: REGION, patternDoc: 'an AWS region like us-west-2' }), 'AWS region.'),
  vpc: req(
    obj({
      cidrBlocks: req({ t: 'array', items: { t: 'cidr4' }, minItems: 1, maxItems: 50 }, 'IPv4 blocks, the primary first.'),
      ipv6: opt({ t: 'bool', default: false }, 'Give the VPC an Amazon-provided IPv6 /56 (and each subnet a /64).'),
    }),
    'The VPC.',
  ),
  subnets: req({ t: 'array', items: obj(subnetFields), minItems: 1, maxItems: 200 }, 'Subnets at start.'),
  cluster: req(clusterDesc, 'The EKS cluster.'),
  nodeGroups: req({ t: 'array', items: nodeGroupDesc, maxItems: 50 }, 'Managed node groups.'),
  ec2: opt(ec2Desc, 'Simulated EC2 behaviour (src/model/ec2/options.ts): latency, throttling, faults, IMDS lag, quotas.'),
  deniedPermissions: opt(
    { t: 'array', items: str('IAM action', { pattern: /^ec2:[A-Z][A-Za-z]+$/, patternDoc: 'an IAM action like ec2:DescribeSubnets' }), maxItems: 40 },
    'EC2 actions the node role may not call (ec2:DescribeSubnets).',
  ),
} satisfies Record<string, Field>;

/** A file's `name`. */
export const FILE_NAME = req(str('scenario name', { pattern: NAME, patternDoc: 'lower-case letters, digits, . _ -' }), 'Short name (the file name without .yaml).');

const { region, ...shape } = WORLD_FIELDS;

export const SCENARIO: ObjectDesc = obj(
  {
    name: FILE_NAME,
    description: opt(str('description', { maxLength: 10_000 }), 'What the scenario shows, in a few sentences.'),
    seed: opt({ t: 'int', min: 0, max: 2 ** 31 - 1, default: 1 }, 'Random seed (--seed overrides).'),
    region,
    duration: opt({ t: 'duration' }, 'How long to run (default: the last timeline or expect time).'),
    ...shape,
    existing: opt(EXISTING_DESC, "The cluster's state at t = 0: nodes, their ENIs and addresses, running pods, Deployments."),
    timeline: opt({ t: 'array', items: { t: 'union', tag: 'run', what: 'command', variants: ACTIONS }, maxItems: 10_000 }, 'What happens, in time order.'),
    expect: opt({ t: 'array', items: expectDesc, maxItems: 10_000 }, 'Checks, each at its time.'),
  },
  { doc: 'A vpc-cni-sim scenario.' },
);
