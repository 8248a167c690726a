/**
 * `Ec2`: the simulated EC2 API (implements `Ec2Api` from types.ts) plus the admin calls scenarios use
 * (AssociateVpcCidrBlock, CreateSubnet, CreateSubnetCidrReservation, RunInstances, TerminateInstances,
 * DescribeSecurityGroups). Every call runs as a small process:
 *   1. take tokens from the account-wide buckets (user-scenarios §C.1) — empty → RequestLimitExceeded after
 *      `throttledLatency`;
 *   2. otherwise wait the action's latency, then answer: IAM denial (UnauthorizedOperation), else an injected fault,
 *      else the state change (state.ts) — the state changes exactly when the response is produced;
 *   3. the SDK standard retryer (spec §8.4) retries retryable codes with exponential jittered backoff, inside the
 *      call: the caller sees only the final result, after the total time; every attempt is counted (metrics.ts).
 * Random streams: 'ec2/latency/<Action>', 'ec2/faults/<Action>' (faults.ts), 'ec2/retry', 'ec2/lifecycle', plus
 * 'ec2/addresses/<subnet>' (state.ts) and 'ec2/imds' (imds.ts).
 * Not here: the rules of each call (state.ts), the IMDS lag (imds.ts), the knobs and their sources (options.ts), the
 * injected faults in force (faults.ts).
 */
import type { Random, SimEvent, Simulation } from '../../sim/index.ts';
import { silentSink, type Sink } from '../../util/stream.ts';
import { errors } from './errors.ts';
import { Faults } from './faults.ts';
import type { Ec2Happening } from './happenings.ts';
import { Imds } from './imds.ts';
import { drawLatency } from './latency.ts';
import { Ec2Metrics } from './metrics.ts';
import { type BucketName, type Ec2Options, type Ec2OptionsInput, ec2OptionsErrors, resolveEc2Options, unknownEc2OptionKeys } from './options.ts';
import { type CreateSubnetCidrReservationParams, type CreateSubnetParams, type RunInstancesParams, Ec2State } from './state.ts';
import { TokenBuckets, bucketsFor } from './token-buckets.ts';
import type {
  AssignPrivateIpParams,
  AssignPrivateIpResult,
  CreateNetworkInterfaceParams,
  DescribeNetworkInterfacesParams,
  Ec2Action,
  Ec2Api,
  Ec2Result,
  EniId,
  InstanceId,
  InstanceView,
  InterfaceType,
  NetworkInterfaceView,
  Principal,
  SubnetId,
  SubnetView,
  Tags,
  UnassignPrivateIpParams,
  VpcId,
} from './types.ts';

export interface SecurityGroupView {
  groupId: string;
  groupName: string;
  vpcId: VpcId;
}

export class Ec2 implements Ec2Api {
  /** The options as the scenario gave them, resolved; read once here. The fault knobs in force are `faults`. */
  readonly options: Ec2Options;
  /** Injected errors, IAM denials, IMDS lags and bucket sizes in force; `faults.heal()` removes them. */
  readonly faults: Faults;
  /** The EC2 state; scenario setup at t=0 may call it directly (synchronous, no latency/IAM/throttling). */
  readonly state: Ec2State;
  /** What each instance's metadata service shows (lagging EC2). */
  readonly imds: Imds;
  readonly metrics = new Ec2Metrics();
  /** Where calls and instance changes are told as they happen (the World's stream); none by default. */
  happenings: Sink<Ec2Happening> = silentSink();
  private readonly buckets: TokenBuckets;
  private readonly retryRng: Random;
  private readonly lifecycleRng: Random;
  private callSeq = 0;
  private readonly latencyRngs = new Map<Ec2Action, Random>();

  /** Throws a plain Error listing bad option values (the scenario loader wraps it). */
  constructor(
    private readonly sim: Simulation,
    options: Ec2OptionsInput = {},
  ) {
    this.options = resolveEc2Options(options);
    const bad = [...unknownEc2OptionKeys(options), ...ec2OptionsErrors(this.options)];
    if (bad.length > 0) throw new Error(`invalid EC2 options: ${bad.join('; ')}`);
    this.state = new Ec2State(sim, {
      vpcCidrBlockLimit: this.options.vpcCidrBlockLimit,
      unattachedEniIpv4Limit: this.options.unattachedEniIpv4Limit,
    });
    this.faults = new Faults(sim, this.options);
    this.imds = new Imds(sim, this.faults.imdsLags, this.state);
    this.buckets = new TokenBuckets(this.faults.buckets, this.options.throttling.enabled);
    this.retryRng = sim.random('ec2/retry');
    this.lifecycleRng = sim.random('ec2/lifecycle');
  }

