/**
 * Why a pod is not Running, as a chain a reader can follow (user-scenarios §B.1 #1): the pod and its last CNI error
 * → the node's address pool (ipamd stats) → what blocks growth, in the words of the rule (a full subnet for a new ENI;
 * before v1.19.0 the top-up of a partly filled ENI in an empty subnet, §2.5 step 1, §4.7; a refused EC2 call, §8.5;
 * no valid subnet, §4.1) → ipamd's last decisions that matter (subnet choice, ENI creation failures, growth freezes,
 * EC2 errors; spec §2.5, §2.9, §4.1) → the subnets of the node's AZ and which of them a new ENI may use (§4.1,
 * §4.3, §4.6, §4.7, by the daemon's own rules in src/model/ipamd/subnet-discovery.ts) — ending with the cause label
 * the World assigns (world/stuck-cause.ts). Built from structured state and DecisionRecords only; it explains what
 * the models did and decides nothing.
 */
import type { World } from '../model/world.ts';
import type { DecisionRecord, IpamdApi } from '../model/ipamd/types.ts';
import { findInstanceType } from '../model/ec2/instance-types.ts';
import { CNI_ERAS, cniEra, type CniEra } from '../model/ipamd/cni-version.ts';
import { parseConfig, type IpamdConfig } from '../model/ipamd/config.ts';
import { eniConfigName } from '../model/ipamd/eni-config.ts';
import { CNI_ROLE_TAG as CNI_TAG, newEniSubnets, subnetExclusion, type NewEniSubnets } from '../model/ipamd/subnet-discovery.ts';
import type { NodeInfo, PodInfo, SubnetInfo } from '../model/world/views.ts';
import { formatDuration } from '../util/duration.ts';
import type { StuckExplanation } from './types.ts';
import { shortNode } from '../model/k8s/names.ts';

const RELEVANT = new Set(['subnet-choice', 'eni-create-failed', 'pool-no-grow', 'eni-create', 'start-failed', 'config-warning']);


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
    chain.push(...pendingLines(world, p));
    chain.push(`cause: ${cause}`);
    return out;
  }

  const node = world.node(p.node);
  const short = shortNode(p.node);
  chain.push(
    `${p.namespace}/${p.name} is ${p.status} on ${short}${p.firstStuckAt !== undefined ? ` since ${at(p.firstStuckAt)}` : ''} (${p.sandboxAttempts} sandbox attempt${p.sandboxAttempts === 1 ? '' : 's'})${p.lastCniError !== undefined ? `: ${p.lastCniError}` : ''}`,
  );
  const ipamd = world.ipamdOf(p.node);
  chain.push(...poolLines(short, node, ipamd));
  const inAz = node === undefined ? [] : world.subnets().filter((s) => s.az === node.az);
  const own = inAz.find((s) => s.subnetId === node?.subnetId);
  const t = node === undefined ? undefined : findInstanceType(node.instanceType);
  const log = world.decisions(p.node);
  const era = ipamd?.era;
  const choice = node === undefined ? undefined : newEniChoice(world, node, inAz, ipamd);
  const topUpOnly = node === undefined || t === undefined || choice === undefined ? [] : pre2954TopUpLines(world, node, t.ipv4PerEni - 1, choice.choice, log, era, ipamd, cause);
  chain.push(...topUpOnly);
  if (cause === 'subnet empty' && topUpOnly.length === 0 && t !== undefined && own !== undefined && node !== undefined) {
    chain.push(`a new ENI on ${node.instanceType} needs up to ${t.ipv4PerEni} addresses (1 primary + ${t.ipv4PerEni - 1} secondary) but ${own.id} has ${own.availableIpAddressCount}`);
  }
  chain.push(...causeLines(world, p.node, node, own, log, cause));
  chain.push(...recentDecisionLines(world, log));
  if (node !== undefined && choice !== undefined) chain.push(...subnetLines(node, inAz, choice, cause));
  chain.push(`cause: ${cause}`);
  return out;
}

/** Why a pod is not scheduled: its last FailedScheduling event, then what the nodes lack (none, none Ready, all full). */
function pendingLines(world: World, p: PodInfo): string[] {
  const chain: string[] = [];
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
  return chain;
}

