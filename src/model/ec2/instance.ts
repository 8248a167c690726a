/**
 * An EC2 instance as the VPC layer needs it: type (limits from instance-types.ts), subnet and AZ, lifecycle state,
 * the primary ENI created at launch and the ENIs attached to it. A record plus view building; rules live in state.ts.
 */
import { formatIpv4 } from '../vpc/ipv4.ts';
import type { Subnet } from '../vpc/subnet.ts';
import type { Eni } from './eni.ts';
import type { InstanceType } from './instance-types.ts';
import type { InstanceId, InstanceView, Tags } from './types.ts';

export type InstanceState = InstanceView['state'];

export class Instance {
  state: InstanceState = 'pending';
  /** Attached ENIs (status in-use or detaching), the primary first. */
  readonly enis: Eni[] = [];

  constructor(
    readonly id: InstanceId,
    readonly type: InstanceType,
    readonly subnet: Subnet,
    readonly primaryEni: Eni,
    readonly tags: Tags,
    /** Virtual time of the RunInstances response (ms). */
    readonly launchedAt: number,
  ) {}

  get availabilityZone(): string {
    return this.subnet.availabilityZone;
  }

  /** ENIs attached on one network card (detaching ones still hold their slot). */
  enisOnCard(card: number): Eni[] {
    return this.enis.filter((e) => e.attachment!.networkCardIndex === card);
  }

  view(): InstanceView {
    return {
      instanceId: this.id,
      instanceType: this.type.name,
      state: this.state,
      subnetId: this.subnet.id,
      availabilityZone: this.availabilityZone,
      privateIpAddress: formatIpv4(this.primaryEni.primaryIp),
      primaryEniId: this.primaryEni.id,
      networkInterfaces: this.enis.map((e) => ({
        eniId: e.id,
        deviceIndex: e.attachment!.deviceIndex,
        networkCardIndex: e.attachment!.networkCardIndex,
      })),
      tags: { ...this.tags },
    };
  }
}