  /** Token levels of every bucket now (never negative, never above capacity). */
  bucketLevels(): Record<BucketName, number> {
    return this.buckets.levels(this.sim.now);
  }

  // ---- Ec2Api ----------------------------------------------------------------------------------------------------

  describeSubnets(p: Principal, filter: { vpcId?: VpcId; availabilityZone?: string; subnetIds?: SubnetId[] }): SimEvent<Ec2Result<SubnetView[]>> {
    return this.request(p, 'DescribeSubnets', bucketsFor('DescribeSubnets', false), () => map(this.state.describeSubnets(filter), (l) => l.map((s) => s.view())));
  }

  describeNetworkInterfaces(p: Principal, params: DescribeNetworkInterfacesParams): SimEvent<Ec2Result<NetworkInterfaceView[]>> {
    const unfiltered =
      (params.networkInterfaceIds === undefined || params.networkInterfaceIds.length === 0) &&
      params.vpcId === undefined &&
      params.status === undefined &&
      params.tagKeys === undefined &&
      params.tags === undefined &&
      params.attachedInstanceId === undefined;
    return this.request(p, 'DescribeNetworkInterfaces', bucketsFor('DescribeNetworkInterfaces', unfiltered), () =>
      map(this.state.describeNetworkInterfaces(params), (l) => l.map((e) => e.view())),
    );
  }

  describeInstances(p: Principal, instanceIds: InstanceId[]): SimEvent<Ec2Result<InstanceView[]>> {
    return this.request(p, 'DescribeInstances', bucketsFor('DescribeInstances', instanceIds.length === 0), () =>
      map(this.state.describeInstances(instanceIds), (l) => l.map((i) => i.view())),
    );
  }

  createNetworkInterface(p: Principal, params: CreateNetworkInterfaceParams & { interfaceType?: InterfaceType }): SimEvent<Ec2Result<NetworkInterfaceView>> {
    return this.request(p, 'CreateNetworkInterface', bucketsFor('CreateNetworkInterface', false), () =>
      map(this.state.createNetworkInterface(params), (e) => e.view()),
    );
  }

  attachNetworkInterface(p: Principal, params: { eniId: EniId; instanceId: InstanceId; deviceIndex: number; networkCardIndex?: number }): SimEvent<Ec2Result<{ attachmentId: string }>> {
    return this.request(p, 'AttachNetworkInterface', bucketsFor('AttachNetworkInterface', false), () => this.state.attachNetworkInterface(params));
  }

  /** The ENI goes 'detaching' at the response and 'available' `detachCompletion` later. */
  detachNetworkInterface(p: Principal, params: { attachmentId: string; force?: boolean }): SimEvent<Ec2Result<void>> {
    return this.request<void>(p, 'DetachNetworkInterface', bucketsFor('DetachNetworkInterface', false), () => {
      const r = this.state.detachNetworkInterface(params);
      if (!r.ok) return r;
      const eniId = r.value.id;
      this.sim.schedule(drawLatency(this.lifecycleRng, this.options.detachCompletion), () => this.state.completeDetach(eniId));
      return { ok: true, value: undefined };
    });
  }

  deleteNetworkInterface(p: Principal, eniId: EniId): SimEvent<Ec2Result<void>> {
    return this.request(p, 'DeleteNetworkInterface', bucketsFor('DeleteNetworkInterface', false), () => this.state.deleteNetworkInterface(eniId));
  }

  modifyNetworkInterfaceAttribute(p: Principal, params: { eniId: EniId; deleteOnTermination?: boolean; groups?: string[] }): SimEvent<Ec2Result<void>> {
    return this.request(p, 'ModifyNetworkInterfaceAttribute', bucketsFor('ModifyNetworkInterfaceAttribute', false), () =>
      this.state.modifyNetworkInterfaceAttribute(params),
    );
  }

  assignPrivateIpAddresses(p: Principal, params: AssignPrivateIpParams): SimEvent<Ec2Result<AssignPrivateIpResult>> {
    return this.request(p, 'AssignPrivateIpAddresses', bucketsFor('AssignPrivateIpAddresses', false), () => this.state.assignPrivateIpAddresses(params));
  }

  unassignPrivateIpAddresses(p: Principal, params: UnassignPrivateIpParams): SimEvent<Ec2Result<void>> {
    return this.request(p, 'UnassignPrivateIpAddresses', bucketsFor('UnassignPrivateIpAddresses', false), () => this.state.unassignPrivateIpAddresses(params));
  }

