/**
 * `kubectl apply -f -`: create or update Kubernetes objects (Deployment, ENIConfig) given inline, one command per
 * object. The manifest is checked as kubectl would check it when the file loads (manifest-check.ts); the effect is
 * the cluster's (src/model/k8s/cluster-actions.ts `apply`).
 */
import { req } from '../descriptor.ts';
import { checkManifest } from '../manifest-check.ts';
import { defineAction } from './action.ts';

export default defineAction({
  run: 'kubectl apply',
  fields: { manifest: req({ t: 'oneOrMany', items: { t: 'any' }, maxItems: 100 }, 'The object(s), as in the YAML you would apply.') },
  doc: 'Create or update Kubernetes objects (Deployment, ENIConfig).',
  check(a, ctx, path) {
    const listed = Array.isArray(ctx.written.manifest);
    a.manifest.forEach((m, j) => {
      const d = checkManifest(ctx.src, listed ? [...path, 'manifest', j] : [...path, 'manifest'], m);
      if (d !== undefined) ctx.deployments.add(d);
    });
  },
  targets: (a) => a.manifest.map((_, j) => String(j)),
  command: () => 'kubectl apply -f -',
  apply: (a, world, target) => world.cluster.apply(a.manifest[Number(target)] as Record<string, unknown>),
});
