/**
 * VPC CNI versions → the behaviour eras of enhanced subnet discovery and the unfilled-ENI fix (spec §4.7).
 * Only the differences the simulator models are keyed here; everything else follows the spec commit (v1.23.1).
 */

/**
 * - 'pre-1.18': no subnet discovery at all (new ENIs in the node's subnet), single-ENI top-up.
 * - '1.18.x': discovery v1 (#2714): primary always eligible, secondaries need the tag *key*; one ENI tried per
 *   pass, an insufficient-capacity error starts the 120 s freeze (pre-#2954).
 * - '1.19-1.21': #2954: all allocatable ENIs tried, fall-through to a new ENI on insufficient-capacity errors.
 * - '1.22.0': tag value 0 excludes (primary too), ENI exclusion, cluster tags `kubernetes.io/cluster/`, the
 *   untagged primary subnet is subject to the cluster check.
 * - '1.22.1': cluster tags `cni.networking.k8s.aws/cluster/`, untagged primary skips the cluster check.
 * - '1.23+': as 1.22.1, plus a subnet missing from the listing is "not excluded" (HyperPod).
 */
export type CniEra = 'pre-1.18' | '1.18.x' | '1.19-1.21' | '1.22.0' | '1.22.1' | '1.23+';

export const CNI_ERAS: readonly CniEra[] = ['pre-1.18', '1.18.x', '1.19-1.21', '1.22.0', '1.22.1', '1.23+'];

/** Parses 'v1.18.0', '1.22.1-eksbuild.1', '1.23' … ; undefined when it is not a version. */
export function parseCniVersion(v: string): { major: number; minor: number; patch: number } | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/.exec(v.trim());
  if (m === null) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: m[3] === undefined ? 0 : Number(m[3]) };
}

/** The era of a version string; undefined when unparsable. */
export function cniEra(v: string): CniEra | undefined {
  const p = parseCniVersion(v);
  if (p === undefined) return undefined;
  if (p.major > 1) return '1.23+';
  if (p.major < 1 || p.minor < 18) return 'pre-1.18';
  if (p.minor === 18) return '1.18.x';
  if (p.minor <= 21) return '1.19-1.21';
  if (p.minor === 22) return p.patch === 0 ? '1.22.0' : '1.22.1';
  return '1.23+';
}

/** #2954 (v1.19.0): try every allocatable ENI and fall through to a new ENI on insufficient-capacity errors. */
export function hasUnfilledEniFix(era: CniEra): boolean {
  return era !== 'pre-1.18' && era !== '1.18.x';
}

/** #3463 (v1.22.0): subnet-tag value 0 excludes, existing ENIs can be excluded, setupENI checks the subnet. */
export function hasSubnetExclusion(era: CniEra): boolean {
  return era === '1.22.0' || era === '1.22.1' || era === '1.23+';
}
