/**
 * The `--trace FILE` writer: NDJSON trace records (src/sim/trace.ts) buffered and flushed to a file in large writes.
 * Node-only, so it lives with the commands; the simulation sees only the `Tracer` interface.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { TraceRecord, Tracer } from '../sim/index.ts';
import { InputError } from '../util/input-error.ts';

/** Buffers lines and flushes them to a file descriptor in large writes. */
export class NdjsonFileTracer implements Tracer {
  private readonly fd: number;
  /** Whether close() closes the descriptor (not when it was handed in, e.g. 1 for stdout). */
  private readonly owned: boolean;
  private buf: string[] = [];
  private bytes = 0;

  /** A file path, or an open descriptor (1 writes to stdout). */
  constructor(target: string | number) {
    this.owned = typeof target === 'string';
    this.fd = typeof target === 'string' ? openSync(target, 'w') : target;
  }

  write(record: TraceRecord): void {
    const line = JSON.stringify(record) + '\n';
    this.buf.push(line);
    this.bytes += line.length;
    if (this.bytes > 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.bytes = 0;
  }

  close(): void {
    this.flush();
    if (this.owned) closeSync(this.fd);
  }
}

/** Opens `--trace FILE` for writing (`-`: stdout); an unwritable path is bad input. */
export function openTraceFile(path: string): NdjsonFileTracer {
  try {
    return new NdjsonFileTracer(path === '-' ? 1 : path);
  } catch (err) {
    throw new InputError({ field: '--trace' }, `cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
