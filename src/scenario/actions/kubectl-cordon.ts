/** `kubectl cordon NAME`: mark a node (or every node a selector matches) unschedulable. */
import { nodeRef } from '../fields.ts';
import { defineAction, nodeArg, nodesOf } from './action.ts';

export default defineAction({
  run: 'kubectl cordon',
  fields: { ...nodeRef },
  doc: '`kubectl cordon NAME`.',
  exactlyOne: ['node', 'selector'],
  targets: (a, world) => nodesOf(world, a),
  command: (a, c) => `kubectl cordon ${nodeArg(a, c.target)}`,
  apply: (_a, world, node) => world.cluster.cordon(node!, true),
});
