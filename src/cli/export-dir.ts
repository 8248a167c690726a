/**
 * Writing `run --export DIR`: the folder of AWS CLI and kubectl outputs (src/report/export/cluster-files.ts) into DIR,
 * created if needed. A DIR that is a file, or that cannot be written, is one line naming `--export` (exit 2). This
 * module only touches the disk.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportedFile } from '../report/export/cluster-files.ts';
import { InputError } from '../util/input-error.ts';

/** Checks before the run that DIR can be a folder (so a long run does not end in a refusal). */
export function checkExportDir(dir: string): void {
  let isDir: boolean | undefined;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = undefined;
  }
  if (isDir === false) throw new InputError({ field: '--export' }, `${dir} exists and is not a directory`);
}

export function writeExportDir(dir: string, files: readonly ExportedFile[]): void {
  try {
    mkdirSync(dir, { recursive: true });
    for (const f of files) writeFileSync(join(dir, f.name), f.text);
  } catch (err) {
    throw new InputError({ field: '--export' }, `cannot write to ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
