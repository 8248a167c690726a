/**
 * The EC2/VPC state and every rule a call is checked against, applied synchronously: VPCs, subnets, ENIs,
 * instances, attachments, tags; per-instance-type limits (spec §5, §7): ENIs per network card
 * (AttachmentLimitExceeded), IPv4 slots per ENI shared by secondaries and /28 prefixes (PrivateIpAddressLimitExceeded),
 * prefix delegation only where the type supports it (InvalidParameterValue).
 * Ids are deterministic counters (`eni-00000000000000001`), never random, so traces are stable.
 * Not here: time, throttling, IAM, retries, fault injection (ec2-api.ts); the IMDS delay (imds.ts).
 * Scenario setup may call this directly at t=0; everything else goes through the `Ec2` facade.
 */
import type { Simulation } from '../../sim/index.ts';
import type { ReservationType } from '../vpc/address-allocator.ts';
import { type Cidr, formatCidr, formatIpv4, parseCidr, parseIpv4 } from '../vpc/ipv4.ts';
import { parseIpv6Cidr } from '../vpc/ipv6.ts';
import { type RouteKind, Subnet } from '../vpc/subnet.ts';
import { DEFAULT_VPC_CIDR_BLOCK_LIMIT, Vpc } from '../vpc/vpc.ts';
import { Eni } from './eni.ts';
import { errors, fail, ok } from './errors.ts';
import { Instance } from './instance.ts';
import { findInstanceType, supportsPrefixDelegation } from './instance-types.ts';
import type {
  AssignPrivateIpParams,
  AssignPrivateIpResult,
  CreateNetworkInterfaceParams,
  DescribeNetworkInterfacesParams,
  Ec2Error,
  Ec2Result,
  EniId,
  EniStatus,
  ImdsEni,
  InstanceId,
  InterfaceType,
  SubnetId,
  Tags,
  UnassignPrivateIpParams,
  VpcId,
} from './types.ts';

/** A change IMDS must eventually show (imds.ts applies it after a lag). `snapshot` is null when the ENI left. */
export interface EniChange {
  instanceId: InstanceId;
  eniId: EniId;
  kind: 'attach' | 'update' | 'detach';
  snapshot: ImdsEni | null;
  /** Visible at once (the primary ENI when the instance starts running). */
  immediate?: boolean;
}

export interface CreateVpcParams {
  cidrBlock: string;
  /** Give the VPC an Amazon-provided IPv6 /56 (deterministic from the run seed). */
  amazonProvidedIpv6CidrBlock?: boolean;
  /** An explicit IPv6 /56 instead of an Amazon-provided one. */
  ipv6CidrBlock?: string;
  tags?: Tags;
}

export interface CreateSubnetParams {
  vpcId: VpcId;
  cidrBlock: string;
  availabilityZone: string;
  tags?: Tags;
  /** Default 'nat' (a private subnet with a NAT route). */
  routeKind?: RouteKind;
  /** Addresses held by things outside the cluster (NAT GW, LBs, control-plane ENIs), taken at random. */
  externalUse?: number;
  /** Give the subnet a /64 of the VPC's /56 (the lowest free one unless `ipv6SubnetIndex`). */
  ipv6?: boolean;
  ipv6SubnetIndex?: number;
}

export interface CreateSubnetCidrReservationParams {
  subnetId: SubnetId;
  cidr: string;
  reservationType: ReservationType;
  description?: string;
}

export interface RunInstancesParams {
  instanceType: string;
  subnetId: SubnetId;
  /** Instances to launch (default 1); all or nothing. */
  count?: number;
  tags?: Tags;
  securityGroups?: string[];
  /** IPv6 addresses on the primary ENI (needs a subnet with IPv6). */
  ipv6AddressCount?: number;
}

/** An instance that was already running, with its ENIs as they are (a World starting from an existing state). */
export interface AdoptInstanceParams {
  instanceId: InstanceId;
  instanceType: string;
  tags: Tags;
  /** The primary (device index 0) first. Addresses as numbers, prefixes as /28 bases. */
  enis: Array<{ id: EniId; deviceIndex: number; subnetId: SubnetId; primaryIp: number; secondaryIps: number[]; prefixes: number[]; description: string; tags: Tags }>;
}

/** The description EC2 gives the network interface RunInstances creates. */
export const PRIMARY_ENI_DESCRIPTION = 'Primary network interface';

