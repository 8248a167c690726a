/**
 * The cluster's Kubernetes objects as the API server returns them to `kubectl get … -o json|yaml` (Kubernetes API
 * reference: core/v1 Node and Pod, apps/v1 Deployment and DaemonSet; the VPC CNI's ENIConfig CRD
 * `crd.k8s.amazonaws.com/v1alpha1`): nodes with `spec.providerID` (`aws:///<az>/<instance id>`), their labels
 * (`topology.kubernetes.io/zone`, `node.kubernetes.io/instance-type`, `eks.amazonaws.com/nodegroup`, …),
 * `status.allocatable.pods` and the Ready condition; pods with `ownerReferences`, `spec.nodeName`,
 * `spec.hostNetwork`, `status.podIP`, phase, conditions and container states; Deployments; the aws-node DaemonSet with
 * its image and env; ENIConfigs. Members the World has no value for (uid, resourceVersion, managedFields, container and
 * image ids, most timestamps, capacity cpu/memory, nodeInfo) are left out rather than invented; a Go field with
 * `omitempty` is left out at its zero value as the API server does. Timestamps count from the simulator's epoch
 * (virtual t = 0 is 2025-01-01T00:00:00Z). A template's summed requests sit on its first container (the model keeps
 * the sum). Key order does not matter here: the printers sort keys as kubectl's unstructured objects do.
 */
import { rfc3339 } from '../../model/ipamd/introspect.ts';
import { formatCpuMilli, formatMemoryBytes } from '../../model/k8s/quantity.ts';
import type { PodTemplate } from '../../model/k8s/types.ts';
import { nodeNameFor } from '../../model/k8s/names.ts';
import { AWS_NODE_MAX_UNAVAILABLE_PERCENT } from '../../model/k8s/rollout.ts';
import { nodeTaints, podConditions, podLabels, qosClassOf, type ClusterInfo, type DeploymentInfo, type DeploymentSpecInfo, type NodeInfo, type PodInfo } from '../../model/world/views.ts';

type Obj = Record<string, unknown>;

/** The VPC CNI image as the project's manifest names it (config/master/aws-k8s-cni.yaml: `…/amazon-k8s-cni:v1.18.0`). */
export function vpcCniImage(region: string, version: string): string {
  return `602401143452.dkr.ecr.${region}.amazonaws.com/amazon-k8s-cni:v${version}`;
}

/** `resources.requests` as the API server returns them; `{}` when the template states none. */
function resources(t: PodTemplate): Obj {
  const requests: Obj = {};
  if (t.requestsStated.cpu) requests.cpu = formatCpuMilli(t.requests.cpuMilli);
  if (t.requestsStated.memory) requests.memory = formatMemoryBytes(t.requests.memoryBytes);
  return Object.keys(requests).length > 0 ? { requests } : {};
}

/** A PodSpec from a template: containers (image when known), hostNetwork, nodeSelector, grace period. */
export function podSpec(t: PodTemplate, image = t.image, env?: Record<string, string>): Obj {
  const spec: Obj = {
    containers: t.containers.map((name, i) => {
      const c: Obj = { name, resources: i === 0 ? resources(t) : {} };
      if (image !== '') c.image = image;
      if (env !== undefined && i === 0) c.env = Object.entries(env).map(([n, value]) => ({ name: n, value }));
      return c;
    }),
    terminationGracePeriodSeconds: t.terminationGracePeriodSeconds,
  };
  if (t.hostNetwork) spec.hostNetwork = true;
  if (Object.keys(t.nodeSelector).length > 0) spec.nodeSelector = { ...t.nodeSelector };
  return spec;
}

export function nodeObject(n: NodeInfo, region: string): Obj {
  const metadata: Obj = { labels: { ...n.labels }, name: n.name };
  if (n.registeredAt !== undefined) metadata.creationTimestamp = rfc3339(n.registeredAt);
  if (Object.keys(n.annotations).length > 0) metadata.annotations = { ...n.annotations };
  const spec: Obj = { providerID: `aws:///${n.az}/${n.instanceId}` };
  const taints = nodeTaints(n);
  if (taints.length > 0) spec.taints = taints.map((t) => ({ effect: t.effect, key: t.key }));
  if (n.cordoned) spec.unschedulable = true;
  const allocatable: Obj = { pods: String(n.maxPods) };
  if (n.allocatable !== undefined && n.allocatable.cpuMilli < Number.MAX_SAFE_INTEGER) allocatable.cpu = formatCpuMilli(n.allocatable.cpuMilli);
  if (n.allocatable !== undefined && n.allocatable.memoryBytes < Number.MAX_SAFE_INTEGER) allocatable.memory = formatMemoryBytes(n.allocatable.memoryBytes);
  const ready: Obj = n.ready
    ? { message: 'kubelet is posting ready status', reason: 'KubeletReady', status: 'True', type: 'Ready' }
    : { message: n.notReadyReason ?? '', reason: 'KubeletNotReady', status: 'False', type: 'Ready' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata,
    spec,
    status: {
      addresses: [
        { address: n.privateIp, type: 'InternalIP' },
        { address: nodeNameFor(n.privateIp, region), type: 'InternalDNS' },
        { address: n.name, type: 'Hostname' },
      ],
      allocatable,
      capacity: { pods: String(n.maxPods) },
      conditions: [ready],
    },
  };
}

