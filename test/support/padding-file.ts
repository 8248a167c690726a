/** Writes a scenario file of comment padding of at least `bytes` bytes: the oversized-input case, made at run time. */
import { closeSync, openSync, writeSync } from 'node:fs';

export function writePaddingFile(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.from('# padding padding padding padding padding padding padding padding padding padding\n'.repeat(12_800));
  let written = 0;
  while (written < bytes) written += writeSync(fd, chunk);
  closeSync(fd);
}
