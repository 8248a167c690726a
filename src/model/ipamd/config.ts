/**
 * ipamd's configuration from the aws-node container env (spec §1): the real variable names, string values,
 * code defaults, the manifest values users actually run, Go parsing and the daemon's fallbacks; plus the two
 * start-up checks that stop aws-node (the entrypoint's `validateEnvVars` and ipamd's `isConfigValid`).
 * Not here: what the values *do* (pool-policy.ts, ipamd.ts).
 */
import { goAtoi, goParseBool } from './go-parse.ts';

/**
 * The env of the `aws-node` container in `config/master/aws-k8s-cni.yaml` (spec §1 "Manifest value"), for the
 * variables ipamd reads. Code defaults differ for ENABLE_IPv4 (false in code) and WARM_PREFIX_TARGET (0 in code):
 * run with this env unless you mean to study the code defaults.
 */
export const MANIFEST_DEFAULT_ENV: Readonly<Record<string, string>> = Object.freeze({
  ADDITIONAL_ENI_TAGS: '{}',
  AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: 'false',
  DISABLE_NETWORK_RESOURCE_PROVISIONING: 'false',
  ENABLE_IMDS_ONLY_MODE: 'false',
  ENABLE_IPv4: 'true',
  ENABLE_IPv6: 'false',
  ENABLE_MULTI_NIC: 'false',
  ENABLE_POD_ENI: 'false',
  ENABLE_PREFIX_DELEGATION: 'false',
  ENABLE_SUBNET_DISCOVERY: 'true',
  NETWORK_POLICY_ENFORCING_MODE: 'standard',
  WARM_ENI_TARGET: '1',
  WARM_PREFIX_TARGET: '1',
});

/**
 * Experimental, NOT in the real daemon: cni PR #3752 (closed) proposed `INCLUDE_COOLDOWN_IPS_IN_POOL_SIZE`;
 * when true, addresses in cooldown are treated as in use for the *growth* decision (too-low and shortfall),
 * so the pool grows while freed addresses cool down. Off by default; used by benchmarks only.
 */
export const EXPERIMENTAL_INCLUDE_COOLDOWN = 'INCLUDE_COOLDOWN_IPS_IN_POOL_SIZE';

/** Every env key the model reads (others are ignored, as the real container ignores them). */
export const KNOWN_ENV_KEYS: readonly string[] = [
  'WARM_ENI_TARGET',
  'WARM_IP_TARGET',
  'MINIMUM_IP_TARGET',
  'WARM_PREFIX_TARGET',
  'ENABLE_PREFIX_DELEGATION',
  'ENABLE_SUBNET_DISCOVERY',
  'AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG',
  'ENI_CONFIG_LABEL_DEF',
  'ENI_CONFIG_ANNOTATION_DEF',
  'MAX_ENI',
  'IP_COOLDOWN_PERIOD',
  'ENABLE_IPv4',
  'ENABLE_IPv6',
  'ENABLE_POD_ENI',
  'DISABLE_LEAKED_ENI_CLEANUP',
  'DISABLE_NETWORK_RESOURCE_PROVISIONING',
  'ENABLE_IMDS_ONLY_MODE',
  'AWS_MANAGE_ENIS_NON_SCHEDULABLE',
  'MANAGE_UNTAGGED_ENI',
  'CLUSTER_NAME',
  'ADDITIONAL_ENI_TAGS',
  'NETWORK_POLICY_ENFORCING_MODE',
  'ENABLE_MULTI_NIC',
  'POD_SECURITY_GROUP_ENFORCING_MODE',
  EXPERIMENTAL_INCLUDE_COOLDOWN,
];

export const DEFAULT_ENI_CONFIG_KEY = 'k8s.amazonaws.com/eniConfig';

