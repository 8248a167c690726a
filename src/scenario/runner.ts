/**
 * Replaying a loaded scenario: build the World from it (the scenario maps onto WorldSpec one to one), then walk
 * the timeline — run the simulation to each step's time, perform the step through the World's command-shaped
 * actions, and check every expectation at its time. At one instant, steps run first (in file order), then the
 * checks, which therefore see a step's immediate effect but nothing that follows from it.
 * Not here: loading (loader.ts), what a check means (expectations.ts), how results print (src/report).
 */
import { attachInvariantChecker, formatViolation } from '../check/index.ts';
import { InputError } from '../util/input-error.ts';
import { NdjsonFileTracer } from '../sim/index.ts';
import { World, type WorldSpec } from '../model/world.ts';
import type { ActionResult } from '../model/k8s/types.ts';
import { collectResult } from '../report/collect.ts';
import type { ActionRecord, RunResult } from '../report/types.ts';
import type { ViewRequest } from '../report/view-types.ts';
import { evaluate, skipped, type ExpectationResult } from './expectations.ts';
import { matchesSelector } from './selector.ts';
import type { Action, Scenario } from './types.ts';

export interface RunOptions {
  /** Stop at this time (ms) instead of the scenario's duration. */
  until?: number;
  /** Write the NDJSON trace here; `-` is stdout. */
  trace?: string;
  checkInvariants?: boolean;
  /** Called every simulated second with (virtual ms, events so far), for a progress line; off by default. */
  onProgress?: (now: number, events: number) => void;
  /** Views to collect at the end besides the report (`--describe`, `--introspect`, `--metrics`, `--ipamd-log`). */
  views?: readonly ViewRequest[];
}

export function worldSpecOf(s: Scenario): WorldSpec {
  return {
    seed: s.seed,
    region: s.region,
    vpc: { cidrBlocks: [...s.vpc.cidrBlocks], ipv6: s.vpc.ipv6 },
    subnets: s.subnets.map((x) => ({ id: x.id, az: x.az, cidr: x.cidr, public: x.public, route: x.route, tags: { ...x.tags }, externalUse: x.externalUse })),
    cluster: {
      name: s.cluster.name,
      kubernetesVersion: s.cluster.kubernetesVersion,
      ipFamily: s.cluster.ipFamily,
      endpointAccess: s.cluster.endpointAccess,
      vpcCni: { version: s.cluster.vpcCni.version, env: { ...s.cluster.vpcCni.env } },
      eniConfigs: s.cluster.eniConfigs.map((e) => ({ name: e.name, subnet: e.subnet, securityGroups: [...e.securityGroups] })),
    },
    nodeGroups: s.nodeGroups.map((g) => ({
      name: g.name,
      instanceType: g.instanceType,
      subnets: [...g.subnets],
      desiredCapacity: g.desiredCapacity,
      labels: { ...g.labels },
      ...(g.maxPods !== undefined ? { maxPods: g.maxPods } : {}),
    })),
    ec2: structuredClone(s.ec2),
    deniedPermissions: [...s.deniedPermissions],
  };
}

/** Builds the World; a spec the World refuses is the scenario file's fault. */
export function buildWorld(s: Scenario): World {
  try {
    return new World(worldSpecOf(s));
  } catch (err) {
    if (err instanceof InputError) throw new InputError({ ...err.where, file: s.file }, err.reason);
    throw err;
  }
}

