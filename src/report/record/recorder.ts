/**
 * Gathering the run record (types.ts) while a scenario runs: at the end of every instant — when the next event lies
 * later, and after each timeline action — what changed in it is appended with its time. What changed is what the
 * World's stream named (listen.ts): those pods, nodes, datastores and ENIs are read again through the World's queries
 * (a pod with its stuck cause, a node's ENIs as EC2 describes them, subnets, EC2 counters) and the node ipamd's
 * read-only datastore view, so an instant costs what changed in it, not the size of the cluster. Nothing is worked out
 * by rules of its own, so the state the record folds to at t (fold.ts) is what `run --until t` reports.
 * Browser-safe (no `node:` import). Not here: drawing the record (src/report/html).
 */
import { findInstanceType } from '../../model/ec2/instance-types.ts';
import { countOf, errorsByCode } from '../../model/ec2/metrics.ts';
import { formatCidr } from '../../model/vpc/ipv4.ts';
import type { Pod } from '../../model/k8s/types.ts';
import type { World } from '../../model/world.ts';
import { anyNodeReady, nodeEnis, podReader } from '../../model/world/queries.ts';
import type { PodInfo } from '../../model/world/views.ts';
import type { ExpectationResult } from '../../scenario/expectations.ts';
import type { Scenario } from '../../scenario/types.ts';
import { describePod } from '../describe.ts';
import { describeText } from '../describe-text.ts';
import type { ActionRecord } from '../types.ts';
import { Dirty, listen } from './listen.ts';
import { NodeSlots } from './slots.ts';
import { DESCRIBE_REFRESH_MS, RECORD_FORMAT, type EniState, type PodChange, type RecordNode, type RecordPod, type RecordSubnet, type RunRecord } from './types.ts';

/**
 * Characters of describe JSON a record keeps (distinct lines and the rows that list them, about 2 MB): past it no
 * further describe text is taken and the record says from when (`describesStopped`), so a 1,500-pod run stays a page
 * a browser opens at once.
 */
export const DESCRIBE_BUDGET = 2_000_000;

/**
 * Characters of JSON (estimated as rows are added) a record keeps of its pods, their changes, the address slots and the
 * timeline lines — the parts that grow with every pod a run creates. Past it they are no longer recorded and the
 * record says from when (`detailStopped`); nodes, ENIs, subnets, EC2 counts and ipamd decisions are kept whole. With
 * the describe texts, those and the page's own script, the page of a 1,000-node hour of churn (pods and slots followed
 * on NODE_SAMPLE nodes) is 16.6 MB (at most 25 MB asked; `npm run bench:report`).
 */
export const DETAIL_BUDGET = 15_000_000;

/**
 * Nodes whose pods and address slots a record follows: the first this many to appear. A pod bound to any other node
 * leaves the record (its Pending time stays); once a node is outside, a pod waiting for a node is recorded only when it
 * is stuck or bound to a sampled node. Those nodes' STATUS and ENIs are recorded like every node's. So a 1,000-node
 * run keeps about a tenth of its pods for its whole length instead of all of them for its first minutes.
 */
export const NODE_SAMPLE = 100;

/** Bounds for one recorder (tests make them small). */
export interface RecordBounds {
  describeBudget?: number;
  detailBudget?: number;
  nodeSample?: number;
}

/** What a record says of its run besides what happened: a scenario, or anything shaped like one (a benchmark job). */
export type RecordedRun = Pick<Scenario, 'name' | 'file' | 'description' | 'seed' | 'duration'> & { cluster: Pick<Scenario['cluster'], 'ipFamily'> };

