/**
 * The EC2/VPC state and every rule a call is checked against, applied synchronously: VPCs, subnets, ENIs,
 * instances, attachments, tags; per-instance-type limits (spec §5, §7): ENIs per network card
 * (AttachmentLimitExceeded), IPv4 slots per ENI shared by secondaries and /28 prefixes (PrivateIpAddressLimitExceeded),
 * prefix delegation only where the type supports it (InvalidParameterValue).
 * Ids are deterministic counters (`eni-00000000000000001`), never random, so traces are stable.
 * Beside it: VPC and subnet creation (state-vpc.ts), the address operations (eni-addresses.ts), the describes and
 * tags (state-queries.ts), the parameter types and limits (state-params.ts); this class holds the resources and
 * keeps their indexes.
 * Not here: time, throttling, IAM, retries, fault injection (ec2-api.ts); the IMDS delay (imds.ts).
 * Scenario setup may call this directly at t=0; everything else goes through the `Ec2` facade.
 */
import type { Simulation } from '../../sim/index.ts';
import { Subnet } from '../vpc/subnet.ts';
import { Vpc } from '../vpc/vpc.ts';
import * as addresses from './eni-addresses.ts';
import * as queries from './state-queries.ts';
import * as vpcs from './state-vpc.ts';
import { Eni } from './eni.ts';
import { errors, fail, ok } from './errors.ts';
import { Instance } from './instance.ts';
import { findInstanceType, supportsPrefixDelegation } from './instance-types.ts';
import {
  DEFAULT_STATE_LIMITS,
  PRIMARY_ENI_DESCRIPTION,
  type AdoptInstanceParams,
  type CreateSubnetCidrReservationParams,
  type CreateSubnetParams,
  type CreateVpcParams,
  type Ec2StateLimits,
  type EniChange,
  type RunInstancesParams,
} from './state-params.ts';
import type {
  AssignPrivateIpParams,
  AssignPrivateIpResult,
  CreateNetworkInterfaceParams,
  DescribeNetworkInterfacesParams,
  Ec2Result,
  EniId,
  EniStatus,
  InstanceId,
  InterfaceType,
  SubnetId,
  Tags,
  UnassignPrivateIpParams,
  VpcId,
} from './types.ts';

export type {
  AdoptInstanceParams,
  CreateSubnetCidrReservationParams,
  CreateSubnetParams,
  CreateVpcParams,
  Ec2StateLimits,
  EniChange,
  RunInstancesParams,
} from './state-params.ts';
export { DEFAULT_STATE_LIMITS, PRIMARY_ENI_DESCRIPTION } from './state-params.ts';

export class Ec2State {
  readonly vpcs = new Map<VpcId, Vpc>();
  readonly subnets = new Map<SubnetId, Subnet>();
  readonly enis = new Map<EniId, Eni>();
  /** The ENIs whose status is 'available' (see setStatus); read by DescribeNetworkInterfaces (state-queries.ts). */
  readonly available = new Set<Eni>();
  readonly instances = new Map<InstanceId, Instance>();
  private readonly attachments = new Map<string, Eni>();
  private readonly counters = new Map<string, number>();
  /** Ids given from outside (adopted resources): the counters step over them. */
  private readonly takenIds = new Set<string>();
  private readonly listeners: Array<(c: EniChange) => void> = [];
  private readonly instanceWatchers: Array<(instanceId: InstanceId) => void> = [];
  private eniCount = 0;
  /** The state as the address operations (eni-addresses.ts) see it. */
  private readonly addressHost: addresses.EniAddressHost;
  private readonly accountView: queries.AccountView = this;
  private readonly vpcHost: vpcs.VpcHost;

  constructor(
    private readonly sim: Simulation,
    readonly limits: Ec2StateLimits = DEFAULT_STATE_LIMITS,
  ) {
    this.addressHost = { enis: this.enis, instances: this.instances, limits, emitUpdate: (eni) => this.emitUpdate(eni) };
    this.vpcHost = {
      vpcs: this.vpcs,
      subnets: this.subnets,
      limits,
      nextId: (prefix) => this.nextId(prefix),
      reserveIds: (ids) => this.reserveIds(ids),
      random: (name) => sim.random(name),
    };
  }

