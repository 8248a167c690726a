/**
 * Turning the World's state at the end of a run into a `RunResult`: pods, nodes with their ENIs, subnets, metrics,
 * the condensed timeline, an explanation for every stuck pod, configuration warnings, the AWS CLI shapes and the views
 * asked for (views.ts).
 * Reads only the World's queries. Not here: rendering (render.ts: text.ts, or JSON).
 */
import { countOf, errorsByCode } from '../model/ec2/metrics.ts';
import type { World } from '../model/world.ts';
import type { NodeInfo, PodInfo, SubnetInfo } from '../model/world/views.ts';
import type { ScenarioRun } from '../scenario/runner.ts';
import { condenseTimeline } from './timeline.ts';
import type { ReportNode, ReportPod, ReportSubnet, RunMetrics, RunResult } from './types.ts';
import { describeNetworkInterfaces, describeSubnets } from './aws-shapes.ts';
import type { ViewRequest } from './view-types.ts';
import { collectViews } from './views.ts';
import { ipWaitFigures } from './wait-figures.ts';
import { configWarnings } from './warnings.ts';
import { explainPod } from './why.ts';

export interface CollectOptions {
  /** The views asked for besides the report (`--describe`, `--introspect`, `--metrics`, `--ipamd-log`). */
  views?: readonly ViewRequest[];
}

/** The report of a finished run, taken from its World (the CLI calls this after `runScenario`). */
export function collectResult(run: ScenarioRun, opts: CollectOptions = {}): RunResult {
  const { world, scenario: s } = run;
  const podInfos = world.pods();
  const nodeInfos = world.nodes();
  const pods: ReportPod[] = podInfos.map(reportPod).sort(byNamespaceThenName);
  const nodes: ReportNode[] = nodeInfos.map(reportNode);
  const subnets: ReportSubnet[] = world.subnets().map(reportSubnet);
  const stuck = podInfos.filter((p) => p.namespace !== 'kube-system' && p.status !== 'Running' && p.status !== 'Terminating').map((p) => explainPod(world, p));
  const result: RunResult = {
    scenario: { name: s.name, file: s.file, description: s.description },
    seed: s.seed,
    time: world.now,
    duration: s.duration,
    stoppedEarly: run.stoppedEarly,
    expectations: run.expectations,
    warnings: configWarnings(world, s),
    actions: run.actions,
    timeline: condenseTimeline(world.timeline, run.actions, subnets, (id) => world.subnetName(id)),
    pods,
    nodes,
    subnets,
    describeSubnets: describeSubnets(world),
    describeNetworkInterfaces: describeNetworkInterfaces(world),
    stuck,
    views: collectViews(world, opts.views ?? []),
    metrics: metricsOf(world, pods, nodes),
  };
  if (run.invariants !== undefined) result.invariants = run.invariants;
  if (run.trace !== undefined) result.trace = run.trace;
  return result;
}

/** One pod as the report lists it; optional fields only when the World knows them. */
function reportPod(p: PodInfo): ReportPod {
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
  if (p.restarts !== undefined) out.restarts = p.restarts;
  if (p.lastRestartAt !== undefined) out.lastRestartAt = p.lastRestartAt;
  return out;
}

/** The report's pod order: by namespace, then name. */
function byNamespaceThenName(a: ReportPod, b: ReportPod): number {
  return a.namespace === b.namespace ? (a.name < b.name ? -1 : 1) : a.namespace < b.namespace ? -1 : 1;
}

/** One node with its ENIs in device-index order. */
function reportNode(n: NodeInfo): ReportNode {
  return {
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
    enis: n.enis.map((e) => ({
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
  };
}

/** One subnet as the scenario names it, with its EC2 id and free addresses at the end of the run. */
function reportSubnet(x: SubnetInfo): ReportSubnet {
  return {
    id: x.id,
    subnetId: x.subnetId,
    cidr: x.cidr,
    az: x.az,
    tags: x.tags,
    availableIpAddressCount: x.availableIpAddressCount,
    route: x.route,
    public: x.public,
  };
}

function metricsOf(world: World, pods: ReportPod[], nodes: ReportNode[]): RunMetrics {
  const app = pods.filter((p) => p.namespace !== 'kube-system');
  const byStatus: Record<string, number> = {};
  const stuckByCause: Record<string, number> = {};
  for (const p of app) {
    byStatus[p.phase] = (byStatus[p.phase] ?? 0) + 1;
    if (p.stuckCause !== undefined) stuckByCause[p.stuckCause] = (stuckByCause[p.stuckCause] ?? 0) + 1;
  }
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
  const callsByAction = Object.fromEntries(Object.entries(c.calls).map(([a, k]) => [a, k ?? 0]));
  return {
    simulatedEvents: world.sim.eventCount,
    pods: { total: app.length, running: byStatus.Running ?? 0, notRunning: app.length - (byStatus.Running ?? 0), byStatus, stuckByCause },
    ipWaitMs: ipWaitFigures(world.podHistory(), world.now),
    addresses: { heldByNodes: held, usedByPods: used, unused: Math.max(0, held - used) },
    enis,
    ec2: { calls: countOf(c.calls), throttledAttempts: countOf(c.throttledAttempts), errors: errorsByCode(c.errors), callsByAction },
  };
}
