/**
 * The next larger instance type of the same family and generation (m6a.large → m6a.xlarge), for the `larger-nodes`
 * what-if: the smallest size of the family whose ENIs, IPv4 addresses per ENI and max pods are all at least the
 * current type's and whose max pods is larger, so a running node's ENIs and addresses stay valid on it (m5.xlarge →
 * m5.4xlarge: m5.2xlarge has the same 4 ENIs × 15 addresses, so no more pods). Max pods as the nodes would get
 * them: the eni-max-pods value, or with prefix delegation on, the calculator's with the CNI version and the type's
 * vCPUs (as the `prefix-delegation` what-if sets them). Pure lookups in the model's tables. Not here: changing a
 * scenario (larger-nodes.ts).
 */
import { findInstanceType, instanceTypeNames, type InstanceType } from '../model/ec2/instance-types.ts';
import { findDefaultVcpus } from '../model/ec2/instance-vcpus.ts';
import { computeMaxPods, type CniVersion } from '../model/max-pods.ts';

/** How max pods is worked out for the cluster: prefix delegation on or off, and the CNI version when it parses. */
export interface MaxPodsRule {
  prefixDelegation: boolean;
  cniVersion?: CniVersion;
}

/** Max pods of type `t` under `rule` (with prefix delegation, capped at 110/250 by its vCPUs when they are known). */
export function maxPodsOf(t: InstanceType, rule: MaxPodsRule): number {
  if (!rule.prefixDelegation) return computeMaxPods(t).maxPods;
  const vcpus = findDefaultVcpus(t.name);
  return computeMaxPods(t, { prefixDelegation: true, ...(rule.cniVersion === undefined ? {} : { cniVersion: rule.cniVersion }), ...(vcpus === undefined ? {} : { vcpus }) }).maxPods;
}

/** `m6a` of `m6a.large`: family and generation (and attributes such as `d` or `n`), the part before the dot. */
function familyOf(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

/** Order of sizes within a family: nano < … < large < xlarge < 2xlarge < … < 48xlarge < metal (then metal-NNxl). */
function sizeRank(name: string): number {
  const size = name.slice(name.indexOf('.') + 1);
  const named = ['nano', 'micro', 'small', 'medium', 'large'].indexOf(size);
  if (named >= 0) return named;
  const xl = /^(\d*)xlarge$/.exec(size);
  if (xl !== null) return 4 + (xl[1] === '' ? 1 : Number(xl[1]));
  const metal = /^metal(?:-(\d+)xl)?$/.exec(size);
  if (metal !== null) return 10_000 + (metal[1] === undefined ? 0 : Number(metal[1]));
  return 20_000;
}

export type LargerType = { type: InstanceType; maxPods: number; fromMaxPods: number } | { none: string };

/** The next larger type of `name`'s family under `rule`, or why there is none. */
export function largerType(name: string, rule: MaxPodsRule): LargerType {
  const t = findInstanceType(name);
  if (t === undefined) return { none: `unknown instance type ${name}` };
  const fromMaxPods = maxPodsOf(t, rule);
  const family = familyOf(name);
  let best: { type: InstanceType; maxPods: number } | undefined;
  for (const n of instanceTypeNames) {
    if (n === name || familyOf(n) !== family) continue;
    const c = findInstanceType(n)!;
    if (c.enis < t.enis || c.ipv4PerEni < t.ipv4PerEni) continue;
    const maxPods = maxPodsOf(c, rule);
    if (maxPods <= fromMaxPods) continue;
    if (best === undefined || sizeRank(n) < sizeRank(best.type.name)) best = { type: c, maxPods };
  }
  if (best === undefined) return { none: `no ${family} type has more max pods than ${name} (${fromMaxPods}) and at least its ENIs (${t.enis}) and addresses per ENI (${t.ipv4PerEni})` };
  return { ...best, fromMaxPods };
}
