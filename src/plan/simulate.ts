/**
 * One simulation of a plan: build the World from the (possibly altered) scenario with a given seed, bring it to the
 * instant the change applies — t = 0 for a scenario with `existing:` (its timeline is not played: t = 0 is the
 * cluster as it is), else after the timeline's last step once pods settle — apply the change at size n, and run until
 * its answer is known: every pod Running (it fits), no pod started for `stallMs` while some wait (it does not), or
 * `horizonMs` after the change. Then read what a plan reports: pods stuck and by what cause, the first to get stuck
 * and its why-chain (src/report/why.ts), free addresses per subnet, EC2 throttling met.
 * Not here: which sizes to try (headroom.ts), what-ifs (what-ifs.ts), rendering (render.ts).
 */
import type { World } from '../model/world.ts';
import { runScenario } from '../scenario/runner.ts';
import type { Scenario } from '../scenario/types.ts';
import { explainPod } from '../report/why.ts';
import { CNI_ROLE_TAG } from '../model/ipamd/subnet-discovery.ts';
import { PodCensus, type Counts } from './census.ts';
import { applyChange, targetDeployment, type AppliedCommand, type Change } from './change.ts';

/** How long the plan waits, in simulated ms. */
export interface Patience {
  /** After the change, the latest the run goes on (default 20 minutes). */
  horizonMs: number;
  /**
   * No pod started for this long while some wait: the answer is known (default 3 minutes: ipamd's 120 s growth freeze
   * after InsufficientFreeAddressesInSubnet, its next pool pass and an ENI's creation and attachment, with room to spare).
   */
  stallMs: number;
}

export const DEFAULT_PATIENCE: Patience = { horizonMs: 20 * 60_000, stallMs: 3 * 60_000 };

/** Before the change, a scenario without `existing:` settles its last step for this long at least (the runner's 2 minutes)… */
const SETTLE_MS = 2 * 60_000;
/** …and then until no pod waits, for at most this long. */
const SETTLE_MAX_MS = 10 * 60_000;
/** The pods are counted this often (simulated ms); counting is a pass over every pod. */
const CENSUS_EVERY_MS = 2_000;

export interface SubnetLeft {
  /** The scenario's name of the subnet (the EC2 id when it has none). */
  id: string;
  az: string;
  cidr: string;
  free: number;
}

export interface FirstStuck {
  namespace: string;
  pod: string;
  /** ms after the change. */
  after: number;
  cause: string;
  /** The why-chain (src/report/why.ts), its last line the cause. */
  chain: string[];
}

/** What one simulation of the change answers. */
export interface Outcome {
  n: number;
  fits: boolean;
  /** Pods not Running at the end (Pending or ContainerCreating; leaving pods not counted). */
  stuck: number;
  stuckByCause: Record<string, number>;
  /** Pods of the change's Deployment Running at the end. */
  targetRunning: number;
  /** The largest size max pods allows at the end: the change's pods on nodes plus the free pod slots of schedulable nodes. */
  podCapacity: number;
  /** The largest size the addresses allow at the end (an upper bound): the change's Running pods plus `spareAddresses`. */
  addressCapacity: number;
  firstStuck?: FirstStuck;
  subnets: SubnetLeft[];
  /** EC2 attempts refused by a token bucket (RequestLimitExceeded), by action. */
  throttled: Record<string, number>;
  /**
   * Why the run stopped: all Running; no progress for stallMs; the horizon; or (headroom runs) more pods waiting for
   * an address than there are addresses left anywhere, so it cannot fit.
   */
  stoppedBy: 'all-running' | 'stalled' | 'horizon' | 'out-of-addresses';
  /** ms from the change to the stop. */
  ranMs: number;
  /** Simulation events after the change (work done, for the bench). */
  events: number;
}

