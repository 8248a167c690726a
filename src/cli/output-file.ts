/**
 * Writing a page or file a command produces, with its folder made: a path that cannot be written is the fault of the
 * flag that named it (one line, exit 2). Not here: rendering what is written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../util/input-error.ts';

export function writeOutputFile(file: string, text: string, flag: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (err) {
    throw new InputError({ field: flag }, `cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
