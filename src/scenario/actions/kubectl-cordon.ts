/**
 * `kubectl cordon NAME` and `kubectl uncordon NAME`: mark a node (or every node a selector matches) unschedulable,
 * or schedulable again. Two actions of one shape, so one file declares both.
 */
import { nodeRef } from '../fields.ts';
import { defineAction, nodeArg, nodesOf } from './action.ts';

function cordonAction<const R extends 'kubectl cordon' | 'kubectl uncordon'>(run: R, on: boolean) {
  return defineAction({
    run,
    fields: { ...nodeRef },
    doc: `\`${run} NAME\`.`,
    exactlyOne: ['node', 'selector'],
    targets: (a, world) => nodesOf(world, a),
    command: (a, c) => `${run} ${nodeArg(a, c.target)}`,
    apply: (_a, world, node) => world.cluster.cordon(node!, on),
  });
}

export const cordon = cordonAction('kubectl cordon', true);
export const uncordon = cordonAction('kubectl uncordon', false);