export interface Ec2StateLimits {
  /** IPv4 CIDR blocks per VPC, the primary included (AWS quota 5). */
  vpcCidrBlockLimit: number;
  /** IPv4 addresses (primary included) an unattached ENI may hold; checked against the type again at attach. */
  unattachedEniIpv4Limit: number;
}

export const DEFAULT_STATE_LIMITS: Ec2StateLimits = {
  vpcCidrBlockLimit: DEFAULT_VPC_CIDR_BLOCK_LIMIT,
  unattachedEniIpv4Limit: 50,
};

export class Ec2State {
  readonly vpcs = new Map<VpcId, Vpc>();
  readonly subnets = new Map<SubnetId, Subnet>();
  readonly enis = new Map<EniId, Eni>();
  /** The ENIs whose status is 'available' (see setStatus). */
  private readonly available = new Set<Eni>();
  readonly instances = new Map<InstanceId, Instance>();
  private readonly attachments = new Map<string, Eni>();
  private readonly counters = new Map<string, number>();
  /** Ids given from outside (adopted resources): the counters step over them. */
  private readonly takenIds = new Set<string>();
  private readonly listeners: Array<(c: EniChange) => void> = [];
  private readonly instanceWatchers: Array<(instanceId: InstanceId) => void> = [];
  private eniCount = 0;

  constructor(
    private readonly sim: Simulation,
    readonly limits: Ec2StateLimits = DEFAULT_STATE_LIMITS,
  ) {}

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

  private nextId(prefix: string): string {
    for (;;) {
      const n = (this.counters.get(prefix) ?? 0) + 1;
      this.counters.set(prefix, n);
      const id = `${prefix}-${n.toString(16).padStart(17, '0')}`;
      if (!this.takenIds.has(id)) return id;
    }
  }

  // ---- VPCs and subnets ------------------------------------------------------------------------------------------

  createVpc(p: CreateVpcParams): Ec2Result<Vpc> {
    const c = parseCidrParam(p.cidrBlock);
    if ('code' in c) return { ok: false, error: c };
    if (c.prefixLen < 16 || c.prefixLen > 28) return fail('InvalidVpc.Range', `The CIDR '${p.cidrBlock}' is invalid.`);
    let ipv6;
    if (p.ipv6CidrBlock !== undefined) {
      try {
        ipv6 = parseIpv6Cidr(p.ipv6CidrBlock);
      } catch (err) {
        return fail('InvalidParameterValue', (err as Error).message);
      }
      if (ipv6.prefixLen !== 56) return fail('InvalidParameterValue', `The IPv6 CIDR '${p.ipv6CidrBlock}' must be a /56`);
    } else if (p.amazonProvidedIpv6CidrBlock === true) {
      // 2600:1f14::/32 is an AWS range; the next 24 bits come from the seed: 2600:1f14:xxxx:yy00::/56.
      const r = this.sim.random('ec2/ipv6-vpc');
      const base = (0x26001f14n << 96n) | (BigInt(r.int(0x10000)) << 80n) | (BigInt(r.int(0x100)) << 72n);
      ipv6 = { base, prefixLen: 56 };
    }
    const vpc = new Vpc(this.nextId('vpc'), c, this.nextId('sg'), this.limits.vpcCidrBlockLimit, ipv6);
    Object.assign(vpc.tags, p.tags ?? {});
    this.vpcs.set(vpc.id, vpc);
    return ok(vpc);
  }

  associateVpcCidrBlock(vpcId: VpcId, cidrBlock: string): Ec2Result<{ cidrBlock: string }> {
    const vpc = this.vpcs.get(vpcId);
    if (vpc === undefined) return { ok: false, error: errors.vpcNotFound(vpcId) };
    const c = parseCidrParam(cidrBlock);
    if ('code' in c) return { ok: false, error: c };
    const err = vpc.associateCidrBlock(c);
    return err === undefined ? ok({ cidrBlock: formatCidr(c) }) : { ok: false, error: err };
  }

