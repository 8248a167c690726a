/**
 * Gathering the run record (types.ts) while a scenario runs: at the end of every instant — when the next event lies
 * later, and after each timeline action — what changed since the last instant is appended with its time. Everything is
 * read through the World's queries (pods with their stuck cause, nodes with their ENIs, subnets, EC2 counters,
 * decisions) and the node ipamd's read-only datastore view; nothing is worked out by rules of its own, so the state
 * the record folds to at t (fold.ts) is what `run --until t` reports. Cheap checks decide when a full query is due, so
 * a quiet instant costs a scan of raw fields, not a report.
 * Browser-safe (no `node:` import). Not here: drawing the record (src/report/html).
 */
import { findInstanceType } from '../../model/ec2/instance-types.ts';
import { formatCidr } from '../../model/vpc/ipv4.ts';
import type { World } from '../../model/world.ts';
import type { PodInfo } from '../../model/world/views.ts';
import type { ExpectationResult } from '../../scenario/expectations.ts';
import type { Scenario } from '../../scenario/types.ts';
import { collectDescribe } from '../describe.ts';
import { describeText } from '../describe-text.ts';
import type { ActionRecord } from '../types.ts';
import { DESCRIBE_REFRESH_MS, RECORD_FORMAT, type EniState, type PodChange, type RecordNode, type RecordPod, type RecordSubnet, type RunRecord } from './types.ts';

/** What the recorder is told by the World as the run goes. */
interface Signals {
  /** The instant is complete (no more events at this time), or a timeline action just changed the world. */
  instantEnded(): void;
  /** An ENI changed on EC2 (attach, detach, addresses). */
  eniChanged(): void;
  /** A Kubernetes event was recorded on this pod (`namespace/name`). */
  podEvent(key: string): void;
}

/**
 * The one place that listens to the World (three sources, subscribed here and nowhere else): every other line reads queries. It hears the end of each event
 * (`onEvent`, the instant is over when the next event lies later), each timeline action on the World's stream (an
 * action changes the world outside any event), and EC2's ENI changes.
 */
function observe(world: World, s: Signals): () => void {
  const offEvent = world.onEvent((w) => {
    if (w.sim.peek() !== w.now) s.instantEnded();
  });
  const offActions = world.happenings.subscribe(() => s.instantEnded(), ['action']);
  const offEvents = world.happenings.subscribe(
    (h) => {
      if (h.type === 'k8s-event' && h.object.kind === 'Pod') s.podEvent(`${h.object.namespace ?? 'default'}/${h.object.name}`);
    },
    ['k8s-event'],
  );
  world.ec2.state.onEniChange(() => s.eniChanged());
  return () => {
    offEvent();
    offActions();
    offEvents();
  };
}

/** Raw fields of a pod that any change of its reported state moves (or that a stuck cause reads). */
function rawKey(p: { status: string; ip?: string; nodeName?: string; lastCniError?: string; events: { events: unknown[] } }): string {
  return `${p.status}|${p.ip ?? ''}|${p.nodeName ?? ''}|${p.lastCniError ?? ''}|${p.events.events.length}`;
}

/**
 * Characters of describe JSON a record keeps (distinct lines and the rows that list them, about 2 MB): past it no
 * further describe text is taken and the record says from when (`describesStopped`), so a 1,500-pod run stays a page
 * a browser opens at once.
 */
export const DESCRIBE_BUDGET = 2_000_000;

export class RunRecorder {
  private readonly record: RunRecord;
  private readonly podIndex = new Map<string, number>();
  private readonly nodeIndex = new Map<string, number>();
  private readonly subnetIndex = new Map<string, number>();
  private readonly rawPods = new Map<string, string>();
  /** Pods not Running at their last look: the only ones that change between happenings. */
  private readonly waiting = new Set<string>();
  private readonly podState = new Map<string, PodChange>();
  private readonly nodeStatus = new Map<string, string>();
  private readonly nodeEnis = new Map<string, string>();
  private readonly slots = new Map<string, Map<string, string>>();
  private readonly dsChanges = new Map<string, number>();
  private readonly lineIndex = new Map<string, number>();
  /** Pods with a new event since the last instant, and when each pod was last described. */
  private readonly eventful = new Set<string>();
  private readonly described = new Map<string, number>();
  private describeChars = 0;
  private readonly subnetFree = new Map<string, number>();
  private ec2Key = '';
  private decisionsSeen = 0;
  private happeningsSeen = 0;
  private enisDirty = true;
  private readonly unsubscribe: () => void;

