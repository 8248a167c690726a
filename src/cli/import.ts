/**
 * `vpc-cni-sim import <dir | files…> [-o FILE]`: reads what the AWS CLI and kubectl print for a cluster (the files
 * scripts/collect-cluster.sh writes, or the user's own, recognised by content) and writes a scenario whose state at
 * t = 0 is that cluster (src/import). Warnings for defaults taken go to stderr; bad input is one line naming the
 * file and field, exit 2, and nothing is written. This module only reads flags and files and writes the result.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseFlags } from './flags.ts';
import { EXIT, InputError } from '../util/input-error.ts';
import { importCluster, type InputFile } from '../import/index.ts';

const HELP = `usage: vpc-cni-sim import <dir | files…> [-o FILE]

Write a scenario whose state at t = 0 is your cluster, from what the AWS CLI and kubectl print for it:
  aws ec2 describe-vpcs / describe-subnets / describe-network-interfaces / describe-instances --output json,
  aws eks describe-cluster / describe-addon --addon-name vpc-cni --output json (optional),
  kubectl get nodes -o json, get pods -A -o json, get daemonset aws-node -n kube-system -o json,
  get deployments -A -o json, get eniconfigs -o yaml (optional).
scripts/collect-cluster.sh --cluster NAME [--region R] DIR writes them all. Files are recognised by their
content (JSON or YAML), so any names do; a directory means every .json, .yaml and .yml file in it.

options:
  -o, --output FILE   write the scenario here (default: stdout)
  -h, --help          this help

Then: vpc-cni-sim run FILE (add a timeline step, e.g. a kubectl apply, to ask what happens next).
exit status: 0 written, 2 bad input (one line naming the file and field; nothing written).
`;

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Larger inputs than this are refused before reading (kubectl's JSON of 20,000 pods is well under it). */
const MAX_INPUT_BYTES = 512 * 1024 * 1024;
const INPUT_EXT = /\.(json|ya?ml)$/i;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, OPTIONS, 'import');
  if (values.help === true) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new InputError({}, 'give the folder scripts/collect-cluster.sh wrote, or the files (see --help)');
  if (values.output !== undefined && values.output.trim() === '') throw new InputError({ field: '--output' }, 'give a file name');
  const files = positionals.flatMap(expand).map(readInput);
  const result = importCluster(files);
  for (const w of result.warnings) process.stderr.write(`vpc-cni-sim import: warning: ${w}\n`);
  if (values.output === undefined) process.stdout.write(result.yaml);
  else {
    try {
      writeFileSync(values.output, result.yaml);
    } catch (err) {
      throw new InputError({ field: '--output' }, `cannot write ${values.output}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    process.stderr.write(`wrote ${resolve(values.output)}\n`);
  }
  return EXIT.ok;
}

/** A folder → its .json/.yaml/.yml files, sorted; other entries are named on stderr, never silently passed over. */
function expand(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError({ file: path }, code === 'ENOENT' ? 'no such file or folder' : `cannot read: ${code ?? String(err)}`);
  }
  if (!st.isDirectory()) return [path];
  const out: string[] = [];
  for (const name of readdirSync(path).sort()) {
    const full = join(path, name);
    if (name.startsWith('.')) continue;
    if (INPUT_EXT.test(name) && statSync(full).isFile()) out.push(full);
    else process.stderr.write(`vpc-cni-sim import: note: ${full}: not a .json, .yaml or .yml file; not read\n`);
  }
  if (out.length === 0) throw new InputError({ file: path }, 'no .json, .yaml or .yml file in this folder');
  return out;
}

function readInput(file: string): InputFile {
  const st = statSync(file);
  if (!st.isFile()) throw new InputError({ file }, 'not a regular file');
  if (st.size > MAX_INPUT_BYTES) throw new InputError({ file }, `${(st.size / 1048576).toFixed(0)} MB; import reads files up to ${MAX_INPUT_BYTES / 1048576} MB`);
  try {
    return { file, text: readFileSync(file, 'utf8') };
  } catch (err) {
    throw new InputError({ file }, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
