/**
 * `kubectl describe` layouts for the records describe.ts collects: the field names, order and tabwriter alignment of
 * kubectl's describers (k8s.io/kubectl/pkg/describe/describe.go: `describePod`, `describeContainerState`,
 * `DeploymentDescriber`, `describeNode`), with the fields the model does not have left out rather than invented.
 * After kubectl's own output, a pod that is not Running gets our "Why it is not Running" chain. Pure layout.
 */
import { humanDuration } from '../model/k8s/events.ts';
import { SIM_EPOCH_MS } from '../model/ipamd/introspect.ts';
import { formatDuration } from '../util/duration.ts';
import { tabwrite } from './tabwriter.ts';
import type { StuckExplanation } from './types.ts';
import type { DeploymentDescribe, NodeDescribe, PodDescribe, ViewRecord } from './view-types.ts';

const MODES: Record<string, string> = { sip: 'secondary IPs', pd: 'prefix delegation', ipv6: 'IPv6 prefixes' };
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC1123Z, as kubectl prints Start Time: `Wed, 01 Jan 2025 00:02:00 +0000`. */
function rfc1123z(t: number): string {
  const d = new Date(SIM_EPOCH_MS + t);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

/** kubectl's multi-line map field: `Labels:\tk=v` then `\tk2=v2` (sorted), or `<none>`. */
function mapLines(title: string, m: Record<string, string>, indent = ''): string[] {
  const keys = Object.keys(m).sort();
  if (keys.length === 0) return [`${indent}${title}\t<none>`];
  return keys.map((k, i) => `${i === 0 ? `${indent}${title}` : ''}\t${k}=${m[k]}`);
}

export function chainLines(e: StuckExplanation, indent = '  '): string[] {
  return e.chain.map((c, i) => `${indent}${i === 0 ? '' : '→ '}${c}`);
}

export function describePodText(d: PodDescribe, now: number): string {
  const l: string[] = [`Name:\t${d.name}`, `Namespace:\t${d.namespace}`, 'Priority:\t0', 'Service Account:\tdefault'];
  l.push(`Node:\t${d.node === undefined ? '<none>' : `${d.node}/${d.nodeIp ?? ''}`}`);
  if (d.startTime !== undefined) l.push(`Start Time:\t${rfc1123z(d.startTime)}`);
  l.push(...mapLines('Labels:', d.labels), 'Annotations:\t<none>');
  if (d.deletedAt !== undefined) l.push(`Status:\tTerminating (lasts ${humanDuration(now - d.deletedAt)})`, `Termination Grace Period:\t${d.gracePeriodSeconds ?? 30}s`);
  else l.push(`Status:\t${d.status}`);
  l.push(`IP:\t${d.ip ?? ''}`);
  if (d.ip !== undefined) l.push('IPs:', `  IP:\t${d.ip}`);
  else l.push('IPs:\t<none>');
  if (d.controlledBy !== undefined) l.push(`Controlled By:\t${d.controlledBy}`);
  l.push('Containers:');
  for (const c of d.containers) {
    l.push(`  ${c.name}:`, '    Container ID:\t', `    Image:\t${c.image}`, '    Image ID:\t', '    Port:\t<none>', '    Host Port:\t<none>');
    // an unscheduled pod has no container status yet, and kubectl then prints no State, Ready or Restart Count
    if (d.node !== undefined) {
      l.push(`    State:\t${c.state}`);
      if (c.reason !== undefined) l.push(`      Reason:\t${c.reason}`);
      if (c.startedAt !== undefined) l.push(`      Started:\t${rfc1123z(c.startedAt)}`);
      l.push(`    Ready:\t${c.ready ? 'True' : 'False'}`, `    Restart Count:\t${c.restartCount}`);
    }
    l.push('    Environment:\t<none>', '    Mounts:\t<none>');
  }
  l.push('Conditions:', '  Type\tStatus');
  for (const c of d.conditions) l.push(`  ${c.type} \t${c.status} `);
  l.push('Volumes:\t<none>', `QoS Class:\t${d.qosClass}`, 'Node-Selectors:\t<none>');
  l.push('Tolerations:\tnode.kubernetes.io/not-ready:NoExecute op=Exists for 300s', '\tnode.kubernetes.io/unreachable:NoExecute op=Exists for 300s');
  const out = [...tabwrite(l), d.events];
  if (d.why !== undefined) out.push('', 'Why it is not Running:', ...chainLines(d.why));
  return out.join('\n');
}

function describeDeploymentText(d: DeploymentDescribe): string {
  const r = d.replicas;
  const sel = Object.entries(d.selector).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',');
  const l = [`Name:\t${d.name}`, `Namespace:\t${d.namespace}`, `Selector:\t${sel === '' ? '<none>' : sel}`];
  l.push(`Replicas:\t${r.desired} desired | ${r.updated} updated | ${r.total} total | ${r.available} available | ${r.unavailable} unavailable`);
  l.push('StrategyType:\tRollingUpdate', 'MinReadySeconds:\t0', 'RollingUpdateStrategy:\t25% max unavailable, 25% max surge', 'Pod Template:');
  l.push(...mapLines('Labels:', d.template.labels, '  '), '  Containers:');
  for (const c of d.template.containers) l.push(`   ${c.name}:`, `    Image:\t${c.image}`, '    Port:\t<none>', '    Host Port:\t<none>', '    Environment:\t<none>', '    Mounts:\t<none>');
  l.push('  Volumes:\t<none>', 'Conditions:', '  Type\tStatus\tReason', '  ----\t------\t------');
  const minAvailable = r.desired - Math.floor(r.desired / 4);
  l.push(r.available >= minAvailable ? '  Available \tTrue \tMinimumReplicasAvailable' : '  Available \tFalse \tMinimumReplicasUnavailable');
  l.push('  Progressing \tTrue \tReplicaSetUpdated');
  l.push('OldReplicaSets:\t<none>', `NewReplicaSet:\t${d.newReplicaSet === undefined ? '<none>' : `${d.newReplicaSet} (${r.total}/${r.desired} replicas created)`}`);
  const by = Object.entries(d.podsByStatus).map(([k, v]) => `${v} ${k}`).join(', ');
  return [...tabwrite(l), '', `Pods by STATUS (kubectl get pods -l ${sel}): ${by === '' ? 'none' : by}`].join('\n');
}