  /** Subscribes to ENI changes an instance can see (attach, address changes, detach). */
  onEniChange(fn: (c: EniChange) => void): void {
    this.listeners.push(fn);
  }

  /**
   * Calls `fn` at every change of an instance's ENIs or of their addresses as DescribeNetworkInterfaces shows them,
   * whether or not IMDS will see it (`onEniChange` is what IMDS sees): for observers of the whole run.
   */
  onInstanceEnis(fn: (instanceId: InstanceId) => void): void {
    this.instanceWatchers.push(fn);
  }

  private touched(instanceId: InstanceId): void {
    for (const fn of this.instanceWatchers) fn(instanceId);
  }

  // ---- ids -------------------------------------------------------------------------------------------------------

  /** Ids that resources from outside will bring (a state started from an account): the counters never make them. */
  reserveIds(ids: Iterable<string>): void {
    for (const id of ids) this.takenIds.add(id);
  }

  private nextId(prefix: string): string {
    for (;;) {
      const n = (this.counters.get(prefix) ?? 0) + 1;
      this.counters.set(prefix, n);
      const id = `${prefix}-${n.toString(16).padStart(17, '0')}`;
      if (!this.takenIds.has(id)) return id;
    }
  }

  // ---- VPCs and subnets (state-vpc.ts) ------------------------------------------------------------------------------

  createVpc(p: CreateVpcParams): Ec2Result<Vpc> {
    return vpcs.createVpc(this.vpcHost, p);
  }

  associateVpcCidrBlock(vpcId: VpcId, cidrBlock: string): Ec2Result<{ cidrBlock: string }> {
    return vpcs.associateVpcCidrBlock(this.vpcHost, vpcId, cidrBlock);
  }

  createSubnet(p: CreateSubnetParams): Ec2Result<Subnet> {
    return vpcs.createSubnet(this.vpcHost, p);
  }

  createSubnetCidrReservation(p: CreateSubnetCidrReservationParams): Ec2Result<{ reservationId: string; cidr: string }> {
    return vpcs.createSubnetCidrReservation(this.vpcHost, p);
  }

  // ---- instances -------------------------------------------------------------------------------------------------

  /** RunInstances: instances in state 'pending', each with a primary ENI (device 0, DeleteOnTermination). */
  runInstances(p: RunInstancesParams): Ec2Result<Instance[]> {
    const type = findInstanceType(p.instanceType);
    if (type === undefined) return fail('InvalidParameterValue', `Invalid value '${p.instanceType}' for InstanceType.`);
    const subnet = this.subnets.get(p.subnetId);
    if (subnet === undefined) return { ok: false, error: errors.subnetNotFound(p.subnetId) };
    const count = p.count ?? 1;
    if (!Number.isInteger(count) || count < 1) return fail('InvalidParameterValue', `Invalid value '${count}' for count`);
    const v6 = p.ipv6AddressCount ?? 0;
    if (v6 > 0 && subnet.ipv6 === undefined) return fail('InvalidParameterValue', `Subnet ${subnet.id} has no IPv6 CIDR block`);
    const ips = subnet.allocator.allocateAddresses(count);
    if (typeof ips === 'string') return { ok: false, error: errors.insufficientAddresses() };
    const vpc = this.vpcs.get(subnet.vpcId)!;
    const out: Instance[] = [];
    for (const ip of ips) {
      const eni = this.newEni(subnet, ip, PRIMARY_ENI_DESCRIPTION, 'interface', p.securityGroups ?? [vpc.defaultSecurityGroupId], {});
      if (v6 > 0) eni.ipv6Addresses.push(...subnet.ipv6!.allocateAddresses(v6));
      const inst = new Instance(this.nextId('i'), type, subnet, eni, { ...(p.tags ?? {}) }, this.sim.now);
      this.instances.set(inst.id, inst);
      this.attachEni(eni, inst, 0, type.defaultNetworkCard, true);
      out.push(inst);
    }
    return ok(out);
  }

