/**
 * The `vpc-cni-sim` command line: dispatches to one module per command. Thin by design: commands parse flags,
 * call the model or the scenario runner, and print a report.
 */
import { createRequire } from 'node:module';
import { EXIT, InputError } from '../util/input-error.ts';

/** The package's version, from package.json (the one place it is declared). */
const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

type Command = { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> | number }> };

const COMMANDS: Record<string, Command> = {
  run: { summary: 'replay a scenario file and check its expectations (text or json report)', load: () => import('./run.ts') },
  'max-pods': { summary: 'max pods per instance type (the EKS calculator rules)', load: () => import('./max-pods.ts') },
  'warm-pool': { summary: 'simulate one node adding pods: ENIs, IPs and prefixes ipamd attaches', load: () => import('./warm-pool.ts') },
  bench: { summary: 'compare pool policies on a workload over seeds (table, csv, json)', load: () => import('./bench.ts') },
  import: { summary: 'write a scenario whose t = 0 is your cluster, from aws and kubectl output (collect-cluster.sh)', load: () => import('./import.ts') },
  plan: { summary: 'does a scale-up fit, its headroom, and what-ifs that make room (by simulation over seeds)', load: () => import('./plan.ts') },
  playground: { summary: 'write the playground: the simulator in one page, to edit, re-run and compare', load: () => import('./playground.ts') },
  swarm: { summary: 'random scenarios by seed with every invariant on; failing seeds with their YAML', load: () => import('./swarm.ts') },
};

function usage(): string {
  const lines = ['usage: vpc-cni-sim <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(12)} ${c.summary}`);
  lines.push('', 'Run `vpc-cni-sim <command> --help` for a command\'s options; `vpc-cni-sim --version` for the version.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`vpc-cni-sim ${VERSION}\n`);
    return EXIT.ok;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`vpc-cni-sim: unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return EXIT.badInput;
  }
  try {
    const mod = await command.load();
    return await mod.run(rest);
  } catch (err) {
    if (err instanceof InputError) {
      process.stderr.write(`vpc-cni-sim ${name}: ${err.message}\n`);
      return EXIT.badInput;
    }
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`vpc-cni-sim ${name}: internal error: ${msg}\n`);
    if (process.env.VPC_CNI_SIM_DEBUG) process.stderr.write(String((err as Error)?.stack) + '\n');
    return EXIT.internal;
  }
}
