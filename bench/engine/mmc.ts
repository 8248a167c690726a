/**
 * An M/M/c queue on our engine, written with processes: a source process spawns one customer process per
 * arrival; a customer waits for one of c servers (a tiny FIFO resource built from SimEvents, the counterpart of
 * SimPy's `Resource`), holds it for an exponential service time, and releases it. bench/engine/mmc_simpy.py is the
 * same model in SimPy; bench/engine/run.ts runs both and compares speed and mean wait.
 *
 * Virtual time is integer milliseconds, so the means are large (seconds) to make rounding negligible.
 * It is a benchmark and a sanity check of the engine, not part of the simulator.
 */
import { Simulation, type Proc, type SimEvent } from '../../src/sim/index.ts';

export interface MmcOptions {
  /** Customers to serve (all of them arrive; the run ends when the last one leaves). */
  customers: number;
  /** c: servers. */
  servers: number;
  /** 1/λ: mean time between arrivals, ms. */
  interarrivalMeanMs: number;
  /** 1/μ: mean service time, ms. */
  serviceMeanMs: number;
  seed: number;
}

export interface MmcResult {
  customers: number;
  /** Mean time from arrival to the start of service, ms. */
  meanWaitMs: number;
  /** Mean wait of each of BATCHES consecutive groups of customers (in arrival order), for a confidence interval. */
  batchMeansMs: number[];
  /** Virtual time at the end, ms. */
  endMs: number;
  /** Engine events processed. */
  events: number;
}

/** c = 10 servers at 90% load: λ/(cμ) = 0.9, service 10 s, so arrivals every 10/9 s on average. */
export const DEFAULT_MMC: MmcOptions = {
  customers: 200_000,
  servers: 10,
  serviceMeanMs: 10_000,
  interarrivalMeanMs: 10_000 / (0.9 * 10),
  seed: 1,
};

/** Batches for the batch-means confidence interval (20 batches of 10,000 customers by default). */
export const BATCHES = 20;

/** c identical servers, granted first come first served. */
class Servers {
  private free: number;
  private readonly waiting: Array<SimEvent<void>> = [];
  private head = 0;

  constructor(
    private readonly sim: Simulation,
    capacity: number,
  ) {
    this.free = capacity;
  }

  /** An event that succeeds when a server is this caller's. */
  request(): SimEvent<void> {
    const ev = this.sim.event<void>();
    if (this.free > 0) {
      this.free--;
      ev.succeed();
    } else {
      this.waiting.push(ev);
    }
    return ev;
  }

  release(): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head];
      this.waiting[this.head++] = undefined as unknown as SimEvent<void>;
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      next.succeed();
    } else {
      this.free++;
    }
  }
}

export function runMmc(opts: MmcOptions = DEFAULT_MMC): MmcResult {
  const sim = new Simulation(opts.seed);
  const arrivals = sim.random('mmc/arrivals');
  const service = sim.random('mmc/service');
  const servers = new Servers(sim, opts.servers);
  // Accumulated in a typed array: a captured `let` number would box a fresh heap number on every update.
  const batchSums = new Float64Array(BATCHES);

  function* customer(id: number): Proc {
    const arrived = sim.now;
    yield servers.request();
    batchSums[Math.floor((id * BATCHES) / opts.customers)] += sim.now - arrived;
    yield service.exponential(opts.serviceMeanMs);
    servers.release();
  }

  function* source(): Proc {
    for (let i = 0; i < opts.customers; i++) {
      sim.spawn('customer', customer(i));
      yield arrivals.exponential(opts.interarrivalMeanMs);
    }
  }

  sim.spawn('source', source());
  sim.run();
  const perBatch = opts.customers / BATCHES;
  return {
    customers: opts.customers,
    meanWaitMs: batchSums.reduce((a, b) => a + b, 0) / opts.customers,
    batchMeansMs: Array.from(batchSums, (s) => s / perBatch),
    endMs: sim.now,
    events: sim.eventCount,
  };
}

/** Erlang C: the theoretical mean wait in queue of an M/M/c queue, ms. */
export function erlangCMeanWaitMs(opts: Pick<MmcOptions, 'servers' | 'interarrivalMeanMs' | 'serviceMeanMs'>): number {
  const c = opts.servers;
  const lambda = 1 / opts.interarrivalMeanMs;
  const mu = 1 / opts.serviceMeanMs;
  const a = lambda / mu;
  if (a >= c) return Infinity;
  let term = 1; // a^k / k!
  let sum = 0;
  for (let k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  const top = term * (c / (c - a)); // a^c / c! · c / (c − a)
  const pWait = top / (sum + top);
  return pWait / (c * mu - lambda);
}
