/**
 * Pool policies the benchmark compares, by name. Most are the real daemon with different aws-node settings
 * (spec §1): a name expands to env values layered over the workload's env. A policy can instead be a plugin —
 * a TypeScript/JavaScript module, given by path, whose default export replaces the pool decisions (PoolPolicy,
 * src/model/ipamd/pool-policy.ts) while the daemon's mechanics (timers, EC2 calls, cooldowns) stay the real ones.
 *
 * Names (terms joined with '+'; a modifier alone applies to warm-eni-1):
 *   warm-eni-N                 WARM_ENI_TARGET=N (warm-eni-1 is the default install)
 *   warm-ip-W[-min-M]          WARM_IP_TARGET=W, MINIMUM_IP_TARGET=M (e.g. warm-ip-2-min-10)
 *   min-ip-M                   MINIMUM_IP_TARGET=M alone (implicit WARM_IP_TARGET=0, spec §1)
 *   prefix-warm-prefix-N       ENABLE_PREFIX_DELEGATION=true, WARM_PREFIX_TARGET=N
 *   prefix-warm-ip-W-min-M     prefix delegation in warm-IP mode; `prefix-warm-ip-min` = prefix-warm-ip-5-min-20 (spec §2.8 D)
 *   modifiers: cooldown-S (IP_COOLDOWN_PERIOD=S), subnet-discovery-on|off (ENABLE_SUBNET_DISCOVERY),
 *              cooldown-in-pool (INCLUDE_COOLDOWN_IPS_IN_POOL_SIZE=true, the experimental flag of cni PR #3752),
 *              max-eni-N (MAX_ENI=N)
 *   a path (contains '/' or ends in .ts/.mts/.js/.mjs): a plugin module; modifiers may follow it.
 *   any name a workload declares under definePolicies.
 * It is not the daemon (src/model/ipamd) nor the runner (src/bench/run-job.ts).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../util/input-error.ts';
import type { PoolPolicy } from '../model/ipamd/pool-policy.ts';

/** A policy as jobs carry it across threads: plain data. */
export interface PolicySpec {
  /** The name as given on the command line (a plugin path is replaced by the module's own name). */
  name: string;
  /** aws-node env values layered over the workload's env. */
  env: Record<string, string>;
  /** Absolute path of a plugin module, when the decisions are replaced. */
  plugin?: string;
}

/** What a node's daemon needs to build its own instance of a stateful plugin policy. */
export interface PolicyContext {
  /** The node's name. */
  node: string;
  /** Virtual time now, ms. */
  now(): number;
}

/**
 * A plugin module's default export: a PoolPolicy (shared by every node; keep it stateless), or a factory that
 * builds one per node (for policies that remember something, such as an arrival rate).
 */
export type PolicyPlugin = PoolPolicy | { readonly name: string; create(ctx: PolicyContext): PoolPolicy };

export const BUILTIN_POLICY_HELP = `warm-eni-N, warm-ip-W[-min-M], min-ip-M, prefix-warm-prefix-N, prefix-warm-ip-W-min-M, prefix-warm-ip-min;
modifiers (join with +, alone they apply to warm-eni-1): cooldown-S, subnet-discovery-on, subnet-discovery-off,
cooldown-in-pool, max-eni-N; or a path to a plugin module (./bench/policies/arrival-rate.ts)`;

const INT = '(0|[1-9]\\d{0,5})';

/** The env of a base policy name, or undefined when it is not one. */
function baseEnv(term: string): Record<string, string> | undefined {
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^warm-eni-${INT}$`).exec(term))) return { WARM_ENI_TARGET: m[1] };
  if ((m = new RegExp(`^warm-ip-${INT}(?:-min-${INT})?$`).exec(term))) {
    return { WARM_IP_TARGET: m[1], MINIMUM_IP_TARGET: m[2] ?? '0' };
  }
  if ((m = new RegExp(`^min-ip-${INT}$`).exec(term))) return { WARM_IP_TARGET: '0', MINIMUM_IP_TARGET: m[1] };
  if ((m = new RegExp(`^prefix-warm-prefix-${INT}$`).exec(term))) {
    return { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: m[1], WARM_IP_TARGET: '0', MINIMUM_IP_TARGET: '0' };
  }
  if (term === 'prefix-warm-ip-min') term = 'prefix-warm-ip-5-min-20';
  if ((m = new RegExp(`^prefix-warm-ip-${INT}(?:-min-${INT})?$`).exec(term))) {
    return { ENABLE_PREFIX_DELEGATION: 'true', WARM_IP_TARGET: m[1], MINIMUM_IP_TARGET: m[2] ?? '0' };
  }
  return undefined;
}

function modifierEnv(term: string): Record<string, string> | undefined {
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^cooldown-${INT}$`).exec(term))) return { IP_COOLDOWN_PERIOD: m[1] };
  if (term === 'subnet-discovery-on') return { ENABLE_SUBNET_DISCOVERY: 'true' };
  if (term === 'subnet-discovery-off') return { ENABLE_SUBNET_DISCOVERY: 'false' };
  if (term === 'cooldown-in-pool') return { INCLUDE_COOLDOWN_IPS_IN_POOL_SIZE: 'true' };
  if ((m = /^max-eni-([1-9]\d?)$/.exec(term))) return { MAX_ENI: m[1] };
  return undefined;
}

export function looksLikePath(term: string): boolean {
  return term.includes('/') || /\.(m?ts|m?js)$/.test(term);
}