  assignIpv6Addresses(
    p: Principal,
    params: { eniId: EniId; ipv6PrefixCount?: number; ipv6AddressCount?: number },
  ): SimEvent<Ec2Result<{ assignedIpv6Prefixes: string[]; assignedIpv6Addresses: string[] }>> {
    return this.request(p, 'AssignIpv6Addresses', bucketsFor('AssignIpv6Addresses', false), () => this.state.assignIpv6Addresses(params));
  }

  unassignIpv6Addresses(p: Principal, params: { eniId: EniId; ipv6Prefixes?: string[]; ipv6Addresses?: string[] }): SimEvent<Ec2Result<void>> {
    return this.request(p, 'UnassignIpv6Addresses', bucketsFor('UnassignIpv6Addresses', false), () => this.state.unassignIpv6Addresses(params));
  }

  createTags(p: Principal, resourceIds: string[], tags: Tags): SimEvent<Ec2Result<void>> {
    return this.request(p, 'CreateTags', bucketsFor('CreateTags', false), () => this.state.createTags(resourceIds, tags));
  }

  deleteTags(p: Principal, resourceIds: string[], tagKeys: string[]): SimEvent<Ec2Result<void>> {
    return this.request(p, 'DeleteTags', bucketsFor('DeleteTags', false), () => this.state.deleteTags(resourceIds, tagKeys));
  }

  // ---- admin / scenario calls ------------------------------------------------------------------------------------

  /** The VPCs' default security groups (the only groups modelled). Unknown ids fail with InvalidParameterValue. */
  describeSecurityGroups(p: Principal, filter: { groupIds?: string[]; vpcId?: VpcId } = {}): SimEvent<Ec2Result<SecurityGroupView[]>> {
    const unfiltered = (filter.groupIds === undefined || filter.groupIds.length === 0) && filter.vpcId === undefined;
    return this.request(p, 'DescribeSecurityGroups', bucketsFor('DescribeSecurityGroups', unfiltered), () => {
      const all = [...this.state.vpcs.values()].map((v) => ({ groupId: v.defaultSecurityGroupId, groupName: 'default', vpcId: v.id }));
      for (const id of filter.groupIds ?? []) {
        if (!all.some((g) => g.groupId === id)) return { ok: false, error: errors.invalid(`The security group '${id}' does not exist`) };
      }
      const ids = filter.groupIds ?? [];
      return { ok: true, value: all.filter((g) => (ids.length === 0 || ids.includes(g.groupId)) && (filter.vpcId === undefined || g.vpcId === filter.vpcId)) };
    });
  }

  associateVpcCidrBlock(p: Principal, params: { vpcId: VpcId; cidrBlock: string }): SimEvent<Ec2Result<{ cidrBlock: string }>> {
    return this.request(p, 'AssociateVpcCidrBlock', bucketsFor('AssociateVpcCidrBlock', false), () => this.state.associateVpcCidrBlock(params.vpcId, params.cidrBlock));
  }

  createSubnet(p: Principal, params: CreateSubnetParams): SimEvent<Ec2Result<SubnetView>> {
    return this.request(p, 'CreateSubnet', bucketsFor('CreateSubnet', false), () => map(this.state.createSubnet(params), (s) => s.view()));
  }

  createSubnetCidrReservation(p: Principal, params: CreateSubnetCidrReservationParams): SimEvent<Ec2Result<{ reservationId: string; cidr: string }>> {
    return this.request(p, 'CreateSubnetCidrReservation', bucketsFor('CreateSubnetCidrReservation', false), () => this.state.createSubnetCidrReservation(params));
  }

  /** Instances are 'pending' in the response and 'running' `instanceLaunch` later (then IMDS shows the primary ENI). */
  runInstances(p: Principal, params: RunInstancesParams): SimEvent<Ec2Result<InstanceView[]>> {
    return this.request(p, 'RunInstances', bucketsFor('RunInstances', false, params.count ?? 1), () => {
      const r = this.state.runInstances(params);
      if (!r.ok) return r;
      for (const inst of r.value) {
        const id = inst.id;
        this.sim.schedule(drawLatency(this.lifecycleRng, this.options.instanceLaunch), () => {
          this.state.markRunning(id);
          if (this.happenings.wants('instance')) this.happenings.emit({ type: 'instance', t: this.sim.now, instanceId: id, state: 'running' });
        });
      }
      return { ok: true, value: r.value.map((i) => i.view()) };
    });
  }

