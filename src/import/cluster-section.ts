/**
 * The scenario's `region`, `vpc`, `subnets` and `cluster` sections from the joined files: VPC blocks from
 * describe-vpcs, subnets with their tags and `externalUse`, the EKS cluster's name, Kubernetes version and endpoint
 * access from describe-cluster, the VPC CNI version from the aws-node image tag (or the add-on), the aws-node env the
 * simulator reads, and the ENIConfigs. Each missing piece takes the default named in its note. Not here: the
 * `existing` and `nodeGroups` sections (existing-section.ts).
 */
import { KNOWN_ENV_KEYS, MANIFEST_DEFAULT_ENV } from '../model/ipamd/config.ts';
import { cidrSize, formatCidr, parseCidr, type Cidr } from '../model/vpc/ipv4.ts';
import { DEFAULT_CNI_VERSION } from '../scenario/world-shape.ts';
import type { ImportedCluster } from './cluster.ts';
import type { Notes } from './notes.ts';

type Obj = Record<string, unknown>;

/** Used when neither describe-cluster nor any node's kubelet tells the Kubernetes version. */
const DEFAULT_KUBERNETES_VERSION = '1.29';

export function regionOf(c: ImportedCluster): string {
  const az = c.subnets[0]?.record.az ?? c.nodes[0]?.az ?? 'us-west-2a';
  return az.replace(/[a-z]$/, '');
}

export function vpcSection(c: ImportedCluster, notes: Notes): Obj {
  if (c.vpc !== undefined) {
    if (c.vpc.ipv6) notes.remark(['vpc'], `${c.vpcId} also has IPv6 blocks; the cluster is IPv4 and they are left out`);
    notes.remark(['vpc'], `VPC ${c.vpcId}`);
    return { cidrBlocks: c.vpc.cidrBlocks };
  }
  const blocks = coveringBlocks(c.subnets.map((s) => parseCidr(s.record.cidr)));
  notes.warn(['vpc'], `no describe-vpcs output: the VPC's blocks are taken as the smallest blocks holding its subnets, one per /16: ${blocks.join(', ')}`);
  return { cidrBlocks: blocks };
}

/** Per /16, the smallest CIDR (at most /28) that holds every subnet in it. */
function coveringBlocks(subnets: Cidr[]): string[] {
  const groups = new Map<number, { lo: number; hi: number }>();
  for (const s of subnets) {
    const key = Math.floor(s.base / 65536);
    const hi = s.base + cidrSize(s) - 1;
    const g = groups.get(key);
    groups.set(key, g === undefined ? { lo: s.base, hi } : { lo: Math.min(g.lo, s.base), hi: Math.max(g.hi, hi) });
  }
  return [...groups.values()].map(({ lo, hi }) => {
    let len = 28;
    while (len > 16 && (Math.floor(lo / 2 ** (32 - len)) !== Math.floor(hi / 2 ** (32 - len)))) len--;
    const base = Math.floor(lo / 2 ** (32 - len)) * 2 ** (32 - len);
    return formatCidr({ base, prefixLen: len });
  }).sort();
}

export function subnetsSection(c: ImportedCluster, notes: Notes): Obj[] {
  if (c.subnets.length > 0) notes.remark(['subnets'], 'public: MapPublicIpOnLaunch; route tables are not among the files, so a public subnet routes through an internet gateway and a private one through a NAT gateway. externalUse: used addresses (size − 5 − AvailableIpAddressCount) not held by the nodes below');
  return c.subnets.map(({ record: s, externalUse }) => {
    const out: Obj = { id: s.subnetId, az: s.az, cidr: s.cidr };
    if (s.mapPublicIpOnLaunch) out.public = true;
    if (Object.keys(s.tags).length > 0) out.tags = s.tags;
    if (externalUse > 0) out.externalUse = externalUse;
    return out;
  });
}

export function clusterSection(c: ImportedCluster, notes: Notes): Obj {
  const b = c.bundle;
  const out: Obj = { name: c.clusterName ?? 'imported' };
  if (c.clusterName === undefined) notes.warn(['cluster', 'name'], 'no describe-cluster output and no other file names the cluster: name "imported"');
  out.kubernetesVersion = kubernetesVersion(c, notes);
  const ipFamily = b.cluster?.ipFamily;
  if (ipFamily !== undefined && ipFamily !== 'ipv4') return b.cluster!.at.at('kubernetesNetworkConfig').at('ipFamily').fail(`${ipFamily}: import reads IPv4 clusters (an existing IPv6 cluster's state is not modelled)`);
  out.endpointAccess = endpointAccess(c, notes);
  out.vpcCni = vpcCni(c, notes);
  const eniConfigs = (b.eniConfigs ?? []).map((e) => {
    if (!c.subnets.some((s) => s.record.subnetId === e.subnet)) return e.at.at('spec').at('subnet').fail(`subnet ${e.subnet} is not in ${b.files.subnets}`);
    const o: Obj = { name: e.name, subnet: e.subnet };
    if (e.securityGroups.length > 0) o.securityGroups = e.securityGroups;
    return o;
  });
  if (eniConfigs.length > 0) out.eniConfigs = eniConfigs;
  return out;
}

