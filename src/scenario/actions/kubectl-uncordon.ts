/** `kubectl uncordon NAME`: mark a node (or every node a selector matches) schedulable again. */
import { nodeRef } from '../fields.ts';
import { defineAction, nodeArg, nodesOf } from './action.ts';

export default defineAction({
  run: 'kubectl uncordon',
  fields: { ...nodeRef },
  doc: '`kubectl uncordon NAME`.',
  exactlyOne: ['node', 'selector'],
  targets: (a, world) => nodesOf(world, a),
  command: (a, c) => `kubectl uncordon ${nodeArg(a, c.target)}`,
  apply: (_a, world, node) => world.cluster.cordon(node!, false),
});