  /** Instances go 'shutting-down'; `instanceShutdown` later they are 'terminated' and their ENIs deleted or detached. */
  terminateInstances(p: Principal, instanceIds: InstanceId[]): SimEvent<Ec2Result<{ instanceId: InstanceId; previousState: string }[]>> {
    return this.request(p, 'TerminateInstances', bucketsFor('TerminateInstances', false, instanceIds.length), () => {
      for (const id of instanceIds) if (!this.state.instances.has(id)) return { ok: false, error: errors.instanceNotFound(id) };
      const out: { instanceId: InstanceId; previousState: string }[] = [];
      for (const id of instanceIds) {
        const r = this.state.beginTermination(id);
        if (!r.ok) return r;
        out.push({ instanceId: id, previousState: r.value.previousState });
        if (r.value.previousState !== 'terminated' && r.value.previousState !== 'shutting-down') {
          this.sim.schedule(drawLatency(this.lifecycleRng, this.options.instanceShutdown), () => {
            this.state.finishTermination(id);
            if (this.happenings.wants('instance')) this.happenings.emit({ type: 'instance', t: this.sim.now, instanceId: id, state: 'terminated' });
          });
        }
      }
      return { ok: true, value: out };
    });
  }

  /** Scenario setup: launches instances that are 'running' at once, without latency, IAM or throttling. */
  runInstancesNow(params: RunInstancesParams): Ec2Result<InstanceView[]> {
    const r = this.state.runInstances(params);
    if (!r.ok) return r;
    for (const i of r.value) this.state.markRunning(i.id);
    return { ok: true, value: r.value.map((i) => i.view()) };
  }

  // ---- the call pipeline -----------------------------------------------------------------------------------------

  /** One attempt's answer at the end of its latency: IAM, then injected fault, then the real state change. */
  private respond<T>(p: Principal, a: Ec2Action, apply: () => Ec2Result<T>): Ec2Result<T> {
    if (this.faults.denied(p, a)) return { ok: false, error: errors.unauthorized(p, a) };
    const injected = this.faults.injectedError(a);
    return injected !== undefined ? { ok: false, error: injected } : apply();
  }

  private request<T>(p: Principal, a: Ec2Action, wants: Array<readonly [BucketName, number]>, apply: () => Ec2Result<T>): SimEvent<Ec2Result<T>> {
    const call = ++this.callSeq;
    this.metrics.call(p, a);
    const self = this;
    const o = this.options;
    function* run(): Generator<number, Ec2Result<T>, unknown> {
      for (let attempt = 1; ; attempt++) {
        self.metrics.attempt(p, a);
        let result: Ec2Result<T>;
        if (!self.buckets.take(self.sim.now, wants)) {
          self.metrics.throttled(p, a);
          yield drawLatency(self.sim.random('ec2/latency/throttled'), o.throttledLatency);
          result = { ok: false, error: errors.throttled() };
        } else {
          yield drawLatency(self.latencyRng(a), o.latency[a]);
          result = self.respond(p, a, apply);
        }
        const out = self.happenings;
        if (out.wants('ec2-call')) out.emit({ type: 'ec2-call', t: self.sim.now, call, action: a, principal: p, attempt, result: result.ok ? 'ok' : result.error.code });
        if (result.ok) return result;
        const code = result.error.code;
        self.metrics.attemptError(p, a, code);
        if (attempt < o.retry.maxAttempts && o.retry.retryableCodes.includes(code)) {
          yield self.backoff(attempt);
          continue;
        }
        self.metrics.finalError(p, a, code);
        return result;
      }
    }
    return this.sim.spawn(`ec2 ${a} #${call}`, run());
  }

  /** The latency stream of an action (`ec2/latency/<Action>`), kept here so that a call builds no stream name. */
  private latencyRng(a: Ec2Action): Random {
    let r = this.latencyRngs.get(a);
    if (r === undefined) this.latencyRngs.set(a, (r = this.sim.random(`ec2/latency/${a}`)));
    return r;
  }

  /** SDK v2 exponential jitter backoff before retry `k` (1-based): uniform in [0, 2^k s), capped at maxBackoffMs. */
  private backoff(k: number): number {
    return Math.floor(Math.min(this.options.retry.maxBackoffMs, this.retryRng.float() * 1000 * 2 ** k));
  }
}

function map<A, B>(r: Ec2Result<A>, f: (a: A) => B): Ec2Result<B> {
  return r.ok ? { ok: true, value: f(r.value) } : r;
}
