/**
 * What the simulated EC2 reports as it happens: every attempt of every API call with its result, and instances
 * entering `running` or `terminated`. The World puts these on its stream (src/model/world/happenings.ts).
 * Not here: the counters of the same calls (metrics.ts), which are kept whether anyone listens or not.
 */
import type { Ec2Action, Principal } from './types.ts';

export type Ec2Happening =
  | {
      type: 'ec2-call';
      t: number;
      /** The call's ordinal in this EC2 (attempts of one call share it). */
      call: number;
      action: Ec2Action;
      principal: Principal;
      attempt: number;
      /** 'ok' or the error code (RequestLimitExceeded, UnauthorizedOperation, InsufficientCidrBlocks…). */
      result: string;
    }
  | { type: 'instance'; t: number; instanceId: string; state: 'running' | 'terminated' };
