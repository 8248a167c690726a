/**
 * What a timeline action is: one declaration (`defineAction`) holding its fields — from which the loader's checks,
 * the JSON Schema and the action's TypeScript type all come — the rules between it and the rest of the file, the
 * real command line it stands for (the one rendering the timeline, the reports and the World's record share), and
 * its effect on the World. Each action lives in its own file beside this one; index.ts is the table of them.
 * Not here: any particular action, or the runner that walks the timeline (runner.ts).
 */
import type { ActionResult } from '../../model/k8s/types.ts';
import type { Cidr } from '../../model/vpc/ipv4.ts';
import type { World } from '../../model/world.ts';
import { obj, opt, req, str, type Field, type InferFields, type ObjectDesc } from '../descriptor.ts';
import { matchesSelector } from '../selector.ts';
import type { Located, Path } from '../source.ts';

/** One command a step ran, as the report's timeline lists it. */
export interface ActionRecord {
  t: number;
  command: string;
  ok: boolean;
  message: string;
  note?: string;
}

/** Fields every step has besides its own. */
interface StepBase {
  /** ms from the start. */
  at: number;
  note?: string;
  /** Index in the file's timeline (for messages). */
  index: number;
}

/** The loaded step of an action declared with `run` R and fields F. */
export type ActionOf<R extends string, F extends Record<string, Field>> = StepBase & { run: R } & InferFields<F>;

/** What a step's rules see: the file as read so far, in time order. */
export interface CheckContext {
  src: Located;
  region: string;
  /** The VPC's IPv4 blocks by then, and how many it may hold. */
  blocks: Cidr[];
  blockLimit: number;
  /** Subnets by scenario id, by then. */
  subnets: Map<string, { cidr: Cidr; az: string }>;
  /** Deployments applied by then, as "namespace/name". */
  deployments: Set<string>;
  groups: ReadonlyMap<string, { minSize: number; maxSize: number }>;
  /** The step as written in the file (before defaults), for paths into it. */
  written: Record<string, unknown>;
  /**
   * Reads a file a step names (`kubectl apply` with `file:`), relative to the scenario. The command line supplies
   * it: parsing a scenario from text reads no files, so it also runs where there are none (a browser).
   */
  readFile?: (path: string) => string;
  /** Records a warning about a value (something the simulator does not model), located in `src`. */
  warn(src: Located, path: Path, reason: string): void;
}

/** What a command line may name besides the step's own fields. */
export interface CommandContext {
  /** The EKS cluster (`eksctl --cluster`). */
  cluster: string;
  /** The VPC's EC2 id (`aws ec2 … --vpc-id`). */
  vpcId: string;
  /** The node or instance this one command acts on, for steps that act on several; absent when none matched. */
  target?: string;
}

export interface ActionDef<R extends string, F extends Record<string, Field>> {
  /** The `run:` text, as the user would type the command's start. */
  run: R;
  fields: F;
  doc: string;
  /** Exactly one of these fields must be given. */
  exactlyOne?: readonly string[];
  /** Rules between this step and the rest of the file (the loader calls it in time order); fails with fail(). */
  check?(a: ActionOf<R, F>, ctx: CheckContext, path: Path): void;
  /** Steps acting on several things run one command each (node names, instance ids); default: one command. */
  targets?(a: ActionOf<R, F>, world: World): string[];
  /** The real command line, exactly as the CLI would be typed. */
  command(a: ActionOf<R, F>, c: CommandContext): string;
  /** The effect on the world, answering as the real tool does. */
  apply(a: ActionOf<R, F>, world: World, target: string | undefined): ActionResult;
  /** The answer when `targets` found nothing (default: kubectl's "No resources found"). */
  noTarget?(a: ActionOf<R, F>): ActionResult;
}

/** Declares an action; the identity function, there so TypeScript infers the step's type from its fields. */
export function defineAction<const R extends string, const F extends Record<string, Field>>(def: ActionDef<R, F>): ActionDef<R, F> {
  return def;
}

/**
 * Any action in the table, its step type erased: the loader and the runner dispatch on `run`, so the step handed
 * to an action's callbacks is always that action's own.
 */
export interface AnyActionDef {
  run: string;
  fields: Record<string, Field>;
  doc: string;
  exactlyOne?: readonly string[];
  check?(a: never, ctx: CheckContext, path: Path): void;
  targets?(a: never, world: World): string[];
  command(a: never, c: CommandContext): string;
  apply(a: never, world: World, target: string | undefined): ActionResult;
  noTarget?(a: never): ActionResult;
}

const common = {
  at: req({ t: 'duration' }, 'When, from the start of the run (`2m`, `4m30s`).'),
  note: opt(str('note', { maxLength: 500 }), 'A remark shown in the report timeline.'),
};

/** The declaration the loader and the schema read: the step's fields plus `at`, `note` and `run`. */
export function stepDesc(def: AnyActionDef): ObjectDesc {
  return obj({ ...common, run: req({ t: 'string', enum: [def.run] }, 'The command.'), ...def.fields }, { doc: def.doc, exactlyOne: def.exactlyOne });
}

/** Nodes named by a `node`/`selector` reference: the one named, or every live registered node the selector matches. */
export function nodesOf(world: World, ref: { node?: string; selector?: string }): string[] {
  if (ref.node !== undefined) return [ref.node];
  return world
    .nodes()
    .filter((n) => !n.terminating && n.registered && matchesSelector(n.labels, ref.selector))
    .map((n) => n.name);
}

/** The node, or `-l selector` when the step names nodes by label and none was resolved. */
export function nodeArg(ref: { node?: string; selector?: string }, target: string | undefined): string {
  return target ?? ref.node ?? `-l ${ref.selector}`;
}

/** A word as a POSIX shell needs it written: bare when safe, else single-quoted. */
export function shellWord(s: string): string {
  if (/^[A-Za-z0-9._/:=@%+,-]+$/.test(s)) return s;
  const quote = "'";
  // Inside single quotes nothing is special but the quote itself, written as: close, escaped quote, reopen.
  return quote + s.split(quote).join(quote + '\\' + quote + quote) + quote;
}

/** `k=v` to set, `k-` to remove (kubectl label/annotate/set env). */
export function setArgs(changes: Record<string, string | null>): string {
  return Object.entries(changes)
    .map(([k, v]) => (v === null ? `${k}-` : shellWord(`${k}=${v}`)))
    .join(' ');
}
