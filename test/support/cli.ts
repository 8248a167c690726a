/** Runs the CLI's `main()` in-process and captures what it writes (stdout, stderr) and how long it took. */
import { main } from '../../src/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export async function runCli(argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = ((s: string | Uint8Array) => {
    stdout += String(s);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  }) as typeof process.stderr.write;
  const t0 = performance.now();
  try {
    const code = await main(argv);
    return { code, stdout, stderr, ms: performance.now() - t0 };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
