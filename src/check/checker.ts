/**
 * The driver: runs every invariant against the current `WorldView` (after every event when attached to a world),
 * stamps each report with time, seed and class, de-duplicates, and sorts it into failures and findings.
 * A failure may stop the run at once (`stopOnFailure`) so a property test shrinks on the first bad event.
 * Not here: the rules (one file each), building the view (world-view.ts).
 */
import { cooldown } from './cooldown.ts';
import { datastoreAgrees } from './datastore-agrees.ts';
import { eniAddressUnique } from './eni-address-unique.ts';
import { eniInSubnet } from './eni-in-subnet.ts';
import { eniLimits } from './eni-limits.ts';
import { growthStep } from './growth-step.ts';
import { formatViolation, type Invariant, type Report, type Violation } from './invariant.ts';
import { liveness } from './liveness.ts';
import { podAddresses } from './pod-addresses.ts';
import { subnetAccounting } from './subnet-accounting.ts';
import { tokenBuckets } from './token-buckets.ts';
import type { WorldView } from './view.ts';

/** Every invariant, in the order they run. */
export const INVARIANTS: readonly Invariant[] = [
  eniAddressUnique,
  eniInSubnet,
  subnetAccounting,
  eniLimits,
  podAddresses,
  cooldown,
  tokenBuckets,
  growthStep,
  datastoreAgrees,
  liveness,
];

export interface CheckerOptions {
  /** Subset of invariant ids to run (default: all). */
  only?: readonly string[];
  /** Called with each new failure (not findings). */
  onFailure?: (v: Violation) => void;
  /** At most this many violations are kept (default 200); the count goes on. */
  keep?: number;
}

export class InvariantChecker {
  readonly failures: Violation[] = [];
  readonly findings: Violation[] = [];
  /** Checks run so far. */
  checks = 0;
  /** Called with each new failure (not findings). */
  onFailure: ((v: Violation) => void) | undefined;
  private readonly seen = new Set<string>();
  private readonly running: { inv: Invariant; fn: ReturnType<Invariant['start']> }[];
  private readonly keep: number;

  constructor(
    private readonly view: () => WorldView,
    opts: CheckerOptions = {},
  ) {
    const only = opts.only === undefined ? undefined : new Set(opts.only);
    this.running = INVARIANTS.filter((i) => only === undefined || only.has(i.id)).map((inv) => ({ inv, fn: inv.start() }));
    this.keep = opts.keep ?? 200;
    this.onFailure = opts.onFailure;
  }

  /** Adds an invariant for the rest of the run (tests plant deliberately strict ones to exercise shrinking). */
  add(inv: Invariant): void {
    this.running.push({ inv, fn: inv.start() });
  }

  get ok(): boolean {
    return this.failures.length === 0;
  }

  /** Runs every invariant once against the current state. */
  check(): void {
    this.checks++;
    const v = this.view();
    for (const { inv, fn } of this.running) fn(v, (r) => this.record(inv, v, r));
  }

  /** The end-of-run checks (convergence). Call once the liveness phase is over. */
  finish(): void {
    const v = this.view();
    for (const { inv, fn } of this.running) {
      fn(v, (r) => this.record(inv, v, r));
      inv.final?.(v, (r) => this.record(inv, v, r));
    }
  }

  /** Failures then findings, one line each. */
  summary(): string[] {
    return [...this.failures, ...this.findings].map(formatViolation);
  }

  private record(inv: Invariant, view: WorldView, r: Report): void {
    const key = `${inv.id}|${r.node ?? ''}|${r.finding ?? ''}|${r.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const v: Violation = { invariant: inv.id, class: inv.class, t: view.now, seed: view.seed, message: r.message };
    if (r.node !== undefined) v.node = r.node;
    if (r.finding !== undefined) v.finding = r.finding;
    const list = v.finding === undefined ? this.failures : this.findings;
    if (list.length < this.keep) list.push(v);
    if (v.finding === undefined) this.onFailure?.(v);
  }
}
