/**
 * Turning the World's state at the end of a run into a `RunResult`: pods, nodes with their ENIs, subnets, metrics,
 * the condensed timeline, an explanation for every stuck pod and the requested `--describe` views.
 * Reads only the World's queries. Not here: rendering (text.ts, json.ts).
 */
import type { World } from '../model/world.ts';
import type { ScenarioRun } from '../scenario/runner.ts';
import { condenseTimeline } from './timeline.ts';
import type { PodDescribe, ReportNode, ReportPod, ReportSubnet, RunMetrics, RunResult } from './types.ts';
import { explainPod } from './why.ts';

export interface CollectOptions {
  /** Pod names to describe (`--describe pod/NAME`). */
  describe?: readonly string[];
}

/** The report of a finished run, taken from its World (the CLI calls this after `runScenario`). */
export function collectResult(run: ScenarioRun, opts: CollectOptions = {}): RunResult {
  const { world, scenario: s } = run;
  const podInfos = world.pods();
  const nodeInfos = world.nodes();
  const pods: ReportPod[] = podInfos
    .map((p) => {
      const out: ReportPod = {
        name: p.name,
        namespace: p.namespace,
        labels: p.labels,
        node: p.node ?? null,
        phase: p.status,
        ip: p.ip ?? null,
        ready: p.ready,
        createdAt: p.createdAt,
      };
      if (p.deployment !== undefined) out.deployment = p.deployment;
      if (p.stuckCause !== undefined) out.stuckCause = p.stuckCause;
      if (p.ipWaitMs !== undefined) out.ipWaitMs = p.ipWaitMs;
      return out;
    })
    .sort((a, b) => (a.namespace === b.namespace ? (a.name < b.name ? -1 : 1) : a.namespace < b.namespace ? -1 : 1));
  const nodes: ReportNode[] = nodeInfos.map((n) => ({
    name: n.name,
    nodeGroup: n.nodeGroup,
    instanceId: n.instanceId,
    instanceType: n.instanceType,
    subnetId: n.subnetId,
    subnet: n.subnet,
    az: n.az,
    privateIp: n.privateIp,
    maxPods: n.maxPods,
    status: n.status,
    pods: n.pods,
    enis: [...n.enis]
      .sort((a, b) => a.deviceIndex - b.deviceIndex)
      .map((e) => ({
        id: e.eniId,
        subnetId: e.subnetId,
        subnet: e.subnet,
        deviceIndex: e.deviceIndex,
        primary: e.deviceIndex === 0,
        primaryIp: e.primaryIp,
        secondaryIps: e.secondaryIps,
        prefixes: e.prefixes,
        ipv6Prefixes: e.ipv6Prefixes,
      })),
  }));
  const subnets: ReportSubnet[] = world.subnets().map((x) => ({
    id: x.id,
    subnetId: x.subnetId,
    cidr: x.cidr,
    az: x.az,
    tags: x.tags,
    availableIpAddressCount: x.availableIpAddressCount,
    route: x.route,
    public: x.public,
  }));
  const stuck = podInfos.filter((p) => p.namespace !== 'kube-system' && p.status !== 'Running' && p.status !== 'Terminating').map((p) => explainPod(world, p));
  const describes: PodDescribe[] = (opts.describe ?? []).map((name) => {
    const p = podInfos.find((x) => x.name === name) ?? world.podHistory().find((x) => x.name === name);
    if (p === undefined) return { name, namespace: 'default', found: false };
    const ev = world.podEvents(p.name, p.namespace);
    const d: PodDescribe = { name: p.name, namespace: p.namespace, found: true, status: p.status };
    if (p.node !== undefined) d.node = p.node;
    if (p.ip !== undefined) d.ip = p.ip;
    if (ev !== undefined) d.events = ev.text;
    if (p.status !== 'Running' && p.status !== 'Terminating' && podInfos.includes(p)) d.why = explainPod(world, p);
    return d;
  });
  const result: RunResult = {
    scenario: { name: s.name, file: s.file, description: s.description },
    seed: s.seed,
    time: world.now,
    duration: s.duration,
    stoppedEarly: run.stoppedEarly,
    expectations: run.expectations,
    actions: run.actions,
    timeline: condenseTimeline(world.timeline, run.actions, subnets, (id) => world.subnetName(id)),
    pods,
    nodes,
    subnets,
    stuck,
    describes,
    metrics: metricsOf(world, pods, nodes),
  };
  if (run.invariants !== undefined) result.invariants = run.invariants;
  if (run.trace !== undefined) result.trace = run.trace;
  return result;
}

function percentile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function metricsOf(world: World, pods: ReportPod[], nodes: ReportNode[]): RunMetrics {
  const app = pods.filter((p) => p.namespace !== 'kube-system');
  const byStatus: Record<string, number> = {};
  const stuckByCause: Record<string, number> = {};
  for (const p of app) {
    byStatus[p.phase] = (byStatus[p.phase] ?? 0) + 1;
    if (p.stuckCause !== undefined) stuckByCause[p.stuckCause] = (stuckByCause[p.stuckCause] ?? 0) + 1;
  }
  const waits = world
    .podHistory()
    .map((p) => p.ipWaitMs)
    .filter((w): w is number => w !== undefined)
    .sort((a, b) => a - b);
  let held = 0;
  let enis = 0;
  for (const n of nodes) {
    for (const e of n.enis) {
      enis++;
      held += e.secondaryIps.length + e.prefixes.length * 16;
    }
  }
  const used = pods.filter((p) => p.ip !== null && p.node !== null && !nodes.some((n) => n.name === p.node && n.privateIp === p.ip)).length;
  const c = world.ec2Counters().total;
  const errors: Record<string, number> = {};
  for (const codes of Object.values(c.errors)) for (const [code, k] of Object.entries(codes ?? {})) errors[code] = (errors[code] ?? 0) + (k ?? 0);
  const callsByAction: Record<string, number> = {};
  let calls = 0;
  for (const [a, k] of Object.entries(c.calls)) {
    callsByAction[a] = k ?? 0;
    calls += k ?? 0;
  }
  const throttled = Object.values(c.throttledAttempts).reduce((a, b) => a + (b ?? 0), 0);
  return {
    simulatedEvents: world.sim.eventCount,
    pods: { total: app.length, running: byStatus.Running ?? 0, notRunning: app.length - (byStatus.Running ?? 0), byStatus, stuckByCause },
    ipWaitMs: { count: waits.length, p50: percentile(waits, 0.5), p99: percentile(waits, 0.99), max: waits.length > 0 ? waits[waits.length - 1] : null },
    addresses: { heldByNodes: held, usedByPods: used, unused: Math.max(0, held - used) },
    enis,
    ec2: { calls, throttledAttempts: throttled, errors, callsByAction },
  };
}