/**
 * Resolves one policy expression (`warm-ip-2-min-10+cooldown-0`, `./bench/policies/arrival-rate.ts`) to a spec.
 * Plugin paths are resolved against `cwd` and must exist; the module itself is loaded by `loadPolicyPlugin`.
 */
export function resolvePolicy(expr: string, defined: Record<string, Record<string, string>> = {}, cwd = process.cwd()): PolicySpec {
  const field = '--policies';
  const text = expr.trim();
  if (text === '') throw new InputError({ field }, 'empty policy name');
  const terms = text.split('+').map((t) => t.trim());
  let env: Record<string, string> | undefined;
  let plugin: string | undefined;
  for (const [i, term] of terms.entries()) {
    if (term === '') throw new InputError({ field }, `"${expr}": empty term`);
    if (i === 0 && looksLikePath(term)) {
      const abs = isAbsolute(term) ? term : resolve(cwd, term);
      if (!existsSync(abs)) throw new InputError({ field }, `policy module not found: ${term} (resolved to ${abs})`);
      plugin = abs;
      env = {};
      continue;
    }
    if (i === 0) {
      const b = Object.prototype.hasOwnProperty.call(defined, term) ? { ...defined[term] } : baseEnv(term);
      if (b !== undefined) {
        env = b;
        continue;
      }
    }
    const mod = modifierEnv(term);
    if (mod === undefined) {
      const known = i === 0 ? `; known: ${BUILTIN_POLICY_HELP.replace(/\n/g, ' ')}${Object.keys(defined).length > 0 ? `; this workload defines ${Object.keys(defined).join(', ')}` : ''}` : ' (modifiers: cooldown-S, subnet-discovery-on|off, cooldown-in-pool, max-eni-N)';
      throw new InputError({ field }, `unknown policy ${i === 0 ? 'name' : 'modifier'} "${term}" in "${expr}"${known}`);
    }
    env = { ...(env ?? { WARM_ENI_TARGET: '1' }), ...mod };
  }
  return { name: text, env: env ?? {}, ...(plugin !== undefined ? { plugin } : {}) };
}

/** Splits a --policies value on commas (a plugin path holding a comma is not supported). */
export function splitPolicyList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

const POLICY_METHODS = [
  'isTooLow',
  'topUpAmount',
  'newEniAmount',
  'isTooHigh',
  'releaseAmount',
  'shouldRemoveExtraEnis',
  'deletableEni',
  'rankSubnets',
  'describeTarget',
] as const;

/** Missing PoolPolicy methods of `p` (empty when complete). */
export function missingPolicyMethods(p: unknown): string[] {
  if (typeof p !== 'object' || p === null) return [...POLICY_METHODS];
  return POLICY_METHODS.filter((m) => typeof (p as Record<string, unknown>)[m] !== 'function');
}

/** Loads a plugin module and checks its default export; errors are InputErrors naming the file. */
export async function loadPolicyPlugin(path: string): Promise<PolicyPlugin> {
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0];
    const hint = /require\(\) ES Module|Cannot use import statement|ERR_REQUIRE_ESM/.test(msg)
      ? ' (the file was read as CommonJS: name it .mts, or put it in a package with "type": "module")'
      : '';
    throw new InputError({ file: path }, `cannot load policy module: ${msg}${hint}`);
  }
  const d = mod.default as Record<string, unknown> | undefined;
  if (typeof d !== 'object' || d === null) {
    throw new InputError({ file: path }, 'the module must default-export a PoolPolicy object (or { name, create(ctx) })');
  }
  if (typeof d.name !== 'string' || !/^[a-z0-9][-a-z0-9.]*$/.test(d.name)) {
    throw new InputError({ file: path }, 'the default export needs a `name` (lower-case letters, digits, "-", ".")');
  }
  if (typeof d.create === 'function') return d as unknown as PolicyPlugin;
  const missing = missingPolicyMethods(d);
  if (missing.length > 0) throw new InputError({ file: path }, `the default export lacks PoolPolicy methods: ${missing.join(', ')}`);
  return d as unknown as PoolPolicy;
}

/** A plugin's per-node policy: the shared object, or a fresh one from its factory. */
export function instantiatePolicy(plugin: PolicyPlugin, ctx: PolicyContext): PoolPolicy {
  if ('create' in plugin && typeof plugin.create === 'function') {
    const p = plugin.create(ctx);
    const missing = missingPolicyMethods(p);
    if (missing.length > 0) throw new InputError({}, `policy ${plugin.name}: create() returned an object lacking ${missing.join(', ')}`);
    return p;
  }
  return plugin as PoolPolicy;
}

/** The policies of a run: resolves the list, loads plugins once to learn their names, rejects duplicates. */
export async function resolvePolicies(exprs: string[], defined: Record<string, Record<string, string>>, cwd = process.cwd()): Promise<PolicySpec[]> {
  const out: PolicySpec[] = [];
  for (const e of exprs) {
    const spec = resolvePolicy(e, defined, cwd);
    if (spec.plugin !== undefined) {
      const plugin = await loadPolicyPlugin(spec.plugin);
      const rest = e.split('+').slice(1).join('+');
      spec.name = rest === '' ? plugin.name : `${plugin.name}+${rest}`;
    }
    if (out.some((o) => o.name === spec.name)) throw new InputError({ field: '--policies' }, `policy "${spec.name}" given twice`);
    out.push(spec);
  }
  if (out.length === 0) throw new InputError({ field: '--policies' }, 'no policy given');
  return out;
}