  /**
   * An instance already running with these ENIs and exactly these addresses (no call, no latency): the ids are kept
   * and never made again. Throws on what existing-check.ts refuses (an address not free, an unknown subnet or type).
   */
  adoptInstance(p: AdoptInstanceParams): Instance {
    const type = findInstanceType(p.instanceType);
    if (type === undefined || this.instances.has(p.instanceId)) throw new Error(`adoptInstance ${p.instanceId}: unknown type or id in use`);
    this.takenIds.add(p.instanceId);
    const enis = p.enis.map((e) => {
      const subnet = this.subnets.get(e.subnetId);
      if (subnet === undefined || this.enis.has(e.id)) throw new Error(`adoptInstance ${p.instanceId}: ENI ${e.id}: unknown subnet or id in use`);
      const a = subnet.allocator;
      if (![e.primaryIp, ...e.secondaryIps].every((ip) => a.claim(ip)) || !e.prefixes.every((b) => a.claimPrefix(b))) {
        throw new Error(`adoptInstance ${p.instanceId}: ENI ${e.id}: an address is not free in ${subnet.id}`);
      }
      this.takenIds.add(e.id);
      const eni = this.newEni(subnet, e.primaryIp, e.description, 'interface', [], e.tags, e.id);
      eni.secondaryIps.push(...e.secondaryIps);
      eni.prefixes.push(...e.prefixes);
      return { eni, deviceIndex: e.deviceIndex };
    });
    const inst = new Instance(p.instanceId, type, enis[0].eni.subnet, enis[0].eni, { ...p.tags }, this.sim.now);
    this.instances.set(inst.id, inst);
    // ipamd sets DeleteOnTermination on the ENIs it attaches (§8.3), the primary has it from launch
    for (const { eni, deviceIndex } of enis) this.attachEni(eni, inst, deviceIndex, type.defaultNetworkCard, true);
    this.markRunning(inst.id);
    return inst;
  }

  /** Pending → running; the primary ENI shows in IMDS at once. */
  markRunning(instanceId: InstanceId): void {
    const inst = this.instances.get(instanceId);
    if (inst === undefined || inst.state !== 'pending') return;
    inst.state = 'running';
    for (const e of inst.enis) this.emit({ instanceId, eniId: e.id, kind: 'attach', snapshot: e.imdsSnapshot(), immediate: true });
  }

  /** TerminateInstances, first half: running/pending → shutting-down. */
  beginTermination(instanceId: InstanceId): Ec2Result<{ previousState: string }> {
    const inst = this.instances.get(instanceId);
    if (inst === undefined) return { ok: false, error: errors.instanceNotFound(instanceId) };
    const previousState = inst.state;
    if (inst.state === 'pending' || inst.state === 'running') inst.state = 'shutting-down';
    return ok({ previousState });
  }

  /** Second half: terminated; ENIs with DeleteOnTermination are deleted, the others detached (status available). */
  finishTermination(instanceId: InstanceId): void {
    const inst = this.instances.get(instanceId);
    if (inst === undefined || inst.state === 'terminated') return;
    inst.state = 'terminated';
    for (const eni of [...inst.enis]) {
      const dot = eni.attachment!.deleteOnTermination;
      this.removeAttachment(eni, inst);
      this.setStatus(eni, 'available');
      if (dot) this.destroyEni(eni);
    }
  }

  // ---- ENIs ------------------------------------------------------------------------------------------------------

