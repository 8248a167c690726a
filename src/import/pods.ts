/**
 * Which pods of `kubectl get pods -A` become running pods at t = 0, and which Deployment owns each: the aws-node and
 * kube-proxy DaemonSets' pods are left out (the simulated world runs them on every node itself); Succeeded and
 * Failed pods are gone; a pod not yet Running, or being deleted (`deletionTimestamp`, kubectl's Terminating), is
 * left to its controller (a Deployment makes up its replicas at t = 0) and noted; pods on Fargate nodes go with
 * their nodes. Each Running pod must sit on a known node and, unless it uses the host network, on an address that
 * node's ENIs hold as a secondary address or in a prefix. Not here: the YAML (existing-section.ts).
 */
import { NODE_DAEMONSETS } from '../model/k8s/system-pods.ts';
import { containsIp, parseCidr, parseIpv4, type Cidr } from '../model/vpc/ipv4.ts';
import { didYouMean } from '../util/suggest.ts';
import type { DeploymentRecord, PodRecord } from './k8s.ts';
import type { ImportedNode } from './nodes.ts';
import type { Notes } from './notes.ts';

export interface ImportedPod {
  pod: PodRecord;
  node: ImportedNode;
  deployment?: DeploymentRecord;
}

export function isWorldDaemonPod(p: PodRecord): boolean {
  if (p.namespace !== 'kube-system') return false;
  if (p.owner?.kind === 'DaemonSet') return (NODE_DAEMONSETS as readonly string[]).includes(p.owner.name);
  return (NODE_DAEMONSETS as readonly string[]).includes(p.labels['k8s-app'] ?? '');
}

export function selectPods(pods: PodRecord[], nodes: ImportedNode[], deployments: DeploymentRecord[], notes: Notes, leftOut: ReadonlySet<string> = new Set()): ImportedPod[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const deps = new Map(deployments.map((d) => [`${d.namespace}/${d.name}`, d]));
  const held = new Map(nodes.map((n) => [n.name, heldBy(n)]));
  const out: ImportedPod[] = [];
  const skipped = { done: 0, waiting: [] as string[], orphans: new Set<string>() };
  for (const p of pods) {
    if (isWorldDaemonPod(p)) continue;
    if (p.phase === 'Succeeded' || p.phase === 'Failed') {
      skipped.done++;
      continue;
    }
    if (p.phase !== 'Running' || p.deleting) {
      skipped.waiting.push(`${p.namespace}/${p.name} (${p.deleting ? 'Terminating' : p.phase})`);
      continue;
    }
    if (p.nodeName === undefined) return p.at.at('spec').at('nodeName').fail('missing on a Running pod');
    if (leftOut.has(p.nodeName)) continue;
    const node = byName.get(p.nodeName);
    if (node === undefined) return p.at.at('spec').at('nodeName').fail(`unknown node ${JSON.stringify(p.nodeName)}: not in the nodes file${didYouMean(p.nodeName, byName.keys())}`);
    if (!p.hostNetwork) {
      if (p.podIP === undefined) return p.at.at('status').at('podIP').fail('missing on a Running pod that does not use the host network');
      if (!held.get(node.name)!(p.podIP)) return p.at.at('status').at('podIP').fail(`${p.podIP} is not a secondary address or in a prefix of node ${node.name}'s ENIs (files collected at different times? collect them again)`);
    }
    const deployment = ownerDeployment(p, deps);
    if (p.owner?.kind === 'ReplicaSet' && deployment === undefined) skipped.orphans.add(`${p.namespace}/${p.owner.name}`);
    out.push({ pod: p, node, deployment });
  }
  if (skipped.done > 0) notes.remark(['existing', 'pods'], `${skipped.done} Succeeded or Failed pods left out`);
  if (skipped.waiting.length > 0) {
    const list = skipped.waiting.slice(0, 5).join(', ') + (skipped.waiting.length > 5 ? `, … (${skipped.waiting.length} in all)` : '');
    notes.warn(['existing', 'pods'], `pods not Running, or being deleted, left out (a Deployment makes up its replicas at t = 0; other pods are gone): ${list}`);
  }
  if (skipped.orphans.size > 0) notes.remark(['existing', 'pods'], `pods of ReplicaSets with no Deployment in the deployments file kept as bare pods: ${[...skipped.orphans].slice(0, 5).join(', ')}`);
  return out;
}

/** A pod's Deployment: its ReplicaSet is named `<deployment>-<pod-template-hash>`. */
function ownerDeployment(p: PodRecord, deps: Map<string, DeploymentRecord>): DeploymentRecord | undefined {
  if (p.owner?.kind !== 'ReplicaSet') return undefined;
  const hash = p.labels['pod-template-hash'];
  const rs = p.owner.name;
  const name = hash !== undefined && rs.endsWith(`-${hash}`) ? rs.slice(0, -hash.length - 1) : rs.replace(/-[^-]+$/, '');
  return deps.get(`${p.namespace}/${name}`);
}

/** Whether an address is one of the node's secondary addresses or inside one of its prefixes. */
function heldBy(n: ImportedNode): (ip: string) => boolean {
  const ips = new Set<string>();
  const prefixes: Cidr[] = [];
  for (const e of n.enis) {
    // An ENI's primary address is the node's (host-network pods); a pod's own address is a secondary or in a prefix.
    for (const a of e.secondaryIps) ips.add(a);
    for (const p of e.prefixes) prefixes.push(parseCidr(p));
  }
  return (ip) => {
    if (ips.has(ip)) return true;
    if (prefixes.length === 0) return false;
    let v: number;
    try {
      v = parseIpv4(ip);
    } catch {
      return false;
    }
    return prefixes.some((c) => containsIp(c, v));
  };
}
