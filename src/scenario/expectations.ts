/**
 * Checking one expectation against the World's state now: counts pods, subnet free addresses, ENIs per node, nodes,
 * stuck pods by cause, or EC2 calls/errors so far, and says what it wanted and what it found.
 * Not here: when checks run (runner.ts) or how results print (src/report).
 */
import type { World } from '../model/world.ts';
import type { Ec2Action } from '../model/ec2/types.ts';
import type { PodInfo } from '../model/world/views.ts';
import { containsIp, parseCidr, parseIpv4 } from '../model/vpc/ipv4.ts';
import { formatDuration } from '../util/duration.ts';
import { inRange, type CountRange } from './range.ts';
import { matchesSelector } from './selector.ts';
import type { Check, Expectation } from './types.ts';

export interface ExpectationResult {
  /** The file's `description`, or one made from the check. */
  description: string;
  /** The check in words with the time ("at 4m30s: pods app=inflate ContainerCreating >=10"). */
  check: string;
  at: number;
  ok: boolean;
  status: 'pass' | 'fail' | 'skipped';
  /** What was found ("23 pods"). */
  actual: string;
}

function want(r: CountRange): string {
  return r.all === true ? 'all' : r.text;
}

export function describeCheck(c: Check): string {
  switch (c.kind) {
    case 'pods': {
      const parts = ['pods'];
      if (c.namespace !== undefined) parts.push(`-n ${c.namespace}`);
      if (c.selector !== undefined) parts.push(c.selector);
      if (c.node !== undefined) parts.push(`on ${c.node}`);
      if (c.phase !== undefined) parts.push(c.phase);
      if (c.ipIn !== undefined) parts.push(`with an address in ${c.ipIn}`);
      if (c.ipFamily !== undefined) parts.push(`with an ${c.ipFamily === 'ipv6' ? 'IPv6' : 'IPv4'} address`);
      return `${parts.join(' ')}: ${want(c.count)}`;
    }
    case 'subnet':
      return `${c.id} available addresses: ${c.available.text}`;
    case 'enis':
      return `ENIs per node${c.nodeGroup ? ` of ${c.nodeGroup}` : c.node ? ` on ${c.node}` : c.selector ? ` (${c.selector})` : ''}: ${c.count.text}`;
    case 'nodes':
      return `nodes${c.selector ? ` ${c.selector}` : ''}${c.ready === undefined ? '' : c.ready ? ' Ready' : ' not Ready'}: ${c.count.text}`;
    case 'stuck':
      return `stuck pods${c.cause ? ` (${c.cause})` : ''}: ${c.count.text}`;
    case 'ec2':
      return `EC2 ${c.action ?? 'calls'}${c.code ? ` failing with ${c.code}` : ''}: ${c.count.text}`;
  }
}

export function podMatches(p: PodInfo, c: { namespace?: string; selector?: string; node?: string }): boolean {
  if (c.namespace !== undefined ? p.namespace !== c.namespace : p.namespace === 'kube-system') return false;
  if (c.node !== undefined && p.node !== c.node) return false;
  return matchesSelector(p.labels, c.selector);
}

function ipIn(ip: string | undefined, cidr: string): boolean {
  if (ip === undefined || ip.includes(':')) return false;
  try {
    return containsIp(parseCidr(cidr), parseIpv4(ip));
  } catch {
    return false;
  }
}

export function evaluate(world: World, e: Expectation): ExpectationResult {
  const c = e.check;
  let ok: boolean;
  let actual: string;
  switch (c.kind) {
    case 'pods': {
      const candidates = world.pods().filter((p) => podMatches(p, c));
      const matching = candidates.filter((p) => (c.phase === undefined || p.status === c.phase) && (c.ipIn === undefined || ipIn(p.ip, c.ipIn)) && (c.ipFamily === undefined || (p.ip !== undefined && p.ip.includes(':') === (c.ipFamily === 'ipv6'))));
      ok = inRange(c.count, matching.length, candidates.length) && (c.count.all !== true || candidates.length > 0);
      actual = c.count.all === true ? `${matching.length} of ${candidates.length} pods` : `${matching.length} pods`;
      break;
    }
    case 'subnet': {
      const s = world.subnets().find((x) => x.id === c.id || x.subnetId === c.id);
      ok = s !== undefined && inRange(c.available, s.availableIpAddressCount);
      actual = s === undefined ? 'no such subnet (yet)' : `${s.availableIpAddressCount} available`;
      break;
    }
    case 'enis': {
      const nodes = world
        .nodes()
        .filter((n) => !n.terminating && (c.node === undefined || n.name === c.node) && (c.nodeGroup === undefined || n.nodeGroup === c.nodeGroup) && matchesSelector(n.labels, c.selector));
      const counts = nodes.map((n) => n.enis.length);
      ok = nodes.length > 0 && counts.every((k) => inRange(c.count, k));
      actual = nodes.length === 0 ? 'no matching node' : `ENIs per node: ${counts.join(', ')}`;
      break;
    }
    case 'nodes': {
      const n = world.nodes().filter((x) => !x.terminating && matchesSelector(x.labels, c.selector) && (c.ready === undefined || x.ready === c.ready)).length;
      ok = inRange(c.count, n);
      actual = `${n} nodes`;
      break;
    }
    case 'stuck': {
      const stuck = world.pods().filter((p) => p.namespace !== 'kube-system' && p.stuckCause !== undefined && (c.cause === undefined || p.stuckCause === c.cause));
      ok = inRange(c.count, stuck.length);
      const causes = new Map<string, number>();
      for (const p of world.pods()) if (p.namespace !== 'kube-system' && p.stuckCause !== undefined) causes.set(p.stuckCause, (causes.get(p.stuckCause) ?? 0) + 1);
      actual = `${stuck.length} pods${causes.size > 0 ? ` (all stuck: ${[...causes].map(([k, v]) => `${v} ${k}`).join(', ')})` : ''}`;
      break;
    }
    case 'ec2': {
      const total = world.ec2Counters().total;
      let n = 0;
      if (c.code !== undefined) {
        for (const [action, codes] of Object.entries(total.attemptErrors)) {
          if (c.action !== undefined && action !== c.action) continue;
          n += (codes as Record<string, number>)[c.code] ?? 0;
        }
        if (c.code === 'RequestLimitExceeded') {
          let throttled = 0;
          for (const [action, k] of Object.entries(total.throttledAttempts)) if (c.action === undefined || action === c.action) throttled += k ?? 0;
          n = Math.max(n, throttled);
        }
      } else if (c.action !== undefined) n = total.calls[c.action as Ec2Action] ?? 0;
      else n = Object.values(total.calls).reduce((a, b) => a + (b ?? 0), 0);
      ok = inRange(c.count, n);
      actual = `${n} ${c.code !== undefined ? 'failed attempts' : 'calls'}`;
      break;
    }
  }
  const check = `at ${formatDuration(e.at)}: ${describeCheck(c)}`;
  return { description: e.description ?? check, check, at: e.at, ok, status: ok ? 'pass' : 'fail', actual };
}

export function skipped(e: Expectation): ExpectationResult {
  const check = `at ${formatDuration(e.at)}: ${describeCheck(e.check)}`;
  return { description: e.description ?? check, check, at: e.at, ok: true, status: 'skipped', actual: 'not checked (after --until)' };
}
