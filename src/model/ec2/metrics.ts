/**
 * Counters of the simulated EC2 API, in total and per principal, shaped for ipamd's Prometheus metrics:
 * `awscni_ec2api_req_count{fn}` ← `calls[action]`, `awscni_aws_api_error_count{api,error}` ← `errors[action][code]`
 * (what callers see after SDK retries). Attempts, throttled attempts and per-attempt errors show the retries.
 * Plain objects, so they serialise as they are. Not here: the metrics exposition format.
 */
import type { Ec2Action, Ec2ErrorCode, Principal } from './types.ts';

export type ActionCounts = Partial<Record<Ec2Action, number>>;
export type ErrorCounts = Partial<Record<Ec2Action, Partial<Record<Ec2ErrorCode, number>>>>;

export interface Ec2CounterSet {
  /** API calls made (one per call, whatever its retries). */
  calls: ActionCounts;
  /** Requests sent: calls plus SDK retries. */
  attempts: ActionCounts;
  /** Attempts refused by a token bucket (RequestLimitExceeded from throttling, not from fault injection). */
  throttledAttempts: ActionCounts;
  /** Calls that finally failed, by action and code: what the caller sees. */
  errors: ErrorCounts;
  /** Failed attempts (retried ones included), by action and code. */
  attemptErrors: ErrorCounts;
}

function emptySet(): Ec2CounterSet {
  return { calls: {}, attempts: {}, throttledAttempts: {}, errors: {}, attemptErrors: {} };
}

function bump(c: ActionCounts, a: Ec2Action): void {
  c[a] = (c[a] ?? 0) + 1;
}

function bumpError(c: ErrorCounts, a: Ec2Action, code: Ec2ErrorCode): void {
  const m = (c[a] ??= {});
  m[code] = (m[code] ?? 0) + 1;
}

/** Sum of the counts (all actions, or one). */
export function countOf(c: ActionCounts, action?: Ec2Action): number {
  if (action !== undefined) return c[action] ?? 0;
  let n = 0;
  for (const v of Object.values(c)) n += v ?? 0;
  return n;
}

/** Calls that finally failed, summed over actions, by error code. */
export function errorsByCode(c: ErrorCounts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const codes of Object.values(c)) for (const [code, k] of Object.entries(codes ?? {})) out[code] = (out[code] ?? 0) + (k ?? 0);
  return out;
}

export class Ec2Metrics {
  readonly total: Ec2CounterSet = emptySet();
  readonly byPrincipal = new Map<Principal, Ec2CounterSet>();
  /** Changes to any counter so far: the same number means the same counters. */
  changes = 0;

  private sets(p: Principal): [Ec2CounterSet, Ec2CounterSet] {
    this.changes++;
    let s = this.byPrincipal.get(p);
    if (s === undefined) {
      s = emptySet();
      this.byPrincipal.set(p, s);
    }
    return [this.total, s];
  }

  call(p: Principal, a: Ec2Action): void {
    for (const s of this.sets(p)) bump(s.calls, a);
  }

  attempt(p: Principal, a: Ec2Action): void {
    for (const s of this.sets(p)) bump(s.attempts, a);
  }

  throttled(p: Principal, a: Ec2Action): void {
    for (const s of this.sets(p)) bump(s.throttledAttempts, a);
  }

  attemptError(p: Principal, a: Ec2Action, code: Ec2ErrorCode): void {
    for (const s of this.sets(p)) bumpError(s.attemptErrors, a, code);
  }

  finalError(p: Principal, a: Ec2Action, code: Ec2ErrorCode): void {
    for (const s of this.sets(p)) bumpError(s.errors, a, code);
  }

  /** Final errors for one action and code (0 when none). */
  errorCount(a: Ec2Action, code: Ec2ErrorCode, p?: Principal): number {
    const s = p === undefined ? this.total : this.byPrincipal.get(p);
    return s?.errors[a]?.[code] ?? 0;
  }

  /** A deep copy, per principal in first-seen order. */
  snapshot(): { total: Ec2CounterSet; byPrincipal: Record<Principal, Ec2CounterSet> } {
    return structuredClone({ total: this.total, byPrincipal: Object.fromEntries(this.byPrincipal) });
  }
}
