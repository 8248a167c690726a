/**
 * A loaded scenario, as the runner sees it: the shape declared in spec.ts after validation (durations in ms, counts
 * as CountRange, defaults filled in by the loader). The cluster's shape is the model's WorldSpec, not restated here.
 * Types only.
 */
import type { Action } from './actions/index.ts';
import type { CountRange } from './range.ts';
import type { POD_PHASES, STUCK_CAUSES } from './spec.ts';
import type { LoadedWorldSpec } from './world-shape.ts';

export type PodPhase = (typeof POD_PHASES)[number];
export type StuckCause = (typeof STUCK_CAUSES)[number];
/** A timeline step: inferred from the action declarations (actions/index.ts), not written out here. */
export type { Action, ActionKind } from './actions/index.ts';

export type Check =
  | { kind: 'pods'; selector?: string; namespace?: string; phase?: PodPhase; node?: string; ipIn?: string; ipFamily?: 'ipv4' | 'ipv6'; count: CountRange }
  | { kind: 'subnet'; id: string; available: CountRange }
  | { kind: 'enis'; node?: string; selector?: string; nodeGroup?: string; count: CountRange }
  | { kind: 'nodes'; selector?: string; ready?: boolean; count: CountRange }
  | { kind: 'stuck'; cause?: StuckCause; count: CountRange }
  | { kind: 'ec2'; code?: string; action?: string; count: CountRange };

export interface Expectation {
  at: number;
  description?: string;
  check: Check;
  index: number;
}

/**
 * A loaded scenario: the World's own spec (src/model/world/spec.ts; the loader fills in every default, so the
 * runner builds the World from it as it is) plus what the file says about running it.
 */
export interface Scenario extends LoadedWorldSpec {
  /** The file it came from. */
  file: string;
  name: string;
  description: string;
  seed: number;
  /** ms; when the run stops unless --until says otherwise. */
  duration: number;
  timeline: Action[];
  expect: Expectation[];
  /** What the simulator accepts but does not model, one located line each (`file:line:col: field: reason`). */
  warnings: string[];
}