  createSubnet(p: CreateSubnetParams): Ec2Result<Subnet> {
    const vpc = this.vpcs.get(p.vpcId);
    if (vpc === undefined) return { ok: false, error: errors.vpcNotFound(p.vpcId) };
    const c = parseCidrParam(p.cidrBlock);
    if ('code' in c) return { ok: false, error: c };
    const err = vpc.subnetCidrError(c);
    if (err !== undefined) return { ok: false, error: err };
    const external = p.externalUse ?? 0;
    if (!Number.isInteger(external) || external < 0) return fail('InvalidParameterValue', `externalUse must be a non-negative integer, got ${external}`);
    if (external > 2 ** (32 - c.prefixLen) - 5) return { ok: false, error: errors.insufficientAddresses() };
    let ipv6;
    if (p.ipv6 === true || p.ipv6SubnetIndex !== undefined) {
      const b = vpc.takeIpv6SubnetBlock(p.ipv6SubnetIndex);
      if ('code' in b) return { ok: false, error: b };
      ipv6 = b;
    }
    const id = this.nextId('subnet');
    const subnet = new Subnet(id, vpc.id, c, p.availabilityZone, { ...(p.tags ?? {}) }, p.routeKind ?? 'nat', this.sim.random(`ec2/addresses/${id}`), ipv6);
    subnet.addExternalUse(external);
    vpc.subnets.push(subnet);
    this.subnets.set(id, subnet);
    return ok(subnet);
  }

  createSubnetCidrReservation(p: CreateSubnetCidrReservationParams): Ec2Result<{ reservationId: string; cidr: string }> {
    const subnet = this.subnets.get(p.subnetId);
    if (subnet === undefined) return { ok: false, error: errors.subnetNotFound(p.subnetId) };
    const c = parseCidrParam(p.cidr);
    if ('code' in c) return { ok: false, error: c };
    if (p.reservationType !== 'prefix' && p.reservationType !== 'explicit') {
      return fail('InvalidParameterValue', `Invalid value '${String(p.reservationType)}' for reservationType (prefix or explicit)`);
    }
    const id = this.nextId('scr');
    const err = subnet.addReservation(id, c, p.reservationType, p.description ?? '');
    return err === undefined ? ok({ reservationId: id, cidr: formatCidr(c) }) : { ok: false, error: err };
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
    const eni = this.enis.get(p.eniId);
    if (eni === undefined) return { ok: false, error: errors.eniNotFound(p.eniId) };
    const nIps = p.secondaryPrivateIpAddressCount;
    const nPrefixes = p.ipv4PrefixCount;
    if ((nIps === undefined) === (nPrefixes === undefined)) {
      return fail('InvalidParameterValue', 'Specify exactly one of SecondaryPrivateIpAddressCount and Ipv4PrefixCount');
    }
    const n = (nIps ?? nPrefixes)!;
    if (!Number.isInteger(n) || n < 1) return fail('InvalidParameterValue', `Invalid value '${n}' for ${nIps !== undefined ? 'SecondaryPrivateIpAddressCount' : 'Ipv4PrefixCount'}`);
    const inst = eni.attachment === undefined ? undefined : this.instances.get(eni.attachment.instanceId);
    if (nPrefixes !== undefined && inst !== undefined && !supportsPrefixDelegation(inst.type)) {
      return fail('InvalidParameterValue', `Prefix delegation is not supported for instance type ${inst.type.name}.`);
    }
    const limit = inst !== undefined ? inst.type.ipv4PerEni : this.limits.unattachedEniIpv4Limit;
    if (eni.slotsUsed + n > limit - 1) return { ok: false, error: errors.privateIpLimit() };
    const a = eni.subnet.allocator;
    if (nIps !== undefined) {
      const ips = a.allocateAddresses(n);
      if (typeof ips === 'string') return { ok: false, error: errors.insufficientAddresses() };
      eni.secondaryIps.push(...ips);
      this.emitUpdate(eni);
      return ok({ assignedPrivateIpAddresses: ips.map(formatIpv4), assignedIpv4Prefixes: [] });
    }
    const bases = a.allocatePrefixes(n);
    if (typeof bases === 'string') {
      return { ok: false, error: bases === 'InsufficientCidrBlocks' ? errors.insufficientCidrBlocks() : errors.insufficientAddresses() };
    }
    eni.prefixes.push(...bases);
    this.emitUpdate(eni);
    return ok({ assignedPrivateIpAddresses: [], assignedIpv4Prefixes: bases.map((b) => `${formatIpv4(b)}/28`) });
  }

