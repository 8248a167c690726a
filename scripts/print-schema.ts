/**
 * Prints the scenario format's JSON Schema (src/scenario/json-schema.ts) to stdout:
 * `npx tsx scripts/print-schema.ts > schema/scenario.schema.json`. A script of its own so the schema module stays
 * free of Node's process object.
 */
import { scenarioJsonSchemaText } from '../src/scenario/json-schema.ts';

process.stdout.write(scenarioJsonSchemaText());
