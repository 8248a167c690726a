/**
 * `vpc-cni-sim playground [scenario.yaml] -o playground.html`: writes the playground, one self-contained page (no
 * server, no request) that bundles the simulator from the CLI's own source and opens with the given scenario (default:
 * the inflate walkthrough), ready to edit, re-run and compare (src/report/html/playground). The scenario is loaded
 * first, so a broken file is the usual one line and exit 2 rather than a page that opens on an error.
 * Not here: the page (src/report/html/playground), its assets (report-assets.ts).
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenarioText } from '../scenario/loader.ts';
import { EXIT, InputError } from '../util/input-error.ts';
import { MAX_PAGE_EVENTS } from '../report/play.ts';
import { intFlag, parseFlags } from './flags.ts';
import { writeOutputFile } from './output-file.ts';
import { readScenarioFile } from './scenario-file.ts';

const HELP = `usage: vpc-cni-sim playground [scenario.yaml] [-o playground.html]

Write the playground: one self-contained page that runs the simulator in the browser. Edit the scenario's YAML or
its settings (WARM_ENI_TARGET, WARM_IP_TARGET, MINIMUM_IP_TARGET, WARM_PREFIX_TARGET, ENABLE_PREFIX_DELEGATION,
ENABLE_SUBNET_DISCOVERY, the VPC CNI version, the instance type, replicas, the seed), re-run, pin a run and compare,
and share the edited scenario as a link. Opens with the given scenario (default: the inflate walkthrough).

options:
  -o, --output FILE         the page to write (default playground.html)
  --max-events N            stop a run in the page past N events, as too large for a page (default 10000000)
  -h, --help                this help
`;

const OPTIONS = { output: { type: 'string', short: 'o' }, 'max-events': { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

/** The flagship scenario, shipped with the package. */
const DEFAULT_SCENARIO = fileURLToPath(new URL('../../scenarios/inflate-exhaustion.yaml', import.meta.url));

/** Writes the playground for a scenario's text; the scenario must load (its error is the file's, exit 2). */
export async function writePlayground(yaml: string, file: string, out: string, maxEvents = MAX_PAGE_EVENTS): Promise<void> {
  loadScenarioText(yaml, file);
  const { renderPlayground } = await import('../report/html/render.ts');
  const { pageAssets, playgroundWorker } = await import('./report-assets.ts');
  const html = renderPlayground({ yaml, file, maxEvents }, await pageAssets('playground'), await playgroundWorker());
  writeOutputFile(out, html, '--output');
}

/** A scenario file's text, read and checked as `run` reads it (size, encoding, YAML). */
export function scenarioText(file: string): string {
  readScenarioFile(file);
  return readFileSync(file, 'utf8');
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, OPTIONS, 'playground');
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw new InputError({}, `one scenario file at a time (got ${positionals.length})`);
  const out = values.output ?? 'playground.html';
  if (out.trim() === '') throw new InputError({ field: '--output' }, 'give a file name');
  const given = positionals[0];
  const file = given ?? relative(process.cwd(), DEFAULT_SCENARIO);
  const maxEvents = intFlag(values['max-events'], '--max-events', 1, MAX_PAGE_EVENTS) ?? MAX_PAGE_EVENTS;
  await writePlayground(scenarioText(given ?? DEFAULT_SCENARIO), file, out, maxEvents);
  process.stderr.write(`Playground: ${resolve(out)} (open it in a browser: edit ${file}, re-run, compare two runs)\n`);
  return EXIT.ok;
}
