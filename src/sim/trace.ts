/**
 * The optional streaming trace: one JSON object per line (NDJSON), `{"t":<ms>,"kind":...,...}`.
 * When no tracer is attached the simulation builds no trace objects at all (callers test `sim.tracing` first).
 * Key order is the order callers write them, so the same run gives byte-identical lines.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export type TraceRecord = { t: number; kind: string } & Record<string, unknown>;

export interface Tracer {
  write(record: TraceRecord): void;
  close(): void;
}

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

/** Keeps lines in memory; for tests and for comparing runs. */
export class MemoryTracer implements Tracer {
  readonly lines: string[] = [];
  write(record: TraceRecord): void {
    this.lines.push(JSON.stringify(record));
  }
  close(): void {}
  text(): string {
    return this.lines.map((l) => l + '\n').join('');
  }
}