  constructor(private readonly world: World, scenario: Scenario) {
    this.record = {
      format: RECORD_FORMAT,
      scenario: { name: scenario.name, file: scenario.file, description: scenario.description },
      seed: scenario.seed,
      duration: scenario.duration,
      end: 0,
      ipv6: scenario.cluster.ipFamily === 'ipv6',
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
    this.unsubscribe = observe(world, {
      instantEnded: () => this.flush(false),
      eniChanged: () => (this.enisDirty = true),
      podEvent: (key) => this.eventful.add(key),
    });
    this.flush(true);
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

  private flush(full: boolean): void {
    const w = this.world;
    const t = w.now;
    this.vpcBlocks(t);
    this.subnets(t);
    this.ec2(t);
    const decisions = w.decisionLog;
    const happenings = w.timeline;
    const newDecisions = decisions.length !== this.decisionsSeen;
    const newHappenings = happenings.length !== this.happeningsSeen;
    for (let i = this.decisionsSeen; i < decisions.length; i++) {
      const d = decisions[i];
      const n = this.node(d.node);
      this.record.decisions.push([d.t, n, d.kind, d.message]);
      if (d.kind === 'init' && typeof d.data?.maxEni === 'number') this.record.nodes[n].maxEni = d.data.maxEni;
      if (d.kind === 'init' && typeof d.data?.mode === 'string') this.record.nodes[n].mode = d.data.mode;
    }
    this.decisionsSeen = decisions.length;
    for (let i = this.happeningsSeen; i < happenings.length; i++) {
      const h = happenings[i];
      this.record.happenings.push([h.t, h.kind, h.message]);
    }
    this.happeningsSeen = happenings.length;
    const datastores = this.datastores(t);
    // a Running pod changes only with a happening (deletion, node loss, aws-node readiness): otherwise scan the others
    const podsMoved = this.rawPodsChanged(full || newHappenings);
    if (full || podsMoved || newDecisions || newHappenings || datastores || this.enisDirty) this.pods(t);
    if (full || newHappenings || this.enisDirty) this.nodes(t);
    this.enisDirty = false;
    if (this.eventful.size > 0) this.redescribe(t);
  }

  /** Describes again the waiting pods with new events whose last describe text is DESCRIBE_REFRESH_MS old. */
  private redescribe(t: number): void {
    const due = [...this.eventful].filter((key) => {
      const p = this.world.cluster.podMap.get(key);
      return p !== undefined && p.status !== 'Running' && t - (this.described.get(key) ?? -Infinity) >= DESCRIBE_REFRESH_MS;
    });
    this.eventful.clear();
    if (due.length === 0) return;
    const live = this.world.pods();
    const wanted = new Set(due);
    for (const p of live) if (wanted.has(`${p.namespace}/${p.name}`)) this.describe(p);
  }

  /** Whether any pod's raw fields moved: every pod when `all`, else those not Running at their last look. */
  private rawPodsChanged(all: boolean): boolean {
    const map = this.world.cluster.podMap;
    let changed = map.size !== this.rawPods.size;
    if (all || changed) {
      this.waiting.clear();
      for (const [key, p] of map) {
        if (p.status !== 'Running') this.waiting.add(key);
        const k = rawKey(p);
        if (this.rawPods.get(key) !== k) {
          this.rawPods.set(key, k);
          changed = true;
        }
      }
      if (map.size !== this.rawPods.size) for (const key of [...this.rawPods.keys()]) if (!map.has(key)) this.rawPods.delete(key);
      return changed;
    }
    for (const key of this.waiting) {
      const p = map.get(key)!;
      const k = rawKey(p);
      if (this.rawPods.get(key) === k) continue;
      this.rawPods.set(key, k);
      if (p.status === 'Running') this.waiting.delete(key);
      changed = true;
    }
    return changed;
  }

  private pods(t: number): void {
    const live = this.world.pods();
    for (const p of live) {
      const key = `${p.namespace}/${p.name}`;
      const ip = p.ip ?? null;
      const node = p.node ?? null;
      const cause = p.stuckCause ?? null;
      const before = this.podState.get(key);
      if (before !== undefined && before[2] === p.status && before[3] === ip && before[4] === node && before[5] === cause && before[6] === p.ready) continue;
      const change: PodChange = [t, this.pod(p), p.status, ip, node, cause, p.ready];
      this.podState.set(key, change);
      this.record.changes.pods.push(change);
      // the describe text a reader would ask for: a waiting pod's, on a new status or cause; and once more when a pod
      // that was described while waiting starts running, so its pane does not keep a stale "why it is not Running"
      const statusOrCause = before === undefined || before[2] !== p.status || before[5] !== cause;
      if (statusOrCause && (p.status !== 'Running' || this.described.has(key))) this.describe(p);
    }
    if (this.podState.size === live.length) return;
    const seen = new Set(live.map((p) => `${p.namespace}/${p.name}`));
    for (const key of [...this.podState.keys()]) {
      if (seen.has(key)) continue;
      this.podState.delete(key);
      this.record.changes.pods.push([t, this.podIndex.get(key)!, null, null, null, null, false]);
    }
  }

  /** Records the pod's `--describe` text, its lines interned (a node's chain repeats for every pod waiting on it). */
  private describe(p: PodInfo): void {
    if (this.describeChars > DESCRIBE_BUDGET) {
      this.record.describesStopped ??= this.world.now;
      return;
    }
    // the text `run --describe pod/NAME` prints at this instant (the name is exact, so it resolves to this pod)
    const view = collectDescribe(this.world, 'pod', p.name).find((v) => v.kind === 'describe-pod' && v.pod.namespace === p.namespace);
    if (view === undefined) return;
    const lines = (describeText(view, this.world.now) ?? '').split('\n');
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

  private pod(p: PodInfo): number {
    const key = `${p.namespace}/${p.name}`;
    let i = this.podIndex.get(key);
    if (i === undefined) {
      i = this.record.pods.length;
      const rp: RecordPod = { name: p.name, namespace: p.namespace, labels: p.labels, createdAt: p.createdAt };
      this.record.pods.push(rp);
      this.podIndex.set(key, i);
    }
    return i;
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

  private nodes(t: number): void {
    for (const n of this.world.nodes()) {
      const i = this.node(n.name);
      const rn: RecordNode = this.record.nodes[i];
      if (rn.instanceType === '') {
        const it = findInstanceType(n.instanceType);
        Object.assign(rn, { instanceType: n.instanceType, az: n.az, subnet: n.subnet, maxPods: n.maxPods, eniLimit: it?.enis ?? 0, ipv4PerEni: it?.ipv4PerEni ?? 0 });
      }
      if (this.nodeStatus.get(n.name) !== n.status) {
        this.nodeStatus.set(n.name, n.status);
        this.record.changes.nodes.push([t, i, n.status]);
      }
      const enis: EniState[] = [...n.enis].sort((a, b) => a.deviceIndex - b.deviceIndex).map((e) => [e.deviceIndex, e.eniId, e.subnet, e.primaryIp, e.secondaryIps, e.prefixes]);
      const key = JSON.stringify(enis);
      if (this.nodeEnis.get(n.name) !== key) {
        this.nodeEnis.set(n.name, key);
        this.record.changes.enis.push([t, i, enis]);
      }
    }
  }

  /** Datastore addresses (assigned to a pod, or cooling) per node, where the datastore changed; true if any did. */
  private datastores(t: number): boolean {
    let any = false;
    for (const [name, agent] of this.world.cluster.agentMap) {
      const view = agent.ipamd?.datastoreView?.();
      if (view === undefined) continue;
      const changes = (view as { changes?: number }).changes ?? -1;
      if (changes !== -1 && this.dsChanges.get(name) === changes) continue;
      this.dsChanges.set(name, changes);
      any = true;
      const now = new Map<string, string>();
      for (const eni of view.enis.values()) {
        for (const c of eni.cidrs.values()) {
          for (const a of c.addresses.values()) {
            if (a.pod !== undefined && a.key !== undefined) now.set(a.address, `p${this.podKeyIndex(a.pod.namespace, a.pod.name)}`);
            else if (a.unassignedAt !== undefined && view.cooldownMs > 0 && t - a.unassignedAt <= view.cooldownMs) now.set(a.address, `c${a.unassignedAt + view.cooldownMs}`);
          }
        }
      }
      const node = this.node(name);
      const before = this.slots.get(name) ?? new Map<string, string>();
      for (const [addr, v] of now) {
        if (before.get(addr) === v) continue;
        this.record.changes.slots.push(v[0] === 'p' ? [t, node, addr, Number(v.slice(1)), 0] : [t, node, addr, -1, Number(v.slice(1))]);
      }
      for (const addr of before.keys()) if (!now.has(addr)) this.record.changes.slots.push([t, node, addr, null, 0]);
      this.slots.set(name, now);
    }
    return any;
  }

  /** Index of a pod the datastore names (it may not have been seen by the pod query yet). */
  private podKeyIndex(namespace: string, name: string): number {
    const i = this.podIndex.get(`${namespace}/${name}`);
    if (i !== undefined) return i;
    const p = this.world.cluster.podMap.get(`${namespace}/${name}`);
    return this.pod({ namespace, name, labels: { ...(p?.template.labels ?? {}) }, createdAt: p?.createdAt ?? this.world.now } as PodInfo);
  }

  private subnets(t: number): void {
    const list = this.world.subnets();
    for (const s of list) {
      let i = this.subnetIndex.get(s.subnetId);
      if (i === undefined) {
        i = this.record.subnets.length;
        this.subnetIndex.set(s.subnetId, i);
        const rs: RecordSubnet = { id: s.id, subnetId: s.subnetId, cidr: s.cidr, az: s.az, tags: s.tags, usable: usableOf(s.cidr), t };
        this.record.subnets.push(rs);
      } else if (JSON.stringify(this.record.subnets[i].tags) !== JSON.stringify(s.tags)) {
        // tags change by timeline actions only: keep the latest, the timeline says when
        this.record.subnets[i].tags = s.tags;
      }
      if (this.subnetFree.get(s.subnetId) !== s.availableIpAddressCount) {
        this.subnetFree.set(s.subnetId, s.availableIpAddressCount);
        this.record.changes.subnets.push([t, i, s.availableIpAddressCount]);
      }
    }
  }

  private vpcBlocks(t: number): void {
    const vpc = this.world.ec2.state.vpcs.get(this.world.vpcId);
    if (vpc === undefined) return;
    for (let i = this.record.vpcBlocks.length; i < vpc.cidrBlocks.length; i++) this.record.vpcBlocks.push({ cidr: formatCidr(vpc.cidrBlocks[i]), t });
  }

  private ec2(t: number): void {
    const c = this.world.ec2Counters().total;
    let calls = 0;
    let throttled = 0;
    let errors = 0;
    for (const k of Object.values(c.calls)) calls += k ?? 0;
    for (const k of Object.values(c.throttledAttempts)) throttled += k ?? 0;
    for (const codes of Object.values(c.errors)) for (const k of Object.values(codes ?? {})) errors += k ?? 0;
    const key = `${calls}|${throttled}|${errors}`;
    if (key === this.ec2Key) return;
    this.ec2Key = key;
    this.record.changes.ec2.push([t, calls, throttled, errors]);
  }
}

/** IPv4 addresses of a CIDR less AWS's five reserved ones (IPv6-only subnets count none). */
function usableOf(cidr: string): number {
  const m = /\/(\d+)$/.exec(cidr);
  if (m === null || cidr.includes(':')) return 0;
  return 2 ** (32 - Number(m[1])) - 5;
}