function describeNodeText(d: NodeDescribe): string {
  const l = [`Name:\t${d.name}`, 'Roles:\t<none>', ...mapLines('Labels:', d.labels), 'Annotations:\t<none>'];
  l.push(`Taints:\t${d.taints.length === 0 ? '<none>' : d.taints[0]}`, ...d.taints.slice(1).map((t) => `\t${t}`), `Unschedulable:\t${d.unschedulable}`);
  l.push('Conditions:', '  Type\tStatus\tReason\tMessage', '  ----\t------\t------\t-------');
  l.push(d.ready ? '  Ready \tTrue \tKubeletReady \tkubelet is posting ready status' : `  Ready \tFalse \tKubeletNotReady \t${d.notReadyReason ?? 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized'}`);
  l.push('Addresses:', `  InternalIP:\t${d.internalIp}`, `  InternalDNS:\t${d.name}`, `  Hostname:\t${d.name}`);
  l.push('Capacity:', `  pods:\t${d.maxPods}`, 'Allocatable:', `  pods:\t${d.maxPods}`);
  l.push(`ProviderID:\t${d.providerId}`);
  l.push(`Non-terminated Pods:\t(${d.nonTerminatedPods.length} in total)`, '  Namespace\tName\tAge', '  ---------\t----\t---');
  for (const p of d.nonTerminatedPods) l.push(`  ${p.namespace}\t${p.name}\t${humanDuration(p.age)}`);
  const out = tabwrite(l);
  out.push('', `ipamd on this node (${d.instanceType}, max pods ${d.maxPods}):`);
  if (d.awsNode !== undefined) out.push(`  aws-node: ${d.awsNode.state}, ${d.awsNode.restarts} restart${d.awsNode.restarts === 1 ? '' : 's'}${d.awsNode.lastFailure !== undefined ? ` (last failure: ${d.awsNode.lastFailure})` : ''}`);
  if (d.pool !== undefined) out.push(`  pool: ${d.pool.totalIps} addresses, ${d.pool.assignedIps} assigned to pods, ${d.pool.cooldownIps} cooling down; ${d.enis.length} of ${d.pool.maxEnis} ENIs (${MODES[d.pool.mode] ?? d.pool.mode})`);
  const rows = d.enis.map((e) => `  device ${e.deviceIndex}\t${e.id}\t${e.subnet}\t${e.primaryIp}\t${e.prefixes > 0 ? `${e.prefixes} prefixes` : `${e.addresses} secondary IPs`}${e.assigned !== undefined ? `, ${e.assigned} assigned` : ''}`);
  out.push(...tabwrite(rows));
  return out.join('\n');
}

function describeStuckText(v: Extract<ViewRecord, { kind: 'describe-stuck' }>): string {
  if (v.groups.length === 0) return `Every pod is Running at ${formatDuration(v.time)}.`;
  const total = v.groups.reduce((a, g) => a + g.pods.length, 0);
  const out = [`Pods not Running at ${formatDuration(v.time)}: ${total}, by cause`];
  for (const g of v.groups) {
    const names = g.pods.length <= 6 ? g.pods.join(', ') : `${g.pods.slice(0, 5).join(', ')} and ${g.pods.length - 5} more`;
    out.push('', `${g.pods.length} ${g.status} — ${g.cause}: ${names}`, `  for example ${g.example.namespace}/${g.example.pod}:`, ...chainLines(g.example, '    '));
  }
  return out.join('\n');
}

/** The text of a describe record (undefined for the daemon's views, which view-text.ts renders). */
export function describeText(v: ViewRecord, now: number): string | undefined {
  switch (v.kind) {
    case 'describe-pod':
      return describePodText(v.pod, now);
    case 'describe-deployment':
      return describeDeploymentText(v.deployment);
    case 'describe-node':
      return describeNodeText(v.node);
    case 'describe-stuck':
      return describeStuckText(v);
    default:
      return undefined;
  }
}
