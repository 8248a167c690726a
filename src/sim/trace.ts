/**
 * The optional streaming trace: one JSON object per line (NDJSON), `{"t":<ms>,"kind":...,...}`.
 * When no tracer is attached the simulation builds no trace objects at all (callers test `sim.tracing` first).
 * Key order is the order callers write them, so the same run gives byte-identical lines.
 * Writing a file is the CLI's (src/cli/trace-file.ts): the engine stays free of Node modules.
 */
export type TraceRecord = { t: number; kind: string } & Record<string, unknown>;

export interface Tracer {
  write(record: TraceRecord): void;
  close(): void;
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
