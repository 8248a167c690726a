/**
 * The recognised files gathered by kind, one file per kind (a second describe-subnets output is an error, not a
 * merge: it is most often a file of another VPC or cluster), and the records read from each. Not here: how the
 * records relate (cluster.ts).
 */
import { readAddon, readCluster, readInstances, readNetworkInterfaces, readSubnets, readVpcs, type AddonRecord, type ClusterRecord, type EniRecord, type InstanceRecord, type SubnetRecord, type VpcRecord } from './aws.ts';
import { COMMAND, recognise, type InputFile, type Kind, type Recognised } from './input.ts';
import { readAwsNode, readDeployments, readEniConfigs, readNodes, readPods, type AwsNodeRecord, type DeploymentRecord, type EniConfigRecord, type NodeRecord, type PodRecord } from './k8s.ts';
import type { Notes } from './notes.ts';
import { InputError } from '../util/input-error.ts';

export interface Bundle {
  files: Partial<Record<Kind, string>>;
  vpcs?: VpcRecord[];
  subnets: SubnetRecord[];
  enis: EniRecord[];
  instances?: InstanceRecord[];
  cluster?: ClusterRecord;
  addon?: AddonRecord;
  nodes: NodeRecord[];
  pods?: PodRecord[];
  awsNode?: AwsNodeRecord;
  deployments?: DeploymentRecord[];
  eniConfigs?: EniConfigRecord[];
}

/** Files without which there is no cluster to speak of. */
const REQUIRED: Kind[] = ['subnets', 'network-interfaces', 'nodes'];

export function readBundle(files: InputFile[], notes: Notes): Bundle {
  const byKind = new Map<Kind, Recognised>();
  for (const f of files) {
    const r = recognise(f);
    if (r === undefined) {
      notes.remark([], `${f.file}: an empty Kubernetes list whose kind cannot be told from its content or name; not read`);
      continue;
    }
    const prev = byKind.get(r.kind);
    if (prev !== undefined) throw new InputError({ file: f.file }, `a second output of \`${COMMAND[r.kind]}\` (the first is ${prev.file}); give one file per command, from one cluster`);
    byKind.set(r.kind, r);
  }
  for (const k of REQUIRED) {
    if (!byKind.has(k)) throw new InputError({}, `no output of \`${COMMAND[k]}\` among the files (scripts/collect-cluster.sh writes every file import reads)`);
  }
  const get = <T>(k: Kind, read: (r: Recognised) => T): T | undefined => {
    const r = byKind.get(k);
    return r === undefined ? undefined : read(r);
  };
  const names: Partial<Record<Kind, string>> = {};
  for (const [k, r] of byKind) names[k] = r.file;
  return {
    files: names,
    vpcs: get('vpcs', readVpcs),
    subnets: get('subnets', readSubnets) ?? [],
    enis: get('network-interfaces', readNetworkInterfaces) ?? [],
    instances: get('instances', readInstances),
    cluster: get('cluster', readCluster),
    addon: get('addon', readAddon),
    nodes: get('nodes', readNodes) ?? [],
    pods: get('pods', readPods),
    awsNode: get('aws-node', readAwsNode),
    deployments: get('deployments', readDeployments),
    eniConfigs: get('eniconfigs', readEniConfigs),
  };
}
