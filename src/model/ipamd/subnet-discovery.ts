/**
 * Enhanced subnet discovery as pure functions (spec §4): which subnets a new ENI may go to and in what order
 * (§4.1), and whether an existing ENI's subnet is excluded (§4.6), for each version era of §4.7; and, composed from
 * those, where a new ENI goes and whether it will serve pod addresses given a subnet listing (`newEniSubnets`:
 * custom networking §4.3, the §4.1 ranking, or the node's subnet with discovery off §4.1 step 7). The daemon
 * (eni-create.ts, eni-setup.ts), the invariant checkers (src/check) and the why chain (src/report/why.ts) all read
 * these rules from here, so there is one implementation of them per era.
 * Not here: the DescribeSubnets call and its failure paths (§4.1 steps 6–7, in eni-create.ts).
 */
import type { SubnetView } from '../ec2/types.ts';
import { hasSubnetExclusion, type CniEra } from './cni-version.ts';
import { ERR_NO_ENI_CONFIG } from './eni-config.ts';

export const CNI_ROLE_TAG = 'kubernetes.io/role/cni';

/** What the rules read of a subnet. A `SubnetView` is one; other views (checker facts, reports) map onto it. */
export type SubnetLike = Pick<SubnetView, 'subnetId' | 'availableIpAddressCount' | 'tags'>;

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
export function subnetInvalidReason(s: Pick<SubnetView, 'subnetId' | 'tags'>, primarySubnetId: string, clusterName: string, era: CniEra): string | undefined {
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
  return rankSubnetList(input.subnets, input.primarySubnetId, input.clusterName, input.era);
}

