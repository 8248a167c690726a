/**
 * The scenario's `aws ec2 …` actions on the VPC (associate-vpc-cidr-block, create-subnet, create-tags, delete-tags),
 * run as `admin`: each applies at once, without API latency, throttling or call metrics, but honours IAM denials for
 * `admin`, and answers as the AWS CLI would (its command line and its JSON or error text). Not here: recording the
 * action on the timeline (World), the EC2 rules themselves (src/model/ec2).
 */
import type { Ec2 } from '../ec2/ec2-api.ts';
import { errors } from '../ec2/errors.ts';
import type { Ec2Action, Ec2Result, Tags } from '../ec2/types.ts';
import type { ActionResult } from '../k8s/types.ts';

export const ADMIN_PRINCIPAL = 'admin';

/** An action's command line (as the timeline shows it) and its outcome. */
export interface AdminAction {
  command: string;
  result: ActionResult;
}

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

export function associateVpcCidrBlock(ec2: Ec2, vpcId: string, cidr: string): AdminAction {
  const command = `aws ec2 associate-vpc-cidr-block --cidr-block ${cidr}`;
  const denied = adminDenied(ec2, 'AssociateVpcCidrBlock');
  if (denied !== undefined) return { command, result: denied };
  const r = ec2.state.associateVpcCidrBlock(vpcId, cidr);
  const result =
    cliError('AssociateVpcCidrBlock', r) ??
    ({ ok: true, message: JSON.stringify({ CidrBlockAssociation: { CidrBlock: cidr, CidrBlockState: { State: 'associated' } }, VpcId: vpcId }) } as ActionResult);
  return { command, result };
}

/** create-tags; `resolve` turns a scenario name (subnet, node) into its EC2 id. */
export function createTags(ec2: Ec2, resourceIds: string[], resolve: (id: string) => string, tags: Tags): AdminAction {
  const command = `aws ec2 create-tags --resources ${resourceIds.join(' ')}`;
  const denied = adminDenied(ec2, 'CreateTags');
  if (denied !== undefined) return { command, result: denied };
  return { command, result: cliError('CreateTags', ec2.state.createTags(resourceIds.map(resolve), tags)) ?? { ok: true, message: '' } };
}

/** delete-tags; `resolve` turns a scenario name (subnet, node) into its EC2 id. */
export function deleteTags(ec2: Ec2, resourceIds: string[], resolve: (id: string) => string, keys: string[]): AdminAction {
  const command = `aws ec2 delete-tags --resources ${resourceIds.join(' ')}`;
  const denied = adminDenied(ec2, 'DeleteTags');
  if (denied !== undefined) return { command, result: denied };
  return { command, result: cliError('DeleteTags', ec2.state.deleteTags(resourceIds.map(resolve), keys)) ?? { ok: true, message: '' } };
}
