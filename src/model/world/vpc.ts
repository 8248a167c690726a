/**
 * The World's VPC: building it and its subnets from a `WorldSpec` (or a create-subnet action), and the directory of
 * scenario names for subnets ("private-a" ↔ `subnet-…`) with whether each counts as public. The EC2 rules for VPCs
 * and subnets live in src/model/ec2; this file only calls them as the admin would and answers in the CLI's shape.
 * Not here: the actions' timeline entries and IAM checks (world/admin-actions.ts).
 */
import { InputError } from '../../util/input-error.ts';
import type { Ec2 } from '../ec2/ec2-api.ts';
import type { SubnetRoute } from '../k8s/node-join.ts';
import type { ActionResult } from '../k8s/types.ts';
import { cliError } from './admin-actions.ts';
import type { WorldSpec, SubnetSpec } from './spec.ts';

/** An id as EC2 makes them: `subnet-` and 8 or 17 hexadecimal digits. */
const REAL_SUBNET_ID = /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/;

/** Scenario names of subnets and their public flag, by EC2 id. */
export class SubnetDirectory {
  private readonly idByName = new Map<string, string>();
  private readonly nameById = new Map<string, string>();
  private readonly publicById = new Map<string, boolean>();

  constructor(private readonly ec2: Ec2) {}

  /** EC2 subnet id for a scenario name or an EC2 id. */
  resolve(idOrName: string): string | undefined {
    if (this.idByName.has(idOrName)) return this.idByName.get(idOrName);
    return this.ec2.state.subnets.has(idOrName) ? idOrName : undefined;
  }

  /** The EC2 id behind a scenario name (undefined for an EC2 id or an unknown name). */
  idOf(name: string): string | undefined {
    return this.idByName.get(name);
  }

  /** The scenario's name of a subnet (the EC2 id when it has none). */
  name(subnetId: string): string {
    return this.nameById.get(subnetId) ?? subnetId;
  }

  /** Public as the scenario says, else as its route says (an internet gateway). */
  isPublic(subnetId: string, routeKind: SubnetRoute): boolean {
    return this.publicById.get(subnetId) ?? routeKind === 'igw';
  }

  /** create-subnet as the admin: the subnet, its name and public flag recorded; the CLI's JSON answer. */
  add(vpcId: string, ipv6: boolean, s: SubnetSpec): ActionResult {
    if (s.id !== '' && this.idByName.has(s.id)) return { ok: false, message: `subnet name "${s.id}" is already used` };
    const route: SubnetRoute = s.route ?? 'nat';
    const r = this.ec2.state.createSubnet({
      vpcId,
      cidrBlock: s.cidr,
      availabilityZone: s.az,
      tags: { ...(s.tags ?? {}) },
      routeKind: route,
      externalUse: s.externalUse ?? 0,
      ipv6,
      // a name in EC2's own form (subnet-0123abcd, subnet- and 17 hex digits) is the subnet's id, as in the account it came from
      ...(REAL_SUBNET_ID.test(s.id) ? { subnetId: s.id } : {}),
    });
    if (!r.ok) return cliError('CreateSubnet', r)!;
    const sub = r.value;
    if (s.id !== '' && s.id !== sub.id) {
      this.idByName.set(s.id, sub.id);
      this.nameById.set(sub.id, s.id);
    }
    this.publicById.set(sub.id, s.public ?? route === 'igw');
    return {
      ok: true,
      message: JSON.stringify({
        Subnet: { SubnetId: sub.id, VpcId: sub.vpcId, CidrBlock: sub.cidrText, AvailabilityZone: sub.availabilityZone, AvailableIpAddressCount: sub.availableIpAddressCount, Tags: Object.entries(sub.tags).map(([Key, Value]) => ({ Key, Value })) },
      }),
    };
  }
}

/** Keeps the subnet names that are EC2 ids (SubnetDirectory.add adopts them) out of the ids EC2 makes meanwhile. */
export function reserveSubnetIds(ec2: Ec2, subnets: readonly Pick<SubnetSpec, 'id'>[]): void {
  ec2.state.reserveIds(subnets.map((s) => s.id).filter((id) => REAL_SUBNET_ID.test(id)));
}

/** Creates the spec's VPC with its CIDR blocks; returns its id. Bad blocks are `InputError`s naming the field. */
export function buildVpc(ec2: Ec2, spec: Pick<WorldSpec, 'vpc'>): string {
  const [first, ...rest] = spec.vpc.cidrBlocks;
  if (first === undefined) throw new InputError({ field: 'vpc.cidrBlocks' }, 'needs at least one CIDR block');
  const r = ec2.state.createVpc({ cidrBlock: first, amazonProvidedIpv6CidrBlock: spec.vpc.ipv6 === true });
  if (!r.ok) throw new InputError({ field: 'vpc.cidrBlocks[0]' }, `${r.error.code}: ${r.error.message}`);
  rest.forEach((c, i) => {
    const a = ec2.state.associateVpcCidrBlock(r.value.id, c);
    if (!a.ok) throw new InputError({ field: `vpc.cidrBlocks[${i + 1}]` }, `${a.error.code}: ${a.error.message}`);
  });
  return r.value.id;
}
