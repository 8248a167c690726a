/**
 * The text report of a run: header, condensed timeline, stuck pods with their explanation, subnets in the style of
 * `aws ec2 describe-subnets --output table`, ENIs per node in the style of `aws ec2 describe-network-interfaces`
 * (each ENI's primary IP and its secondary IPs, as the walkthrough shows), pods as `kubectl get pods -o wide`, a
 * few metrics, `--describe` views and the expectations with PASS/FAIL.
 */
import { humanDuration } from '../model/k8s/events.ts';
import { formatClock, formatDuration } from '../util/duration.ts';
import { chainLines } from './describe-text.ts';
import { awsTable, chunked, kubectlTable } from './tables.ts';
import type { ReportPod, RunResult, StuckExplanation, TimelineEntry } from './types.ts';
import { shortNode } from '../model/k8s/names.ts';

const MAX_POD_ROWS = 60;
// JMESPath literals in backticks, so the projection fits in one single-quoted shell argument
const SUBNET_QUERY =
  'Subnets[].{AvailabilityZone:AvailabilityZone,AvailableIpAddressCount:AvailableIpAddressCount,CidrBlock:CidrBlock,Name:Tags[?Key==`"Name"`]|[0].Value,SubnetId:SubnetId,Tags:join(`" "`,Tags[?Key!=`"Name"`].join(`"="`,[Key,Value]))}';
/** Secondary addresses: the /32s, or the delegated IPv4 or IPv6 prefixes when there are any. */
const ENI_QUERY =
  'sort_by(NetworkInterfaces,&Attachment.DeviceIndex)[].{Device:Attachment.DeviceIndex,NetworkInterfaceId:NetworkInterfaceId,PrivateIpAddress:PrivateIpAddress,SecondaryAddresses:join(`", "`,Ipv4Prefixes[].Ipv4Prefix||Ipv6Prefixes[].Ipv6Prefix||PrivateIpAddresses[?!Primary].PrivateIpAddress),SubnetId:SubnetId}';

/**
 * A checker's line for a reader: its times (`t=769501ms`, `409064ms`) as durations (`12m49.5s`, `6m49.1s`) and
 * node names short. The line already names its kind (`[finding cni#2908]`, `[model]`), so no label is added.
 */
export function readableTimes(line: string): string {
  const dur = (ms: number) => {
    if (ms < 1000) return `${ms}ms`;
    const tenths = Math.round(ms / 100);
    const whole = formatDuration(Math.floor(tenths / 10) * 1000);
    return tenths % 10 === 0 ? whole : whole.replace(/(\d+)s$/, (_m, sec: string) => `${sec}.${tenths % 10}s`).replace(/m$/, `m0.${tenths % 10}s`);
  };
  return line
    .replace(/\bt=(\d+)ms\b/g, (_m, ms: string) => dur(Number(ms)))
    .replace(/\b(\d+)ms\b/g, (_m, ms: string) => dur(Number(ms)))
    .replace(/ node (ip-[0-9-]+\.[a-z0-9.-]+\.internal)/g, (_m, n: string) => ` on ${shortNode(n)}`);
}

/** kubectl's RESTARTS: `0`, or `1 (9m10s ago)` since the last restarted container exited. */
function restartsCell(p: ReportPod, now: number): string {
  const n = p.restarts ?? 0;
  return n > 0 && p.lastRestartAt !== undefined ? `${n} (${humanDuration(now - p.lastRestartAt)} ago)` : String(n);
}

function section(title: string): string {
  return `\n== ${title} ==\n`;
}