  createNetworkInterface(p: CreateNetworkInterfaceParams & { interfaceType?: InterfaceType }): Ec2Result<Eni> {
    const subnet = this.subnets.get(p.subnetId);
    if (subnet === undefined) return { ok: false, error: errors.subnetNotFound(p.subnetId) };
    const nIps = p.secondaryPrivateIpAddressCount ?? 0;
    const nPrefixes = p.ipv4PrefixCount ?? 0;
    const nV6 = p.ipv6AddressCount ?? 0;
    for (const [name, n] of [['SecondaryPrivateIpAddressCount', nIps], ['Ipv4PrefixCount', nPrefixes], ['Ipv6AddressCount', nV6]] as const) {
      if (!Number.isInteger(n) || n < 0) return fail('InvalidParameterValue', `Invalid value '${n}' for ${name}`);
    }
    if (nIps > 0 && nPrefixes > 0) return fail('InvalidParameterValue', 'SecondaryPrivateIpAddressCount and Ipv4PrefixCount cannot be combined');
    if (nIps + nPrefixes > this.limits.unattachedEniIpv4Limit - 1) return { ok: false, error: errors.privateIpLimit() };
    if (nV6 > 0 && subnet.ipv6 === undefined) return fail('InvalidParameterValue', `Subnet ${subnet.id} has no IPv6 CIDR block`);
    const a = subnet.allocator;
    if (nPrefixes > 0) {
      if (a.freePrefixCount < nPrefixes) return { ok: false, error: a.availableCount > 0 ? errors.insufficientCidrBlocks() : errors.insufficientAddresses() };
      // The primary must not take the last free block's address: take prefixes first.
      const prefixes = a.allocatePrefixes(nPrefixes) as number[];
      const primary = a.allocateAddresses(1);
      if (typeof primary === 'string') {
        for (const b of prefixes) a.releasePrefix(b);
        return { ok: false, error: errors.insufficientAddresses() };
      }
      const eni = this.newEni(subnet, primary[0], p.description, p.interfaceType ?? 'interface', p.securityGroups, p.tags ?? {});
      eni.prefixes.push(...prefixes);
      if (nV6 > 0) eni.ipv6Addresses.push(...subnet.ipv6!.allocateAddresses(nV6));
      return ok(eni);
    }
    const ips = a.allocateAddresses(1 + nIps);
    if (typeof ips === 'string') return { ok: false, error: errors.insufficientAddresses() };
    const eni = this.newEni(subnet, ips[0], p.description, p.interfaceType ?? 'interface', p.securityGroups, p.tags ?? {});
    eni.secondaryIps.push(...ips.slice(1));
    if (nV6 > 0) eni.ipv6Addresses.push(...subnet.ipv6!.allocateAddresses(nV6));
    return ok(eni);
  }

  attachNetworkInterface(p: { eniId: EniId; instanceId: InstanceId; deviceIndex: number; networkCardIndex?: number }): Ec2Result<{ attachmentId: string }> {
    const eni = this.enis.get(p.eniId);
    if (eni === undefined) return { ok: false, error: errors.eniNotFound(p.eniId) };
    const inst = this.instances.get(p.instanceId);
    if (inst === undefined || inst.state === 'terminated') return { ok: false, error: errors.instanceNotFound(p.instanceId) };
    if (inst.state === 'shutting-down') return fail('InvalidParameterValue', `The instance '${inst.id}' is not in a valid state for this operation.`);
    if (eni.attachment !== undefined) return fail('InvalidNetworkInterface.InUse', `Interface: [${eni.id}] in use.`);
    if (eni.subnet.availabilityZone !== inst.availabilityZone) {
      return fail('InvalidParameterValue', 'You may not attach a network interface to an instance if they are not in the same availability zone');
    }
    const card = p.networkCardIndex ?? 0;
    const cardInfo = inst.type.networkCards.find((c) => c.index === card);
    if (cardInfo === undefined) return fail('InvalidParameterValue', `Invalid value '${card}' for networkCardIndex`);
    if (!Number.isInteger(p.deviceIndex) || p.deviceIndex < 0) return fail('InvalidParameterValue', `Invalid value '${p.deviceIndex}' for deviceIndex`);
    const onCard = inst.enisOnCard(card);
    if (onCard.some((e) => e.attachment!.deviceIndex === p.deviceIndex)) {
      return fail('InvalidParameterValue', `Instance '${inst.id}' already has an interface attached at device index '${p.deviceIndex}'.`);
    }
    if (onCard.length + 1 > cardInfo.maxEnis) return { ok: false, error: errors.attachmentLimit(onCard.length + 1, inst.type.name) };
    if (eni.slotsUsed > inst.type.ipv4PerEni - 1) return { ok: false, error: errors.privateIpLimit() };
    if (eni.prefixes.length > 0 && !supportsPrefixDelegation(inst.type)) {
      return fail('InvalidParameterValue', `Prefix delegation is not supported for instance type ${inst.type.name}.`);
    }
    const attachmentId = this.attachEni(eni, inst, p.deviceIndex, card, false);
    return ok({ attachmentId });
  }

