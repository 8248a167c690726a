/** `kubectl delete KIND/NAME [-n NS]`: delete a Deployment, pod, node or ENIConfig. */
import { req, str } from '../descriptor.ts';
import { formatDuration } from '../../util/duration.ts';
import { NAMESPACE } from '../fields.ts';
import { fail } from '../validate.ts';
import { defineAction } from './action.ts';
import { namespaceArg } from './kubectl-scale.ts';

const RESOURCE = /^(deployment|deploy|pod|po|node|no|eniconfig)\/[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;

export default defineAction({
  run: 'kubectl delete',
  fields: {
    resource: req(str('resource', { pattern: RESOURCE, patternDoc: 'kind/name like deployment/inflate or pod/inflate-abc' }), 'What to delete, as `kind/name`.'),
    namespace: NAMESPACE,
  },
  doc: '`kubectl delete KIND/NAME`.',
  check(a, ctx, path) {
    const [kind, name] = a.resource.split('/');
    if (/^deploy/.test(kind) && !ctx.deployments.has(`${a.namespace ?? 'default'}/${name}`)) {
      fail(ctx.src, [...path, 'resource'], `no Deployment "${name}" is applied before ${formatDuration(a.at)}`);
    }
  },
  command: (a) => `kubectl delete ${a.resource}${namespaceArg(a.namespace)}`,
  apply(a, world) {
    const [kind, name] = a.resource.split('/');
    return world.cluster.delete(kind, a.namespace ?? 'default', name);
  },
});
