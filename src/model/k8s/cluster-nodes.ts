/**
 * Node objects as the cluster makes them: the Node a launched instance becomes (its well-known labels: hostname,
 * instance type, region and zone, node group, capacity type) and the kubelet's NotReady reason until the CNI config
 * exists (§2.1 step 1). The node lifecycle itself (register, Ready, terminate) runs in cluster.ts.
 */
import type { LaunchedInstance } from './cloud.ts';
import { nodeNameFor } from './names.ts';
import type { NodeGroupConfig } from './node-group.ts';
import { Node } from './types.ts';

/** The kubelet's NotReady reason until the CNI config exists. */
export const CNI_NOT_INITIALIZED =
  'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

/**
 * The Node object for an instance a group launched, named from its private IP (`ip-10-0-1-23.us-west-2.compute.internal`)
 * unless `name` says otherwise.
 */
export function nodeForInstance(group: NodeGroupConfig, inst: LaunchedInstance, region: string, now: number, name = nodeNameFor(inst.privateIp, region)): Node {
  const node = new Node({
    name,
    nodeGroup: group.name,
    instanceId: inst.instanceId,
    instanceType: group.instanceType,
    subnetId: inst.subnetId,
    az: inst.az,
    privateIp: inst.privateIp,
    launchedAt: now,
    maxPods: group.maxPods,
    allocatable: group.allocatable === undefined ? undefined : { ...group.allocatable },
    labels: {
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/hostname': name,
      'node.kubernetes.io/instance-type': group.instanceType,
      'topology.kubernetes.io/region': region,
      'topology.kubernetes.io/zone': inst.az,
      // a standalone node (of an existing state) belongs to no managed group
      ...(group.name !== '' ? { 'eks.amazonaws.com/nodegroup': group.name, 'eks.amazonaws.com/capacityType': 'ON_DEMAND' } : {}),
      ...group.labels,
    },
  });
  node.notReadyReason = 'instance launching: the kubelet has not registered yet';
  return node;
}
