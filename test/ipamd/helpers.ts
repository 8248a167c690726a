/**
 * Test helpers for ipamd: a fresh single node (src/model/world/one-node.ts) driven through the warm-pool
 * procedure (pods added one at a time, the pool loop settling after each).
 */
import { SingleNode, type SingleNodeOptions, type WarmPoolReport } from '../../src/model/world/one-node.ts';

export function freshNode(opts: SingleNodeOptions): SingleNode {
  const n = new SingleNode(opts);
  n.start();
  if (n.ipamd.state !== 'ready') throw new Error(`ipamd did not start: ${n.ipamd.failure}`);
  n.settle();
  return n;
}

/** The warm-pool row for `pods` pods on a fresh node. */
export function warmPoolRow(instanceType: string, env: Record<string, string>, pods: number, extra: Partial<SingleNodeOptions> = {}): WarmPoolReport {
  const n = freshNode({ instanceType, env, ...extra });
  n.addPodsSettling(pods);
  return n.report();
}