/** The node's aws-node when it is not ready; else its address pool (ipamd stats) and whether it is at its ENI limit. */
function poolLines(short: string, node: NodeInfo | undefined, ipamd: IpamdApi | undefined): string[] {
  if (ipamd === undefined || ipamd.state !== 'ready') {
    return [`aws-node on ${short} is ${ipamd === undefined ? 'not running' : ipamd.state}${ipamd?.failure ? `: ${ipamd.failure}` : ''}${node?.awsNode?.lastFailure ? ` (last failure: ${node.awsNode.lastFailure})` : ''}`];
  }
  const chain: string[] = [];
  const st = ipamd.stats();
  const unit = st.mode === 'pd' ? `${st.prefixes} /28 prefix(es)` : `${st.enis} of ${st.maxEnis} ENIs`;
  if (st.totalIps === 0) chain.push(`${short} holds no pod addresses yet (${unit}, max pods ${st.maxPods})`);
  else if (st.assignedIps >= st.totalIps && st.cooldownIps === 0) chain.push(`all ${st.totalIps} pod addresses on ${short} are assigned (${unit}, max pods ${st.maxPods})`);
  else chain.push(`${short} holds ${st.totalIps} pod addresses: ${st.assignedIps} assigned, ${st.cooldownIps} cooling down (${unit}, max pods ${st.maxPods})`);
  if (st.enis >= st.maxEnis && st.mode !== 'pd') chain.push(`${short} is at its ENI limit (${st.maxEnis} for ${node?.instanceType ?? 'this type'})`);
  return chain;
}

/** What blocks growth for the causes that need more than the pool: no aligned /28, a refused EC2 call, no valid subnet. */
function causeLines(world: World, nodeName: string, node: NodeInfo | undefined, own: SubnetInfo | undefined, log: readonly DecisionRecord[], cause: string): string[] {
  const chain: string[] = [];
  if (cause === 'no /28 block' && own !== undefined) {
    chain.push(`${own.id} has ${own.availableIpAddressCount} free addresses but no free aligned /28 block (prefix delegation needs 16 contiguous, aligned addresses)`);
  }
  if (cause === 'missing IAM permission') chain.push(...iamLines(world, nodeName, log));
  if (cause === 'no valid subnet' && node !== undefined) {
    // only since v1.22.0 can no subnet be valid: before, the node's own subnet always is (§4.7)
    chain.push(
      `no subnet in ${node.az} is valid for a new ENI: ipamd skips subnets without a ${CNI_TAG} tag (other than the node's), ` +
        `subnets tagged ${CNI_TAG}=0 (the node's own too) and subnets scoped to another cluster (docs/ipamd-model.md §4.1)`,
    );
  }
  return chain;
}

/** ipamd's latest decision of each relevant kind, at most four, oldest first. */
function recentDecisionLines(world: World, log: readonly DecisionRecord[]): string[] {
  const decisions = log.filter((d) => RELEVANT.has(d.kind));
  const recent: DecisionRecord[] = [];
  const seenKinds = new Set<string>();
  for (let i = decisions.length - 1; i >= 0 && recent.length < 4; i--) {
    const d = decisions[i];
    if (seenKinds.has(d.kind)) continue;
    seenKinds.add(d.kind);
    recent.unshift(d);
  }
  return recent.map((d) => decisionLine(world, d));
}

/** The subnets of the node's AZ with each one's role for a new ENI, and whether ipamd has anywhere else to put one. */
function subnetLines(node: NodeInfo, inAz: SubnetInfo[], choice: EniChoice, cause: string): string[] {
  const chain: string[] = [];
  const listed = inAz.map((s) => `${s.id} ${s.availableIpAddressCount} free (${subnetMark(s, node, choice)})`);
  chain.push(`subnets in ${node.az}: ${listed.join('; ')}`);
  const others = choice.choice.usable.filter((s) => s.subnetId !== node.subnetId);
  if (others.length === 0 && (cause === 'subnet empty' || cause === 'no /28 block')) {
    // say "tagged" only when missing tags are the whole reason
    const untagged = inAz.every(
      (s) => s.subnetId === node.subnetId || choice.choice.skipped.some((x) => x.subnetId === s.subnetId && x.reason === `no ${CNI_TAG} tag`),
    );
    const why = choice.choice.placement === 'ranked' && untagged ? `is tagged ${CNI_TAG}` : 'is usable for a new ENI';
    chain.push(`no other subnet in ${node.az} ${why}, so ipamd has nowhere else to put an ENI`);
  }
  return chain;
}