  /** DetachNetworkInterface: the ENI goes 'detaching' and leaves IMDS; `completeDetach` makes it 'available'. */
  detachNetworkInterface(p: { attachmentId: string; force?: boolean }): Ec2Result<Eni> {
    const eni = this.attachments.get(p.attachmentId);
    if (eni === undefined) return { ok: false, error: errors.attachmentNotFound(p.attachmentId) };
    if (eni.status === 'detaching') return ok(eni);
    if (eni.attachment!.deviceIndex === 0 && eni.attachment!.networkCardIndex === this.instances.get(eni.attachment!.instanceId)!.type.defaultNetworkCard) {
      return fail('OperationNotPermitted', `The network interface at device index 0 cannot be detached.`);
    }
    this.setStatus(eni, 'detaching');
    this.emit({ instanceId: eni.attachment!.instanceId, eniId: eni.id, kind: 'detach', snapshot: null });
    return ok(eni);
  }

  /** End of a detach: the attachment is gone and the ENI is 'available'. */
  completeDetach(eniId: EniId): void {
    const eni = this.enis.get(eniId);
    if (eni === undefined || eni.status !== 'detaching' || eni.attachment === undefined) return;
    this.removeAttachment(eni, this.instances.get(eni.attachment.instanceId)!);
    this.setStatus(eni, 'available');
  }

  deleteNetworkInterface(eniId: EniId): Ec2Result<void> {
    const eni = this.enis.get(eniId);
    if (eni === undefined) return { ok: false, error: errors.eniNotFound(eniId) };
    if (eni.attachment !== undefined) return { ok: false, error: errors.eniInUse(eniId) };
    this.destroyEni(eni);
    return ok(undefined);
  }

  modifyNetworkInterfaceAttribute(p: { eniId: EniId; deleteOnTermination?: boolean; groups?: string[] }): Ec2Result<void> {
    const eni = this.enis.get(p.eniId);
    if (eni === undefined) return { ok: false, error: errors.eniNotFound(p.eniId) };
    if (p.deleteOnTermination !== undefined) {
      if (eni.attachment === undefined) return fail('InvalidParameterValue', `The network interface '${eni.id}' is not attached.`);
      eni.attachment.deleteOnTermination = p.deleteOnTermination;
    }
    if (p.groups !== undefined) {
      if (p.groups.length === 0) return fail('InvalidParameterValue', 'At least one security group must be specified.');
      eni.securityGroups = [...p.groups];
      this.emitUpdate(eni);
    }
    return ok(undefined);
  }

  assignPrivateIpAddresses(p: AssignPrivateIpParams): Ec2Result<AssignPrivateIpResult> {
    return addresses.assignPrivateIpAddresses(this.addressHost, p);
  }

  unassignPrivateIpAddresses(p: UnassignPrivateIpParams): Ec2Result<void> {
    return addresses.unassignPrivateIpAddresses(this.addressHost, p);
  }

  assignIpv6Addresses(p: Parameters<typeof addresses.assignIpv6Addresses>[1]): ReturnType<typeof addresses.assignIpv6Addresses> {
    return addresses.assignIpv6Addresses(this.addressHost, p);
  }

  unassignIpv6Addresses(p: Parameters<typeof addresses.unassignIpv6Addresses>[1]): Ec2Result<void> {
    return addresses.unassignIpv6Addresses(this.addressHost, p);
  }

  // ---- tags and describes (state-queries.ts) ----------------------------------------------------------------------

