/**
 * Prints the scenario format's JSON Schema (src/scenario/json-schema.ts) to stdout, or the workload format's with
 * `workload`: `npx tsx scripts/print-schema.ts [workload] > schema/<format>.schema.json`. A script of its own so the schema module stays
 * free of Node's process object.
 */
import { scenarioJsonSchemaText, workloadJsonSchemaText } from '../src/scenario/json-schema.ts';

process.stdout.write(process.argv[2] === 'workload' ? workloadJsonSchemaText() : scenarioJsonSchemaText());
