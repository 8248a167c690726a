/**
 * Loading a scenario from its text: parse it safely (source.ts), apply `--set` overrides (overrides.ts), check its structure
 * against the format (validate.ts, spec.ts) and the rules between fields (semantic.ts). Every problem is one
 * InputError naming file, line, column and field. Not here: running it (runner.ts).
 */
import { InputError } from '../util/input-error.ts';
import { applySets } from './overrides.ts';
import { checkScenario } from './semantic.ts';
import { parseScenarioText, type Located } from './source.ts';
import { SCENARIO } from './spec.ts';
import type { Scenario } from './types.ts';
import { validate } from './validate.ts';

export interface LoadOptions {
  /** `--set key=value` texts, applied in order. */
  sets?: readonly string[];
  /** `--seed`, overriding the file's seed. */
  seed?: number;
}

/** A scenario from its text (`file` names it in messages); reading a file is src/cli/scenario-file.ts. */
export function loadScenarioText(text: string, file: string, opts: LoadOptions = {}): Scenario {
  return loadScenarioSource(parseScenarioText(text, file), opts);
}

/** A scenario from its parsed source (source.ts). */
export function loadScenarioSource(src: Located, opts: LoadOptions): Scenario {
  const located = opts.sets !== undefined && opts.sets.length > 0 ? applySets(src, opts.sets) : src;
  let checked: Record<string, unknown>;
  try {
    checked = validate(located, SCENARIO, located.value, []) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof InputError) throw err;
    if (err instanceof RangeError) throw new InputError({ file: src.file }, 'the document is too deeply nested to check');
    throw err;
  }
  const scenario = checkScenario(located, checked);
  if (opts.seed !== undefined) scenario.seed = opts.seed;
  return scenario;
}
