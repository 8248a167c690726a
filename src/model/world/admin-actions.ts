/**
 * The scenario's `aws ec2 …` actions on the VPC (associate-vpc-cidr-block, create-subnet, create-tags, delete-tags),
 * run as `admin`: each applies at once, without API latency, throttling or call metrics, but honours IAM denials for
 * `admin`, and answers as the AWS CLI would (its JSON or error text). Not here: the command line and recording the
 * action on the timeline (src/scenario/actions, World.act), the EC2 rules themselves (src/model/ec2).
 */
import type { Ec2 } from '../ec2/ec2-api.ts';
import { errors } from '../ec2/errors.ts';
import type { Ec2Action, Ec2Result, Tags } from '../ec2/types.ts';
import type { ActionResult } from '../k8s/types.ts';

export const ADMIN_PRINCIPAL = 'admin';

/** The AWS CLI's error text for a failed call; undefined when it succeeded. */
export function cliError(action: string, r: Ec2Result<unknown>): ActionResult | undefined {
  if (r.ok) return undefined;
  return { ok: false, message: `An error occurred (${r.error.code}) when calling the ${action} operation: ${r.error.message}` };
}

/** Scenario actions honour IAM denials for `admin` (deniedPermissions with principal 'admin'). */
export function adminDenied(ec2: Ec2, action: Ec2Action): ActionResult | undefined {
  if (!ec2.faults.deniedTo(ADMIN_PRINCIPAL, action)) return undefined;
  return cliError(action, { ok: false, error: errors.unauthorized(ADMIN_PRINCIPAL, action) });
}

export function associateVpcCidrBlock(ec2: Ec2, vpcId: string, cidr: string): ActionResult {
  const denied = adminDenied(ec2, 'AssociateVpcCidrBlock');
  if (denied !== undefined) return denied;
  const r = ec2.state.associateVpcCidrBlock(vpcId, cidr);
  return (
    cliError('AssociateVpcCidrBlock', r) ?? { ok: true, message: JSON.stringify({ CidrBlockAssociation: { CidrBlock: cidr, CidrBlockState: { State: 'associated' } }, VpcId: vpcId }) }
  );
}

/** create-tags; `resolve` turns a scenario name (subnet, node) into its EC2 id. */
export function createTags(ec2: Ec2, resourceIds: string[], resolve: (id: string) => string, tags: Tags): ActionResult {
  return adminDenied(ec2, 'CreateTags') ?? cliError('CreateTags', ec2.state.createTags(resourceIds.map(resolve), tags)) ?? { ok: true, message: '' };
}

/** delete-tags; `resolve` turns a scenario name (subnet, node) into its EC2 id. */
export function deleteTags(ec2: Ec2, resourceIds: string[], resolve: (id: string) => string, keys: string[]): ActionResult {
  return adminDenied(ec2, 'DeleteTags') ?? cliError('DeleteTags', ec2.state.deleteTags(resourceIds.map(resolve), keys)) ?? { ok: true, message: '' };
}