/** The parsed configuration (IPv4 card 0 view). */
export interface IpamdConfig {
  warmEniTarget: number;
  warmIpTarget: number;
  minimumIpTarget: number;
  warmPrefixTarget: number;
  /** As requested; may be turned off at start on non-Nitro types (§5). */
  prefixDelegation: boolean;
  subnetDiscovery: boolean;
  customNetworking: boolean;
  eniConfigLabelDef: string;
  eniConfigAnnotationDef: string;
  /** −1 = unset (instance limit). */
  maxEni: number;
  /** IP_COOLDOWN_PERIOD in ms (negative values clamp to 0 inside ipamd, §1). */
  ipCooldownMs: number;
  enableIpv4: boolean;
  enableIpv6: boolean;
  enablePodEni: boolean;
  /** Effective: forced on by IPv6, DISABLE_NETWORK_RESOURCE_PROVISIONING or ENABLE_IMDS_ONLY_MODE. */
  disableLeakedEniCleanup: boolean;
  /** DISABLE_NETWORK_RESOURCE_PROVISIONING (or ENABLE_IMDS_ONLY_MODE). */
  disableProvisioning: boolean;
  manageEnisNonSchedulable: boolean;
  manageUntaggedEni: boolean;
  clusterName: string;
  additionalEniTags: Record<string, string>;
  networkPolicyMode: string;
  includeCooldownInPoolSize: boolean;
}

export interface ConfigWarning {
  key: string;
  value: string;
  reason: string;
}

function has(env: Record<string, string>, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(env, k);
}

/** utils.GetBoolAsStringEnvVar / parseBoolEnvVar: unparsable → default (§1). */
function boolEnv(env: Record<string, string>, k: string, dflt: boolean, warnings: ConfigWarning[], emptyIsDefault = false): boolean {
  if (!has(env, k)) return dflt;
  const v = env[k];
  if (emptyIsDefault && v === '') return dflt;
  const b = goParseBool(v);
  if (b === undefined) {
    warnings.push({ key: k, value: v, reason: `not a Go bool; using the default ${dflt}` });
    return dflt;
  }
  return b;
}

/** Integer targets: non-integer or negative → default (§1 table). */
function intTarget(env: Record<string, string>, k: string, dflt: number, warnings: ConfigWarning[]): number {
  if (!has(env, k) || env[k] === '') return dflt;
  const n = goAtoi(env[k]);
  if (n === undefined) {
    warnings.push({ key: k, value: env[k], reason: `not an integer (strconv.Atoi); using the default ${dflt}` });
    return dflt;
  }
  if (n < 0) {
    warnings.push({ key: k, value: env[k], reason: `negative; using the default ${dflt}` });
    return dflt;
  }
  return n;
}