export interface Probe {
  scenario: Scenario;
  seed: number;
  change: Change;
  n: number;
  patience?: Patience;
  /** Sees the World before it runs (the HTML report's recorder). */
  observe?: (world: World) => void;
  /**
   * Keep the run's history (default true): the why-chain of the first stuck pod quotes the node's decisions and the
   * pod's events. Headroom runs need only the end state and go faster without.
   */
  history?: boolean;
  /** Stop as soon as more pods wait for an address than there are addresses left (headroom runs: fit or not only). */
  stopWhenOutOfAddresses?: boolean;
}

/** A probe as it travels to a worker thread: all but the scenario (sent once) and the observer (a function). */
export type ProbeSpec = Omit<Probe, 'scenario' | 'observe'>;

/** A scenario carrying an `existing:` section (the cluster's state at t = 0). */
export function startsFromExisting(s: Scenario): boolean {
  return s.existing !== undefined;
}

/** The instant before the change: the World built and brought to where the change applies. */
export function worldBeforeChange(s: Scenario, seed: number, observe?: (world: World) => void, history = true): World {
  const existing = startsFromExisting(s);
  const timeline = existing ? [] : s.timeline;
  const lastStep = timeline.reduce((m, a) => Math.max(m, a.at), 0);
  const prefix: Scenario = { ...s, seed, timeline, expect: [], duration: lastStep };
  const world = runScenario(prefix, { world: { keepHistory: history }, ...(observe === undefined ? {} : { observe: (w) => observe(w) }) }).world;
  if (!existing) {
    world.runUntil(lastStep + SETTLE_MS);
    const until = world.now + SETTLE_MAX_MS;
    const census = new PodCensus(world);
    while (world.now < until && census.count().waiting > 0) world.runUntil(Math.min(until, world.now + CENSUS_EVERY_MS));
    census.close();
  }
  return world;
}

/**
 * Subnets a new ENI could ever go to, a superset: the nodes' own subnets, subnets tagged for the CNI
 * (`kubernetes.io/role/cni`, any value) and ENIConfig subnets (custom networking). Others (public subnets without
 * the tag, say) ipamd never uses (docs/ipamd-model.md §4).
 */
function usableSubnets(world: World): Set<string> {
  const ids = new Set<string>();
  for (const n of world.cluster.nodeMap.values()) ids.add(n.subnetId);
  for (const s of world.subnets()) if (Object.prototype.hasOwnProperty.call(s.tags, CNI_ROLE_TAG)) ids.add(s.subnetId);
  for (const e of world.cluster.eniConfigMap.values()) {
    const id = world.resolveSubnet(e.subnet);
    if (id !== undefined) ids.add(id);
  }
  return ids;
}

/**
 * Addresses a waiting pod could still get, an upper bound: unassigned ones the daemons hold, free ones in every
 * subnet a new ENI could go to, and one per secondary ENI (freeing it would return its primary address).
 */
function spareAddresses(world: World): number {
  let spare = 0;
  for (const agent of world.cluster.agentMap.values()) {
    const d = agent.ipamd;
    if (d === undefined || d.state !== 'ready') continue;
    const h = d.holdings();
    spare += h.totalIps - h.assignedIps + Math.max(0, h.enis - 1);
  }
  const usable = usableSubnets(world);
  for (const s of world.subnets()) if (usable.has(s.subnetId)) spare += s.availableIpAddressCount;
  return spare;
}

/** The change's pods bound to a node plus the pod slots (max pods) left on Ready, schedulable nodes. */
function podCapacity(world: World, target: { namespace: string; name: string }): number {
  let cap = 0;
  for (const n of world.cluster.liveNodes()) if (n.ready && !n.cordoned && !n.terminating) cap += n.maxPods;
  for (const p of world.cluster.podMap.values()) {
    if (p.nodeName === undefined) continue;
    const node = world.cluster.nodeMap.get(p.nodeName);
    if (node === undefined || !node.ready || node.cordoned || node.terminating) continue;
    if (!(p.owner.deployment === target.name && p.namespace === target.namespace && p.deletedAt === undefined)) cap--;
  }
  return cap;
}

