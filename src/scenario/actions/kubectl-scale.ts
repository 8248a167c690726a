/** `kubectl scale deployment/NAME --replicas=N [-n NS]`: set a Deployment's replica count. */
import { req, str } from '../descriptor.ts';
import { didYouMean } from '../../util/suggest.ts';
import { formatDuration } from '../../util/duration.ts';
import { K8S_NAME, NAMESPACE } from '../fields.ts';
import { fail } from '../validate.ts';
import { defineAction } from './action.ts';

export default defineAction({
  run: 'kubectl scale',
  fields: {
    deployment: req(str('deployment name', { pattern: K8S_NAME, patternDoc: 'a Kubernetes object name' }), 'The Deployment.'),
    replicas: req({ t: 'int', min: 0, max: 100_000 }, 'New replica count.'),
    namespace: NAMESPACE,
  },
  doc: '`kubectl scale deployment/NAME --replicas=N`.',
  check(a, ctx, path) {
    if (!ctx.deployments.has(`${a.namespace ?? 'default'}/${a.deployment}`)) {
      const names = [...ctx.deployments].map((d) => d.split('/')[1]);
      fail(ctx.src, [...path, 'deployment'], `no Deployment "${a.deployment}" is applied before ${formatDuration(a.at)}${didYouMean(a.deployment, names)}`);
    }
  },
  command: (a) => `kubectl scale deployment/${a.deployment} --replicas=${a.replicas}${namespaceArg(a.namespace)}`,
  apply: (a, world) => world.cluster.scale(a.namespace ?? 'default', a.deployment, a.replicas),
});

/** ` -n NS` unless the namespace is the default one. */
export function namespaceArg(ns: string | undefined): string {
  return ns === undefined || ns === 'default' ? '' : ` -n ${ns}`;
}
