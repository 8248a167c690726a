/**
 * The cluster as `aws eks describe-cluster --name CLUSTER --output json` prints it: `{"cluster": {...}}` with the EKS
 * API's member names in the order of its model (botocore's `eks` `Cluster`, `VpcConfigResponse` and
 * `KubernetesNetworkConfigResponse` shapes). Only what the World knows: name, Kubernetes version, VPC, endpoint
 * access and IP family, status ACTIVE. Left out rather than invented: arn, createdAt, endpoint, roleArn, the
 * control plane's subnets and security groups, platformVersion. `aws eks describe-addon --addon-name vpc-cni` is not
 * written: the simulator knows the VPC CNI's version, not whether it was installed as the EKS add-on or from the
 * manifest, nor an add-on build number (`v1.18.0-eksbuild.N`).
 */
import type { World } from '../../model/world.ts';

export function describeCluster(world: World): { cluster: Record<string, unknown> } {
  const c = world.clusterInfo();
  return {
    cluster: {
      name: c.name,
      version: c.kubernetesVersion,
      resourcesVpcConfig: {
        vpcId: world.vpcId,
        endpointPublicAccess: c.endpointAccess !== 'private',
        endpointPrivateAccess: c.endpointAccess !== 'public',
      },
      kubernetesNetworkConfig: { ipFamily: c.ipFamily },
      status: 'ACTIVE',
    },
  };
}