/** Parses the env into a config plus the fallbacks applied (never throws; start-up checks are separate). */
export function parseConfig(env: Record<string, string>): { config: IpamdConfig; warnings: ConfigWarning[] } {
  const w: ConfigWarning[] = [];
  const str = (k: string, d: string) => (has(env, k) && env[k] !== '' ? env[k] : d);

  let maxEni = -1;
  if (has(env, 'MAX_ENI') && env.MAX_ENI !== '') {
    const n = goAtoi(env.MAX_ENI);
    if (n === undefined || n < 1) w.push({ key: 'MAX_ENI', value: env.MAX_ENI, reason: 'ignored (needs an integer ≥ 1); using the instance limit' });
    else maxEni = n;
  }

  // IP_COOLDOWN_PERIOD (§1, ds.go › getCooldownPeriod): invalid → 30 s; negative → 0 inside ipamd.
  let cooldownS = 30;
  if (has(env, 'IP_COOLDOWN_PERIOD') && env.IP_COOLDOWN_PERIOD !== '') {
    const n = goAtoi(env.IP_COOLDOWN_PERIOD);
    if (n === undefined) cooldownS = 30;
    else cooldownS = Math.max(0, n);
  }

  const enableIpv6 = boolEnv(env, 'ENABLE_IPv6', false, w);
  const imdsOnly = boolEnv(env, 'ENABLE_IMDS_ONLY_MODE', false, w);
  const disableProvisioning = boolEnv(env, 'DISABLE_NETWORK_RESOURCE_PROVISIONING', false, w) || imdsOnly;

  let additionalEniTags: Record<string, string> = {};
  if (has(env, 'ADDITIONAL_ENI_TAGS') && env.ADDITIONAL_ENI_TAGS !== '') {
    try {
      const parsed = JSON.parse(env.ADDITIONAL_ENI_TAGS) as unknown;
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
          // keys containing k8s.amazonaws.com are dropped (§1)
          if (typeof v === 'string' && !k.includes('k8s.amazonaws.com')) additionalEniTags[k] = v;
        }
      }
    } catch {
      w.push({ key: 'ADDITIONAL_ENI_TAGS', value: env.ADDITIONAL_ENI_TAGS, reason: 'not a JSON object; ignored' });
      additionalEniTags = {};
    }
  }

  const config: IpamdConfig = {
    warmEniTarget: intTarget(env, 'WARM_ENI_TARGET', 1, w),
    warmIpTarget: intTarget(env, 'WARM_IP_TARGET', 0, w),
    minimumIpTarget: intTarget(env, 'MINIMUM_IP_TARGET', 0, w),
    warmPrefixTarget: intTarget(env, 'WARM_PREFIX_TARGET', 0, w),
    prefixDelegation: boolEnv(env, 'ENABLE_PREFIX_DELEGATION', false, w),
    subnetDiscovery: boolEnv(env, 'ENABLE_SUBNET_DISCOVERY', true, w, true),
    customNetworking: boolEnv(env, 'AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG', false, w),
    eniConfigLabelDef: str('ENI_CONFIG_LABEL_DEF', DEFAULT_ENI_CONFIG_KEY),
    eniConfigAnnotationDef: str('ENI_CONFIG_ANNOTATION_DEF', DEFAULT_ENI_CONFIG_KEY),
    maxEni,
    ipCooldownMs: cooldownS * 1000,
    enableIpv4: boolEnv(env, 'ENABLE_IPv4', false, w),
    enableIpv6,
    enablePodEni: boolEnv(env, 'ENABLE_POD_ENI', false, w),
    disableLeakedEniCleanup: boolEnv(env, 'DISABLE_LEAKED_ENI_CLEANUP', false, w) || enableIpv6 || disableProvisioning,
    disableProvisioning,
    manageEnisNonSchedulable: boolEnv(env, 'AWS_MANAGE_ENIS_NON_SCHEDULABLE', false, w),
    manageUntaggedEni: boolEnv(env, 'MANAGE_UNTAGGED_ENI', true, w),
    clusterName: str('CLUSTER_NAME', ''),
    additionalEniTags,
    networkPolicyMode: str('NETWORK_POLICY_ENFORCING_MODE', ''),
    includeCooldownInPoolSize: boolEnv(env, EXPERIMENTAL_INCLUDE_COOLDOWN, false, w),
  };
  return { config, warnings: w };
}

/** Env keys the model does not read (the scenario layer may warn about them). */
export function unknownEnvKeys(env: Record<string, string>): string[] {
  return Object.keys(env).filter((k) => !KNOWN_ENV_KEYS.includes(k));
}

export const MSG_PD_ZERO_TARGETS =
  'Setting WARM_PREFIX_TARGET = 0 is not supported while WARM_IP_TARGET/MINIMUM_IP_TARGET is not set. ' +
  'Please configure either one of the WARM_{PREFIX/IP}_TARGET or MINIMUM_IP_TARGET env variables';

/**
 * The aws-node entrypoint's `validateEnvVars` (cmd/aws-vpc-cni/main.go; spec §1 "(entrypoint check)"):
 * returns the error that makes the container exit 1, or undefined. The PD check compares the *strings*
 * lexicographically with "0" (unset = "0"), so "-1" and "" pass as "≤ 0" and "00" counts as > "0".
 */