export function renderText(r: RunResult): string {
  const out: string[] = [];
  const passed = r.expectations.filter((e) => e.status === 'pass').length;
  const failed = r.expectations.filter((e) => e.status === 'fail').length;
  out.push(`Scenario ${r.scenario.name} (${r.scenario.file}), seed ${r.seed}: state at ${formatDuration(r.time)}${r.stoppedEarly ? ` (stopped early by --until; the scenario runs to ${formatDuration(r.duration)})` : ''}`);
  if (r.scenario.description.trim() !== '') out.push(r.scenario.description.trim().replace(/^/gm, '  '));

  if (r.warnings.length > 0) {
    out.push(section('Warnings'));
    for (const w of r.warnings) out.push(`  ${w}`);
  }

  out.push(section('Timeline'));
  const spans = r.timeline.some((e) => e.from !== undefined && e.from !== e.t);
  const when = (e: TimelineEntry) => (e.from !== undefined && e.from !== e.t ? `${formatClock(e.from)}–${formatClock(e.t)}` : formatClock(e.t));
  for (const e of r.timeline) out.push(`  ${when(e).padStart(spans ? 17 : 8)}  ${e.text.split('\n')[0]}`);

  const stuck = r.stuck;
  if (stuck.length > 0) {
    out.push(section(`Pods not Running at ${formatDuration(r.time)}: ${stuck.length}`));
    const byCause = new Map<string, StuckExplanation[]>();
    for (const s of stuck) byCause.set(s.cause, [...(byCause.get(s.cause) ?? []), s]);
    for (const [cause, list] of byCause) {
      const nodes = new Map<string, number>();
      for (const s of list) nodes.set(s.node === undefined ? 'unscheduled' : shortNode(s.node), (nodes.get(s.node === undefined ? 'unscheduled' : shortNode(s.node)) ?? 0) + 1);
      out.push(`  ${list.length} ${list[0].status} — ${cause} (${[...nodes].map(([n, k]) => `${n}: ${k}`).join(', ')}); for example:`);
      out.push(chainLines(list[0], '    ').join('\n'));
    }
  }

  out.push(...awsTablesText(r), ...podTableText(r), ...metricsText(r));

  out.push(section(`Expectations: ${passed} passed, ${failed} failed${r.expectations.length - passed - failed > 0 ? `, ${r.expectations.length - passed - failed} not checked` : ''}`));
  if (r.expectations.length === 0) out.push('  (the scenario has no expectations)');
  for (const e of r.expectations) {
    const tag = e.status === 'pass' ? 'PASS' : e.status === 'fail' ? 'FAIL' : 'SKIP';
    out.push(`  ${tag}  ${e.description}`);
    out.push(`        ${e.check} → ${e.actual}`);
  }
  return out.join('\n') + '\n';
}

/** Subnets and each node's ENIs as the aws CLI command printed above each table shows them. */
function awsTablesText(r: RunResult): string[] {
  const out: string[] = [];
  // The tables are what `--output table` prints for the named --query projection: the CLI sorts a projection's keys
  // into columns alphabetically. Only the wrapping of long address lists (5 per line) is ours.
  out.push(section('Subnets'));
  out.push(`$ aws ec2 describe-subnets --filters Name=vpc-id,Values=${String(r.describeSubnets.Subnets[0]?.VpcId ?? '')} --output table --query '${SUBNET_QUERY}'`);
  out.push(
    awsTable(
      'DescribeSubnets',
      ['AvailabilityZone', 'AvailableIpAddressCount', 'CidrBlock', 'Name', 'SubnetId', 'Tags'],
      r.subnets.map((s) => [s.az, String(s.availableIpAddressCount), s.cidr, s.id, s.subnetId, Object.entries(s.tags).filter(([k]) => k !== 'Name').map(([k, v]) => `${k}=${v}`).join(' ')]),
    ),
  );

  out.push(section('Network interfaces per node'));
  if (r.nodes.length === 0) out.push('  (no nodes)');
  const MAX_NODE_TABLES = 12;
  for (const n of r.nodes.slice(0, MAX_NODE_TABLES)) {
    out.push(`${n.name}  ${n.instanceId}  ${n.instanceType}  ${n.subnet}  ${n.az}  ${n.status}  pods ${n.pods}/${n.maxPods}`);
    out.push(`$ aws ec2 describe-network-interfaces --filters Name=attachment.instance-id,Values=${n.instanceId} --output table --query '${ENI_QUERY}'`);
    const rows: string[][] = [];
    for (const e of n.enis) {
      const extra = e.prefixes.length > 0 ? e.prefixes : e.ipv6Prefixes.length > 0 ? e.ipv6Prefixes : e.secondaryIps;
      chunked(extra, 5).forEach((chunk, i) => rows.push(i === 0 ? [String(e.deviceIndex), e.id, e.primaryIp, chunk, e.subnetId] : ['', '', '', chunk, '']));
    }
    out.push(awsTable('DescribeNetworkInterfaces', ['Device', 'NetworkInterfaceId', 'PrivateIpAddress', 'SecondaryAddresses', 'SubnetId'], rows));
  }
  if (r.nodes.length > MAX_NODE_TABLES) out.push(`… ${r.nodes.length - MAX_NODE_TABLES} more nodes (--format json lists every node and ENI)`);

  return out;
}

