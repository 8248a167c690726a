/**
 * Workload patterns as simulation processes: burst (scale a deployment at a time), churn (Poisson deletions of
 * uniformly chosen pods of a deployment that the ReplicaSet replaces — with memoryless lifetimes that is exactly
 * "each pod lives an exponential time"), diurnal (replicas on a cosine, updated every step) and rollout (replace a
 * node group's original nodes a batch at a time: terminate the oldest, the group launches replacements, the pods
 * are rescheduled). Each pattern draws from its own named random stream, so adding one never shifts another.
 * It talks to the cluster only through `PatternTarget` (implemented over the World in run-job.ts).
 */
import type { Proc, Simulation } from '../sim/index.ts';
import type { Pattern } from '../scenario/workload.ts';

/** What patterns need from the cluster. */
export interface PatternTarget {
  readonly sim: Simulation;
  scaleDeployment(name: string, replicas: number): void;
  /** Deletes one uniformly chosen live pod of the deployment (drawn from `pick`); false when it has none. */
  deleteRandomPod(deployment: string, pick: (n: number) => number): boolean;
  /** Names of the node group's live nodes, oldest first. */
  nodesOf(nodegroup: string): string[];
  terminateNode(name: string): void;
}

/** The deployment a churn pattern runs (patterns index i). */
export function churnDeploymentName(i: number): string {
  return `churn-${i + 1}`;
}

/** Starts every pattern at the current time (the start of measurement). */
export function startPatterns(target: PatternTarget, patterns: readonly Pattern[]): void {
  const { sim } = target;
  patterns.forEach((p, i) => {
    switch (p.kind) {
      case 'burst':
        sim.schedule(p.at, () => target.scaleDeployment(p.deployment, p.replicas));
        break;
      case 'churn':
        sim.spawn(`bench churn ${i + 1}`, churn(target, churnDeploymentName(i), p.pods, p.lifetime, p.from, p.until, `bench/churn/${i + 1}`));
        break;
      case 'diurnal':
        sim.spawn(`bench diurnal ${i + 1}`, diurnal(target, p.deployment, p.min, p.max, p.period, p.step, p.from, p.until));
        break;
      case 'rollout':
        sim.spawn(`bench rollout ${i + 1}`, rollout(target, p.nodegroup, p.at, p.batch, p.every));
        break;
    }
  });
}

function* churn(t: PatternTarget, deployment: string, pods: number, lifetime: number, from: number, until: number, stream: string): Proc<void> {
  const r = t.sim.random(stream);
  const start = t.sim.now;
  if (from > 0) yield from;
  // Deletions at rate pods / lifetime; each picks a live pod uniformly.
  const meanGap = lifetime / pods;
  const pick = (n: number) => r.int(n);
  for (;;) {
    const gap = Math.max(1, Math.round(r.exponential(meanGap)));
    if (t.sim.now + gap > start + until) return;
    yield gap;
    t.deleteRandomPod(deployment, pick);
  }
}

/** Replicas of a diurnal wave at `x` ms into it. */
export function diurnalReplicas(min: number, max: number, period: number, x: number): number {
  return Math.round(min + ((max - min) * (1 - Math.cos((2 * Math.PI * x) / period))) / 2);
}

function* diurnal(t: PatternTarget, deployment: string, min: number, max: number, period: number, step: number, from: number, until: number): Proc<void> {
  if (from > 0) yield from;
  for (let x = 0; from + x <= until; x += step) {
    if (x > 0) yield step;
    t.scaleDeployment(deployment, diurnalReplicas(min, max, period, x));
  }
}

function* rollout(t: PatternTarget, nodegroup: string, at: number, batch: number, every: number): Proc<void> {
  if (at > 0) yield at;
  const original = t.nodesOf(nodegroup);
  for (let i = 0; i < original.length; i += batch) {
    if (i > 0) yield every;
    for (const name of original.slice(i, i + batch)) t.terminateNode(name);
  }
}