export function validateEntrypointEnv(env: Record<string, string>): string | undefined {
  if (has(env, 'IP_COOLDOWN_PERIOD') && env.IP_COOLDOWN_PERIOD !== '') {
    const n = goAtoi(env.IP_COOLDOWN_PERIOD);
    if (n === undefined || n < 0) {
      return `IP_COOLDOWN_PERIOD MUST be a valid positive integer. ${env.IP_COOLDOWN_PERIOD} is invalid`;
    }
  }
  const pd = has(env, 'ENABLE_PREFIX_DELEGATION') ? goParseBool(env.ENABLE_PREFIX_DELEGATION) ?? false : false;
  if (pd) {
    const s = (k: string) => (has(env, k) ? env[k] : '0');
    const le0 = (v: string) => v <= '0';
    if (le0(s('WARM_IP_TARGET')) && le0(s('WARM_PREFIX_TARGET')) && le0(s('MINIMUM_IP_TARGET'))) return MSG_PD_ZERO_TARGETS;
  }
  return undefined;
}

/** Instance facts the validity check needs. */
export interface ConfigInstanceFacts {
  instanceType: string;
  prefixDelegationSupported: boolean;
}

/**
 * ipamd's `isConfigValid` (§1 ENABLE_IPv4/IPv6, ENABLE_PREFIX_DELEGATION; §6). Returns a fatal message, or the
 * effective PD flag plus an optional warning (the non-Nitro fallback to secondary-IP mode).
 */
export function checkConfigValid(
  c: IpamdConfig,
  f: ConfigInstanceFacts,
): { ok: false; message: string } | { ok: true; prefixDelegation: boolean; warning?: string } {
  if (c.enableIpv4 && c.enableIpv6) return { ok: false, message: 'IPv4 and IPv6 are both enabled. VPC CNI currently does not support dual stack mode' };
  if (!c.enableIpv4 && !c.enableIpv6) return { ok: false, message: 'IPv4 and IPv6 are both disabled. One of them have to be enabled' };
  // v1.23.1 ipamd.go:2765-2769: IPv6 and (custom networking or no PD); security groups for pods are allowed with
  // IPv6 since v1.16.0, so ENABLE_POD_ENI is not part of the check.
  if (c.enableIpv6 && (c.customNetworking || !c.prefixDelegation)) {
    return {
      ok: false,
      message: 'IPv6 is supported only in Prefix Delegation mode. Custom Networking is not supported in IPv6 mode. Please set the env variables accordingly.',
    };
  }
  if (c.prefixDelegation && !f.prefixDelegationSupported) {
    if (c.enableIpv6) {
      return { ok: false, message: `Prefix Delegation is not supported on non-nitro instance ${f.instanceType}. IPv6 is only supported in Prefix delegation Mode. ` };
    }
    return {
      ok: true,
      prefixDelegation: false,
      warning: `Prefix delegation is not supported on non-nitro instance ${f.instanceType} hence falling back to default (secondary IP) mode`,
    };
  }
  const mode = c.networkPolicyMode.toLowerCase();
  if (mode !== '' && mode !== 'none' && mode !== 'strict' && mode !== 'standard') {
    return { ok: false, message: `invalid NETWORK_POLICY_ENFORCING_MODE "${c.networkPolicyMode}" (none, strict or standard)` };
  }
  return { ok: true, prefixDelegation: c.prefixDelegation };
}

/** maxENI (§ glossary, `getMaxENI`): min(MAX_ENI, ENILimit) when MAX_ENI ≥ 1. */
export function effectiveMaxEni(maxEniEnv: number, eniLimit: number): number {
  return maxEniEnv >= 1 ? Math.min(maxEniEnv, eniLimit) : eniLimit;
}
