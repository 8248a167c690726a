/**
 * The report's timeline: what mattered, condensed. Scenario steps come from the runner's action records; the
 * World's happenings follow, with bursts folded into one line each (50 pods getting addresses within seconds is
 * "50 pods got addresses on 2 nodes", not 50 lines): runs of the same kind no more than 15 s apart are merged once
 * they exceed three entries. A folded line stands at the time of the last happening it folds and shows the span it
 * covers (`02:00.2–02:14.7`), so a summary never comes before what it summarises; it counts distinct pods, and a
 * "stuck" line says how many of them still had no address at the end of its span. Node names lose their
 * `.region.compute.internal` suffix, EC2 subnet ids become names.
 */
import type { Happening } from '../model/k8s/cloud.ts';
import { containsIp, parseCidr, parseIpv4 } from '../model/vpc/ipv4.ts';
import type { ActionRecord, ReportSubnet, TimelineEntry } from './types.ts';
import { shortNode } from '../model/k8s/names.ts';

const GAP_MS = 15_000;
const FOLD_OVER = 3;
const FOLDABLE = new Set(['pod-ip', 'pod-stuck', 'pod-unschedulable', 'node-registered', 'node-ready', 'aws-node-ready', 'eni-attached', 'eni-create-failed', 'eni-deleted', 'node-launch-failed', 'node-join-failed', 'node-terminated', 'node-not-ready', 'aws-node-failed']);

function tidy(text: string, subnetName: (id: string) => string): string {
  return text.replace(/ip-[0-9-]+\.(?:[a-z0-9-]+\.compute|ec2)\.internal/g, (n) => shortNode(n)).replace(/subnet-[0-9]{17}/g, (id) => subnetName(id));
}

function countBy<T>(items: T[], key: (x: T) => string, what = 'nodes'): string {
  const m = new Map<string, number>();
  for (const x of items) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  if (m.size > 4) return `across ${m.size} ${what}`;
  return [...m].map(([k, v]) => `${k}: ${v}`).join(', ');
}

function subnetOf(ip: string | undefined, subnets: readonly ReportSubnet[]): string {
  if (ip === undefined || ip.includes(':')) return ip === undefined ? '?' : 'IPv6';
  try {
    const n = parseIpv4(ip);
    return subnets.find((s) => containsIp(parseCidr(s.cidr), n))?.id ?? '?';
  } catch {
    return '?';
  }
}

const podKey = (h: Happening) => `${h.namespace ?? ''}/${h.pod ?? h.message}`;

/** `addressedBy`: when each pod (namespace/name) first got an address, from every pod-ip happening. */
function fold(kind: string, group: Happening[], subnets: readonly ReportSubnet[], addressedBy: ReadonlyMap<string, number>): string {
  const nodes = (g: Happening[]) => countBy(g, (h) => (h.node === undefined ? '?' : shortNode(h.node)));
  switch (kind) {
    case 'pod-ip': {
      const waited = group.filter((h) => !/after 1 sandbox attempt/.test(h.message)).length;
      return `${group.length} pods got addresses (${nodes(group)}; from ${countBy(group, (h) => subnetOf(h.ip, subnets), 'subnets')})${waited > 0 ? `, ${waited} of them after failed attempts` : ''}`;
    }
    case 'pod-stuck': {
      const why = group[0].message.replace(/^.*?: /, '');
      const pods = new Set(group.map(podKey));
      const end = group[group.length - 1].t;
      const still = [...pods].filter((k) => !(addressedBy.get(k) !== undefined && addressedBy.get(k)! <= end)).length;
      const later = [...pods].filter((k) => addressedBy.get(k) !== undefined && addressedBy.get(k)! > end).length;
      return `${pods.size} pods failed to get an address (${nodes(group)}); ${still} still without one at the end of this span${later > 0 ? `, ${later} of them got one later` : ''}: ${why}`;
    }
    case 'pod-unschedulable':
      return `${group.length} pods Pending: ${group[0].message.replace(/^.*? Pending: /, '')}`;
    case 'eni-attached':
      return `${group.length} ENIs attached (${nodes(group)}; in ${countBy(group, (h) => subnets.find((s) => s.subnetId === h.subnetId)?.id ?? h.subnetId ?? '?', 'subnets')})`;
    case 'eni-create-failed':
      return `ENI creation failed on ${group.length} nodes: ${group[0].message.replace(/^[^:]*: /, '')}`;
    default: {
      const names = [...new Set(group.filter((h) => h.node !== undefined).map((h) => shortNode(h.node!)))];
      const list = names.length === 0 ? '' : `: ${names.length <= 4 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`}`;
      const detail = group[0].message.includes(': ') ? ` — e.g. ${group[0].message.replace(/^[^:]*: /, '')}` : '';
      return `${group.length} × ${kind.replace(/-/g, ' ')}${list}${detail}`;
    }
  }
}

export function condenseTimeline(happenings: readonly Happening[], actions: readonly ActionRecord[], subnets: readonly ReportSubnet[], subnetName: (id: string) => string): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (const a of actions) {
    const msg = a.message.startsWith('{') || a.message === '' ? '' : ` → ${a.message.split('\n')[0]}`;
    out.push({ t: a.t, text: `$ ${a.command}${a.ok ? msg : ` ✗ ${a.message.split('\n')[0]}`}${a.note ? `   # ${a.note}` : ''}` });
  }
  const addressedBy = new Map<string, number>();
  for (const h of happenings) if (h.kind === 'pod-ip' && !addressedBy.has(podKey(h))) addressedBy.set(podKey(h), h.t);
  const open = new Map<string, Happening[]>();
  const flush = (kind: string) => {
    const g = open.get(kind);
    if (g === undefined) return;
    open.delete(kind);
    if (g.length > FOLD_OVER) out.push({ t: g[g.length - 1].t, from: g[0].t, text: tidy(fold(kind, g, subnets, addressedBy), subnetName) });
    else for (const h of g) out.push({ t: h.t, text: tidy(h.message, subnetName) });
  };
  for (const h of happenings) {
    if (h.kind === 'action' || h.kind === 'action-failed') continue;
    for (const [k, g] of open) if (h.t - g[g.length - 1].t > GAP_MS) flush(k);
    if (!FOLDABLE.has(h.kind)) {
      out.push({ t: h.t, text: tidy(h.message, subnetName) });
      continue;
    }
    const g = open.get(h.kind);
    if (g === undefined) open.set(h.kind, [h]);
    else g.push(h);
  }
  for (const k of [...open.keys()]) flush(k);
  return out.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i).map((x) => x.e);
}
