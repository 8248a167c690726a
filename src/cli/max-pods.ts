/**
 * `vpc-cni-sim max-pods <instance-type>… [options]`: max pods per instance type, by the rules of spec §7.
 *
 * Modes (the arithmetic is src/model/max-pods.ts; this module only reads flags, checks them and prints):
 *   - without --cni-version: the value `eni-max-pods.txt` holds, `ENILimit × (IPv4Limit − 1) + 2`, uncapped.
 *     Custom networking and --cni-max-eni still apply; --cni-prefix-delegation-enabled is read as "the latest CNI"
 *     (prefix delegation supported, Nitro only).
 *   - with --cni-version: the EKS AMI calculator (`max-pods-calculator.sh`), including its 110/250 cap (spec §7).
 *     The cap depends on the type's default vCPU count: --vcpus N (one instance type) when given, else the cited
 *     vCPU table (src/model/ec2/instance-vcpus.ts). A type the table lacks needs --vcpus N or --show-max-allowed
 *     (no cap): an input error naming the type, never a guessed count. JSON output says which (`vcpusSource`).
 * `--all` prints every known type, sorted by name, one `<type> <maxPods>` line each: with no other flag this is
 * exactly the data lines of `eni-max-pods.txt` (its header comment — licence and region list — is not printed).
 * It is not a scenario command: it runs no simulation.
 */
import { enumFlag, intFlag, parseFlags } from './flags.ts';
import { EXIT, InputError } from '../util/input-error.ts';
import { findInstanceType, instanceTypeHint, instanceTypeNames, type InstanceType } from '../model/ec2/instance-types.ts';
import { findDefaultVcpus, INSTANCE_VCPUS_SOURCE } from '../model/ec2/instance-vcpus.ts';
import { computeMaxPods, parseCniVersion, type MaxPodsOptions, type MaxPodsResult } from '../model/max-pods.ts';

const HELP = `usage: vpc-cni-sim max-pods <instance-type>... [options]

Max pods per instance type (ENIs x (IPv4 per ENI - 1) + 2, and the EKS calculator's rules).

options:
  --cni-prefix-delegation-enabled   prefix delegation (Nitro only): ENIs x ((IPv4 per ENI - 1) x 16) + 2
  --cni-custom-networking-enabled   custom networking: the primary ENI carries no pods (one ENI fewer)
  --cni-max-eni N                   use at most N ENIs (N >= 1)
  --cni-version V                   calculator mode (e.g. 1.9.0): prefix delegation needs V > 1.8, and the
                                    110 (<= 30 vCPUs) / 250 (> 30 vCPUs) cap applies
  --vcpus N                         vCPUs of the instance type, for the cap (calculator mode, one type);
                                    overrides the built-in vCPU table
  --show-max-allowed                no cap: the most pods the addresses allow
  --all                             every known instance type, sorted (as eni-max-pods.txt)
  --format text|json                output format (default text); json says where the vCPU count came
                                    from (vcpusSource: "flag" or "table")

Without --cni-version the output is the eni-max-pods.txt value (uncapped), and prefix delegation is taken
as supported by the CNI (the latest version).

In calculator mode the vCPU count is --vcpus when given, else the type's default vCPUs from a built-in
table; a type missing from it needs --vcpus N or --show-max-allowed. Table source:
  ${INSTANCE_VCPUS_SOURCE}
`;

const OPTIONS = {
  'cni-prefix-delegation-enabled': { type: 'boolean' },
  'cni-custom-networking-enabled': { type: 'boolean' },
  'cni-max-eni': { type: 'string' },
  'cni-version': { type: 'string' },
  vcpus: { type: 'string' },
  'show-max-allowed': { type: 'boolean' },
  all: { type: 'boolean' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, OPTIONS, 'max-pods');
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const format = enumFlag(values.format, '--format', ['text', 'json'] as const, 'text');
  const maxEni = intFlag(values['cni-max-eni'], '--cni-max-eni', 1, 1000);
  const vcpus = intFlag(values.vcpus, '--vcpus', 1, 100_000);
  const showMaxAllowed = values['show-max-allowed'] === true;

  let cniVersion: MaxPodsOptions['cniVersion'];
  if (values['cni-version'] !== undefined) {
    cniVersion = parseCniVersion(values['cni-version']);
    if (cniVersion === undefined) {
      throw new InputError(
        { field: '--cni-version' },
        `expected a version like 1.9.0 or v1.12.6-eksbuild.2, got "${values['cni-version']}"`,
      );
    }
  }

  const types = selectTypes(positionals, values.all === true);

  if (vcpus !== undefined && cniVersion === undefined) {
    throw new InputError(
      { field: '--vcpus' },
      'the 110/250 vCPU cap is a calculator rule: give --cni-version too (without it the output is the uncapped eni-max-pods.txt value)',
    );
  }
  if (vcpus !== undefined && showMaxAllowed) {
    throw new InputError({ field: '--vcpus' }, '--show-max-allowed means no cap, so --vcpus would be ignored: give one of them');
  }
  const capped = cniVersion !== undefined && !showMaxAllowed;
  if (capped && vcpus !== undefined && types.length !== 1) {
    throw new InputError(
      { field: '--vcpus' },
      `--vcpus is the vCPU count of one instance type, but ${types.length} types were given: give one type, or drop --vcpus to use the vCPU table`,
    );
  }
  if (capped && vcpus === undefined) {
    const missing = types.filter((t) => findDefaultVcpus(t.name) === undefined).map((t) => t.name);
    if (missing.length > 0) {
      const which =
        missing.length === 1
          ? `"${missing[0]}" has`
          : `${missing.length} of the given types have (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''})`;
      throw new InputError(
        { field: '--vcpus' },
        `with --cni-version the 110/250 cap needs the vCPU count, and ${which} no default vCPU count in the vCPU table: give --vcpus N, or --show-max-allowed for no cap`,
      );
    }
  }

  const base: MaxPodsOptions = {
    prefixDelegation: values['cni-prefix-delegation-enabled'] === true,
    customNetworking: values['cni-custom-networking-enabled'] === true,
    maxEni,
    cniVersion,
  };
  const results: MaxPodsResult[] = types.map((t) => {
    if (!capped) return computeMaxPods(t, base);
    if (vcpus !== undefined) return computeMaxPods(t, { ...base, vcpus, vcpusSource: 'flag' });
    return computeMaxPods(t, { ...base, vcpus: findDefaultVcpus(t.name), vcpusSource: 'table' });
  });

  if (format === 'json') {
    process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  } else {
    process.stdout.write(results.map((r) => `${r.instanceType} ${r.maxPods}\n`).join(''));
  }
  return EXIT.ok;
}

function selectTypes(names: string[], all: boolean): InstanceType[] {
  if (all) {
    if (names.length > 0) {
      throw new InputError({ field: '--all' }, `--all prints every type: drop the instance types given (${names.join(', ')})`);
    }
    return instanceTypeNames.map((n) => findInstanceType(n)!);
  }
  if (names.length === 0) {
    throw new InputError({}, 'give at least one instance type (e.g. m5.large), or --all');
  }
  return names.map((name) => {
    const t = findInstanceType(name);
    if (t === undefined) {
      throw new InputError({}, `unknown instance type "${name}"${instanceTypeHint(name)}`);
    }
    return t;
  });
}
