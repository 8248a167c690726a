/**
 * Freeing an ENI (`FreeENI`, spec §2.7, §8.3): DescribeNetworkInterfaces for the attachment id, Detach (12 tries,
 * 200 ms ×2 capped 60 s, +≤15 %), 2 s, Delete (12 tries, 500 ms ×2 capped 60 s, +≤15 %); NotFound counts as
 * freed. Also the delete-only path used when a just-created ENI cannot be attached.
 */
import type { Proc } from '../../sim/index.ts';
import { backoffDelay } from './ec2-client.ts';
import { Core, T } from './core.ts';

export function* deleteEniWithRetries(core: Core, eniId: string): Proc<boolean> {
  for (let i = 0; i < 12; i++) {
    const r = yield* core.ec2.call('DeleteNetworkInterface', () => core.deps.ec2.deleteNetworkInterface(core.principal, eniId));
    if (r.ok || r.error.code === 'InvalidNetworkInterfaceID.NotFound') return true;
    if (i < 11) yield backoffDelay(i, 500, 60_000, 0.15, core.rng.backoff);
  }
  return false;
}

/** Detaches and deletes an ENI already removed from the datastore. */
export function* freeEni(core: Core, eniId: string): Proc<boolean> {
  const d = yield* core.ec2.call('DescribeNetworkInterfaces', () =>
    core.deps.ec2.describeNetworkInterfaces(core.principal, { networkInterfaceIds: [eniId] }),
  );
  if (!d.ok) return d.error.code === 'InvalidNetworkInterfaceID.NotFound';
  const attachmentId = d.value[0]?.attachment?.attachmentId;
  if (attachmentId !== undefined) {
    let detached = false;
    for (let i = 0; i < 12; i++) {
      const r = yield* core.ec2.call('DetachNetworkInterface', () => core.deps.ec2.detachNetworkInterface(core.principal, { attachmentId }));
      if (r.ok) {
        detached = true;
        break;
      }
      if (i < 11) yield backoffDelay(i, 200, 60_000, 0.15, core.rng.backoff);
    }
    if (!detached) return false;
    yield T.detachToDeleteMs;
  }
  return yield* deleteEniWithRetries(core, eniId);
}