export class RunRecorder {
  private readonly record: RunRecord;
  private readonly dirty = new Dirty();
  private readonly podIndex = new Map<string, number>();
  private readonly nodeIndex = new Map<string, number>();
  private readonly subnetIndex = new Map<string, number>();
  private readonly podState = new Map<string, PodChange>();
  /** Pods ContainerCreating, by node (their stuck cause reads the node), and Pending pods (theirs reads every node). */
  private readonly creatingOn = new Map<string, Set<string>>();
  private readonly pending = new Set<string>();
  private anyReady = false;
  private readonly instanceNode = new Map<string, string>();
  private readonly nodeStatus = new Map<string, string>();
  private readonly nodeEnis = new Map<string, string>();
  private readonly slots = new Map<string, NodeSlots>();
  private readonly podOfKey = new WeakMap<object, number>();
  private readonly lineIndex = new Map<string, number>();
  /** When each pod was last described. */
  private readonly described = new Map<string, number>();
  private describeChars = 0;
  /** Estimated characters of the bounded parts (DETAIL_BUDGET), and whether they are still recorded. */
  private detailChars = 0;
  private detailed = true;
  private readonly describeBudget: number;
  private readonly detailBudget: number;
  private readonly nodeSample: number;
  /** Nodes whose pods and slots are recorded (NODE_SAMPLE), and the others seen. */
  private readonly inside = new Set<string>();
  private readonly outside = new Set<string>();
  private readonly subnetFree = new Map<string, number>();
  private ec2Changes = -1;
  private ec2Key = '';
  private readonly unsubscribe: () => void;

  constructor(
    private readonly world: World,
    run: RecordedRun,
    bounds: RecordBounds = {},
  ) {
    this.describeBudget = bounds.describeBudget ?? DESCRIBE_BUDGET;
    this.detailBudget = bounds.detailBudget ?? DETAIL_BUDGET;
    this.nodeSample = bounds.nodeSample ?? NODE_SAMPLE;
    this.record = {
      format: RECORD_FORMAT,
      scenario: { name: run.name, file: run.file, description: run.description },
      seed: run.seed,
      duration: run.duration,
      end: 0,
      ipv6: run.cluster.ipFamily === 'ipv6',
      vpcBlocks: [],
      subnets: [],
      pods: [],
      nodes: [],
      changes: { pods: [], nodes: [], enis: [], slots: [], subnets: [], ec2: [] },
      decisions: [],
      happenings: [],
      describes: [],
      lines: [],
      actions: [],
      expectations: [],
    };
    this.unsubscribe = listen(world, this.dirty, {
      instantEnded: () => {
        if (this.dirty.any || world.ec2.metrics.changes !== this.ec2Changes) this.flush(false);
      },
      action: () => this.flush(true),
      decision: (d) => {
        const n = this.node(d.node);
        this.record.decisions.push([d.t, n, d.kind, d.message]);
        if (d.kind === 'init' && typeof d.data?.maxEni === 'number') this.record.nodes[n].maxEni = d.data.maxEni;
        if (d.kind === 'init' && typeof d.data?.mode === 'string') this.record.nodes[n].mode = d.data.mode;
      },
      timeline: (h) => {
        // a pod's line on a node outside the sample goes with the pod
        if (!this.detailed || (h.pod !== undefined && h.node !== undefined && this.outside.has(h.node))) return;
        this.record.happenings.push([h.t, h.kind, h.message]);
        this.detailChars += 24 + h.kind.length + h.message.length;
      },
    });
    this.flush(true);
  }

  /** The record as gathered so far (live: it grows as the run goes); `finish` completes it. */
  get soFar(): RunRecord {
    return this.record;
  }

  /** Takes the last instant, stops listening and returns the record with the run's actions and expectations. */
  finish(actions: ActionRecord[], expectations: ExpectationResult[]): RunRecord {
    this.flush(true);
    this.unsubscribe();
    const r = this.record;
    r.end = this.world.now;
    r.actions = actions;
    r.expectations = expectations;
    return r;
  }

