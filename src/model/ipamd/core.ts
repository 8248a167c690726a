/**
 * The daemon's internal state shared by its processes (node-init.ts, pool-loop.ts, eni-create.ts, eni-free.ts,
 * reconcile.ts, leaked-eni.ts): config, limits, the datastore, timers' timestamps (§12 "State per node"), random
 * streams, the EC2 wrapper and the decision log. Internal to src/model/ipamd; the public face is ipamd.ts.
 */
import type { Random, Simulation } from '../../sim/index.ts';
import type { InstanceType } from '../ec2/instance-types.ts';
import type { Ec2Error, ImdsEni, Tags } from '../ec2/types.ts';
import type { CniEra } from './cni-version.ts';
import type { IpamdConfig } from './config.ts';
import { Datastore } from './datastore.ts';
import { Ec2Client, EVENT_MISSING_IAM_PERMISSIONS, missingIamPermissionsMessage } from './ec2-client.ts';
import { Metrics } from './metrics.ts';
import type { EniSummary, PoolPolicy, PoolState } from './pool-policy.ts';
import type { DecisionKind, DecisionRecord, DroppedAllocation, IpamdDeps, IpamdPassMarkers, StaleAddress } from './types.ts';

/** ipamd.go / data_store.go constants (§2.2, §12). */
export const T = {
  poolHalfPassMs: 2_500,
  reconcileIntervalMs: 60_000,
  decreaseIntervalMs: 30_000,
  reconcileCooldownMs: 60_000,
  insufficientCooldownMs: 120_000,
  eniAttachTimeMs: 10_000,
  maxRetryCheckEni: 5,
  minEniLifetimeMs: 60_000,
  excludedCidrDropMs: 5_000,
  detachToDeleteMs: 2_000,
} as const;

export const TAG_INSTANCE_ID = 'node.k8s.amazonaws.com/instance_id';
export const TAG_CREATED_AT = 'node.k8s.amazonaws.com/createdAt';
export const TAG_NO_MANAGE = 'node.k8s.amazonaws.com/no_manage';
export const TAG_CLUSTER = 'cluster.k8s.amazonaws.com/name';
export const TAG_OWNER = 'eks:eni:owner';
export const ENI_DESCRIPTION_PREFIX = 'aws-K8S-';
export const INSUFFICIENT = new Set(['InsufficientFreeAddressesInSubnet', 'InsufficientCidrBlocks']);

/** How many decisions a daemon keeps for `decisions()`; the checkers keep the same window from the stream. */
export const DECISION_RING = 200;

/** The `enis` of a PoolState built without summaries (never filled). */
const NO_SUMMARIES: EniSummary[] = Object.freeze([]) as unknown as EniSummary[];

/**
 * The daemon's named random streams, each made when first drawn from: a stream is a function of the seed and its
 * name alone, so when it is made changes no draw, and a thousand resumed daemons that draw nothing cost nothing.
 */
class DaemonStreams {
  private a: Random | undefined;
  private o: Random | undefined;
  private b: Random | undefined;
  private l: Random | undefined;

  constructor(
    private readonly sim: Simulation,
    private readonly node: string,
  ) {}

  /** Which ENI/CIDR a pod gets. */
  get assign(): Random {
    return (this.a ??= this.sim.random(`ipamd/${this.node}/assign`));
  }

  /** Go map iteration order. */
  get order(): Random {
    return (this.o ??= this.sim.random(`ipamd/${this.node}/map-order`));
  }

  /** Retry jitter. */
  get backoff(): Random {
    return (this.b ??= this.sim.random(`ipamd/${this.node}/backoff`));
  }

  /** The leaked-ENI sweep's delay. */
  get leaked(): Random {
    return (this.l ??= this.sim.random(`ipamd/${this.node}/leaked-eni`));
  }
}

export class Core {
  readonly ds: Datastore;
  readonly metrics = new Metrics();
  /** The series every CNI ADD and DEL bumps, looked up once, at first use (a series exists once bumped). */
  readonly cniCounters: { add?: { value: number }; noAddress?: { value: number }; del?: { value: number } } = {};
  readonly ec2: Ec2Client;
  readonly rng: DaemonStreams;
  /** The last DECISION_RING records; once full, `ringStart` is the oldest (overwritten in place: no shift per record). */
  private readonly ring: DecisionRecord[] = [];
  private ringStart = 0;
  /**
   * The newest record of each kind, kept outside the ring: a long freeze fills the ring with one assign-failed record
   * per pod retry, and the decision that explains it (recorded once per freeze, §2.9) must not drop out.
   */
  private readonly latest = new Map<DecisionKind, { seq: number; r: DecisionRecord }>();
  private seq = 0;