/** kubectl's phase: scheduled but not yet running is Pending; a Terminating pod keeps the phase it had. */
function phaseOf(p: PodInfo): string {
  if (p.status === 'Running') return 'Running';
  if (p.status === 'Terminating') return p.runningAt !== undefined ? 'Running' : 'Pending';
  return 'Pending';
}

/**
 * A pod: `t` its template, `ip` the address it holds (a Terminating pod's too), `hostIp` its node's, `image` the
 * image when the template has none of its own (aws-node's).
 */
export function podObject(p: PodInfo, t: PodTemplate, ip: string | undefined, hostIp: string | undefined, image = t.image): Obj {
  const metadata: Obj = { creationTimestamp: rfc3339(p.createdAt), labels: podLabels(p), name: p.name, namespace: p.namespace };
  if (p.owner.kind !== 'None') {
    metadata.generateName = `${p.owner.name}-`;
    metadata.ownerReferences = [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: p.owner.kind, name: p.owner.name }];
  }
  if (p.deletedAt !== undefined) {
    metadata.deletionTimestamp = rfc3339(p.deletedAt);
    metadata.deletionGracePeriodSeconds = t.terminationGracePeriodSeconds;
  }
  const spec = podSpec(t, image);
  if (p.node !== undefined) spec.nodeName = p.node;
  const running = p.runningAt !== undefined && (p.status === 'Running' || p.status === 'Terminating');
  const status: Obj = { phase: phaseOf(p), qosClass: qosClassOf(p) };
  status.conditions = podConditions(p, ip !== undefined || running);
  if (p.node !== undefined) {
    status.containerStatuses = p.containers.map((name) => {
      const c: Obj = { name, ready: p.ready, restartCount: p.restarts ?? 0, started: running };
      if (image !== '') c.image = image;
      c.state = running ? { running: { startedAt: rfc3339(p.runningAt!) } } : { waiting: { reason: 'ContainerCreating' } };
      return c;
    });
    if (p.scheduledAt !== undefined) status.startTime = rfc3339(p.scheduledAt);
    if (hostIp !== undefined) {
      status.hostIP = hostIp;
      status.hostIPs = [{ ip: hostIp }];
    }
    if (ip !== undefined && (running || p.status === 'Running')) {
      status.podIP = ip;
      status.podIPs = [{ ip }];
    }
  }
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec, status };
}

export function deploymentObject(d: DeploymentSpecInfo, info: DeploymentInfo | undefined): Obj {
  const status: Obj = {};
  // DeploymentStatus' counters are omitempty: zero is left out
  const counters: [string, number][] = [
    ['availableReplicas', info?.available ?? 0],
    ['readyReplicas', info?.ready ?? 0],
    ['replicas', info?.upToDate ?? 0],
    ['unavailableReplicas', Math.max(0, (info?.upToDate ?? 0) - (info?.available ?? 0))],
    ['updatedReplicas', info?.upToDate ?? 0],
  ];
  for (const [k, v] of counters) if (v > 0) status[k] = v;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { creationTimestamp: rfc3339(d.createdAt), name: d.name, namespace: d.namespace },
    spec: {
      replicas: d.replicas,
      selector: { matchLabels: { ...d.selector } },
      template: { metadata: { labels: { ...d.template.labels } }, spec: podSpec(d.template) },
    },
    status,
  };
}

/** `kubectl get daemonset aws-node -n kube-system`: the container's image and env, the rollout's counters. */
export function awsNodeDaemonSet(c: ClusterInfo, template: PodTemplate): Obj {
  const labels = { 'k8s-app': 'aws-node' };
  const status: Obj = {
    currentNumberScheduled: c.awsNode.desired,
    desiredNumberScheduled: c.awsNode.desired,
    numberMisscheduled: 0,
    numberReady: c.awsNode.ready,
    observedGeneration: c.awsNode.generation + 1,
  };
  if (c.awsNode.ready > 0) status.numberAvailable = c.awsNode.ready;
  if (c.awsNode.desired > c.awsNode.ready) status.numberUnavailable = c.awsNode.desired - c.awsNode.ready;
  if (c.awsNode.updated > 0) status.updatedNumberScheduled = c.awsNode.updated;
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { generation: c.awsNode.generation + 1, labels, name: 'aws-node', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: podSpec(template, vpcCniImage(c.region, c.vpcCniVersion), c.awsNode.env) },
      updateStrategy: { rollingUpdate: { maxUnavailable: `${AWS_NODE_MAX_UNAVAILABLE_PERCENT}%` }, type: 'RollingUpdate' },
    },
    status,
  };
}

/** An ENIConfig (`subnetId`: its subnet's EC2 id). */
export function eniConfigObject(e: ClusterInfo['eniConfigs'][number], subnetId: string): Obj {
  const spec: Obj = { subnet: subnetId };
  if (e.securityGroups.length > 0) spec.securityGroups = [...e.securityGroups];
  return { apiVersion: 'crd.k8s.amazonaws.com/v1alpha1', kind: 'ENIConfig', metadata: { name: e.name }, spec };
}