  /** All or nothing: an address or prefix not on the ENI (or the primary) fails the whole call. */
  unassignPrivateIpAddresses(p: UnassignPrivateIpParams): Ec2Result<void> {
    const eni = this.enis.get(p.eniId);
    if (eni === undefined) return { ok: false, error: errors.eniNotFound(p.eniId) };
    const ipIdx: number[] = [];
    for (const text of p.privateIpAddresses ?? []) {
      let ip: number;
      try {
        ip = parseIpv4(text);
      } catch (err) {
        return fail('InvalidParameterValue', (err as Error).message);
      }
      if (ip === eni.primaryIp) return fail('InvalidParameterValue', `The primary private IP address ${text} of ${eni.id} cannot be unassigned.`);
      const i = eni.secondaryIps.indexOf(ip);
      if (i < 0 || ipIdx.includes(i)) return fail('InvalidParameterValue', `Some of the specified addresses are not assigned to interface ${eni.id}`);
      ipIdx.push(i);
    }
    const pfxIdx: number[] = [];
    for (const text of p.ipv4Prefixes ?? []) {
      const c = parseCidrParam(text);
      if ('code' in c) return { ok: false, error: c };
      const i = c.prefixLen === 28 ? eni.prefixes.indexOf(c.base) : -1;
      if (i < 0 || pfxIdx.includes(i)) return fail('InvalidParameterValue', `Some of the specified prefixes are not assigned to interface ${eni.id}`);
      pfxIdx.push(i);
    }
    if (ipIdx.length + pfxIdx.length === 0) return fail('InvalidParameterValue', 'No addresses or prefixes specified');
    const a = eni.subnet.allocator;
    for (const i of ipIdx) a.release(eni.secondaryIps[i]);
    for (const i of pfxIdx) a.releasePrefix(eni.prefixes[i]);
    removeIndexes(eni.secondaryIps, ipIdx);
    removeIndexes(eni.prefixes, pfxIdx);
    this.emitUpdate(eni);
    return ok(undefined);
  }

  assignIpv6Addresses(p: { eniId: EniId; ipv6PrefixCount?: number; ipv6AddressCount?: number }): Ec2Result<{ assignedIpv6Prefixes: string[]; assignedIpv6Addresses: string[] }> {
    const eni = this.enis.get(p.eniId);
    if (eni === undefined) return { ok: false, error: errors.eniNotFound(p.eniId) };
    const pool = eni.subnet.ipv6;
    if (pool === undefined) return fail('InvalidParameterValue', `Subnet ${eni.subnet.id} has no IPv6 CIDR block`);
    const nP = p.ipv6PrefixCount ?? 0;
    const nA = p.ipv6AddressCount ?? 0;
    if (!Number.isInteger(nP) || !Number.isInteger(nA) || nP < 0 || nA < 0 || nP + nA === 0) {
      return fail('InvalidParameterValue', 'Specify a positive Ipv6PrefixCount or Ipv6AddressCount');
    }
    const inst = eni.attachment === undefined ? undefined : this.instances.get(eni.attachment.instanceId);
    if (nP > 0 && inst !== undefined && !supportsPrefixDelegation(inst.type)) {
      return fail('InvalidParameterValue', `Prefix delegation is not supported for instance type ${inst.type.name}.`);
    }
    const prefixes = nP > 0 ? pool.allocatePrefixes(nP) : [];
    if (prefixes === undefined) return { ok: false, error: errors.insufficientCidrBlocks() };
    const addrs = pool.allocateAddresses(nA);
    eni.ipv6Prefixes.push(...prefixes);
    eni.ipv6Addresses.push(...addrs);
    this.emitUpdate(eni);
    return ok({ assignedIpv6Prefixes: prefixes, assignedIpv6Addresses: addrs });
  }

  unassignIpv6Addresses(p: { eniId: EniId; ipv6Prefixes?: string[]; ipv6Addresses?: string[] }): Ec2Result<void> {
    const eni = this.enis.get(p.eniId);
    if (eni === undefined) return { ok: false, error: errors.eniNotFound(p.eniId) };
    const prefixes = p.ipv6Prefixes ?? [];
    const addrs = p.ipv6Addresses ?? [];
    if (prefixes.some((x) => !eni.ipv6Prefixes.includes(x)) || addrs.some((x) => !eni.ipv6Addresses.includes(x))) {
      return fail('InvalidParameterValue', `Some of the specified addresses are not assigned to interface ${eni.id}`);
    }
    for (const x of prefixes) {
      eni.subnet.ipv6!.releasePrefix(x);
      eni.ipv6Prefixes.splice(eni.ipv6Prefixes.indexOf(x), 1);
    }
    for (const x of addrs) {
      eni.subnet.ipv6!.releaseAddress(x);
      eni.ipv6Addresses.splice(eni.ipv6Addresses.indexOf(x), 1);
    }
    this.emitUpdate(eni);
    return ok(undefined);
  }

  // ---- tags ------------------------------------------------------------------------------------------------------