  /** Reads what changed (everything when `all`: at the start, the end and after an action) and clears the marks. */
  private flush(all: boolean): void {
    const w = this.world;
    const t = w.now;
    const d = this.dirty;
    this.vpcBlocks(t);
    this.subnets(t, all);
    this.ec2(t);
    if (all) {
      for (const name of w.cluster.nodeMap.keys()) d.nodes.add(name);
      for (const name of w.cluster.agentMap.keys()) d.datastores.add(name);
      for (const key of w.cluster.podMap.keys()) d.pods.add(key);
      for (const key of this.podState.keys()) d.pods.add(key);
      d.nodeStatus = true;
    }
    for (const id of d.instances) {
      const name = this.instanceNode.get(id);
      if (name !== undefined) d.nodes.add(name), d.causes.add(name);
    }
    // in name order, so a record's node indices do not depend on the order things happened within an instant
    for (const name of sorted(d.nodes)) this.nodeRow(t, name);
    if (this.detailed) for (const name of sorted(d.datastores)) this.datastore(t, name);
    if (d.nodeStatus) {
      const ready = anyNodeReady(w.cluster);
      if (ready !== this.anyReady) for (const key of this.pending) d.pods.add(key);
      this.anyReady = ready;
    }
    for (const name of d.causes) {
      const waiting = this.creatingOn.get(name);
      if (waiting !== undefined) for (const key of waiting) d.pods.add(key);
    }
    if (this.detailed && (d.pods.size > 0 || d.eventful.size > 0)) {
      const read = podReader(w);
      for (const key of d.pods) this.podRow(t, key, read);
      this.redescribe(t, read);
    }
    d.clear();
    if (this.detailed && this.detailChars > this.detailBudget) {
      this.detailed = false;
      this.record.detailStopped = t;
    }
  }

  /** A pod's row when its phase, address, node, stuck cause or readiness changed (a gone pod's `null` row). */
  private podRow(t: number, key: string, read: (p: Pod) => PodInfo): void {
    const live = this.world.cluster.podMap.get(key);
    const before = this.podState.get(key);
    this.index(key, before, undefined);
    // gone, or bound to a node outside the sample: the pod leaves the record
    if (live === undefined || (live.nodeName !== undefined && !this.sampled(live.nodeName))) {
      if (before === undefined) return;
      this.podState.delete(key);
      this.record.changes.pods.push([t, this.podIndex.get(key)!, null, null, null, null, false]);
      this.detailChars += 40;
      return;
    }
    const p = read(live);
    this.index(key, undefined, p);
    // with nodes outside the sample, a pod waiting for a node shows once it is stuck or bound to a sampled node: most
    // would be bound elsewhere a moment later and leave again
    if (before === undefined && p.node === undefined && p.stuckCause === undefined && this.outside.size > 0) return;
    const ip = p.ip ?? null;
    const node = p.node ?? null;
    const cause = p.stuckCause ?? null;
    if (before !== undefined && before[2] === p.status && before[3] === ip && before[4] === node && before[5] === cause && before[6] === p.ready) return;
    const change: PodChange = [t, this.pod(p), p.status, ip, node, cause, p.ready];
    this.podState.set(key, change);
    this.record.changes.pods.push(change);
    this.detailChars += 32 + p.status.length + (ip?.length ?? 4) + (node?.length ?? 4) + (cause?.length ?? 4);
    // the describe text a reader would ask for: a stuck pod's, on a new status or cause; and once more when a pod that
    // was described while stuck starts running, so its pane does not keep a stale "why it is not Running"
    const statusOrCause = before === undefined || before[2] !== p.status || before[5] !== cause;
    if (statusOrCause && ((cause !== null && p.status !== 'Running') || (p.status === 'Running' && this.described.has(key)))) this.describe(p);
  }

  /** Keeps the indices of waiting pods: `before` leaves them, `now` joins them. */
  private index(key: string, before: PodChange | undefined, now: PodInfo | undefined): void {
    if (before !== undefined) {
      if (before[2] === 'Pending') this.pending.delete(key);
      if (before[2] === 'ContainerCreating' && before[4] !== null) this.creatingOn.get(before[4])?.delete(key);
    }
    if (now === undefined) return;
    if (now.status === 'Pending') this.pending.add(key);
    if (now.status === 'ContainerCreating' && now.node !== undefined) {
      let s = this.creatingOn.get(now.node);
      if (s === undefined) this.creatingOn.set(now.node, (s = new Set()));
      s.add(key);
    }
  }

