/** The generic discrete-event engine. No domain imports live below this folder. */
export { Simulation, type RunOptions } from './simulation.ts';
export { SimEvent } from './event.ts';
export { Nap, Process, sleep, wait, type Proc, type Yieldable } from './process.ts';
export { Timer } from './queue.ts';
export { Random, RandomStreams } from './random.ts';
export { MemoryTracer, type TraceRecord, type Tracer } from './trace.ts';
