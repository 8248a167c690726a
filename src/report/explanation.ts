/**
 * The shape of an explanation of a pod that is not Running, shared by the report record (types.ts) and the views
 * (view-types.ts). No behaviour here; why.ts builds them.
 */

/** Why one pod is not Running: a cause label and the chain pod → node → pool → ipamd decisions → subnet. */
export interface StuckExplanation {
  pod: string;
  namespace: string;
  node?: string;
  status: string;
  cause: string;
  since?: number;
  chain: string[];
}