  /** Describes again the stuck pods with new events whose last describe text is DESCRIBE_REFRESH_MS old. */
  private redescribe(t: number, read: (p: Pod) => PodInfo): void {
    for (const key of this.dirty.eventful) {
      const last = this.described.get(key);
      if (last === undefined || t - last < DESCRIBE_REFRESH_MS) continue;
      const p = this.world.cluster.podMap.get(key);
      if (p === undefined || p.status === 'Running' || !this.podState.has(key)) continue;
      this.describe(read(p));
    }
  }

  /** Records the pod's `--describe` text, its lines interned (a node's chain repeats for every pod waiting on it). */
  private describe(p: PodInfo): void {
    if (this.describeChars > this.describeBudget) {
      this.record.describesStopped ??= this.world.now;
      return;
    }
    // the text `run --describe pod/NAME` prints at this instant
    const lines = (describeText(describePod(this.world, p), this.world.now) ?? '').split('\n');
    const ids = lines.map((l) => {
      let id = this.lineIndex.get(l);
      if (id === undefined) {
        id = this.record.lines.length;
        this.record.lines.push(l);
        this.describeChars += l.length + 3;
        this.lineIndex.set(l, id);
      }
      return id;
    });
    this.record.describes.push([this.world.now, this.pod(p), ids]);
    // the row's JSON: its line numbers and commas, the time and pod index
    this.describeChars += ids.reduce((n, id) => n + String(id).length + 1, 16);
    this.described.set(`${p.namespace}/${p.name}`, this.world.now);
  }

  private pod(p: Pick<PodInfo, 'namespace' | 'name' | 'labels' | 'createdAt'>): number {
    const key = `${p.namespace}/${p.name}`;
    let i = this.podIndex.get(key);
    if (i === undefined) {
      i = this.record.pods.length;
      const rp: RecordPod = { name: p.name, namespace: p.namespace, labels: p.labels, createdAt: p.createdAt };
      this.record.pods.push(rp);
      this.detailChars += 60 + p.name.length + p.namespace.length;
      for (const [k, v] of Object.entries(p.labels)) this.detailChars += 6 + k.length + v.length;
      this.podIndex.set(key, i);
    }
    return i;
  }

  /** Whether the node's pods and slots are recorded: the first `nodeSample` nodes seen are. */
  private sampled(name: string): boolean {
    if (this.inside.has(name)) return true;
    if (this.outside.has(name)) return false;
    if (this.inside.size < this.nodeSample) {
      this.inside.add(name);
      return true;
    }
    this.outside.add(name);
    this.record.nodes[this.node(name)].sampled = false;
    return false;
  }

  private node(name: string): number {
    let i = this.nodeIndex.get(name);
    if (i === undefined) {
      i = this.record.nodes.length;
      this.nodeIndex.set(name, i);
      this.record.nodes.push({ name, instanceType: '', az: '', subnet: '', maxPods: 0, eniLimit: 0, ipv4PerEni: 0 });
    }
    return i;
  }

  /** A node's STATUS and ENI list, where changed (nodes `world.nodes()` lists: registered, or still launching). */
  private nodeRow(t: number, name: string): void {
    const w = this.world;
    const n = w.cluster.nodeMap.get(name);
    if (n === undefined || (!n.registered && n.terminating)) return;
    this.instanceNode.set(n.instanceId, name);
    const i = this.node(name);
    this.sampled(name);
    const rn: RecordNode = this.record.nodes[i];
    if (rn.instanceType === '') {
      const it = findInstanceType(n.instanceType);
      Object.assign(rn, { instanceType: n.instanceType, az: n.az, subnet: w.subnetName(n.subnetId), maxPods: n.maxPods, eniLimit: it?.enis ?? 0, ipv4PerEni: it?.ipv4PerEni ?? 0 });
    }
    const status = n.registered ? n.status : 'NotRegistered';
    if (this.nodeStatus.get(name) !== status) {
      this.nodeStatus.set(name, status);
      this.record.changes.nodes.push([t, i, status]);
    }
    const enis: EniState[] = nodeEnis(w, n).map((e) => [e.deviceIndex, e.eniId, e.subnet, e.primaryIp, e.secondaryIps, e.prefixes]);
    const key = JSON.stringify(enis);
    if (this.nodeEnis.get(name) !== key) {
      this.nodeEnis.set(name, key);
      this.record.changes.enis.push([t, i, enis]);
    }
  }

