/**
 * `aws ec2 create-subnet --vpc-id VPC --cidr-block CIDR --availability-zone AZ [--tag-specifications …]` (form: AWS
 * CLI reference, ec2 create-subnet). The scenario's id for the subnet is not a CLI argument; the line ends with it as
 * a shell comment so the timeline shows which subnet later steps mean.
 */
import { opt, req } from '../descriptor.ts';
import { az, route, subnetId, tags } from '../fields.ts';
import { checkAz, checkSubnetCidr } from '../rules.ts';
import { fail } from '../validate.ts';
import { defineAction, shellWord } from './action.ts';

export default defineAction({
  run: 'aws ec2 create-subnet',
  fields: {
    id: req(subnetId('subnet id'), 'Id for the new subnet (later steps refer to it).'),
    cidrBlock: req({ t: 'cidr4' }, 'IPv4 CIDR inside a VPC block.'),
    availabilityZone: req(az('availability zone'), 'Availability zone.'),
    tags: opt(tags('tags'), 'Tags (`--tag-specifications`).'),
    route: opt(route('default route'), 'Default route (default nat).'),
  },
  doc: 'Create a subnet.',
  check(a, ctx, path) {
    checkAz(ctx.src, [...path, 'availabilityZone'], a.availabilityZone, ctx.region);
    if (ctx.subnets.has(a.id)) fail(ctx.src, [...path, 'id'], `duplicate subnet id "${a.id}"`);
    const cidr = checkSubnetCidr(ctx.src, [...path, 'cidrBlock'], a.cidrBlock, ctx.blocks, ctx.subnets, true);
    ctx.subnets.set(a.id, { cidr, az: a.availabilityZone });
  },
  command(a, c) {
    const t = Object.entries(a.tags ?? {});
    const spec = t.length === 0 ? '' : ` --tag-specifications ${shellWord(`ResourceType=subnet,Tags=[${t.map(([k, v]) => `{Key=${k},Value=${v}}`).join(',')}]`)}`;
    return `aws ec2 create-subnet --vpc-id ${c.vpcId} --cidr-block ${a.cidrBlock} --availability-zone ${a.availabilityZone}${spec} # ${a.id}`;
  },
  apply(a, world) {
    const r = a.route ?? 'nat';
    return world.createSubnet({ id: a.id, az: a.availabilityZone, cidr: a.cidrBlock, route: r, public: r === 'igw', tags: { ...(a.tags ?? {}) } });
  },
});