export function runScenario(s: Scenario, opts: RunOptions = {}): RunResult {
  const world = buildWorld(s);
  let tracer: NdjsonFileTracer | undefined;
  if (opts.trace !== undefined) {
    try {
      tracer = new NdjsonFileTracer(opts.trace === '-' ? 1 : opts.trace);
    } catch (err) {
      throw new InputError({ field: '--trace' }, `cannot write ${opts.trace}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    world.sim.tracer = tracer;
    world.sim.trace('scenario', { name: s.name, seed: s.seed, file: s.file });
  }
  let checker: { checks: number; failures: { toString(): string }[]; findings: { toString(): string }[]; finish(): void; detach(): void } | undefined;
  let format: ((v: never) => string) | undefined;
  try {
    if (opts.checkInvariants === true) {
      const mod = loadChecker();
      checker = mod.attach(world);
      format = mod.format as (v: never) => string;
    }
    const end = opts.until === undefined ? s.duration : Math.min(opts.until, s.duration);
    const actions: ActionRecord[] = [];
    const results = new Map<number, ExpectationResult>();
    const times = [...new Set([...s.timeline.map((a) => a.at), ...s.expect.map((e) => e.at)])].filter((t) => t <= end).sort((a, b) => a - b);
    const runUntil = advancer(world, opts.onProgress);
    for (const t of times) {
      runUntil(t);
      for (const a of s.timeline) if (a.at === t) actions.push(...perform(world, a));
      for (const e of s.expect) if (e.at === t) results.set(e.index, evaluate(world, e));
    }
    runUntil(end);
    for (const e of s.expect) if (!results.has(e.index)) results.set(e.index, skipped(e));
    checker?.finish();
    const expectations = s.expect.map((e) => results.get(e.index)!);
    const result = collectResult(world, s, { expectations, actions, views: opts.views ?? [], stoppedEarly: end < s.duration });
    if (checker !== undefined) {
      result.invariants = {
        checks: checker.checks,
        failures: checker.failures.map((v) => (format ? format(v as never) : String(v))),
        findings: checker.findings.map((v) => (format ? format(v as never) : String(v))),
      };
    }
    if (opts.trace !== undefined) result.trace = opts.trace;
    return result;
  } finally {
    checker?.detach();
    if (tracer !== undefined) {
      world.sim.tracer = null;
      tracer.close();
    }
  }
}

/** `world.runUntil`, or, with a progress callback, the same in one-second steps (the events run are the same). */
function advancer(world: World, onProgress: RunOptions['onProgress']): (t: number) => void {
  if (onProgress === undefined) return (t) => world.runUntil(t);
  return (t) => {
    for (let next = Math.min(t, world.now + 1000); ; next = Math.min(t, next + 1000)) {
      world.runUntil(next);
      onProgress(world.now, world.sim.eventCount);
      if (next >= t) return;
    }
  };
}

function loadChecker() {
  return { attach: (w: World) => attachInvariantChecker(w), format: formatViolation };
}

/** Performs one timeline step; a step over several nodes gives one record per node. */
function perform(world: World, a: Action): ActionRecord[] {
  const rec = (command: string, r: ActionResult): ActionRecord => {
    const out: ActionRecord = { t: world.now, command, ok: r.ok, message: r.message };
    if (a.note !== undefined) out.note = a.note;
    return out;
  };
  const nodesOf = (ref: { node?: string; selector?: string }): string[] =>
    ref.node !== undefined ? [ref.node] : world.nodes().filter((n) => !n.terminating && n.registered && matchesSelector(n.labels, ref.selector)).map((n) => n.name);
  const perNode = (ref: { node?: string; selector?: string }, command: string, fn: (name: string) => ActionResult): ActionRecord[] => {
    const names = nodesOf(ref);
    if (names.length === 0) return [rec(`${command} -l ${ref.selector}`, { ok: false, message: `No resources found: no node matches ${ref.selector}` })];
    return names.map((n) => rec(`${command} ${n}`, fn(n)));
  };
  switch (a.run) {
    case 'kubectl apply':
      return a.manifest.map((m) => rec('kubectl apply -f -', world.kubectlApply(m as Record<string, unknown>)));
    case 'kubectl scale':
      return [rec(`kubectl scale deployment/${a.deployment} --replicas=${a.replicas}`, world.kubectlScale(a.namespace ?? 'default', a.deployment, a.replicas))];
    case 'kubectl delete': {
      const [kind, name] = a.resource.split('/');
      return [rec(`kubectl delete ${a.resource}`, world.kubectlDelete(kind, a.namespace ?? 'default', name))];
    }
    case 'kubectl set env daemonset aws-node': {
      const args = Object.entries(a.env).map(([k, v]) => (v === null ? `${k}-` : `${k}=${v}`));
      return [rec(`kubectl set env daemonset aws-node -n kube-system ${args.join(' ')}`, world.setAwsNodeEnv(a.env))];
    }
    case 'kubectl label node':
      return perNode(a, 'kubectl label node', (n) => world.labelNode(n, a.labels));
    case 'kubectl annotate node':
      return perNode(a, 'kubectl annotate node', (n) => world.annotateNode(n, a.annotations));
    case 'kubectl cordon':
      return perNode(a, 'kubectl cordon', (n) => world.cordonNode(n));
    case 'kubectl uncordon':
      return perNode(a, 'kubectl uncordon', (n) => world.uncordonNode(n));
    case 'aws ec2 associate-vpc-cidr-block':
      return [rec(`aws ec2 associate-vpc-cidr-block --cidr-block ${a.cidrBlock}`, world.associateVpcCidrBlock(a.cidrBlock))];
    case 'aws ec2 create-subnet': {
      const route = a.route ?? 'nat';
      const r = world.createSubnet({ id: a.id, az: a.availabilityZone, cidr: a.cidrBlock, route, public: route === 'igw', tags: { ...(a.tags ?? {}) } });
      return [rec(`aws ec2 create-subnet --cidr-block ${a.cidrBlock} --availability-zone ${a.availabilityZone} (${a.id})`, r)];
    }
    case 'aws ec2 create-tags':
      return [rec(`aws ec2 create-tags --resources ${a.resources.join(' ')} --tags ${Object.entries(a.tags).map(([k, v]) => `Key=${k},Value=${v}`).join(' ')}`, world.createTags(a.resources, a.tags))];
    case 'aws ec2 delete-tags':
      return [rec(`aws ec2 delete-tags --resources ${a.resources.join(' ')} --tags ${a.tags.map((k) => `Key=${k}`).join(' ')}`, world.deleteTags(a.resources, a.tags))];
    case 'eksctl scale nodegroup':
      return [rec(`eksctl scale nodegroup --name ${a.nodegroup} --nodes ${a.nodes}`, world.scaleNodegroup(a.nodegroup, a.nodes))];
    case 'aws ec2 terminate-instances': {
      if (a.instanceIds !== undefined) return a.instanceIds.map((id) => rec(`aws ec2 terminate-instances --instance-ids ${id}`, world.terminateInstance(id)));
      return perNode(a, 'aws ec2 terminate-instances --instance-ids', (n) => world.terminateInstance(n));
    }
    case 'sim heal-faults':
      return [rec('sim heal-faults', world.healFaults())];
  }
}
