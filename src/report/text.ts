/**
 * The text report of a run: header, condensed timeline, stuck pods with their explanation, subnets in the style of
 * `aws ec2 describe-subnets --output table`, ENIs per node in the style of `aws ec2 describe-network-interfaces`
 * (each ENI's primary IP and its secondary IPs, as the walkthrough shows), pods as `kubectl get pods -o wide`, a
 * few metrics, `--describe` views and the expectations with PASS/FAIL.
 */
import { formatClock, formatDuration } from '../util/duration.ts';
import { awsTable, chunked, kubectlTable } from './tables.ts';
import type { PodDescribe, ReportPod, RunResult, StuckExplanation } from './types.ts';
import { shortNode } from './why.ts';

const MAX_POD_ROWS = 60;

function age(createdAt: number, now: number): string {
  const s = Math.max(0, Math.floor((now - createdAt) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${s % 60 === 0 ? '' : `${s % 60}s`}` : `${Math.floor(m / 60)}h${m % 60}m`;
}

function section(title: string): string {
  return `\n== ${title} ==\n`;
}

function explanation(e: StuckExplanation, indent = '  '): string {
  return e.chain.map((c, i) => `${indent}${i === 0 ? '' : '→ '}${c}`).join('\n');
}

function describe(d: PodDescribe): string {
  if (!d.found) return `Error from server (NotFound): pods "${d.name}" not found\n`;
  const lines = [`Name:         ${d.name}`, `Namespace:    ${d.namespace}`, `Node:         ${d.node ?? '<none>'}`, `Status:       ${d.status ?? ''}`, `IP:           ${d.ip ?? ''}`];
  lines.push(d.events !== undefined && d.events.trim() !== '' ? d.events.trimEnd() : 'Events:       <none>');
  if (d.why !== undefined) lines.push('', 'Why it is not Running:', explanation(d.why));
  return lines.join('\n') + '\n';
}

export function renderText(r: RunResult): string {
  const out: string[] = [];
  const passed = r.expectations.filter((e) => e.status === 'pass').length;
  const failed = r.expectations.filter((e) => e.status === 'fail').length;
  out.push(`Scenario ${r.scenario.name} (${r.scenario.file}), seed ${r.seed}: state at ${formatDuration(r.time)}${r.stoppedEarly ? ` (stopped early by --until; the scenario runs to ${formatDuration(r.duration)})` : ''}`);
  if (r.scenario.description.trim() !== '') out.push(r.scenario.description.trim().replace(/^/gm, '  '));

  out.push(section('Timeline'));
  for (const e of r.timeline) out.push(`  ${formatClock(e.t).padStart(8)}  ${e.text.split('\n')[0]}`);

  const stuck = r.stuck;
  if (stuck.length > 0) {
    out.push(section(`Pods not Running at ${formatDuration(r.time)}: ${stuck.length}`));
    const byCause = new Map<string, StuckExplanation[]>();
    for (const s of stuck) byCause.set(s.cause, [...(byCause.get(s.cause) ?? []), s]);
    for (const [cause, list] of byCause) {
      const nodes = new Map<string, number>();
      for (const s of list) nodes.set(s.node === undefined ? 'unscheduled' : shortNode(s.node), (nodes.get(s.node === undefined ? 'unscheduled' : shortNode(s.node)) ?? 0) + 1);
      out.push(`  ${list.length} ${list[0].status} — ${cause} (${[...nodes].map(([n, k]) => `${n}: ${k}`).join(', ')}); for example:`);
      out.push(explanation(list[0], '    '));
    }
  }

  out.push(section('Subnets (aws ec2 describe-subnets --output table)'));
  out.push(
    awsTable(
      'DescribeSubnets',
      ['AvailabilityZone', 'AvailableIpAddressCount', 'CidrBlock', 'SubnetId', 'Name', 'Tags'],
      r.subnets.map((s) => [s.az, String(s.availableIpAddressCount), s.cidr, s.subnetId, s.id, Object.entries(s.tags).map(([k, v]) => `${k}=${v}`).join(' ')]),
    ),
  );

  out.push(section('Network interfaces per node (aws ec2 describe-network-interfaces)'));
  if (r.nodes.length === 0) out.push('  (no nodes)');
  const MAX_NODE_TABLES = 12;
  for (const n of r.nodes.slice(0, MAX_NODE_TABLES)) {
    out.push(`${n.name}  ${n.instanceId}  ${n.instanceType}  ${n.subnet}  ${n.az}  ${n.status}  pods ${n.pods}/${n.maxPods}`);
    const rows: string[][] = [];
    for (const e of n.enis) {
      const extra = e.prefixes.length > 0 ? e.prefixes : e.ipv6Prefixes.length > 0 ? e.ipv6Prefixes : e.secondaryIps;
      const label = e.prefixes.length > 0 ? 'prefixes' : e.ipv6Prefixes.length > 0 ? 'IPv6 prefixes' : '';
      chunked(extra, 5).forEach((chunk, i) =>
        rows.push(i === 0 ? [String(e.deviceIndex), e.id, e.subnet, e.primaryIp, (label !== '' && chunk !== '' ? `${label}: ` : '') + chunk] : ['', '', '', '', chunk]),
      );
    }
    out.push(awsTable('DescribeNetworkInterfaces', ['Device', 'NetworkInterfaceId', 'Subnet', 'PrivateIpAddress', 'SecondaryPrivateIpAddresses'], rows));
  }
  if (r.nodes.length > MAX_NODE_TABLES) out.push(`… ${r.nodes.length - MAX_NODE_TABLES} more nodes (--format json lists every node and ENI)`);

  out.push(section('Pods (kubectl get pods -A -o wide)'));
  const pods = [...r.pods].sort((a, b) => (a.namespace === 'kube-system' ? 1 : 0) - (b.namespace === 'kube-system' ? 1 : 0));
  const rowOf = (p: ReportPod) => [p.namespace, p.name, p.ready ? '1/1' : '0/1', p.phase, age(p.createdAt, r.time), p.ip ?? '<none>', p.node ?? '<none>'];
  out.push(kubectlTable(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'AGE', 'IP', 'NODE'], pods.slice(0, MAX_POD_ROWS).map(rowOf)));
  if (pods.length > MAX_POD_ROWS) out.push(`… ${pods.length - MAX_POD_ROWS} more pods (--format json lists every pod)`);

  const m = r.metrics;
  out.push(section('Metrics'));
  out.push(`  pods: ${m.pods.total} (${Object.entries(m.pods.byStatus).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'})`);
  if (Object.keys(m.pods.stuckByCause).length > 0) out.push(`  stuck by cause: ${Object.entries(m.pods.stuckByCause).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const tenth = (ms: number) => formatDuration(ms >= 10_000 ? Math.round(ms / 1000) * 1000 : Math.round(ms / 100) * 100);
  if (m.ipWaitMs.count > 0) out.push(`  scheduled → address: p50 ${tenth(m.ipWaitMs.p50!)}, p99 ${tenth(m.ipWaitMs.p99!)}, max ${tenth(m.ipWaitMs.max!)} over ${m.ipWaitMs.count} pods`);
  out.push(`  addresses held by nodes for pods: ${m.addresses.heldByNodes} (${m.addresses.usedByPods} used, ${m.addresses.unused} unused) on ${m.enis} ENIs`);
  out.push(`  EC2: ${m.ec2.calls} calls, ${m.ec2.throttledAttempts} throttled attempts${Object.keys(m.ec2.errors).length > 0 ? `, errors: ${Object.entries(m.ec2.errors).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}`);
  if (r.invariants !== undefined) {
    out.push(`  invariants: ${r.invariants.checks} checks, ${r.invariants.failures.length} failures, ${r.invariants.findings.length} known findings`);
    for (const f of r.invariants.failures.slice(0, 10)) out.push(`    FAIL ${f}`);
    for (const f of r.invariants.findings.slice(0, 5)) out.push(`    finding ${f}`);
  }
  if (r.trace !== undefined) out.push(`  trace written to ${r.trace}`);

  for (const d of r.describes) {
    out.push(section(`kubectl describe pod ${d.name}`));
    out.push(describe(d).trimEnd());
  }

  out.push(section(`Expectations: ${passed} passed, ${failed} failed${r.expectations.length - passed - failed > 0 ? `, ${r.expectations.length - passed - failed} not checked` : ''}`));
  if (r.expectations.length === 0) out.push('  (the scenario has no expectations)');
  for (const e of r.expectations) {
    const tag = e.status === 'pass' ? 'PASS' : e.status === 'fail' ? 'FAIL' : 'SKIP';
    out.push(`  ${tag}  ${e.description}`);
    out.push(`        ${e.check} → ${e.actual}`);
  }
  return out.join('\n') + '\n';
}
