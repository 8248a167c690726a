/**
 * Rules between fields of a structurally valid scenario (spec.ts) beyond the cluster's shape (world-shape.ts): a
 * timeline in time order that only touches what exists by then (each step's own rules are its action's `check`,
 * actions/*.ts), expectations that name real subnets and node groups, and a duration that holds every step and
 * check. Builds the `Scenario`. Not here: per-field types and limits (validate.ts).
 */
import { formatDuration } from '../util/duration.ts';
import { formatInputError } from '../util/input-error.ts';
import { didYouMean } from '../util/suggest.ts';
import type { CheckContext } from './actions/action.ts';
import { actionFor, type Action } from './actions/index.ts';
import { checkExistingSection } from './existing.ts';
import type { Located, Path } from './source.ts';
import type { Check, Expectation, Scenario } from './types.ts';
import { unknownSubnet } from './rules.ts';
import { fail, whereOf } from './validate.ts';
import { checkWorldShape } from './world-shape.ts';

const DEFAULT_DURATION_MS = 600_000;
/**
 * Without a `duration`, a run whose last timeline step comes after its last expectation (or that has none) goes on
 * this long after that step, so the step's effect — an ENI attached, pods getting addresses — is in the report.
 * Two minutes covers a node joining (≈ 1 min), an ENI create-attach-IMDS round (≤ 20 s) and a pool pass, though not
 * a 120 s InsufficientFreeAddressesInSubnet freeze ending (docs/scenario-format.md "When the run ends").
 */
export const SETTLE_MS = 120_000;

type Raw = Record<string, any>;

/** What checking may use besides the document: a reader for files a step names (the command line gives one). */
export interface CheckOptions {
  readFile?: (path: string) => string;
}

export function checkScenario(src: Located, v: Raw, opts: CheckOptions = {}): Scenario {
  const timelineRaw = (v.timeline ?? []) as Raw[];
  const shape = checkWorldShape(src, v, timelineRaw);
  const groups = new Map(shape.spec.nodeGroups.map((g) => [g.name, { minSize: g.minSize ?? 0, maxSize: g.maxSize ?? g.desiredCapacity }]));
  const warnings: string[] = [];
  const warn = (at: Located, path: Path, reason: string) => {
    const { where, suffix } = whereOf(at, path);
    warnings.push(formatInputError(where, reason + suffix));
  };
  const ctx: CheckContext = { src, region: shape.spec.region, blocks: shape.blocks, blockLimit: shape.blockLimit, subnets: shape.subnets, deployments: new Set(), groups, written: {}, warn };
  const existing = v.existing === undefined ? {} : { existing: checkExistingSection(src, v.existing, shape, ctx.deployments, warn) };
  if (opts.readFile !== undefined) ctx.readFile = opts.readFile;
  const timeline = checkTimeline(ctx, timelineRaw);
  const expect = ((v.expect ?? []) as Raw[]).map((e, i) => checkExpectation(src, e, i, shape.subnets, groups));
  const duration = checkDuration(src, v.duration, timeline, expect);
  return { file: src.file, name: v.name, description: v.description ?? '', seed: v.seed ?? 1, duration, ...shape.spec, ...existing, timeline, expect, warnings };
}

/** Steps in time order, each checked by its action's rules against the file as read so far. */
function checkTimeline(ctx: CheckContext, raw: Raw[]): Action[] {
  let prevAt = 0;
  let prevIndex = -1;
  const written = ((ctx.src.value as Raw).timeline ?? []) as Raw[];
  return raw.map((a, i) => {
    const path: (string | number)[] = ['timeline', i];
    if (a.at < prevAt) {
      fail(ctx.src, [...path, 'at'], `${formatDuration(a.at)} is before the step above it (timeline[${prevIndex}] at ${formatDuration(prevAt)}); list steps in time order`);
    }
    prevAt = a.at;
    prevIndex = i;
    const step = { ...a, index: i } as Action;
    actionFor(a.run).check?.(step as never, { ...ctx, written: written[i] ?? {} }, path);
    return step;
  });
}

function checkExpectation(src: Located, e: Raw, i: number, subnetIds: ReadonlyMap<string, unknown>, groups: ReadonlyMap<string, unknown>): Expectation {
  const path: (string | number)[] = ['expect', i];
  const check = toCheck(e);
  if (check.kind === 'subnet' && !subnetIds.has(check.id)) unknownSubnet(src, [...path, 'subnet', 'id'], check.id, subnetIds.keys());
  if (check.kind === 'enis' && check.nodeGroup !== undefined && !groups.has(check.nodeGroup)) {
    fail(src, [...path, 'enis', 'nodeGroup'], `no node group "${check.nodeGroup}"${didYouMean(check.nodeGroup, groups.keys())}`);
  }
  if (check.kind === 'enis' && [check.node, check.selector, check.nodeGroup].filter((x) => x !== undefined).length > 1) {
    fail(src, [...path, 'enis'], 'give at most one of node, selector, nodeGroup');
  }
  if (check.kind === 'pods' && check.count.all === true && check.phase === undefined) {
    fail(src, [...path, 'pods', 'count'], '`all` needs a phase (e.g. phase: Running, count: all)');
  }
  const out: Expectation = { at: e.at, check, index: i };
  if (e.description !== undefined) out.description = e.description;
  return out;
}

/** The run's length: as given (every step and check inside it), else up to the last step or check. */
function checkDuration(src: Located, given: number | undefined, timeline: Action[], expect: Expectation[]): number {
  const lastAction = timeline.length > 0 ? timeline[timeline.length - 1].at : 0;
  const lastExpect = expect.reduce((m, e) => Math.max(m, e.at), 0);
  const lastActionSettled = lastAction > lastExpect || expect.length === 0 ? lastAction + SETTLE_MS : lastAction;
  const duration = given ?? (Math.max(lastAction, lastExpect) === 0 ? DEFAULT_DURATION_MS : Math.max(lastActionSettled, lastExpect));
  if (given === undefined) return duration;
  for (const [section, items] of [['timeline', timeline], ['expect', expect]] as const) {
    for (const x of items) {
      if (x.at > duration) fail(src, [section, x.index, 'at'], `${formatDuration(x.at)} is after the end of the run (duration ${formatDuration(duration)})`);
    }
  }
  return duration;
}

function toCheck(e: Raw): Check {
  for (const kind of ['pods', 'subnet', 'enis', 'nodes', 'stuck', 'ec2'] as const) {
    if (e[kind] !== undefined) return { kind, ...e[kind] } as Check;
  }
  throw new Error('unreachable: validate() enforces exactly one check');
}

