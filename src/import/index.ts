/**
 * `import`'s core: the files (Contract 2: what the AWS CLI and kubectl print for a cluster) → a scenario whose
 * state at t = 0 is that cluster (Contract 1's `existing:` section), as YAML text with comments, plus the warnings
 * for defaults taken. Pure: the CLI (src/cli/import.ts) reads and writes the files. Bad input throws one InputError
 * naming the file and field.
 */
import { readBundle } from './bundle.ts';
import { joinCluster } from './cluster.ts';
import { clusterSection, regionOf, subnetsSection, vpcSection } from './cluster-section.ts';
import { existingSection, nodeGroupsSection, scenarioName } from './existing-section.ts';
import type { InputFile } from './input.ts';
import { Notes } from './notes.ts';
import { renderYaml } from './yaml-out.ts';

export type { InputFile } from './input.ts';

export interface Imported {
  /** The scenario as a plain object (what the YAML says). */
  scenario: Record<string, unknown>;
  yaml: string;
  /** One line per default taken for something missing. */
  warnings: string[];
}

export function importCluster(files: InputFile[]): Imported {
  const notes = new Notes();
  const bundle = readBundle(files, notes);
  const c = joinCluster(bundle, notes);
  const name = scenarioName(c.clusterName ?? 'imported', 'imported');
  const groups = nodeGroupsSection(c, notes);
  const scenario: Record<string, unknown> = {
    name,
    description: `The state of EKS cluster ${c.clusterName ?? '(unnamed)'} in ${c.vpcId} as the AWS CLI and kubectl printed it: ${c.nodes.length} nodes, ${c.pods.length} pods.`,
    region: regionOf(c),
    vpc: vpcSection(c, notes),
    subnets: subnetsSection(c, notes),
    cluster: clusterSection(c, notes),
    nodeGroups: groups.section,
    existing: existingSection(c, groups.groupOf, notes),
  };
  const header = [`Imported with \`vpc-cni-sim import\` from ${fileList(files)}.`, 'The cluster at t = 0 is `existing:`; add a `timeline:` and `expect:` to ask what happens next.'];
  return { scenario, yaml: renderYaml(scenario, header, notes.list), warnings: notes.warnings() };
}

/** "DIR: a.json, b.json" when every file is in one folder, else the paths. */
function fileList(files: InputFile[]): string {
  const dirs = new Set(files.map((f) => f.file.replace(/[^\\/]*$/, '')));
  if (dirs.size !== 1) return files.map((f) => f.file).join(', ');
  const [dir] = dirs;
  const names = files.map((f) => f.file.slice(dir.length)).join(', ');
  return dir === '' ? names : `${dir.replace(/[\\/]$/, '')}: ${names}`;
}
