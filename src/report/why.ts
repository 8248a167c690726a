/**
 * Why a pod is not Running, as a chain a reader can follow (user-scenarios §B.1 #1): the pod and its last CNI error
 * → the node's address pool (ipamd stats) → what blocks growth, in the words of the rule (a full subnet for a new ENI;
 * before v1.19.0 the top-up of a partly filled ENI in an empty subnet, §2.5 step 1, §4.7; a refused EC2 call, §8.5;
 * no valid subnet, §4.1) → ipamd's last decisions that matter (subnet choice, ENI creation failures, growth freezes,
 * EC2 errors; spec §2.5, §2.9, §4.1) → the subnets of the node's AZ and which of them discovery may use (§4.1) —
 * ending with the cause label the World assigns (world/stuck-cause.ts). Built from structured state and
 * DecisionRecords only; it explains what the models did and decides nothing.
 */
import type { World } from '../model/world.ts';
import type { DecisionRecord, IpamdApi } from '../model/ipamd/types.ts';
import { findInstanceType } from '../model/ec2/instance-types.ts';
import type { NodeInfo, PodInfo, SubnetInfo } from '../model/world/views.ts';
import { formatDuration } from '../scenario/duration.ts';
import type { StuckExplanation } from './types.ts';

const CNI_TAG = 'kubernetes.io/role/cni';
/** Eras in which the cni tag value 0 excludes the node's own subnet too (§4.7, v1.22.0). */
const EXCLUDING_ERAS = new Set(['1.22.0', '1.22.1', '1.23+']);
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
  const log = world.decisions(p.node);
  const era = ipamd?.era;
  const topUpOnly = node === undefined || t === undefined ? [] : pre2954TopUpLines(world, node, t.ipv4PerEni - 1, inAz, log, era, ipamd, cause);
  chain.push(...topUpOnly);
  if (cause === 'subnet empty' && topUpOnly.length === 0 && t !== undefined && own !== undefined && node !== undefined) {
    chain.push(`a new ENI on ${node.instanceType} needs up to ${t.ipv4PerEni} addresses (1 primary + ${t.ipv4PerEni - 1} secondary) but ${own.id} has ${own.availableIpAddressCount}`);
  }
  if (cause === 'no /28 block' && own !== undefined) {
    chain.push(`${own.id} has ${own.availableIpAddressCount} free addresses but no free aligned /28 block (prefix delegation needs 16 contiguous, aligned addresses)`);
  }
  if (cause === 'missing IAM permission') chain.push(...iamLines(world, p.node, log));
  if (cause === 'no valid subnet' && node !== undefined) {
    // only since v1.22.0 can no subnet be valid: before, the node's own subnet always is (§4.7)
    chain.push(
      `no subnet in ${node.az} is valid for a new ENI: ipamd skips subnets without a ${CNI_TAG} tag (other than the node's), ` +
        `subnets tagged ${CNI_TAG}=0 (the node's own too) and subnets scoped to another cluster (§4.1)`,
    );
  }
  const decisions = log.filter((d) => RELEVANT.has(d.kind));
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
      const ownMark = tag === '0' && era !== undefined && EXCLUDING_ERAS.has(era) ? `node's subnet; excluded: ${CNI_TAG}=0` : "node's subnet";
      const mark = s.subnetId === node.subnetId ? ownMark : tag === undefined || tag === '' ? `not used: no ${CNI_TAG} tag` : tag === '0' ? `excluded: ${CNI_TAG}=0` : `${CNI_TAG}=${tag}`;
      return `${s.id} ${s.availableIpAddressCount} free (${mark})`;
    });
    chain.push(`subnets in ${node.az}: ${listed.join('; ')}`);
    const tagged = inAz.filter((s) => s.subnetId !== node.subnetId && s.tags[CNI_TAG] !== undefined && s.tags[CNI_TAG] !== '' && s.tags[CNI_TAG] !== '0');
    if (tagged.length === 0 && (cause === 'subnet empty' || cause === 'no /28 block')) chain.push(`no other subnet in ${node.az} is tagged ${CNI_TAG}, so ipamd has nowhere else to put an ENI`);
  }
  chain.push(`cause: ${cause}`);
  return out;
}