  /** Limits (§ glossary); set by nodeInit. */
  maxEni = 0;
  maxIpsPerEni = 0;
  maxPrefixesPerEni = 0;
  maxPods = 110;
  /** Unmanaged ENIs on card 0 (counted against maxENI, §3.5). */
  readonly unmanaged = new Set<string>();
  /** Primary IPv4 of each known ENI. */
  readonly primaryIps = new Map<string, string>();
  primarySgs: string[] = [];
  /** Recently released CIDRs → expiry (the 60 s reconcile re-add cooldown, §2.6, §8.6). */
  readonly reconcileCooldown = new Map<string, number>();
  /** What the last reconcile that found nothing to fix compared: IMDS's `settled` number and the datastore shape. */
  lastQuietReconcile: { imds: number; ds: number } | undefined;
  /** `ds.changes` after a pool pass that found nothing to do and will find the same until it changes (pool-loop.ts). */
  idleAtChanges: number | undefined;

  lastPoolAction = -Infinity;
  lastDecrease = -Infinity;
  lastInsufficient = -Infinity;
  terminating = false;
  /** Last "did not grow" reason recorded, to record each stall once. */
  lastNoGrow = '';
  /** Pool and reconcile pass counters (types.ts IpamdPassMarkers); counters only, never traced. */
  readonly passes: IpamdPassMarkers = { poolPasses: 0, poolPassStartedAt: -1, reconcilePasses: 0, reconcileCompleted: 0 };
  /** EC2 calls of this daemon that failed so far (a reconcile pass with one meanwhile is not complete). */
  ec2Failures = 0;
  /** Checkpoint entries nodeInit dropped because their address was in no known CIDR (§3.7 "presuming stale/dead"). */
  readonly droppedAtRestore: DroppedAllocation[] = [];
  /** Addresses (or prefixes) nodeInit set up from IMDS that EC2 no longer listed on the ENI (node-init.ts noteStaleImds). */
  readonly staleAtStart: StaleAddress[] = [];

  constructor(
    readonly sim: Simulation,
    readonly deps: IpamdDeps,
    readonly cfg: IpamdConfig,
    readonly era: CniEra,
    readonly it: InstanceType | undefined,
    readonly policy: PoolPolicy,
  ) {
    this.rng = new DaemonStreams(sim, deps.node.name);
    this.ds = new Datastore('sip', cfg.ipCooldownMs);
    this.ec2 = new Ec2Client(this.metrics, (api, e) => this.onEc2Error(api, e));
  }

  get now(): number {
    return this.sim.now;
  }

  get node(): string {
    return this.deps.node.name;
  }

  get principal(): string {
    return this.deps.principal;
  }

  decide(kind: DecisionKind, message: string, data?: Record<string, unknown>): void {
    const r: DecisionRecord = data === undefined ? { t: this.sim.now, node: this.node, kind, message } : { t: this.sim.now, node: this.node, kind, message, data };
    if (this.ring.length < DECISION_RING) this.ring.push(r);
    else {
      this.ring[this.ringStart] = r;
      this.ringStart = (this.ringStart + 1) % DECISION_RING;
    }
    this.latest.set(kind, { seq: this.seq++, r });
    this.deps.onDecision?.(r);
  }

  decisions(): DecisionRecord[] {
    return [...this.ring.slice(this.ringStart), ...this.ring.slice(0, this.ringStart)];
  }

  /** The newest record of each kind (the same objects as in the ring while they are there), oldest first. */
  latestDecisions(): DecisionRecord[] {
    return [...this.latest.values()].sort((a, b) => a.seq - b.seq).map((x) => x.r);
  }

  private onEc2Error(api: string, e: Ec2Error): void {
    this.ec2Failures++;
    // §8.5: UnauthorizedOperation → Warning event MissingIAMPermissions on the aws-node pod
    const denied = e.code === 'UnauthorizedOperation';
    this.decide('ec2-error', `${api} failed: ${e.code}: ${e.message}`, { api, code: e.code, ...(denied ? { event: EVENT_MISSING_IAM_PERMISSIONS } : {}) });
    if (denied) this.deps.recordEvent?.('Warning', EVENT_MISSING_IAM_PERMISSIONS, missingIamPermissionsMessage(api));
  }

