/**
 * Test fixture: the cluster sections a scenario and a benchmark workload share (one input dialect), for a VPC
 * 10.0.0.0/16 with one subnet `subnet-a` in zone `<region>a` and one node group in it.
 */
export function oneSubnetCluster(o: { region: string; cidr: string; cluster: string; group: string }): string {
  return `region: ${o.region}
vpc: { cidrBlocks: [10.0.0.0/16] }
subnets:
  - { id: subnet-a, az: ${o.region}a, cidr: ${o.cidr} }
cluster: { name: ${o.cluster}, kubernetesVersion: "1.29" }
nodeGroups:
  - { ${o.group}, subnets: [subnet-a] }
`;
}
