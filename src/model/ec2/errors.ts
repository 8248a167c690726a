/**
 * Builders for the EC2 errors the simulator returns, with the message text EC2 uses (as far as it is known), so a
 * trace or a report reads like real CloudTrail/SDK output. Only constructors of values; no policy lives here.
 */
import { type Cidr, parseCidr } from '../vpc/ipv4.ts';
import type { Ec2Action, Ec2Error, Ec2ErrorCode, Ec2Result } from './types.ts';

export function ec2Error(code: Ec2ErrorCode, message: string): Ec2Error {
  return { code, message };
}

export function fail<T>(code: Ec2ErrorCode, message: string): Ec2Result<T> {
  return { ok: false, error: { code, message } };
}

export function ok<T>(value: T): Ec2Result<T> {
  return { ok: true, value };
}

export const errors = {
  eniNotFound: (id: string) => ec2Error('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`),
  subnetNotFound: (id: string) => ec2Error('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`),
  instanceNotFound: (id: string) => ec2Error('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`),
  vpcNotFound: (id: string) => ec2Error('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`),
  attachmentNotFound: (id: string) => ec2Error('InvalidAttachmentID.NotFound', `The attachment ID '${id}' does not exist`),
  eniInUse: (id: string) => ec2Error('InvalidNetworkInterface.InUse', `The network interface '${id}' is currently in use.`),
  insufficientAddresses: () =>
    ec2Error('InsufficientFreeAddressesInSubnet', 'The specified subnet does not have enough free addresses to satisfy the request.'),
  insufficientCidrBlocks: () =>
    ec2Error('InsufficientCidrBlocks', 'The specified subnet does not have enough free cidr blocks to satisfy the request.'),
  attachmentLimit: (count: number, type: string) =>
    ec2Error('AttachmentLimitExceeded', `Interface count ${count} exceeds the limit for ${type}`),
  privateIpLimit: () => ec2Error('PrivateIpAddressLimitExceeded', 'Number of private addresses will exceed limit.'),
  invalid: (message: string) => ec2Error('InvalidParameterValue', message),
  notPermitted: (message: string) => ec2Error('OperationNotPermitted', message),
  unauthorized: (principal: string, action: Ec2Action) =>
    ec2Error(
      'UnauthorizedOperation',
      `You are not authorized to perform this operation. User: ${principal} is not authorized to perform: ec2:${action} ` +
        `because no identity-based policy allows the ec2:${action} action`,
    ),
  throttled: () => ec2Error('RequestLimitExceeded', 'Request limit exceeded.'),
  internal: () => ec2Error('InternalError', 'An internal error has occurred'),
};

/** A CIDR parameter, or the InvalidParameterValue error EC2 answers for a malformed one. */
export function parseCidrParam(text: string): Cidr | Ec2Error {
  try {
    return parseCidr(text);
  } catch (err) {
    return errors.invalid((err as Error).message);
  }
}
