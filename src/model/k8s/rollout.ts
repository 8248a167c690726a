/**
 * The aws-node DaemonSet's rolling update (`kubectl set env daemonset aws-node …`): every node's pod is replaced with
 * one carrying the new env, at most `maxUnavailable` nodes at a time — the manifest's "10%" rounded up, so one at a
 * time below eleven nodes — in node-name order. Old pods that are already unavailable (crash-looping, still
 * starting) are replaced at once without using the budget, as the DaemonSet controller does. A new pod that never
 * becomes ready holds its slot, so a bad env stalls the rollout on the first node(s) like the real one.
 */
import type { AwsNodeAgent } from './aws-node.ts';

/** The aws-node manifest's `updateStrategy.rollingUpdate.maxUnavailable`. */
export const AWS_NODE_MAX_UNAVAILABLE_PERCENT = 10;

export function maxUnavailable(nodes: number, percent = AWS_NODE_MAX_UNAVAILABLE_PERCENT): number {
  return Math.max(1, Math.ceil((nodes * percent) / 100));
}

export interface RolloutHost {
  /** Agents of registered, live nodes, sorted by node name. */
  agents(): AwsNodeAgent[];
  rolloutDone(generation: number): void;
}

export class AwsNodeRollout {
  generation = 0;
  env: Record<string, string>;
  private doneFor = 0;

  constructor(
    private readonly host: RolloutHost,
    env: Record<string, string>,
  ) {
    this.env = env;
  }

  setEnv(env: Record<string, string>): void {
    this.env = env;
    this.generation++;
    this.tick();
  }

  get inProgress(): boolean {
    return this.doneFor < this.generation;
  }

  /** Replaces what the budget allows; call on every change of an aws-node's availability. */
  tick(): void {
    if (!this.inProgress) return; // nothing outdated and nothing to report: skip sorting every agent
    const agents = this.host.agents();
    const budget = maxUnavailable(agents.length);
    const outdated = agents.filter((a) => a.generation < this.generation);
    for (const a of outdated) if (!a.available && a.state !== 'pending') a.replace(this.env, this.generation);
    let unavailable = agents.filter((a) => !a.available).length;
    for (const a of outdated) {
      if (!a.available) continue;
      if (unavailable >= budget) break;
      a.replace(this.env, this.generation);
      unavailable++;
    }
    if (this.inProgress && agents.every((a) => a.generation === this.generation && a.available)) {
      this.doneFor = this.generation;
      this.host.rolloutDone(this.generation);
    }
  }
}
