/**
 * Loading a scenario (or a benchmark workload) from a file: check its size before reading it, read it, then the loader (src/scenario/loader.ts)
 * parses and checks the bytes. Node-only, so it lives with the commands; the scenario layer itself parses text.
 */
import { readFileSync, statSync } from 'node:fs';
import { loadScenarioSource, loadWorkloadSource, type LoadOptions } from '../scenario/loader.ts';
import { MAX_FILE_BYTES, parseScenarioBytes, type Located } from '../scenario/source.ts';
import type { Scenario } from '../scenario/types.ts';
import type { Workload } from '../scenario/workload.ts';
import { InputError } from '../util/input-error.ts';

export function loadScenario(file: string, opts: LoadOptions = {}): Scenario {
  return loadScenarioSource(readScenarioFile(file), opts);
}

/** A benchmark workload file: the same reading, checks and messages as a scenario. */
export function loadWorkload(file: string): Workload {
  return loadWorkloadSource(readScenarioFile(file));
}

/** Reads and parses `file`; every failure is an InputError naming the file (and line/column when known). */
export function readScenarioFile(file: string): Located {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new InputError({ file }, 'not a regular file');
    size = st.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError({ file }, code === 'ENOENT' ? 'no such file' : `cannot read: ${code ?? String(err)}`);
  }
  if (size > MAX_FILE_BYTES) {
    throw new InputError({ file }, `file is ${(size / 1048576).toFixed(1)} MB; scenario files are limited to ${MAX_FILE_BYTES / 1048576} MB`);
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new InputError({ file }, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseScenarioBytes(bytes, file);
}