/**
 * Before v1.19.0 (#2954, spec §4.7, §2.5 step 1) ipamd tops up the first ENI with a free slot and, when that fails with
 * an insufficient-capacity error, freezes growth for 120 s (§2.9) without ever trying a new ENI in another subnet. The
 * lines that say so when it is what happened: CNI 1.18.x with subnet discovery on, and the latest freeze came from a
 * top-up of an ENI that still has free slots. Empty otherwise.
 */
function pre2954TopUpLines(
  world: World,
  node: NodeInfo,
  slots: number,
  inAz: SubnetInfo[],
  log: readonly DecisionRecord[],
  era: string | undefined,
  ipamd: IpamdApi | undefined,
  cause: string,
): string[] {
  if (era !== '1.18.x' || (cause !== 'subnet empty' && cause !== 'no /28 block')) return [];
  if ((ipamd as { config?: { subnetDiscovery?: boolean } } | undefined)?.config?.subnetDiscovery === false) return [];
  let freeze: DecisionRecord | undefined;
  for (let i = log.length - 1; i >= 0 && freeze === undefined; i--) {
    const d = log[i];
    if (d.kind === 'pool-no-grow' && d.data?.reason === 'insufficient') freeze = d;
    if (d.kind === 'eni-create' || d.kind === 'eni-create-failed' || d.kind === 'subnet-choice') return [];
  }
  const eniId = freeze?.data?.eniId;
  if (freeze === undefined || typeof eniId !== 'string') return [];
  const eni = node.enis.find((e) => e.eniId === eniId);
  if (eni === undefined) return [];
  const used = eni.secondaryIps.length + eni.prefixes.length;
  if (used >= slots) return [];
  const subnet = world.subnets().find((x) => x.subnetId === eni.subnetId);
  const code = typeof freeze.data?.code === 'string' ? freeze.data.code : 'InsufficientFreeAddressesInSubnet';
  const unit = eni.prefixes.length > 0 ? 'prefix' : 'address';
  const room = inAz
    .filter((x) => x.subnetId !== node.subnetId && x.tags[CNI_TAG] !== undefined && x.availableIpAddressCount > 0)
    .sort((a, b) => b.availableIpAddressCount - a.availableIpAddressCount)[0];
  return [
    `${eniId} in ${eni.subnet} has ${slots - used} of ${slots} ${unit} slots free, so ipamd keeps topping it up; ${eni.subnet} has ${subnet?.availableIpAddressCount ?? 0} free addresses, so each top-up fails with ${code} and freezes growth for 120 s`,
    `ipamd ${era} never tries a new ENI while an ENI has a free slot (before v1.19.0, #2954), so it creates none in another subnet${room !== undefined ? `, although ${room.id} (${CNI_TAG}=${room.tags[CNI_TAG]}) has ${room.availableIpAddressCount} free` : ''}`,
  ];
}

/** The EC2 calls ipamd is refused (UnauthorizedOperation) and the event it raises for them (§8.5). */
function iamLines(world: World, nodeName: string, log: readonly DecisionRecord[]): string[] {
  const byApi = new Map<string, { n: number; first: number }>();
  for (const d of log) {
    if (d.kind !== 'ec2-error' || d.data?.code !== 'UnauthorizedOperation' || typeof d.data.api !== 'string') continue;
    const x = byApi.get(d.data.api);
    if (x === undefined) byApi.set(d.data.api, { n: 1, first: d.t });
    else x.n++;
  }
  if (byApi.size === 0) return [];
  const calls = [...byApi].map(([api, x]) => `ec2:${api} (${x.n} time${x.n === 1 ? '' : 's'} since ${at(x.first)})`);
  const pod = world.cluster.agentMap.get(nodeName)?.pod;
  return [
    `the node role may not call ${calls.join(', ')}: EC2 answers UnauthorizedOperation` +
      `${pod !== undefined ? ` and aws-node raises Warning MissingIAMPermissions on kube-system/${pod.name}` : ''} (§8.5)`,
  ];
}
