/**
 * An elastic network interface as EC2 holds it: subnet, primary IPv4, secondary IPv4s, delegated /28 prefixes,
 * IPv6 prefixes and addresses, attachment, security groups, tags, status. A plain record plus view building;
 * the rules (limits, allocation) live in state.ts.
 */
import type { Subnet } from '../vpc/subnet.ts';
import { formatIpv4 } from '../vpc/ipv4.ts';
import type { EniAttachment, EniId, EniStatus, ImdsEni, InterfaceType, NetworkInterfaceView, Tags } from './types.ts';

export class Eni {
  /** Changed only through the account state (state.ts setStatus), which keeps an index of available ENIs. */
  status: EniStatus = 'available';
  attachment: EniAttachment | undefined = undefined;
  /** Secondary private IPv4 addresses (numbers), in assignment order. */
  readonly secondaryIps: number[] = [];
  /** Delegated /28 prefix base addresses, in assignment order. */
  readonly prefixes: number[] = [];
  readonly ipv6Prefixes: string[] = [];
  readonly ipv6Addresses: string[] = [];

  constructor(
    readonly id: EniId,
    readonly subnet: Subnet,
    readonly mac: string,
    readonly primaryIp: number,
    public description: string,
    readonly interfaceType: InterfaceType,
    public securityGroups: string[],
    readonly tags: Tags,
    /** Virtual time of creation (ms). */
    readonly createdAt: number,
    /** Creation order among the account's ENIs (1, 2, …). */
    readonly ordinal: number,
  ) {}

  /** IPv4 slots used besides the primary: secondaries and prefixes share them (spec §5). */
  get slotsUsed(): number {
    return this.secondaryIps.length + this.prefixes.length;
  }

  /** Subnet addresses this ENI holds (primary, secondaries, 16 per prefix). */
  get addressCount(): number {
    return 1 + this.secondaryIps.length + 16 * this.prefixes.length;
  }

  view(): NetworkInterfaceView {
    const v: NetworkInterfaceView = {
      networkInterfaceId: this.id,
      subnetId: this.subnet.id,
      vpcId: this.subnet.vpcId,
      availabilityZone: this.subnet.availabilityZone,
      description: this.description,
      interfaceType: this.interfaceType,
      status: this.status,
      privateIpAddress: formatIpv4(this.primaryIp),
      secondaryPrivateIpAddresses: this.secondaryIps.map(formatIpv4),
      ipv4Prefixes: this.prefixes.map((p) => `${formatIpv4(p)}/28`),
      ipv6Prefixes: [...this.ipv6Prefixes],
      ipv6Addresses: [...this.ipv6Addresses],
      securityGroups: [...this.securityGroups],
      tags: { ...this.tags },
    };
    if (this.attachment !== undefined) v.attachment = { ...this.attachment };
    return v;
  }

  /** What IMDS shows for this ENI right now (the IMDS view delays it; imds.ts). Needs an attachment. */
  imdsSnapshot(): ImdsEni {
    const a = this.attachment!;
    return {
      eniId: this.id,
      mac: this.mac,
      deviceIndex: a.deviceIndex,
      networkCardIndex: a.networkCardIndex,
      subnetId: this.subnet.id,
      subnetCidr: this.subnet.cidrText,
      localIpv4s: [formatIpv4(this.primaryIp), ...this.secondaryIps.map(formatIpv4)],
      ipv4Prefixes: this.prefixes.map((p) => `${formatIpv4(p)}/28`),
      ipv6Prefixes: [...this.ipv6Prefixes],
      ipv6s: [...this.ipv6Addresses],
      securityGroupIds: [...this.securityGroups],
    };
  }
}