  /** Records a growth stall once per distinct reason. */
  noGrow(reason: string, message: string, data: Record<string, unknown> = {}): void {
    if (this.lastNoGrow === reason) return;
    this.lastNoGrow = reason;
    this.decide('pool-no-grow', message, { reason, ...data });
  }

  /** The IMDS view of card 0 (other cards are unmanaged without ENABLE_MULTI_NIC, §3.5). */
  imdsCard0(): ImdsEni[] {
    return this.deps.imds().filter((e) => e.networkCardIndex === 0);
  }

  get mode(): 'sip' | 'pd' | 'ipv6' {
    return this.ds.mode;
  }

  /** CIDR slots per ENI in the current mode. */
  get slotsPerEni(): number {
    return this.ds.mode === 'pd' ? this.maxPrefixesPerEni : this.maxIpsPerEni;
  }

  /**
   * The plain state the pool policy decides on; with `summaries` false its `enis` is an empty list, for a caller
   * whose decisions never read the per-ENI summaries (pool-loop.ts passReadsEnis).
   */
  poolState(summaries = true): PoolState {
    const now = this.sim.now;
    const st = this.ds.stats(now);
    return {
      mode: this.ds.mode === 'pd' ? 'pd' : 'sip',
      warmEniTarget: this.cfg.warmEniTarget,
      warmIpTarget: this.cfg.warmIpTarget,
      minimumIpTarget: this.cfg.minimumIpTarget,
      warmPrefixTarget: this.cfg.warmPrefixTarget,
      maxIpsPerEni: this.maxIpsPerEni,
      maxPrefixesPerEni: this.maxPrefixesPerEni,
      maxPods: this.maxPods,
      totalIps: st.totalIps,
      assignedIps: st.assignedIps,
      cooldownIps: st.cooldownIps,
      totalPrefixes: st.totalPrefixes,
      freePrefixes: this.ds.freePrefixes(),
      enis: summaries ? this.ds.summaries(now) : NO_SUMMARIES,
      includeCooldownInPoolSize: this.cfg.includeCooldownInPoolSize,
    };
  }

  /** Cordoned and not allowed to manage ENIs there (§1 AWS_MANAGE_ENIS_NON_SCHEDULABLE). */
  blockedByCordon(): boolean {
    return !this.cfg.manageEnisNonSchedulable && this.deps.node.isCordoned();
  }

  /** §2.5 hasRoomForEni: datastore ENIs < maxENI − unmanaged − trunk reservation. */
  hasRoomForEni(): boolean {
    return this.ds.enis.size < this.maxEni - this.unmanaged.size - this.trunkReservation();
  }

  trunkReservation(): number {
    if (!this.cfg.enablePodEni) return 0;
    const compatible = this.it === undefined || this.it.hypervisor === 'nitro' || this.it.bareMetal;
    const hasTrunk = [...this.ds.enis.values()].some((e) => e.trunk);
    return compatible && !hasTrunk ? 1 : 0;
  }

  /** The tags ipamd puts on ENIs it manages (§10 "ENI tags"; createdAt only at creation). */
  eniTags(withCreatedAt: string | undefined): Tags {
    const t: Tags = { ...this.cfg.additionalEniTags, [TAG_INSTANCE_ID]: this.deps.instance.instanceId };
    if (withCreatedAt !== undefined) t[TAG_CREATED_AT] = withCreatedAt;
    if (this.cfg.clusterName !== '') {
      t[TAG_CLUSTER] = this.cfg.clusterName;
      t[TAG_OWNER] = 'amazon-vpc-cni';
    }
    return t;
  }

  /** Shuffled copy: the real daemon iterates Go maps here (random order, §3.2, §2.6, §2.7). */
  mapOrder<X>(xs: readonly X[]): X[] {
    return this.rng.order.shuffle(xs.slice());
  }

  /** Keeps the gauges current (§10 metrics). */
  refreshGauges(): void {
    const st = this.ds.stats(this.sim.now);
    this.metrics.set('awscni_eni_allocated', this.ds.enis.size);
    this.metrics.set('awscni_eni_max', this.maxEni - this.unmanaged.size);
    this.metrics.set('awscni_ip_max', this.maxIpsPerEni * (this.maxEni - this.unmanaged.size));
    this.metrics.set('awscni_total_ip_addresses', st.totalIps);
    this.metrics.set('awscni_assigned_ip_addresses', st.assignedIps);
    this.metrics.set('awscni_total_ipv4_prefixes', this.ds.ipv4Prefixes());
  }
}
