/**
 * The table of timeline actions: every `run:` a scenario may use, in the order the docs and the schema list them.
 * The loader's checks, the JSON Schema, the `Action` type and the runner all read this table, so adding an action
 * is one new file beside this one (declared with defineAction) plus its line here.
 * Not here: what any action does (its own file) or the shared machinery (action.ts).
 */
import type { ObjectDesc } from '../descriptor.ts';
import { stepDesc, type ActionDef, type ActionOf, type AnyActionDef } from './action.ts';
import associateVpcCidrBlock from './aws-associate-vpc-cidr-block.ts';
import createSubnet from './aws-create-subnet.ts';
import createTags from './aws-create-tags.ts';
import deleteTags from './aws-delete-tags.ts';
import terminateInstances from './aws-terminate-instances.ts';
import eksctlScaleNodegroup from './eksctl-scale-nodegroup.ts';
import annotateNode from './kubectl-annotate-node.ts';
import apply from './kubectl-apply.ts';
import { cordon, uncordon } from './kubectl-cordon.ts';
import kubectlDelete from './kubectl-delete.ts';
import labelNode from './kubectl-label-node.ts';
import scale from './kubectl-scale.ts';
import setEnv from './kubectl-set-env.ts';
import healFaults from './sim-heal-faults.ts';

export const ACTION_TABLE = [
  apply,
  scale,
  kubectlDelete,
  setEnv,
  labelNode,
  annotateNode,
  cordon,
  uncordon,
  associateVpcCidrBlock,
  createSubnet,
  createTags,
  deleteTags,
  eksctlScaleNodegroup,
  terminateInstances,
  healFaults,
] as const;

type StepOf<M> = M extends ActionDef<infer R, infer F> ? ActionOf<R, F> : never;

/** A loaded timeline step: the union of every action's inferred type. */
export type Action = StepOf<(typeof ACTION_TABLE)[number]>;
export type ActionKind = Action['run'];

const BY_RUN: ReadonlyMap<string, AnyActionDef> = new Map(ACTION_TABLE.map((m) => [m.run, m as AnyActionDef]));

/** The action declared for a `run:` text. */
export function actionFor(run: string): AnyActionDef {
  const m = BY_RUN.get(run);
  if (m === undefined) throw new Error(`no action "${run}" in the table`);
  return m;
}

/** Each action's declaration as the loader and the schema read it, by `run:`. */
export const ACTIONS: Record<string, ObjectDesc> = Object.fromEntries(ACTION_TABLE.map((m) => [m.run, stepDesc(m as AnyActionDef)]));

/** The one step that is a simulator control, not a real command. */
export const HEAL_FAULTS_STEP = healFaults.run;
