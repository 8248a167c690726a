/**
 * `vpc-cni-sim warm-pool --instance-type T --pods N[,N…] [--env K=V]… [--max-pods M] [--cni-version V]`:
 * simulates a one-node world in a roomy /16 subnet (src/model/world/one-node.ts), adds N pods one
 * at a time letting the pool loop settle after each, and reports ENIs, attached IPs/prefixes and unused IPs —
 * the table of the VPC CNI docs (eni-and-ip-target.md, prefix-and-ip-target.md), produced by simulation.
 * Each count in a list is a fresh node. The env starts from the manifest values (MANIFEST_DEFAULT_ENV).
 */
import { enumFlag, intFlag, parseFlags } from './flags.ts';
import { EXIT, InputError } from '../util/input-error.ts';
import { findInstanceType, instanceTypeHint } from '../model/ec2/instance-types.ts';
import { cniEra } from '../model/ipamd/cni-version.ts';
import { MANIFEST_DEFAULT_ENV, parseConfig, unknownEnvKeys } from '../model/ipamd/config.ts';
import { SingleNode, type WarmPoolReport } from '../model/world/one-node.ts';
import { NODE_DAEMONSETS } from '../model/k8s/system-pods.ts';

const HELP = `usage: vpc-cni-sim warm-pool --instance-type TYPE --pods N[,N...] [options]

Simulates one fresh node running ipamd, adds N pods one at a time (the pool loop settles after each) and
reports the ENIs, attached secondary IPs / prefixes and unused IPs.

options:
  --instance-type TYPE   EC2 instance type (e.g. t3.small, m5.large)
  --pods N[,N...]        pod counts; one row (a fresh node) per count
  --env KEY=VALUE        aws-node env on top of the manifest values (repeatable), e.g. --env WARM_IP_TARGET=2
  --max-pods M           node capacity pods (default: ENIs x (IPv4 per ENI - 1) + 2, eni-max-pods.txt)
  --cni-version V        VPC CNI version (default 1.23.1)
  --seed S               run seed (default 1)
  --format text|json     output format (default text)
`;

const OPTIONS = {
  'instance-type': { type: 'string' },
  pods: { type: 'string' },
  env: { type: 'string', multiple: true },
  'max-pods': { type: 'string' },
  'cni-version': { type: 'string' },
  seed: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parsePods(s: string | undefined): number[] {
  if (s === undefined) throw new InputError({ field: '--pods' }, 'required (a count or a comma-separated list)');
  return s.split(',').map((p) => intFlag(p.trim(), '--pods', 0, 5000)!);
}

function parseEnv(list: string[] | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const kv of list ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new InputError({ field: '--env' }, `expected KEY=VALUE, got "${kv}"`);
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return env;
}

/**
 * One warm-pool run: a fresh node, `pods` pods added one at a time with settling. Only max pods minus the two
 * host-network pods fit on the node; the scheduler leaves the rest `Pending` (they never reach ipamd). Of those
 * admitted, `failedAdds` found no address (they would stay ContainerCreating).
 */
export function warmPool(instanceType: string, pods: number, env: Record<string, string>, maxPods: number | undefined, cniVersion: string, seed: string | number): WarmPoolReport & { failedAdds: number; pending: number } {
  const node = new SingleNode({ instanceType, env, cniVersion, seed, ...(maxPods !== undefined ? { maxPods } : {}) });
  const ipamd = node.start();
  if (ipamd.state === 'failed') throw new InputError({ field: '--env' }, `aws-node failed to start: ${ipamd.failure}`);
  node.settle();
  const room = Math.max(0, node.report().maxPods - NODE_DAEMONSETS.length);
  const admitted = Math.min(pods, room);
  const failedAdds = node.addPodsSettling(admitted);
  return { ...node.report(), failedAdds, pending: pods - admitted };
}

/** The Pods cell: the pods asked for, and how many of them wait and why. */
function podsCell(r: WarmPoolReport & { failedAdds: number; pending: number }): string {
  const notes = [r.failedAdds > 0 ? `${r.failedAdds} without IP` : '', r.pending > 0 ? `${r.pending} Pending` : ''].filter((x) => x !== '');
  return String(r.pods + r.failedAdds + r.pending) + (notes.length > 0 ? ` (${notes.join(', ')})` : '');
}

function perEniText(r: WarmPoolReport): string {
  const pd = r.mode === 'pd';
  return r.perEni.map((e) => String(pd ? e.prefixes : e.secondaryIps)).join(',');
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, OPTIONS, 'warm-pool');
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const type = values['instance-type'];
  if (type === undefined) throw new InputError({ field: '--instance-type' }, 'required');
  if (findInstanceType(type) === undefined) {
    throw new InputError({ field: '--instance-type' }, `unknown instance type "${type}"${instanceTypeHint(type)}`);
  }
  const counts = parsePods(values.pods);
  const format = enumFlag(values.format, '--format', ['text', 'json'] as const, 'text');
  const maxPods = intFlag(values['max-pods'], '--max-pods', 1, 100_000);
  const cniVersion = values['cni-version'] ?? '1.23.1';
  if (cniEra(cniVersion) === undefined) throw new InputError({ field: '--cni-version' }, `not a version: "${cniVersion}" (e.g. 1.18.0)`);
  const env = parseEnv(values.env);
  for (const k of unknownEnvKeys(env)) process.stderr.write(`vpc-cni-sim warm-pool: warning: --env ${k} is not read by ipamd (ignored, as the real container ignores it)\n`);
  for (const w of parseConfig({ ...MANIFEST_DEFAULT_ENV, ...env }).warnings) {
    process.stderr.write(`vpc-cni-sim warm-pool: warning: ${w.key}="${w.value}": ${w.reason}\n`);
  }
  const seed = values.seed ?? '1';
  const rows = counts.map((n) => warmPool(type, n, env, maxPods, cniVersion, seed));

  if (format === 'json') {
    process.stdout.write(JSON.stringify(rows.length === 1 ? rows[0] : rows, null, 2) + '\n');
    return EXIT.ok;
  }
  const pd = rows[0]?.mode === 'pd';
  const header = ['Instance type', 'Pods', 'ENIs', pd ? 'Prefixes' : 'Secondary IPs', 'Unused IPs', pd ? 'Prefixes per ENI' : 'IPs per ENI', 'Pods per ENI'];
  const table = rows.map((r) => [
    r.instanceType,
    podsCell(r),
    String(r.enis),
    String(pd ? r.attachedPrefixes : r.attachedSecondaryIps),
    String(r.unusedIps),
    perEniText(r),
    r.perEni.map((e) => e.assignedPods).join(','),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const envText = Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ');
  process.stdout.write(`${type}, ${pd ? 'prefix delegation' : 'secondary IPs'}${envText ? `, ${envText}` : ''} (max pods ${rows[0]?.maxPods})\n`);
  process.stdout.write(line(header) + '\n' + table.map(line).join('\n') + '\n');
  const full = rows.find((r) => r.pending > 0);
  if (full !== undefined) {
    process.stdout.write(`Pending: max pods ${full.maxPods} counts aws-node and kube-proxy (host network), so ${full.maxPods - NODE_DAEMONSETS.length} pods fit; the scheduler leaves the rest Pending (they never ask ipamd for an address).\n`);
  }
  if (rows.some((r) => r.failedAdds > 0)) process.stdout.write('without IP: admitted, but ipamd had no address for them (they stay ContainerCreating).\n');
  return EXIT.ok;
}
