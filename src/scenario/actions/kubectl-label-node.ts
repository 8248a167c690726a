/** `kubectl label node NAME k=v k2-`: set or remove node labels, on one node or every node a selector matches. */
import { req, str } from '../descriptor.ts';
import { nodeRef } from '../fields.ts';
import { defineAction, nodeArg, nodesOf, setArgs } from './action.ts';

export default defineAction({
  run: 'kubectl label node',
  fields: {
    ...nodeRef,
    labels: req({ t: 'map', value: str('label value', { maxLength: 63 }), maxEntries: 64, maxKeyLength: 253, nullableValues: true }, 'Labels to set; `null` removes one.'),
  },
  doc: '`kubectl label node NAME k=v`.',
  exactlyOne: ['node', 'selector'],
  targets: (a, world) => nodesOf(world, a),
  command: (a, c) => `kubectl label node ${nodeArg(a, c.target)} ${setArgs(a.labels)}`,
  apply: (a, world, node) => world.cluster.labelNode(node!, a.labels),
});
