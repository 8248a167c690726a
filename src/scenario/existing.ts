/**
 * The rules of a scenario's `existing` section beyond its structure (existing-spec.ts): its Deployments checked as
 * `kubectl apply` checks a manifest (manifest-check.ts), then the model's own rules (src/model/world/existing-check.ts:
 * names, addresses, instance-type limits, max pods), each problem pointed at its line and column.
 * Not here: building the World from it (src/model/world/existing.ts).
 */
import { findInstanceType } from '../model/ec2/instance-types.ts';
import { checkExisting, existingContext } from '../model/world/existing-check.ts';
import type { ExistingSpec } from '../model/world/spec.ts';
import { checkManifest } from './manifest-check.ts';
import type { Located, Path } from './source.ts';
import { fail } from './validate.ts';
import type { WorldShape } from './world-shape.ts';

type Warn = (src: Located, path: Path, reason: string) => void;

/** Checks the section; returns it, and adds its Deployments ("ns/name") to `deployments` for the timeline's steps. */
export function checkExistingSection(src: Located, e: ExistingSpec, shape: WorldShape, deployments: Set<string>, warn: Warn): ExistingSpec {
  (e.deployments ?? []).forEach((m, i) => {
    const path = ['existing', 'deployments', i];
    if ((m as { kind?: unknown }).kind !== 'Deployment') fail(src, [...path, 'kind'], 'expected kind: Deployment');
    const key = checkManifest(src, path, m, warn);
    if (key !== undefined) deployments.add(key);
  });
  // instance types first, so that max pods can be worked out
  e.nodes.forEach((n, i) => {
    if (findInstanceType(n.instanceType) === undefined) fail(src, ['existing', 'nodes', i, 'instanceType'], `unknown instance type "${n.instanceType}"`);
  });
  const problem = checkExisting(
    e,
    existingContext(shape.spec, (name) => {
      const s = shape.subnets.get(name);
      return s === undefined ? undefined : { key: name, cidr: s.cidr, az: s.az };
    }),
  );
  if (problem !== undefined) fail(src, problem.path, problem.reason);
  return e;
}