/** `rankSubnets` over any subnet shape (the same rule, for views other than `SubnetView`). */
export function rankSubnetList<S extends SubnetLike>(
  subnets: readonly S[],
  primarySubnetId: string,
  clusterName: string,
  era: CniEra,
): { valid: S[]; skipped: SkippedSubnet[] } {
  const sorted = subnets
    .map((s, i) => ({ s, i }))
    .sort((a, b) => b.s.availableIpAddressCount - a.s.availableIpAddressCount || a.i - b.i)
    .map((x) => x.s);
  const valid: S[] = [];
  const skipped: SkippedSubnet[] = [];
  for (const s of sorted) {
    const reason = subnetInvalidReason(s, primarySubnetId, clusterName, era);
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
  subnet: Pick<SubnetView, 'tags'> | undefined,
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
export const MSG_PRIMARY_EXCLUDED = 'primary subnet is tagged with kubernetes.io/role/cni=0 - no valid subnets available for ENI creation';
export const MSG_PRIMARY_EXCLUDED_NO_DISCOVERY =
  'primary subnet is tagged with kubernetes.io/role/cni=0 and subnet discovery is disabled - no valid subnets available for ENI creation';

/**
 * How `createENI` places a new ENI (§4.1, §4.3, §4.7): the ENIConfig's subnet (custom networking wins), the §4.1
 * ranking of the node's VPC/AZ subnets (discovery on, v1.18.0+), or the node's subnet only.
 */
export type EniPlacement = 'custom-networking' | 'ranked' | 'node-subnet';

export function eniPlacement(customNetworking: boolean, subnetDiscovery: boolean, era: CniEra): EniPlacement {
  if (customNetworking) return 'custom-networking';
  if (!subnetDiscovery || era === 'pre-1.18') return 'node-subnet';
  return 'ranked';
}

/** §4.1 step 7: with discovery off, 1.22.0+ still reads the node subnet's cni tag (one DescribeSubnets) first. */
export function checksPrimaryTagWithoutDiscovery(subnetDiscovery: boolean, era: CniEra): boolean {
  return !subnetDiscovery && hasSubnetExclusion(era);
}

/**
 * `IsSubnetExcluded` as createENI asks it of the node's subnet when that is the only choice (discovery off, or the
 * DescribeSubnets fallback; v1.23.1 awsutils.go:1155-1216, :2578-2609): tag value 0, or a non-empty value with
 * cluster tags that do not name CLUSTER_NAME. 'unknown' when the check itself fails (see `subnetExclusion`).
 */
export function primarySubnetExcluded(subnet: Pick<SubnetView, 'tags'> | undefined, clusterName: string, era: CniEra): boolean | 'unknown' {
  const r = subnetExclusion(subnet, clusterName, era);
  return 'error' in r ? 'unknown' : r.excluded;
}

/** §4.5/§4.6: whether setupENI checks an ENI's subnet for exclusion (1.22.0+, discovery on, IPv4). */
export function checksSubnetExclusion(subnetDiscovery: boolean, era: CniEra, ipv6: boolean): boolean {
  return hasSubnetExclusion(era) && subnetDiscovery && !ipv6;
}

export interface NewEniSubnetsInput<S extends SubnetLike> {
  /** The node's VPC/AZ subnets as DescribeSubnets lists them, in EC2's order. */
  subnets: readonly S[];
  /** The node's (primary ENI's) subnet. */
  primarySubnetId: string;
  /** CLUSTER_NAME ('' = unset). */
  clusterName: string;
  era: CniEra;
  /** ENABLE_SUBNET_DISCOVERY. */
  subnetDiscovery: boolean;
  /** AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG. */
  customNetworking: boolean;
  /** The subnet of the node's ENIConfig (custom networking); undefined when no ENIConfig applies. */
  eniConfigSubnet?: S;
  /** IPv6 mode: setupENI skips the exclusion check (§4.6). */
  ipv6?: boolean;
}

export interface NewEniSubnets<S extends SubnetLike> {
  placement: EniPlacement;
  /** Where CreateNetworkInterface is tried, in order (empty with `error`). */
  tried: S[];
  /** Those of `tried` whose ENI serves pod addresses: not excluded by setupENI's subnet check (§4.3, §4.6). */
  usable: S[];
  /** Subnets of the listing the §4.1 ranking skips, with the reason (ranked placement only). */
  skipped: SkippedSubnet[];
  /** The daemon's error when it cannot create an ENI at all. */
  error?: string;
}

/**
 * Where a new ENI goes when DescribeSubnets answers (`createENI`, §4.1, §4.3, §4.7) and which of those subnets yield
 * an ENI that serves pod addresses (`setupENI`'s exclusion check, §4.6). The daemon's path, composed from the rules
 * above; DescribeSubnets failures (§4.1 step 6) are eni-create.ts's.
 */
export function newEniSubnets<S extends SubnetLike>(input: NewEniSubnetsInput<S>): NewEniSubnets<S> {
  const { subnets, primarySubnetId, clusterName, era } = input;
  const placement = eniPlacement(input.customNetworking, input.subnetDiscovery, era);
  const checked = checksSubnetExclusion(input.subnetDiscovery, era, input.ipv6 ?? false);
  const serves = (s: S): boolean => {
    if (!checked) return true;
    const r = subnetExclusion(
      subnets.find((x) => x.subnetId === s.subnetId),
      clusterName,
      era,
    );
    return !('error' in r) && !r.excluded;
  };
  const result = (tried: S[], skipped: SkippedSubnet[] = [], error?: string): NewEniSubnets<S> => ({
    placement,
    tried,
    usable: tried.filter(serves),
    skipped,
    ...(error === undefined ? {} : { error }),
  });
  if (placement === 'custom-networking') {
    return input.eniConfigSubnet === undefined ? result([], [], ERR_NO_ENI_CONFIG) : result([input.eniConfigSubnet]);
  }
  const primary = subnets.find((s) => s.subnetId === primarySubnetId);
  if (placement === 'node-subnet') {
    if (checksPrimaryTagWithoutDiscovery(input.subnetDiscovery, era) && primarySubnetExcluded(primary, clusterName, era) === true) {
      return result([], [], MSG_PRIMARY_EXCLUDED_NO_DISCOVERY);
    }
    return result(primary === undefined ? [] : [primary]);
  }
  const ranking = rankSubnetList(subnets, primarySubnetId, clusterName, era);
  return result(ranking.valid, ranking.skipped, ranking.valid.length === 0 ? MSG_NO_VALID_SUBNETS : undefined);
}
