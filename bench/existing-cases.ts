/**
 * A large cluster written as an `existing` state, for benchmarks (bench/existing-build.ts) and anyone who needs a big
 * running cluster to start from: N m5.xlarge nodes in three /18 subnets (one per AZ) of 10.0.0.0/16, each with its
 * primary ENI and a second one, 14 secondary IPs each, and P pods per node on those addresses, owned by one
 * Deployment. The same arguments always give the same spec. A generator only: no timing here.
 */
import { formatIpv4, parseIpv4 } from '../src/model/vpc/ipv4.ts';
import type { ExistingNodeSpec, ExistingPodSpec, WorldSpec } from '../src/model/world/spec.ts';

const AZS = ['us-west-2a', 'us-west-2b', 'us-west-2c'];
const SECONDARIES = 14;

export function existingCluster(nodes: number, podsPerNode: number): WorldSpec {
  if (podsPerNode > 2 * SECONDARIES) throw new Error(`at most ${2 * SECONDARIES} pods per node`);
  const subnets = AZS.map((az, i) => ({ id: `subnet-${az.slice(-1)}`, az, cidr: `10.0.${i * 64}.0/18` }));
  // next free address per subnet, past AWS's first four
  const next = subnets.map((s) => parseIpv4(s.cidr.split('/')[0]) + 4);
  const take = (si: number) => formatIpv4(next[si]++);
  const nodeSpecs: ExistingNodeSpec[] = [];
  const pods: ExistingPodSpec[] = [];
  for (let i = 0; i < nodes; i++) {
    const si = i % subnets.length;
    const enis = [0, 1].map((d) => ({
      id: `eni-${(i * 2 + d).toString(16).padStart(8, '0')}`,
      deviceIndex: d,
      subnet: subnets[si].id,
      primaryIp: take(si),
      secondaryIps: Array.from({ length: SECONDARIES }, () => take(si)),
    }));
    const name = `ip-${enis[0].primaryIp.replaceAll('.', '-')}.us-west-2.compute.internal`;
    nodeSpecs.push({ name, instanceId: `i-${i.toString(16).padStart(8, '0')}`, instanceType: 'm5.xlarge', subnet: subnets[si].id, nodeGroup: 'ng-1', enis });
    const ips = enis.flatMap((e) => e.secondaryIps);
    for (let k = 0; k < podsPerNode; k++) {
      pods.push({ name: `app-5d8c7f9b6d-${(i * podsPerNode + k).toString(36).padStart(5, '0')}`, node: name, ip: ips[k], deployment: 'app', labels: { app: 'app' }, requests: { cpu: '50m' } });
    }
  }
  return {
    seed: 1,
    region: 'us-west-2',
    vpc: { cidrBlocks: ['10.0.0.0/16'] },
    subnets,
    cluster: { name: 'big', kubernetesVersion: '1.29', vpcCni: { version: '1.23.1' } },
    nodeGroups: [{ name: 'ng-1', instanceType: 'm5.xlarge', desiredCapacity: nodes, subnets: subnets.map((s) => s.id) }],
    ec2: { throttling: { enabled: false } },
    existing: {
      nodes: nodeSpecs,
      pods,
      deployments: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'app' },
          spec: {
            replicas: nodes * podsPerNode,
            selector: { matchLabels: { app: 'app' } },
            template: { metadata: { labels: { app: 'app' } }, spec: { containers: [{ name: 'app', image: 'pause', resources: { requests: { cpu: '50m' } } }] } },
          },
        },
      ],
    },
  };
}
