/**
 * ipamd's side of EC2 calls: the awscni_ec2api_req_count / awscni_aws_api_error_count metrics, the error hook
 * (decision records, §8.5; the MissingIAMPermissions event text), and the backoff schedules of pkg/utils/retry (§8.2, §8.3). Calls are generator steps
 * so that a slow call delays the pool loop exactly as the real synchronous loop is delayed (§2.2).
 * The AWS SDK standard retryer (3 attempts, jittered backoff, §8.4) runs inside the simulated EC2 call
 * (src/model/ec2/ec2-api.ts), so a result here is already the post-retry one.
 * Not here: what to do with the results (the callers).
 */
import type { Proc, Random, SimEvent } from '../../sim/index.ts';
import { wait } from '../../sim/index.ts';
import type { Ec2Error, Ec2Result } from '../ec2/types.ts';
import type { Metrics } from './metrics.ts';

/** The Warning event reason ipamd raises on its aws-node pod for an UnauthorizedOperation (§8.5). */
export const EVENT_MISSING_IAM_PERMISSIONS = 'MissingIAMPermissions';

/** That event's message, as awsutils.go `checkAPIErrorAndBroadcastEvent` words it (`api` as ipamd names calls). */
export function missingIamPermissionsMessage(api: string): string {
  return (
    `Unauthorized operation: failed to call ec2:${api} due to missing permissions. ` +
    'Please refer https://github.com/aws/amazon-vpc-cni-k8s/blob/master/docs/iam-policy.md to attach relevant policy to IAM role'
  );
}

export class Ec2Client {
  /** awscni_ec2api_req_count by API, looked up once per API rather than by label string on every call. */
  private readonly requests = new Map<string, { value: number }>();

  constructor(
    private readonly metrics: Metrics,
    /** Called with the error of a failed call. */
    private readonly onError: (api: string, e: Ec2Error) => void,
  ) {}

  /** One API call (SDK retries included); resumes with the result. */
  *call<T>(api: string, invoke: () => SimEvent<Ec2Result<T>>): Proc<Ec2Result<T>> {
    let requests = this.requests.get(api);
    if (requests === undefined) this.requests.set(api, (requests = this.metrics.series('awscni_ec2api_req_count', { fn: api })));
    requests.value++;
    const r = yield* wait(invoke());
    if (!r.ok) {
      this.metrics.inc('awscni_aws_api_error_count', { api, error: r.error.code });
      this.onError(api, r.error);
    }
    return r;
  }
}

/**
 * pkg/utils/retry backoff: `initial × factor^i` capped at `capMs`, plus up to `jitter` × delay (§8.2, §8.3).
 * Returns the sleep before attempt i+1 (i from 0).
 */
export function backoffDelay(i: number, initialMs: number, capMs: number, jitter: number, rng: Random): number {
  const base = Math.min(capMs, initialMs * 2 ** i);
  return Math.round(base * (1 + rng.float() * jitter));
}
