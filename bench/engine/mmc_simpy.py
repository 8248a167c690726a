"""The M/M/c queue of bench/engine/mmc.ts, in SimPy (3.x): a source process starts one customer process per
arrival; a customer requests one unit of a simpy.Resource of capacity c, holds it for an exponential service time,
and releases it. Time is float milliseconds.

Usage: mmc_simpy.py '{"customers":200000,"servers":10,"interarrivalMeanMs":1111.1,"serviceMeanMs":10000,"seed":1,
                      "batches":20,"reps":3}'
Runs the model `reps` times (same seed, so the same results) and prints one JSON object: customers, meanWaitMs,
batchMeansMs, endMs, seconds (wall time of each env.run, model set-up excluded), cpuSeconds, versions.
Benchmark only; not part of the simulator.
"""
import json
import random
import sys
import time

import simpy


def run_once(opts):
    n = opts["customers"]
    c = opts["servers"]
    ia_mean = opts["interarrivalMeanMs"]
    svc_mean = opts["serviceMeanMs"]
    batches = opts["batches"]
    arrivals = random.Random("%s/mmc/arrivals" % opts["seed"])
    service = random.Random("%s/mmc/service" % opts["seed"])

    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=c)
    batch_sums = [0.0] * batches
    total = [0.0]

    def customer(i):
        arrived = env.now
        with servers.request() as req:
            yield req
            w = env.now - arrived
            total[0] += w
            batch_sums[(i * batches) // n] += w
            yield env.timeout(service.expovariate(1.0 / svc_mean))

    def source():
        for i in range(n):
            env.process(customer(i))
            yield env.timeout(arrivals.expovariate(1.0 / ia_mean))

    env.process(source())
    c0 = time.process_time()
    t0 = time.perf_counter()
    env.run()
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    per_batch = n / batches
    return {
        "customers": n,
        "meanWaitMs": total[0] / n,
        "batchMeansMs": [s / per_batch for s in batch_sums],
        "endMs": env.now,
        "seconds": seconds,
        "cpuSeconds": cpu,
    }


def main():
    opts = json.loads(sys.argv[1])
    runs = [run_once(opts) for _ in range(opts.get("reps", 1))]
    out = dict(runs[-1])
    out["seconds"] = [r["seconds"] for r in runs]
    out["cpuSeconds"] = [r["cpuSeconds"] for r in runs]
    out["python"] = sys.version.split()[0]
    out["simpy"] = getattr(simpy, "__version__", "?")
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