/** The node's daemon's rules as they apply to a new ENI, with what they read (§4.1, §4.3, §4.7). */
interface EniChoice {
  choice: NewEniSubnets<SubnetInfo>;
  era: CniEra;
  cfg: IpamdConfig;
  eniConfigSubnetId?: string;
}

/**
 * Where the node's ipamd would put a new ENI and which subnets would serve pod addresses, by the daemon's own rules
 * (subnet-discovery.ts `newEniSubnets`), over the AZ's subnets as DescribeSubnets lists them. The daemon's era and
 * configuration when it runs; else the cluster's CNI version and the aws-node env.
 */
function newEniChoice(world: World, node: NodeInfo, inAz: SubnetInfo[], ipamd: IpamdApi | undefined): EniChoice {
  const cfg = (ipamd as { config?: IpamdConfig } | undefined)?.config ?? parseConfig(world.cluster.agentMap.get(node.name)?.env ?? {}).config;
  const era = CNI_ERAS.find((e) => e === ipamd?.era) ?? cniEra(world.spec.cluster.vpcCni.version) ?? '1.23+';
  const ec = world.cluster.eniConfig(eniConfigName(node, cfg.eniConfigAnnotationDef, cfg.eniConfigLabelDef));
  const eniConfigSubnetId = ec === undefined ? undefined : (world.resolveSubnet(ec.subnet) ?? ec.subnet);
  const eniConfigSubnet = eniConfigSubnetId === undefined ? undefined : world.subnets().find((s) => s.subnetId === eniConfigSubnetId);
  const choice = newEniSubnets({
    subnets: inAz,
    primarySubnetId: node.subnetId,
    clusterName: cfg.clusterName,
    era,
    subnetDiscovery: cfg.subnetDiscovery,
    customNetworking: cfg.customNetworking,
    ...(eniConfigSubnet === undefined ? {} : { eniConfigSubnet }),
    ipv6: cfg.enableIpv6,
  });
  return { choice, era, cfg, ...(eniConfigSubnetId === undefined ? {} : { eniConfigSubnetId }) };
}

/** One subnet's role for a new ENI, in the words of the daemon's rule. */
function subnetMark(s: SubnetInfo, node: NodeInfo, c: EniChoice): string {
  const { choice } = c;
  const roles = [...(s.subnetId === node.subnetId ? ["node's subnet"] : []), ...(s.subnetId === c.eniConfigSubnetId ? ['ENIConfig subnet'] : [])];
  const tag = s.tags[CNI_TAG];
  const tagText = tag === undefined ? '' : `${CNI_TAG}=${tag}`;
  let status: string;
  if (choice.usable.some((x) => x.subnetId === s.subnetId)) status = tagText === '' ? 'usable' : `usable: ${tagText}`;
  else if (choice.tried.some((x) => x.subnetId === s.subnetId)) {
    const r = subnetExclusion(s, c.cfg.clusterName, c.era);
    status = `its ENIs are excluded: ${'error' in r ? r.error : (r.reason ?? 'subnet excluded')} (docs/ipamd-model.md §4.6)`;
  } else {
    const skip = choice.skipped.find((x) => x.subnetId === s.subnetId);
    if (skip !== undefined) status = skip.reason === `tag ${CNI_TAG}=0` ? `excluded: ${CNI_TAG}=0` : `not used: ${skip.reason}`;
    else if (choice.placement === 'custom-networking') status = 'not used: custom networking puts ENIs in the ENIConfig subnet';
    else if (s.subnetId === node.subnetId && choice.error !== undefined) status = `excluded: ${CNI_TAG}=0 and subnet discovery is off`;
    else status = c.era === 'pre-1.18' ? 'not used: no subnet discovery before v1.18.0' : 'not used: subnet discovery is off';
  }
  return [...roles, status].join('; ');
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
  choice: NewEniSubnets<SubnetInfo>,
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
  // the daemon's own ranking (most free first); the first other subnet with room is where a new ENI would have gone
  const room = choice.usable.find((x) => x.subnetId !== node.subnetId && x.availableIpAddressCount > 0);
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
      `${pod !== undefined ? ` and aws-node raises Warning MissingIAMPermissions on kube-system/${pod.name}` : ''} (pkg/awsutils/awsutils.go checkAPIErrorAndBroadcastEvent)`,
  ];
}
