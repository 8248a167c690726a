/**
 * `eksctl scale nodegroup --cluster=C --nodes=N --name=NG`: set a managed node group's desired size (form: the
 * eksctl user guide, "Scaling nodegroups", https://docs.aws.amazon.com/eks/latest/eksctl/general-nodegroups.html).
 */
import { req, str } from '../descriptor.ts';
import { didYouMean } from '../../util/suggest.ts';
import { NAME } from '../fields.ts';
import { fail } from '../validate.ts';
import { defineAction } from './action.ts';

export default defineAction({
  run: 'eksctl scale nodegroup',
  fields: {
    nodegroup: req(str('node group', { pattern: NAME, patternDoc: 'a node group name' }), 'The node group (`--name`).'),
    nodes: req({ t: 'int', min: 0, max: 1000 }, 'Desired node count (`--nodes`).'),
  },
  doc: '`eksctl scale nodegroup --cluster C --name NG --nodes N`.',
  check(a, ctx, path) {
    const g = ctx.groups.get(a.nodegroup);
    if (g === undefined) fail(ctx.src, [...path, 'nodegroup'], `no node group "${a.nodegroup}"${didYouMean(a.nodegroup, ctx.groups.keys())}`);
    if (a.nodes > g.maxSize) fail(ctx.src, [...path, 'nodes'], `${a.nodes} nodes is above the group's maxSize ${g.maxSize}`);
    if (a.nodes < g.minSize) fail(ctx.src, [...path, 'nodes'], `${a.nodes} nodes is below the group's minSize ${g.minSize}`);
  },
  command: (a, c) => `eksctl scale nodegroup --cluster=${c.cluster} --nodes=${a.nodes} --name=${a.nodegroup}`,
  apply: (a, world) => world.cluster.scaleNodeGroup(a.nodegroup, a.nodes),
});
