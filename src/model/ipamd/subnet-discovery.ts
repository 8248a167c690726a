/**
 * Enhanced subnet discovery as pure functions (spec §4): which subnets a new ENI may go to and in what order
 * (§4.1), and whether an existing ENI's subnet is excluded (§4.6), for each version era of §4.7.
 * Not here: the DescribeSubnets call and its failure paths (§4.1 steps 6–7, in eni-create.ts).
 */
import type { SubnetView } from '../ec2/types.ts';
import type { CniEra } from './cni-version.ts';

export const CNI_ROLE_TAG = 'kubernetes.io/role/cni';

export interface RankSubnetsInput {
  /** DescribeSubnets(vpc-id, availability-zone) in EC2's order. */
  subnets: readonly SubnetView[];
  /** The node's (primary ENI's) subnet. */
  primarySubnetId: string;
  /** CLUSTER_NAME ('' = unset: no cluster-tag check). */
  clusterName: string;
  era: CniEra;
}

export interface SkippedSubnet {
  subnetId: string;
  availableIpAddressCount: number;
  reason: string;
}

export interface SubnetRanking {
  /** Valid subnets, most free addresses first (stable on ties). */
  valid: SubnetView[];
  skipped: SkippedSubnet[];
}

/** The cluster-tag key prefix of the era (§4.7): `kubernetes.io/cluster/` in 1.22.0, then `cni.networking.k8s.aws/cluster/`. */
export function clusterTagPrefix(era: CniEra): string | undefined {
  if (era === '1.22.0') return 'kubernetes.io/cluster/';
  if (era === '1.22.1' || era === '1.23+') return 'cni.networking.k8s.aws/cluster/';
  return undefined;
}

/** `ValidSubnetTagsMatchingClusterName`: untagged-for-clusters subnets are shared; else must name ours. */
export function clusterTagsMatch(tags: Record<string, string>, clusterName: string, era: CniEra): boolean {
  const prefix = clusterTagPrefix(era);
  if (prefix === undefined || clusterName === '') return true;
  const clusterKeys = Object.keys(tags).filter((k) => k.startsWith(prefix));
  if (clusterKeys.length === 0) return true;
  return clusterKeys.includes(prefix + clusterName);
}

/** Why a subnet is not valid for a new ENI, or undefined when it is (§4.1 step 3 per era). */
export function subnetInvalidReason(s: SubnetView, primarySubnetId: string, clusterName: string, era: CniEra): string | undefined {
  const isPrimary = s.subnetId === primarySubnetId;
  const hasTag = Object.prototype.hasOwnProperty.call(s.tags, CNI_ROLE_TAG);
  const value = hasTag ? s.tags[CNI_ROLE_TAG] : undefined;
  if (era === 'pre-1.18') return isPrimary ? undefined : 'subnet discovery is not in this CNI version';
  if (era === '1.18.x' || era === '1.19-1.21') {
    // v1.18.0 validTag: the primary always; secondaries need the tag key, any value (even 0)
    if (isPrimary) return undefined;
    return hasTag ? undefined : `no ${CNI_ROLE_TAG} tag`;
  }
  if (value === '0') return `tag ${CNI_ROLE_TAG}=0`;
  if (value === undefined || value === '') {
    if (!isPrimary) return hasTag ? `tag ${CNI_ROLE_TAG} has an empty value` : `no ${CNI_ROLE_TAG} tag`;
    // 1.22.1+: the untagged primary skips the cluster check; 1.22.0 still applies it
    if (era === '1.22.0' && !clusterTagsMatch(s.tags, clusterName, era)) return `cluster tags do not name ${clusterName}`;
    return undefined;
  }
  if (!clusterTagsMatch(s.tags, clusterName, era)) return `cluster tags (${clusterTagPrefix(era)}*) do not name ${clusterName}`;
  return undefined;
}

/** §4.1 steps 2–3: stable sort by free addresses descending, then keep the valid ones. */
export function rankSubnets(input: RankSubnetsInput): SubnetRanking {
  const sorted = input.subnets
    .map((s, i) => ({ s, i }))
    .sort((a, b) => b.s.availableIpAddressCount - a.s.availableIpAddressCount || a.i - b.i)
    .map((x) => x.s);
  const valid: SubnetView[] = [];
  const skipped: SkippedSubnet[] = [];
  for (const s of sorted) {
    const reason = subnetInvalidReason(s, input.primarySubnetId, input.clusterName, input.era);
    if (reason === undefined) valid.push(s);
    else skipped.push({ subnetId: s.subnetId, availableIpAddressCount: s.availableIpAddressCount, reason });
  }
  return { valid, skipped };
}

/**
 * §4.6 `IsSubnetExcluded` (1.22.0+): tag value 0, or a non-empty tag with a cluster-tag mismatch.
 * `subnet` undefined = not in the VPC/AZ listing: not excluded in 1.23+ (HyperPod); an error before.
 */
export function subnetExclusion(
  subnet: SubnetView | undefined,
  clusterName: string,
  era: CniEra,
): { excluded: boolean; reason?: string } | { error: string } {
  if (era === 'pre-1.18' || era === '1.18.x' || era === '1.19-1.21') return { excluded: false };
  if (subnet === undefined) {
    return era === '1.23+' ? { excluded: false } : { error: 'subnet not found in the VPC/AZ listing' };
  }
  const value = subnet.tags[CNI_ROLE_TAG];
  if (value === '0') return { excluded: true, reason: `tag ${CNI_ROLE_TAG}=0` };
  if (value === undefined || value === '') {
    if (era === '1.22.0' && !clusterTagsMatch(subnet.tags, clusterName, era)) return { excluded: true, reason: 'cluster-tag mismatch' };
    return { excluded: false };
  }
  if (!clusterTagsMatch(subnet.tags, clusterName, era)) return { excluded: true, reason: 'cluster-tag mismatch' };
  return { excluded: false };
}

export const MSG_NO_VALID_SUBNETS =
  'no valid subnets available for ENI creation - all subnets are either not tagged or tagged with kubernetes.io/role/cni=0';
/** §4.1 steps 6–7: the primary subnet is excluded and no other may be used (discovery off, or DescribeSubnets failed). */
export const MSG_PRIMARY_EXCLUDED = 'primary subnet is tagged with kubernetes.io/role/cni=0, cannot create ENI';
export const MSG_PRIMARY_EXCLUDED_NO_DISCOVERY =
  'primary subnet is tagged with kubernetes.io/role/cni=0 and subnet discovery is disabled, cannot create ENI';
