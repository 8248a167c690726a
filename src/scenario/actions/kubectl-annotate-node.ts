/** `kubectl annotate node NAME k=v k2-`: set or remove node annotations, on one node or every node a selector matches. */
import { req, str } from '../descriptor.ts';
import { nodeRef } from '../fields.ts';
import { defineAction, nodeArg, nodesOf, setArgs } from './action.ts';

export default defineAction({
  run: 'kubectl annotate node',
  fields: {
    ...nodeRef,
    annotations: req(
      { t: 'map', value: str('annotation value', { maxLength: 4096 }), maxEntries: 64, maxKeyLength: 253, nullableValues: true },
      'Annotations to set; `null` removes one.',
    ),
  },
  doc: '`kubectl annotate node NAME k=v`.',
  exactlyOne: ['node', 'selector'],
  targets: (a, world) => nodesOf(world, a),
  command: (a, c) => `kubectl annotate node ${nodeArg(a, c.target)} ${setArgs(a.annotations)}`,
  apply: (a, world, node) => world.cluster.annotateNode(node!, a.annotations),
});