  createTags(resourceIds: string[], tags: Tags): Ec2Result<void> {
    return queries.createTags(this.accountView, resourceIds, tags);
  }

  deleteTags(resourceIds: string[], tagKeys: string[]): Ec2Result<void> {
    return queries.deleteTags(this.accountView, resourceIds, tagKeys);
  }

  describeSubnets(f: { vpcId?: VpcId; availabilityZone?: string; subnetIds?: SubnetId[] }): Ec2Result<Subnet[]> {
    return queries.describeSubnets(this.accountView, f);
  }

  describeNetworkInterfaces(p: DescribeNetworkInterfacesParams): Ec2Result<Eni[]> {
    return queries.describeNetworkInterfaces(this.accountView, p);
  }

  describeInstances(instanceIds: InstanceId[]): Ec2Result<Instance[]> {
    return queries.describeInstances(this.accountView, instanceIds);
  }

  // ---- internals -------------------------------------------------------------------------------------------------

  private newEni(subnet: Subnet, primaryIp: number, description: string, type: InterfaceType, groups: string[], tags: Tags, id?: EniId): Eni {
    const n = ++this.eniCount;
    const mac = `02:${[(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255, 0x01].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
    const vpc = this.vpcs.get(subnet.vpcId)!;
    const sgs = groups.length > 0 ? [...groups] : [vpc.defaultSecurityGroupId];
    const eni = new Eni(id ?? this.nextId('eni'), subnet, mac, primaryIp, description, type, sgs, { ...tags }, this.sim.now, n);
    this.enis.set(eni.id, eni);
    this.available.add(eni);
    return eni;
  }

  /** Every status change goes through here, so that `available` stays the set of 'available' ENIs. */
  private setStatus(eni: Eni, status: EniStatus): void {
    eni.status = status;
    if (status === 'available') this.available.add(eni);
    else this.available.delete(eni);
  }

  private attachEni(eni: Eni, inst: Instance, deviceIndex: number, card: number, deleteOnTermination: boolean): string {
    const attachmentId = this.nextId('eni-attach');
    eni.attachment = { attachmentId, instanceId: inst.id, deviceIndex, networkCardIndex: card, deleteOnTermination };
    this.setStatus(eni, 'in-use');
    inst.enis.push(eni);
    this.attachments.set(attachmentId, eni);
    this.touched(inst.id);
    if (inst.state === 'running') this.emit({ instanceId: inst.id, eniId: eni.id, kind: 'attach', snapshot: eni.imdsSnapshot() });
    return attachmentId;
  }

  private removeAttachment(eni: Eni, inst: Instance): void {
    const a = eni.attachment!;
    if (eni.status !== 'detaching') this.emit({ instanceId: inst.id, eniId: eni.id, kind: 'detach', snapshot: null });
    this.attachments.delete(a.attachmentId);
    inst.enis.splice(inst.enis.indexOf(eni), 1);
    eni.attachment = undefined;
    this.touched(inst.id);
  }

  private destroyEni(eni: Eni): void {
    const a = eni.subnet.allocator;
    a.release(eni.primaryIp);
    for (const ip of eni.secondaryIps) a.release(ip);
    for (const b of eni.prefixes) a.releasePrefix(b);
    for (const x of eni.ipv6Prefixes) eni.subnet.ipv6?.releasePrefix(x);
    for (const x of eni.ipv6Addresses) eni.subnet.ipv6?.releaseAddress(x);
    this.enis.delete(eni.id);
    this.available.delete(eni);
  }

  private emitUpdate(eni: Eni): void {
    if (eni.attachment !== undefined) this.touched(eni.attachment.instanceId);
    if (eni.attachment === undefined || eni.status !== 'in-use') return;
    const inst = this.instances.get(eni.attachment.instanceId)!;
    if (inst.state !== 'running') return;
    this.emit({ instanceId: inst.id, eniId: eni.id, kind: 'update', snapshot: eni.imdsSnapshot() });
  }

  private emit(c: EniChange): void {
    for (const fn of this.listeners) fn(c);
  }
}