  /** A node's datastore addresses (assigned to a pod, or cooling), as changed since its last look (slots.ts). */
  private datastore(t: number, name: string): void {
    const view = this.world.cluster.agentMap.get(name)?.ipamd?.datastoreView?.();
    if (view === undefined || !this.sampled(name)) return;
    let slots = this.slots.get(name);
    if (slots === undefined) this.slots.set(name, (slots = new NodeSlots(this.node(name), (ns, n) => this.podKeyIndex(ns, n), this.podOfKey)));
    this.detailChars += slots.look(t, view, this.record.changes.slots);
  }

  /** Index of a pod the datastore names (it may not have been seen by the pod query yet). */
  private podKeyIndex(namespace: string, name: string): number {
    const i = this.podIndex.get(`${namespace}/${name}`);
    if (i !== undefined) return i;
    const p = this.world.cluster.podMap.get(`${namespace}/${name}`);
    return this.pod({ namespace, name, labels: { ...(p?.template.labels ?? {}) }, createdAt: p?.createdAt ?? this.world.now });
  }

  /** Free addresses per subnet where changed (a scan of a few numbers); new subnets and tags on `all`. */
  private subnets(t: number, all: boolean): void {
    const vpc = this.world.ec2.state.vpcs.get(this.world.vpcId);
    if (vpc === undefined) return;
    if (all || vpc.subnets.length !== this.subnetIndex.size) {
      for (const s of this.world.subnets()) {
        const i = this.subnetIndex.get(s.subnetId);
        if (i === undefined) {
          this.subnetIndex.set(s.subnetId, this.record.subnets.length);
          const rs: RecordSubnet = { id: s.id, subnetId: s.subnetId, cidr: s.cidr, az: s.az, tags: s.tags, usable: this.world.ec2.state.subnets.get(s.subnetId)!.allocator.usableCount, t };
          this.record.subnets.push(rs);
        } else if (JSON.stringify(this.record.subnets[i].tags) !== JSON.stringify(s.tags)) {
          // tags change by timeline actions only: keep the latest, the timeline says when
          this.record.subnets[i].tags = s.tags;
        }
      }
    }
    for (const s of vpc.subnets) {
      if (this.subnetFree.get(s.id) === s.availableIpAddressCount) continue;
      this.subnetFree.set(s.id, s.availableIpAddressCount);
      this.record.changes.subnets.push([t, this.subnetIndex.get(s.id)!, s.availableIpAddressCount]);
    }
  }

  private vpcBlocks(t: number): void {
    const vpc = this.world.ec2.state.vpcs.get(this.world.vpcId);
    if (vpc === undefined) return;
    for (let i = this.record.vpcBlocks.length; i < vpc.cidrBlocks.length; i++) this.record.vpcBlocks.push({ cidr: formatCidr(vpc.cidrBlocks[i]), t });
  }

  /** Cumulative EC2 calls, throttled attempts and errors, when a counter moved. */
  private ec2(t: number): void {
    const m = this.world.ec2.metrics;
    if (m.changes === this.ec2Changes) return;
    this.ec2Changes = m.changes;
    const c = m.total;
    const calls = countOf(c.calls);
    const throttled = countOf(c.throttledAttempts);
    const errors = Object.values(errorsByCode(c.errors)).reduce((a, b) => a + b, 0);
    const key = `${calls}|${throttled}|${errors}`;
    if (key === this.ec2Key) return;
    this.ec2Key = key;
    this.record.changes.ec2.push([t, calls, throttled, errors]);
  }
}

function sorted(names: ReadonlySet<string>): Iterable<string> {
  return names.size < 2 ? names : [...names].sort();
}
