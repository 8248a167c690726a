/**
 * The shape every invariant checker shares, and what a broken invariant looks like.
 *
 * An invariant is a small object in its own file: an id, its class (safety or liveness), a one-line statement and
 * the spec section it comes from, and `start()`, which returns the per-run check called after every event with the
 * current `WorldView`. Stateful checks (cooldown, growth steps, liveness) keep their history in the closure.
 * Failures are classified the TigerBeetle way: `safety` (something wrong now: a double-held address, a negative
 * bucket) or `liveness` (something that should have happened did not, within the derived bound). A violation the
 * real daemon's rules produce on purpose is not a failure but a `finding` (see findings.ts).
 * Not here: the rules (one file each), the driver (checker.ts).
 */
import type { WorldView } from './view.ts';

export type ViolationClass = 'safety' | 'liveness';

export interface Violation {
  invariant: string;
  class: ViolationClass;
  /** Virtual ms. */
  t: number;
  seed: number | string;
  message: string;
  node?: string;
  /** Set when the violation is a known, documented behaviour of the real daemon (findings.ts). */
  finding?: string;
}

/** What a check reports; the driver adds time, seed and class. */
export interface Report {
  message: string;
  node?: string;
  finding?: string;
}

export interface Invariant {
  readonly id: string;
  readonly class: ViolationClass;
  /** One sentence: what must hold. */
  readonly statement: string;
  /** Where the rule lives (spec sections). */
  readonly source: string;
  /** A fresh check for one run. It reports each distinct problem once (the driver also de-duplicates). */
  start(): (view: WorldView, report: (r: Report) => void) => void;
  /** An end-of-run check (convergence), run once when the liveness phase is over. */
  final?(view: WorldView, report: (r: Report) => void): void;
}

export function formatViolation(v: Violation): string {
  const kind = v.finding !== undefined ? `finding ${v.finding}` : v.class;
  const where = v.node !== undefined ? ` node ${v.node}` : '';
  return `[${kind}] ${v.invariant} at t=${v.t}ms${where} (seed ${v.seed}): ${v.message}`;
}
