/**
 * Why a pod is not Running, as a chain a reader can follow (user-scenarios §B.1 #1): the pod and its last CNI error
 * → the node's address pool (ipamd stats) → ipamd's last decisions that matter (subnet choice, ENI creation failures,
 * growth freezes, EC2 errors; spec §2.5, §2.9, §4.1) → the subnets of the node's AZ and which of them discovery may
 * use (§4.1) — ending with the cause label the World assigns (world/stuck-cause.ts). Built from structured state and
 * DecisionRecords only; it explains what the models did and decides nothing.
 */
import type { World } from '../model/world.ts';
import type { DecisionRecord } from '../model/ipamd/types.ts';
import { findInstanceType } from '../model/ec2/instance-types.ts';
import type { PodInfo } from '../model/world/views.ts';
import { formatDuration } from '../scenario/duration.ts';
import type { StuckExplanation } from './types.ts';

const CNI_TAG = 'kubernetes.io/role/cni';
const RELEVANT = new Set(['subnet-choice', 'eni-create-failed', 'pool-no-grow', 'eni-create', 'start-failed', 'config-warning']);

export function shortNode(name: string): string {
  return name.replace(/\.[a-z0-9-]+\.compute\.internal$/, '').replace(/\.ec2\.internal$/, '');
}

/** Replaces EC2 subnet ids with the scenario's names and `t=123456ms` with durations. */
function humanise(world: World, text: string): string {
  return text
    .replace(/subnet-[0-9]{17}/g, (id) => world.subnetName(id))
    .replace(/t=(\d+)ms/g, (_, ms: string) => formatDuration(Number(ms)));
}

/** A time in whole seconds ("2m05s" reads better than "2m4s752ms" in a chain). */
export function at(ms: number): string {
  return formatDuration(Math.round(ms / 1000) * 1000);
}

function decisionLine(world: World, d: DecisionRecord): string {
  let msg = humanise(world, d.message);
  if (d.kind === 'pool-no-grow') {
    const code = typeof d.data?.code === 'string' ? ` (${d.data.code})` : typeof d.data?.reason === 'string' ? ` (${d.data.reason})` : '';
    msg = typeof d.data?.until === 'number' ? `the pool did not grow${code} → growth frozen until ${at(d.data.until)}` : msg;
  }
  return `at ${at(d.t)}: ${msg}`;
}