/** The pods as `kubectl get pods -A -o wide`, cut at MAX_POD_ROWS with the rows that matter first. */
function podTableText(r: RunResult): string[] {
  const out: string[] = [];
  out.push(section('Pods (kubectl get pods -A -o wide)'));
  // when the table is cut, the rows that matter come first: pods not Running and pods that restarted
  const notable = (p: ReportPod) => (p.phase !== 'Running' || (p.restarts ?? 0) > 0 ? 0 : 1);
  const system = (p: ReportPod) => (p.namespace === 'kube-system' ? 1 : 0);
  const pods = [...r.pods].sort((a, b) => (r.pods.length > MAX_POD_ROWS ? notable(a) - notable(b) : 0) || system(a) - system(b));
  // AGE in kubectl's own format (apimachinery duration.HumanDuration: "8m", "2m29s"), one formatter for the whole report
  const rowOf = (p: ReportPod) => [p.namespace, p.name, p.ready ? '1/1' : '0/1', p.phase, restartsCell(p, r.time), humanDuration(r.time - p.createdAt), p.ip ?? '<none>', p.node ?? '<none>'];
  out.push(kubectlTable(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE'], pods.slice(0, MAX_POD_ROWS).map(rowOf)));
  if (pods.length > MAX_POD_ROWS) {
    const quiet = pods.slice(MAX_POD_ROWS).every((p) => notable(p) === 1);
    out.push(`… ${pods.length - MAX_POD_ROWS} more pods${quiet ? ', all Running without restarts' : ''} (pods not Running or restarted come first; --format json lists every pod)`);
  }

  return out;
}

/** The run's figures, invariant checks and where the trace went. */
function metricsText(r: RunResult): string[] {
  const out: string[] = [];
  const m = r.metrics;
  out.push(section('Metrics'));
  out.push(`  pods: ${m.pods.total} (${Object.entries(m.pods.byStatus).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'})`);
  if (Object.keys(m.pods.stuckByCause).length > 0) out.push(`  stuck by cause: ${Object.entries(m.pods.stuckByCause).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const tenth = (ms: number) => formatDuration(ms >= 10_000 ? Math.round(ms / 1000) * 1000 : Math.round(ms / 100) * 100);
  const w = m.ipWaitMs;
  const fig = (ms: number | null, atLeast: boolean) => `${atLeast ? '≥ ' : ''}${tenth(ms!)}`;
  if (w.count > 0) {
    const still = w.waiting > 0 ? `, ${w.waiting} still waiting (counted with their wait so far)` : '';
    out.push(`  scheduled → address: p50 ${fig(w.p50, w.atLeast.p50)}, p99 ${fig(w.p99, w.atLeast.p99)}, max ${fig(w.max, w.atLeast.max)} over ${w.count} pods${still}; host-network pods not counted`);
  }
  out.push(`  addresses held by nodes for pods: ${m.addresses.heldByNodes} (${m.addresses.usedByPods} used, ${m.addresses.unused} unused) on ${m.enis} ENIs`);
  out.push(`  EC2: ${m.ec2.calls} calls, ${m.ec2.throttledAttempts} throttled attempts${Object.keys(m.ec2.errors).length > 0 ? `, errors: ${Object.entries(m.ec2.errors).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}`);
  if (r.invariants !== undefined) {
    out.push(`  invariants: ${r.invariants.checks} checks, ${r.invariants.failures.length} failures, ${r.invariants.findings.length} known findings`);
    for (const f of r.invariants.failures.slice(0, 10)) out.push(`    FAIL ${readableTimes(f)}`);
    for (const f of r.invariants.findings.slice(0, 5)) out.push(`    ${readableTimes(f)}`);
  }
  if (r.trace !== undefined) out.push(`  trace written to ${r.trace === '-' ? 'stdout' : r.trace}`);

  return out;
}