function kubernetesVersion(c: ImportedCluster, notes: Notes): string {
  const v = c.bundle.cluster?.version;
  if (v !== undefined) return v;
  const kubelet = c.bundle.nodes.map((n) => /^v?(\d+\.\d+)\./.exec(n.kubeletVersion ?? '')?.[1]).find((x) => x !== undefined);
  if (kubelet !== undefined) {
    notes.warn(['cluster', 'kubernetesVersion'], `no describe-cluster output: the Kubernetes version is the nodes' kubelet version, ${kubelet}`);
    return kubelet;
  }
  notes.warn(['cluster', 'kubernetesVersion'], `no describe-cluster output and no kubelet version: Kubernetes ${DEFAULT_KUBERNETES_VERSION}`);
  return DEFAULT_KUBERNETES_VERSION;
}

function endpointAccess(c: ImportedCluster, notes: Notes): string {
  const cl = c.bundle.cluster;
  if (cl?.endpointPublicAccess === undefined && cl?.endpointPrivateAccess === undefined) {
    notes.warn(['cluster', 'endpointAccess'], 'no endpoint access in describe-cluster (resourcesVpcConfig.endpointPublicAccess/endpointPrivateAccess): public, as EKS creates a cluster');
    return 'public';
  }
  const pub = cl.endpointPublicAccess ?? true;
  const priv = cl.endpointPrivateAccess ?? false;
  return pub && priv ? 'public-and-private' : priv ? 'private' : 'public';
}

const VERSION = /(\d+\.\d+\.\d+)/;

function vpcCni(c: ImportedCluster, notes: Notes): Obj {
  const b = c.bundle;
  const out: Obj = {};
  const tag = b.awsNode?.image?.split(':').pop();
  const fromImage = tag === undefined ? undefined : VERSION.exec(tag)?.[1];
  const fromAddon = b.addon?.addonVersion === undefined ? undefined : VERSION.exec(b.addon.addonVersion)?.[1];
  if (fromImage !== undefined) {
    out.version = fromImage;
    notes.remark(['cluster', 'vpcCni', 'version'], `from the aws-node image ${b.awsNode!.image}`);
    if (fromAddon !== undefined && fromAddon !== fromImage) notes.remark(['cluster', 'vpcCni', 'version'], `the add-on says ${b.addon!.addonVersion}; the image is what runs`);
  } else if (fromAddon !== undefined) {
    out.version = fromAddon;
    notes.remark(['cluster', 'vpcCni', 'version'], `from the vpc-cni add-on ${b.addon!.addonVersion}`);
  } else {
    out.version = DEFAULT_CNI_VERSION;
    notes.warn(['cluster', 'vpcCni', 'version'], `neither the aws-node DaemonSet's image tag nor describe-addon gives the VPC CNI version: ${DEFAULT_CNI_VERSION}`);
  }
  if (b.awsNode === undefined) {
    notes.warn(['cluster', 'vpcCni'], 'no aws-node DaemonSet (kubectl get daemonset aws-node -n kube-system -o json): its env is the manifest defaults');
    return out;
  }
  const env: Record<string, string> = {};
  const asDefault: string[] = [];
  const unread: string[] = [];
  const indirect: string[] = [];
  for (const e of b.awsNode.env) {
    if (e.value === undefined) {
      if (e.from) indirect.push(e.name);
      continue;
    }
    if (!KNOWN_ENV_KEYS.includes(e.name)) unread.push(`${e.name}=${e.value}`);
    else if (MANIFEST_DEFAULT_ENV[e.name] === e.value) asDefault.push(e.name);
    else env[e.name] = e.value;
  }
  if (Object.keys(env).length > 0) out.env = env;
  const remarks = [
    asDefault.length > 0 ? `at their manifest defaults: ${asDefault.join(', ')}` : '',
    unread.length > 0 ? `not read by the simulator: ${unread.join(', ')}` : '',
    indirect.length > 0 ? `set from the pod or node (valueFrom): ${indirect.join(', ')}` : '',
  ].filter((s) => s !== '');
  if (remarks.length > 0) notes.remark(['cluster', 'vpcCni'], `aws-node env ${remarks.join('; ')}`);
  return out;
}
