/**
 * `aws ec2 associate-vpc-cidr-block --vpc-id VPC --cidr-block CIDR`: add a secondary IPv4 block to the VPC
 * (form: AWS CLI reference, ec2 associate-vpc-cidr-block). Runs as `admin` (src/model/world/admin-actions.ts).
 */
import { req } from '../descriptor.ts';
import { addVpcBlock } from '../rules.ts';
import { defineAction } from './action.ts';

export default defineAction({
  run: 'aws ec2 associate-vpc-cidr-block',
  fields: { cidrBlock: req({ t: 'cidr4' }, 'The secondary IPv4 block.') },
  doc: 'Add a secondary CIDR block to the VPC.',
  check: (a, ctx, path) => addVpcBlock(ctx.src, [...path, 'cidrBlock'], a.cidrBlock, ctx.blocks, ctx.blockLimit),
  command: (a, c) => `aws ec2 associate-vpc-cidr-block --vpc-id ${c.vpcId} --cidr-block ${a.cidrBlock}`,
  apply: (a, world) => world.associateVpcCidrBlock(a.cidrBlock),
});