  createTags(resourceIds: string[], tags: Tags): Ec2Result<void> {
    const targets: Tags[] = [];
    for (const id of resourceIds) {
      const t = this.tagsOf(id);
      if (!t.ok) return t;
      targets.push(t.value);
    }
    for (const t of targets) Object.assign(t, tags);
    return ok(undefined);
  }

  deleteTags(resourceIds: string[], tagKeys: string[]): Ec2Result<void> {
    const targets: Tags[] = [];
    for (const id of resourceIds) {
      const t = this.tagsOf(id);
      if (!t.ok) return t;
      targets.push(t.value);
    }
    for (const t of targets) for (const k of tagKeys) delete t[k];
    return ok(undefined);
  }

  private tagsOf(id: string): Ec2Result<Tags> {
    const found = (t: Tags | undefined, notFound: (id: string) => Ec2Error): Ec2Result<Tags> =>
      t === undefined ? { ok: false, error: notFound(id) } : ok(t);
    if (id.startsWith('eni-')) return found(this.enis.get(id)?.tags, errors.eniNotFound);
    if (id.startsWith('i-')) return found(this.instances.get(id)?.tags, errors.instanceNotFound);
    if (id.startsWith('subnet-')) return found(this.subnets.get(id)?.tags, errors.subnetNotFound);
    if (id.startsWith('vpc-')) return found(this.vpcs.get(id)?.tags, errors.vpcNotFound);
    return { ok: false, error: errors.invalid(`Invalid id: "${id}"`) };
  }

  // ---- describes -------------------------------------------------------------------------------------------------

  describeSubnets(f: { vpcId?: VpcId; availabilityZone?: string; subnetIds?: SubnetId[] }): Ec2Result<Subnet[]> {
    let list: Subnet[];
    if (f.subnetIds !== undefined && f.subnetIds.length > 0) {
      list = [];
      for (const id of f.subnetIds) {
        const s = this.subnets.get(id);
        if (s === undefined) return { ok: false, error: errors.subnetNotFound(id) };
        list.push(s);
      }
    } else {
      list = [...this.subnets.values()];
    }
    return ok(list.filter((s) => (f.vpcId === undefined || s.vpcId === f.vpcId) && (f.availabilityZone === undefined || s.availabilityZone === f.availabilityZone)));
  }

  describeNetworkInterfaces(p: DescribeNetworkInterfacesParams): Ec2Result<Eni[]> {
    let list: Eni[];
    if (p.networkInterfaceIds !== undefined && p.networkInterfaceIds.length > 0) {
      list = [];
      for (const id of p.networkInterfaceIds) {
        const e = this.enis.get(id);
        if (e === undefined) return { ok: false, error: errors.eniNotFound(id) };
        list.push(e);
      }
    } else if (p.status === 'available') {
      // the leaked-ENI sweep of every node asks this: look only at the few available ENIs, in the account's order
      list = [...this.available].sort((a, b) => a.ordinal - b.ordinal);
    } else {
      list = [...this.enis.values()];
    }
    return ok(
      list.filter(
        (e) =>
          (p.vpcId === undefined || e.subnet.vpcId === p.vpcId) &&
          (p.status === undefined || e.status === p.status) &&
          (p.attachedInstanceId === undefined || e.attachment?.instanceId === p.attachedInstanceId) &&
          (p.tagKeys === undefined || p.tagKeys.every((k) => k in e.tags)) &&
          (p.tags === undefined || Object.entries(p.tags).every(([k, v]) => e.tags[k] === v)),
      ),
    );
  }

  describeInstances(instanceIds: InstanceId[]): Ec2Result<Instance[]> {
    if (instanceIds.length === 0) return ok([...this.instances.values()]);
    const out: Instance[] = [];
    for (const id of instanceIds) {
      const i = this.instances.get(id);
      if (i === undefined) return { ok: false, error: errors.instanceNotFound(id) };
      out.push(i);
    }
    return ok(out);
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

function parseCidrParam(text: string): Cidr | Ec2Error {
  try {
    return parseCidr(text);
  } catch (err) {
    return errors.invalid((err as Error).message);
  }
}

/** Removes the given indexes from `arr`, keeping the order of the rest. */
function removeIndexes<T>(arr: T[], idx: number[]): void {
  if (idx.length === 0) return;
  const drop = new Set(idx);
  let w = 0;
  for (let r = 0; r < arr.length; r++) if (!drop.has(r)) arr[w++] = arr[r];
  arr.length = w;
}
