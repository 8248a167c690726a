/**
 * The max-pods calculator (spec §7): how many pods the VPC CNI can give addresses to on one instance type.
 *
 * Two modes, one function:
 *   - table mode (no CNI version): the value `misc/eni-max-pods.txt` prints, `ENILimit × (IPv4Limit − 1) + 2`,
 *     uncapped (spec §7, `gen.go › printPodLimit`). Prefix delegation in this mode means "the latest CNI";
 *   - calculator mode (a CNI version): the rules of the EKS AMI's `max-pods-calculator.sh` (spec §7, `eks-ami calc`):
 *     `enis = min(maxEni, ENILimit)`, custom networking → `enis − 1`, the prefix-delegation formula
 *     `enis × ((IPv4Limit − 1) × 16) + 2` only on Nitro with the PD flag and a CNI newer than 1.8
 *     (major.minor compared numerically, as the script does), and the 110 (≤ 30 vCPUs) / 250 (> 30) cap when a
 *     vCPU count is given. Where that count comes from (`--vcpus`, or the cited table of
 *     src/model/ec2/instance-vcpus.ts) is the caller's business; it is echoed in the result as `vcpusSource`.
 *
 * Pure: no I/O, no flags, no errors for bad user input (the CLI validates; see src/cli/max-pods.ts). It is not ipamd's
 * own use of max pods (the pool-growth stop, spec §2.4) — that lives with ipamd.
 */
import type { InstanceType } from './ec2/instance-types.ts';

/** Addresses in one /28 prefix (spec glossary). */
export const IPS_PER_PREFIX = 16;
/** The calculator's ceilings (spec §7): 110 pods up to 30 vCPUs, 250 above. */
export const MAX_PODS_CEILING_LOW_CPU = 110;
export const MAX_PODS_CEILING_HIGH_CPU = 250;
export const HIGH_CPU_THRESHOLD = 30;

/** A CNI version as the calculator reads it: only major and minor matter (`1.9.0`, `v1.12.6-eksbuild.2`). */
export interface CniVersion {
  major: number;
  minor: number;
  /** The version as given, for messages. */
  text: string;
}

/** Parses `[v]MAJOR.MINOR[.PATCH][-suffix]`; undefined when it is not that shape. */
export function parseCniVersion(text: string): CniVersion | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:-[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (m === null) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (!Number.isSafeInteger(major) || !Number.isSafeInteger(minor)) return undefined;
  return { major, minor, text };
}

/** The calculator's test "CNI version > 1.8": major > 1, or major 1 and minor > 8 (so 1.10 > 1.8, 1.8.5 is not). */
export function cniSupportsPrefixDelegation(v: CniVersion): boolean {
  return v.major > 1 || (v.major === 1 && v.minor > 8);
}

export interface MaxPodsOptions {
  /** `--cni-prefix-delegation-enabled`. */
  prefixDelegation?: boolean;
  /** `--cni-custom-networking-enabled`: the primary ENI carries no pods, so one ENI fewer. */
  customNetworking?: boolean;
  /** `--cni-max-eni` (≥ 1): at most this many ENIs. */
  maxEni?: number;
  /** `--cni-version`; undefined means table mode, where prefix delegation is taken as supported (latest CNI). */
  cniVersion?: CniVersion;
  /** vCPUs of the type; when given, the 110/250 cap applies. Undefined: no cap. */
  vcpus?: number;
  /** Where `vcpus` came from, echoed in the result: the user's `--vcpus`, or the cited vCPU table. */
  vcpusSource?: VcpusSource;
}

/** Origin of a vCPU count: `flag` (`--vcpus`) or `table` (src/model/ec2/data/instance-vcpus.json). */
export type VcpusSource = 'flag' | 'table';

export interface MaxPodsResult {
  instanceType: string;
  maxPods: number;
  /** ENIs counted for pods, after `maxEni` and custom networking. */
  enis: number;
  /** IPv4Limit of the type (the primary address included). */
  ipv4PerEni: number;
  hypervisor: InstanceType['hypervisor'];
  /** Whether the prefix-delegation formula was used. */
  prefixDelegation: boolean;
  /** The arithmetic that gave `maxPods`, e.g. `3*(10-1)+2` or `min(110, 3*((10-1)*16)+2)`. */
  formula: string;
  /** The vCPU count the cap used; present only when a cap applied. */
  vcpus?: number;
  /** Where `vcpus` came from; present only when a cap applied and the caller said. */
  vcpusSource?: VcpusSource;
}

/** max pods for one instance type (spec §7). */
export function computeMaxPods(t: InstanceType, opts: MaxPodsOptions = {}): MaxPodsResult {
  let enis = opts.maxEni === undefined ? t.enis : Math.min(opts.maxEni, t.enis);
  if (opts.customNetworking) enis = Math.max(0, enis - 1);
  const versionOk = opts.cniVersion === undefined || cniSupportsPrefixDelegation(opts.cniVersion);
  const pd = opts.prefixDelegation === true && t.hypervisor === 'nitro' && versionOk;
  const perEni = t.ipv4PerEni - 1;
  let maxPods: number;
  let formula: string;
  if (pd) {
    maxPods = enis * (perEni * IPS_PER_PREFIX) + 2;
    formula = `${enis}*((${t.ipv4PerEni}-1)*${IPS_PER_PREFIX})+2`;
  } else {
    maxPods = enis * perEni + 2;
    formula = `${enis}*(${t.ipv4PerEni}-1)+2`;
  }
  if (opts.vcpus !== undefined) {
    const ceiling = opts.vcpus > HIGH_CPU_THRESHOLD ? MAX_PODS_CEILING_HIGH_CPU : MAX_PODS_CEILING_LOW_CPU;
    maxPods = Math.min(ceiling, maxPods);
    formula = `min(${ceiling}, ${formula})`;
  }
  const result: MaxPodsResult = {
    instanceType: t.name,
    maxPods,
    enis,
    ipv4PerEni: t.ipv4PerEni,
    hypervisor: t.hypervisor,
    prefixDelegation: pd,
    formula,
  };
  if (opts.vcpus !== undefined) {
    result.vcpus = opts.vcpus;
    if (opts.vcpusSource !== undefined) result.vcpusSource = opts.vcpusSource;
  }
  return result;
}
