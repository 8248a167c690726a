/**
 * The leaked-ENI sweeper (spec §10, `cleanUpLeakedENIs`): each run sleeps U(0, 300 s), lists `available` ENIs
 * in the VPC carrying the instance_id tag (any node's) and, with CLUSTER_NAME, the cluster tag; among those
 * described `aws-K8S-…`, tags the ones without createdAt, deletes the ones ≥ 5 min old (unparsable createdAt:
 * re-tag and delete). Next run one hour after the previous one finished.
 */
import type { Proc } from '../../sim/index.ts';
import { Core, ENI_DESCRIPTION_PREFIX, TAG_CLUSTER, TAG_CREATED_AT, TAG_INSTANCE_ID } from './core.ts';
import { deleteEniWithRetries } from './eni-free.ts';
import { parseRfc3339, rfc3339 } from './introspect.ts';

const STARTUP_DELAY_MAX_MS = 300_000;
const DELETE_COOLDOWN_MS = 5 * 60_000;
const PERIOD_MS = 3_600_000;

export function* leakedEniLoop(core: Core): Proc<void> {
  for (;;) {
    yield core.rng.leaked.int(STARTUP_DELAY_MAX_MS);
    yield* sweep(core);
    yield PERIOD_MS;
  }
}

export function* sweep(core: Core): Proc<void> {
  const r = yield* core.ec2.call('DescribeNetworkInterfaces', () =>
    core.deps.ec2.describeNetworkInterfaces(core.principal, {
      vpcId: core.deps.instance.vpcId,
      status: 'available',
      tagKeys: [TAG_INSTANCE_ID],
      ...(core.cfg.clusterName !== '' ? { tags: { [TAG_CLUSTER]: core.cfg.clusterName } } : {}),
    }),
  );
  if (!r.ok) return;
  const deleted: string[] = [];
  const tagged: string[] = [];
  for (const v of r.value) {
    if (!v.description.startsWith(ENI_DESCRIPTION_PREFIX)) continue;
    const raw = v.tags[TAG_CREATED_AT];
    if (raw === undefined) {
      yield* core.ec2.call('CreateTags', () => core.deps.ec2.createTags(core.principal, [v.networkInterfaceId], { [TAG_CREATED_AT]: rfc3339(core.now) }));
      tagged.push(v.networkInterfaceId);
      continue;
    }
    let created = parseRfc3339(raw);
    if (created === undefined) {
      yield* core.ec2.call('CreateTags', () => core.deps.ec2.createTags(core.principal, [v.networkInterfaceId], { [TAG_CREATED_AT]: rfc3339(core.now) }));
      created = -Infinity; // the zero time: deleted now
    }
    if (core.now - created < DELETE_COOLDOWN_MS) continue;
    if (yield* deleteEniWithRetries(core, v.networkInterfaceId)) deleted.push(v.networkInterfaceId);
  }
  if (deleted.length + tagged.length > 0) {
    core.decide('leaked-eni', `leaked-ENI sweep: deleted ${deleted.length}, tagged ${tagged.length}`, { deleted, tagged });
  }
}