export function explainPod(world: World, p: PodInfo): StuckExplanation {
  const chain: string[] = [];
  const cause = p.stuckCause ?? (p.status === 'Pending' || p.status === 'ContainerCreating' ? 'starting' : 'unknown');
  const out: StuckExplanation = { pod: p.name, namespace: p.namespace, status: p.status, cause, chain };
  if (p.node !== undefined) out.node = p.node;
  if (p.firstStuckAt !== undefined) out.since = p.firstStuckAt;

  if (p.status === 'Pending' || p.node === undefined) {
    const ev = world.podEvents(p.name, p.namespace);
    const last = ev?.events.filter((e) => e.reason === 'FailedScheduling').pop();
    chain.push(`${p.namespace}/${p.name} is Pending${last !== undefined ? `: ${last.message}` : ' (not scheduled yet)'}`);
    const nodes = world.nodes().filter((n) => !n.terminating);
    const ready = nodes.filter((n) => n.ready);
    if (nodes.length === 0) chain.push('no node exists (node groups at 0 or still launching)');
    else if (ready.length === 0) {
      chain.push(`none of the ${nodes.length} node(s) is Ready`);
      const reasons = new Map<string, string[]>();
      for (const n of nodes) {
        const r = humanise(world, n.notReadyReason ?? n.status);
        reasons.set(r, [...(reasons.get(r) ?? []), shortNode(n.name)]);
      }
      for (const [r, names] of reasons) chain.push(`${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}: ${r}`);
    } else {
      const full = ready.filter((n) => n.pods >= n.maxPods);
      if (full.length > 0) chain.push(`${full.length} of ${ready.length} Ready node(s) are at max pods (${full.map((n) => `${shortNode(n.name)} ${n.pods}/${n.maxPods}`).slice(0, 3).join(', ')})`);
    }
    chain.push(`cause: ${cause}`);
    return out;
  }

  const node = world.nodes().find((n) => n.name === p.node);
  const short = shortNode(p.node);
  chain.push(
    `${p.namespace}/${p.name} is ${p.status} on ${short}${p.firstStuckAt !== undefined ? ` since ${at(p.firstStuckAt)}` : ''} (${p.sandboxAttempts} sandbox attempt${p.sandboxAttempts === 1 ? '' : 's'})${p.lastCniError !== undefined ? `: ${p.lastCniError}` : ''}`,
  );
  const ipamd = world.ipamdOf(p.node);
  if (ipamd === undefined || ipamd.state !== 'ready') {
    chain.push(`aws-node on ${short} is ${ipamd === undefined ? 'not running' : ipamd.state}${ipamd?.failure ? `: ${ipamd.failure}` : ''}${node?.awsNode?.lastFailure ? ` (last failure: ${node.awsNode.lastFailure})` : ''}`);
  } else {
    const st = ipamd.stats();
    const unit = st.mode === 'pd' ? `${st.prefixes} /28 prefix(es)` : `${st.enis} of ${st.maxEnis} ENIs`;
    if (st.totalIps === 0) chain.push(`${short} holds no pod addresses yet (${unit}, max pods ${st.maxPods})`);
    else if (st.assignedIps >= st.totalIps && st.cooldownIps === 0) chain.push(`all ${st.totalIps} pod addresses on ${short} are assigned (${unit}, max pods ${st.maxPods})`);
    else chain.push(`${short} holds ${st.totalIps} pod addresses: ${st.assignedIps} assigned, ${st.cooldownIps} cooling down (${unit}, max pods ${st.maxPods})`);
    if (st.enis >= st.maxEnis && st.mode !== 'pd') chain.push(`${short} is at its ENI limit (${st.maxEnis} for ${node?.instanceType ?? 'this type'})`);
  }
  const inAz = node === undefined ? [] : world.subnets().filter((s) => s.az === node.az);
  const own = inAz.find((s) => s.subnetId === node?.subnetId);
  const t = node === undefined ? undefined : findInstanceType(node.instanceType);
  if (cause === 'subnet empty' && t !== undefined && own !== undefined && node !== undefined) {
    chain.push(`a new ENI on ${node.instanceType} needs up to ${t.ipv4PerEni} addresses (1 primary + ${t.ipv4PerEni - 1} secondary) but ${own.id} has ${own.availableIpAddressCount}`);
  }
  if (cause === 'no /28 block' && own !== undefined) {
    chain.push(`${own.id} has ${own.availableIpAddressCount} free addresses but no free aligned /28 block (prefix delegation needs 16 contiguous, aligned addresses)`);
  }
  const decisions = world.decisions(p.node).filter((d) => RELEVANT.has(d.kind));
  const recent: DecisionRecord[] = [];
  const seenKinds = new Set<string>();
  for (let i = decisions.length - 1; i >= 0 && recent.length < 4; i--) {
    const d = decisions[i];
    if (seenKinds.has(d.kind)) continue;
    seenKinds.add(d.kind);
    recent.unshift(d);
  }
  for (const d of recent) chain.push(decisionLine(world, d));

  if (node !== undefined) {
    const listed = inAz.map((s) => {
      const tag = s.tags[CNI_TAG];
      const mark = s.subnetId === node.subnetId ? "node's subnet" : tag === undefined || tag === '' ? `not used: no ${CNI_TAG} tag` : tag === '0' ? `excluded: ${CNI_TAG}=0` : `${CNI_TAG}=${tag}`;
      return `${s.id} ${s.availableIpAddressCount} free (${mark})`;
    });
    chain.push(`subnets in ${node.az}: ${listed.join('; ')}`);
    const tagged = inAz.filter((s) => s.subnetId !== node.subnetId && s.tags[CNI_TAG] !== undefined && s.tags[CNI_TAG] !== '' && s.tags[CNI_TAG] !== '0');
    if (tagged.length === 0 && (cause === 'subnet empty' || cause === 'no /28 block')) chain.push(`no other subnet in ${node.az} is tagged ${CNI_TAG}, so ipamd has nowhere else to put an ENI`);
  }
  chain.push(`cause: ${cause}`);
  return out;
}