/** Runs one probe: the change at size n, watched until its answer is known. */
export function simulate(p: Probe): Outcome {
  return simulateWorld(p).outcome;
}

/** `simulate`, with the World at its end and the commands the change ran (for a page of the run). */
export function simulateWorld(p: Probe): { outcome: Outcome; world: World; commands: AppliedCommand[] } {
  const patience = p.patience ?? DEFAULT_PATIENCE;
  const world = worldBeforeChange(p.scenario, p.seed, p.observe, p.history ?? true);
  const t0 = world.now;
  const events0 = world.sim.eventCount;
  const throttled0 = { ...world.ec2Counters().total.throttledAttempts };
  const commands = applyChange(world, p.change, p.n);
  const target = targetDeployment(p.change);
  const census = new PodCensus(world, target);
  let c = census.count();
  let lastRunning = c.running;
  let progressAt = t0;
  let stoppedBy: Outcome['stoppedBy'] = 'horizon';
  while (world.now < t0 + patience.horizonMs) {
    world.runUntil(Math.min(t0 + patience.horizonMs, world.now + CENSUS_EVERY_MS));
    c = census.count();
    if (c.running !== lastRunning) {
      lastRunning = c.running;
      progressAt = world.now;
    }
    if (c.waiting === 0 && c.targetRunning === p.n) {
      stoppedBy = 'all-running';
      break;
    }
    if (c.waiting > 0 && world.now - progressAt >= patience.stallMs) {
      stoppedBy = 'stalled';
      break;
    }
    if (p.stopWhenOutOfAddresses === true && c.waitingForAddress > 0 && c.waitingForAddress > spareAddresses(world)) {
      stoppedBy = 'out-of-addresses';
      break;
    }
  }
  census.close();
  return { outcome: outcome(world, p, c, t0, events0, throttled0, stoppedBy), world, commands };
}

function outcome(world: World, p: Probe, c: Counts, t0: number, events0: number, throttled0: Record<string, number | undefined>, stoppedBy: Outcome['stoppedBy']): Outcome {
  const throttled: Record<string, number> = {};
  for (const [action, n] of Object.entries(world.ec2Counters().total.throttledAttempts)) {
    const d = (n ?? 0) - (throttled0[action] ?? 0);
    if (d > 0) throttled[action] = d;
  }
  const out: Outcome = {
    n: p.n,
    fits: c.waiting === 0 && c.targetRunning === p.n,
    stuck: c.waiting,
    stuckByCause: {},
    targetRunning: c.targetRunning,
    podCapacity: podCapacity(world, targetDeployment(p.change)),
    addressCapacity: c.targetRunning + spareAddresses(world),
    subnets: world.subnets().map((s) => ({ id: s.id, az: s.az, cidr: s.cidr, free: s.availableIpAddressCount })),
    throttled,
    stoppedBy,
    ranMs: world.now - t0,
    events: world.sim.eventCount - events0,
  };
  if (c.waiting === 0) return out;
  const waiting = world.pods().filter((x) => x.status === 'Pending' || x.status === 'ContainerCreating');
  for (const x of waiting) {
    const cause = x.stuckCause ?? (x.status === 'Pending' ? 'not scheduled' : 'starting');
    out.stuckByCause[cause] = (out.stuckByCause[cause] ?? 0) + 1;
  }
  const since = (x: { firstStuckAt?: number; createdAt: number }) => x.firstStuckAt ?? x.createdAt;
  const first = waiting.reduce((a, b) => (since(b) < since(a) || (since(b) === since(a) && b.name < a.name) ? b : a));
  const why = explainPod(world, first);
  out.firstStuck = { namespace: first.namespace, pod: first.name, after: Math.max(0, since(first) - t0), cause: why.cause, chain: why.chain };
  return out;
}
