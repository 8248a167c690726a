/**
 * The World's read side for the objects behind the cluster, as the AWS CLI and kubectl list them: the VPC's blocks,
 * every instance in the VPC with its ENIs, the Deployments' specs, the cluster itself with the aws-node DaemonSet and
 * the ENIConfigs (types in world/views.ts). `run --export` renders them (src/report/export). Pure readings; the pods
 * and nodes are world/queries.ts's.
 */
import type { Ec2 } from '../ec2/ec2-api.ts';
import { formatCidr } from '../vpc/ipv4.ts';
import { formatIpv6Cidr } from '../vpc/ipv6.ts';
import type { Cluster } from '../k8s/cluster.ts';
import type { WorldSpec } from './spec.ts';
import type { ClusterInfo, DeploymentSpecInfo, InstanceInfo, VpcInfo } from './views.ts';

export function vpcInfo(ec2: Ec2, vpcId: string): VpcInfo {
  const vpc = ec2.state.vpcs.get(vpcId)!;
  const info: VpcInfo = { vpcId, cidrBlocks: vpc.cidrBlocks.map(formatCidr), tags: { ...vpc.tags } };
  if (vpc.ipv6Cidr !== undefined) info.ipv6CidrBlock = formatIpv6Cidr(vpc.ipv6Cidr);
  return info;
}

/** Instances whose subnet is in the VPC, by id; each with its attached ENIs in device-index order. */
export function instanceInfos(ec2: Ec2, vpcId: string): InstanceInfo[] {
  const out: InstanceInfo[] = [];
  for (const inst of ec2.state.instances.values()) {
    if (inst.subnet.vpcId !== vpcId) continue;
    const v = inst.view();
    out.push({
      instanceId: v.instanceId,
      instanceType: v.instanceType,
      state: v.state,
      subnetId: v.subnetId,
      az: v.availabilityZone,
      privateIp: v.privateIpAddress,
      launchedAt: inst.launchedAt,
      tags: v.tags,
      enis: inst.enis.map((e) => e.view()).sort((a, b) => (a.attachment?.deviceIndex ?? 0) - (b.attachment?.deviceIndex ?? 0)),
    });
  }
  return out.sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
}

export function deploymentSpecs(cluster: Cluster): DeploymentSpecInfo[] {
  return cluster.deployments().map((d) => ({
    namespace: d.namespace,
    name: d.name,
    replicas: d.replicas,
    selector: { ...d.selector },
    template: d.template,
    createdAt: d.createdAt,
  }));
}

export function clusterInfo(spec: WorldSpec, cluster: Cluster): ClusterInfo {
  const agents = cluster.agents();
  return {
    name: spec.cluster.name,
    region: spec.region,
    kubernetesVersion: spec.cluster.kubernetesVersion,
    ipFamily: spec.cluster.ipFamily ?? 'ipv4',
    endpointAccess: cluster.endpointAccess,
    vpcCniVersion: spec.cluster.vpcCni.version,
    awsNode: {
      env: { ...cluster.rollout.env },
      generation: cluster.rollout.generation,
      desired: agents.length,
      updated: agents.filter((a) => a.generation === cluster.rollout.generation).length,
      ready: agents.filter((a) => a.available).length,
    },
    eniConfigs: [...cluster.eniConfigMap.values()].map((e) => ({ name: e.name, subnet: e.subnet, securityGroups: [...e.securityGroups] })),
  };
}
