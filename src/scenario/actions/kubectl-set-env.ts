/**
 * `kubectl set env daemonset aws-node -n kube-system K=V … K-`: change aws-node's environment, a rolling restart
 * of every node's ipamd with the new settings (src/model/k8s/rollout.ts).
 */
import { req } from '../descriptor.ts';
import { ENV_KEY } from '../fields.ts';
import { checkEnvKey } from '../rules.ts';
import { defineAction, setArgs } from './action.ts';

export default defineAction({
  run: 'kubectl set env daemonset aws-node',
  fields: {
    env: req(
      { t: 'map', value: { t: 'envValue', nullable: true }, maxEntries: 100, maxKeyLength: 128, keyPattern: ENV_KEY, keyDoc: 'an environment variable name' },
      'Variables to set; `null` removes one (`kubectl set env … NAME-`).',
    ),
  },
  doc: '`kubectl set env daemonset aws-node -n kube-system K=V …`: a rolling restart of aws-node with the new env.',
  check(a, ctx, path) {
    for (const k of Object.keys(a.env)) checkEnvKey(ctx.src, [...path, 'env', k], k);
  },
  command: (a) => `kubectl set env daemonset aws-node -n kube-system ${setArgs(a.env)}`,
  apply: (a, world) => world.cluster.setAwsNodeEnv(a.env),
});
