/**
 * `aws ec2 terminate-instances --instance-ids ID`: terminate instances by id, or the instance behind a node (by
 * name or label selector), one command each; the node group replaces them (form: AWS CLI reference, ec2
 * terminate-instances).
 */
import { opt, str } from '../descriptor.ts';
import { nodeRef } from '../fields.ts';
import { defineAction, nodeArg, nodesOf } from './action.ts';

export default defineAction({
  run: 'aws ec2 terminate-instances',
  fields: {
    ...nodeRef,
    instanceIds: opt(
      { t: 'array', items: str('instance id', { pattern: /^i-[0-9a-f]{8,17}$/, patternDoc: 'an instance id like i-0123456789abcdef0' }), minItems: 1, maxItems: 1000 },
      'Instance ids.',
    ),
  },
  doc: 'Terminate instances (by node name, label selector or instance id); the node group replaces them.',
  exactlyOne: ['node', 'selector', 'instanceIds'],
  targets(a, world) {
    if (a.instanceIds !== undefined) return a.instanceIds;
    const ids = new Map(world.nodes().map((n) => [n.name, n.instanceId]));
    return nodesOf(world, a).map((n) => ids.get(n) ?? n);
  },
  command: (a, c) => `aws ec2 terminate-instances --instance-ids ${nodeArg(a, c.target)}`,
  apply: (_a, world, id) => world.cluster.terminate(id!),
});
