/**
 * `run --export DIR`: the simulated cluster at the end of the run (or at `--until`) as the folder of files
 * `scripts/collect-cluster.sh` writes for a real cluster — one file per read-only command, exactly what the command
 * prints — so `vpc-cni-sim import` reads either. The World is read once here; each file is one renderer
 * (aws-shapes.ts, eks-shapes.ts, k8s-shapes.ts) and one printer (printers.ts). The CLI writes the files; nothing
 * here touches the machine. `addon-vpc-cni.json` is not written (eks-shapes.ts says why).
 */
import { daemonTemplate } from '../../model/k8s/system-pods.ts';
import type { World } from '../../model/world.ts';
import { describeInstances, describeNetworkInterfaces, describeSubnets, describeVpcs } from '../aws-shapes.ts';
import { describeCluster } from './eks-shapes.ts';
import { awsNodeDaemonSet, deploymentObject, eniConfigObject, nodeObject, podObject, vpcCniImage } from './k8s-shapes.ts';
import { awsCliJson, kubectlJson, kubectlList, kubectlYaml } from './printers.ts';

export interface ExportedFile {
  /** The file's name in the folder (`subnets.json`). */
  name: string;
  /** The command whose output it is. */
  command: string;
  text: string;
}

const byKey = <T>(key: (x: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** The Kubernetes side: nodes, pods, Deployments, the aws-node DaemonSet, ENIConfigs. */
function kubernetesObjects(world: World) {
  const cluster = world.clusterInfo();
  const region = world.spec.region;
  const nodes = world.nodes().filter((n) => n.registered);
  const nodeIp = new Map(nodes.map((n) => [n.name, n.privateIp]));
  const cniImage = vpcCniImage(region, cluster.vpcCniVersion);
  const pods = world
    .pods()
    .sort(byKey((p) => `${p.namespace}/${p.name}`))
    .flatMap((p) => {
      const spec = world.podSpec(p.namespace, p.name);
      if (spec === undefined) return [];
      const image = p.owner.kind === 'DaemonSet' && p.owner.name === 'aws-node' ? cniImage : spec.template.image;
      return [podObject(p, spec.template, spec.ip, p.node === undefined ? undefined : nodeIp.get(p.node), image)];
    });
  const infos = new Map(world.deployments().map((d) => [`${d.namespace}/${d.name}`, d]));
  const deployments = world
    .deploymentSpecs()
    .sort(byKey((d) => `${d.namespace}/${d.name}`))
    .map((d) => deploymentObject(d, infos.get(`${d.namespace}/${d.name}`)));
  const eniConfigs = [...cluster.eniConfigs].sort(byKey((e) => e.name)).map((e) => eniConfigObject(e, world.resolveSubnet(e.subnet) ?? e.subnet));
  return {
    nodes: nodes.map((n) => nodeObject(n, region)),
    pods,
    deployments,
    awsNode: awsNodeDaemonSet(cluster, daemonTemplate('aws-node')),
    eniConfigs,
  };
}

/** Every file of the folder, in the order of the collect script. */
export function exportClusterFiles(world: World): ExportedFile[] {
  const vpc = world.vpcId;
  const name = world.spec.cluster.name;
  const k = kubernetesObjects(world);
  return [
    { name: 'vpcs.json', command: `aws ec2 describe-vpcs --vpc-ids ${vpc} --output json`, text: awsCliJson(describeVpcs(world)) },
    { name: 'subnets.json', command: `aws ec2 describe-subnets --filters Name=vpc-id,Values=${vpc} --output json`, text: awsCliJson(describeSubnets(world)) },
    {
      name: 'network-interfaces.json',
      command: `aws ec2 describe-network-interfaces --filters Name=vpc-id,Values=${vpc} --output json`,
      text: awsCliJson(describeNetworkInterfaces(world)),
    },
    { name: 'instances.json', command: `aws ec2 describe-instances --filters Name=vpc-id,Values=${vpc} --output json`, text: awsCliJson(describeInstances(world)) },
    { name: 'cluster.json', command: `aws eks describe-cluster --name ${name} --output json`, text: awsCliJson(describeCluster(world)) },
    { name: 'nodes.json', command: 'kubectl get nodes -o json', text: kubectlJson(kubectlList(k.nodes)) },
    { name: 'pods.json', command: 'kubectl get pods -A -o json', text: kubectlJson(kubectlList(k.pods)) },
    { name: 'aws-node.json', command: 'kubectl get daemonset aws-node -n kube-system -o json', text: kubectlJson(k.awsNode) },
    { name: 'deployments.json', command: 'kubectl get deployments -A -o json', text: kubectlJson(kubectlList(k.deployments)) },
    { name: 'eniconfigs.yaml', command: 'kubectl get eniconfigs -o yaml', text: kubectlYaml(kubectlList(k.eniConfigs)) },
  ];
}
