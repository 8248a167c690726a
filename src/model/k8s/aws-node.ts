/**
 * One node's aws-node DaemonSet pod and the ipamd inside it (spec §2.1): the container starts a few seconds after the
 * pod is bound, ipamd initialises, and only when it is ready is the CNI reachable (and, the first time, the CNI config
 * written so the node can turn Ready). A failed start is a crash: the pod restarts with CrashLoopBackOff delays and the
 * checkpoint left on the host. A replacement (rolling update) sends SIGTERM (ipamd stops growing but keeps answering,
 * §10), waits for the container to exit, saves the checkpoint, deletes the pod, creates a new one with the new env and
 * hands it the checkpoint (§3.7), so running pods keep their addresses. While no ipamd answers, CNI ADD fails with
 * "failed to connect to backend server" (§9.1 step 1) and CNI DEL succeeds without it (§9.2).
 * The pod is host-network: it shows the node's primary address as its IP, and it carries the events ipamd raises
 * (ipamdEvent). Not here: which node is replaced when (rollout.ts), node readiness (cluster.ts).
 */
import { wait, type Process, type Proc, type Random, type Simulation } from '../../sim/index.ts';
import { ERR_NOT_READY, type Checkpoint, type IpamdApi, type PodKey } from '../ipamd/types.ts';
import type { Happening, IpamdFactory } from './cloud.ts';
import type { EventType } from './events.ts';
import type { CniBackend } from './kubelet.ts';
import { draw, type KubernetesOptions } from './options.ts';
import type { Node, Pod } from './types.ts';

export type AwsNodeState = 'pending' | 'starting' | 'ready' | 'crashloop' | 'stopping' | 'stopped';

export interface AwsNodeHost {
  readonly sim: Simulation;
  readonly opts: KubernetesOptions;
  readonly ipamdFactory: IpamdFactory;
  createDaemonPod(daemonSet: string, node: Node): Pod;
  removePod(pod: Pod): void;
  awsNodeReady(agent: AwsNodeAgent): void;
  awsNodeFailed(agent: AwsNodeAgent, message: string): void;
  happen(h: Omit<Happening, 't'>): void;
  /** The pod's status or readiness may have changed (the World's `pod-changed` happening). */
  podChanged(pod: Pod): void;
}

export class AwsNodeAgent implements CniBackend {
  private st: AwsNodeState = 'pending';
  /** The daemon of the current container (undefined between containers). */
  ipamd: IpamdApi | undefined;
  /** Every daemon this node has run, oldest first (decisions survive restarts in reports). */
  readonly history: IpamdApi[] = [];
  pod: Pod | undefined;
  /** The env generation the current pod was created with (rolling updates replace older ones). */
  generation = -1;
  env: Record<string, string> = {};
  restarts = 0;
  lastFailure: string | undefined;
  /** When the last failed container exited (the pod's lastState.terminated.finishedAt). */
  lastFailureAt: number | undefined;
  /** `/var/run/aws-node/ipam.json` on the host. */
  checkpoint: Checkpoint | undefined;
  private proc: Process<void> | undefined;
  private readonly rng: Random;

  constructor(
    private readonly host: AwsNodeHost,
    readonly node: Node,
  ) {
    this.rng = host.sim.random(`aws-node/${node.name}`);
  }

  /**
   * An event ipamd's recorder raises on this node's aws-node pod (eventrecorder.SendPodEvent, e.g. MissingIAMPermissions,
   * §8.5). The events.k8s.io recorder reports as controller `aws-node`, instance `aws-node-<hostname>`, and a
   * host-network pod's hostname is the node's; kubectl prints both in the From column.
   */
  ipamdEvent(type: EventType, reason: string, message: string): void {
    this.pod?.events.record(this.host.sim.now, type, reason, `aws-node, aws-node-${this.node.name}`, message);
  }

  /** CNI can talk to ipamd: a container is up and its daemon answered the health check. */
  get serving(): boolean {
    return (this.state === 'ready' || this.state === 'stopping') && this.ipamd !== undefined && this.ipamd.state === 'ready';
  }

  get available(): boolean {
    return this.state === 'ready';
  }

  get state(): AwsNodeState {
    return this.st;
  }

  /** The pod is ready exactly while the agent is, and it shows the container's state: a change of it is the pod's. */
  set state(s: AwsNodeState) {
    if (s === this.st) return;
    this.st = s;
    if (this.pod !== undefined) this.host.podChanged(this.pod);
  }

  /** The pod's container started or stopped. */
  private setRunning(running: boolean): void {
    this.pod!.running = running;
    this.host.podChanged(this.pod!);
  }

  add(key: PodKey) {
    if (!this.serving) return { ok: false as const, error: ERR_NOT_READY };
    return this.ipamd!.addNetwork(key);
  }

  del(key: PodKey) {
    if (!this.serving) return undefined;
    return this.ipamd!.delNetwork(key);
  }

  /** Creates the pod (if none) and starts the container with `env`. */
  start(env: Record<string, string>, generation: number): void {
    this.proc?.kill();
    this.env = env;
    this.generation = generation;
    this.proc = this.host.sim.spawn(`aws-node ${this.node.name}`, this.run(env, false));
  }

  /**
   * The container was already running before t = 0 (cluster-existing.ts): the pod Running, the daemon resumed at
   * once from `checkpoint` (IpamdDeps.resume, no EC2 call). A daemon that cannot resume crashes and restarts as any
   * failed start does.
   */
  adopt(env: Record<string, string>, generation: number, checkpoint: Checkpoint): void {
    const now = this.host.sim.now;
    this.env = env;
    this.generation = generation;
    this.checkpoint = checkpoint;
    const pod = (this.pod = this.host.createDaemonPod('aws-node', this.node));
    pod.runningAt = now;
    pod.ipAssignedAt = now;
    pod.ip = this.node.privateIp;
    this.setRunning(true);
    const d = this.newDaemon(env, true);
    d.start();
    if (d.state === 'ready') {
      this.state = 'ready';
      return;
    }
    this.crashed(d);
    this.proc = this.host.sim.spawn(`aws-node ${this.node.name}`, this.run(env, false));
  }

  /** Rolling-update replacement: stop the old pod, start a new one with `env`. Succeeds when the new one is ready. */
  replace(env: Record<string, string>, generation: number): Process<void> {
    this.proc?.kill();
    this.env = env;
    this.generation = generation;
    if (this.state === 'ready') this.state = 'stopping';
    this.proc = this.host.sim.spawn(`aws-node ${this.node.name} replace`, this.run(env, true));
    return this.proc;
  }

  /** The instance is gone: everything stops at once, no checkpoint handover. */
  shutdown(): void {
    this.proc?.kill();
    this.proc = undefined;
    if (this.ipamd !== undefined) {
      this.ipamd.stop();
      this.ipamd = undefined;
    }
    this.state = 'stopped';
  }

  /** A daemon for this pod's container, from the current checkpoint (resumed at once if `resume`); now the pod's. */
  private newDaemon(env: Record<string, string>, resume: boolean): IpamdApi {
    const d = this.host.ipamdFactory({
      node: this.node,
      env,
      checkpoint: this.checkpoint,
      ...(resume ? { resume: true } : {}),
      recordEvent: (type, reason, message) => this.ipamdEvent(type, reason, message),
    });
    this.ipamd = d;
    this.history.push(d);
    return d;
  }

  /** `d` failed to start: the container exits, the pod counts a restart and waits out its back-off in CrashLoopBackOff. */
  private crashed(d: IpamdApi): void {
    this.restarts++;
    this.lastFailure = d.failure ?? 'aws-node exited';
    this.lastFailureAt = this.host.sim.now;
    d.stop();
    this.ipamd = undefined;
    this.state = 'crashloop';
    this.setRunning(false);
    this.host.awsNodeFailed(this, this.lastFailure);
  }

  private *stopContainer(): Proc<void> {
    const old = this.ipamd;
    if (old !== undefined) {
      this.state = 'stopping';
      old.terminating();
      yield draw(this.rng, this.host.opts.awsNodeStopMs);
      if (old.state === 'ready') this.checkpoint = old.checkpoint();
      old.stop();
      this.ipamd = undefined;
    }
    if (this.pod !== undefined) {
      this.host.removePod(this.pod);
      this.pod = undefined;
    }
    this.state = 'stopped';
  }

  private *run(env: Record<string, string>, replacing: boolean): Proc<void> {
    const { sim, opts } = this.host;
    if (replacing) yield* this.stopContainer();
    else if (this.ipamd !== undefined) {
      this.ipamd.stop();
      this.ipamd = undefined;
    }
    if (this.pod === undefined) this.pod = this.host.createDaemonPod('aws-node', this.node);
    this.state = 'starting';
    yield draw(this.rng, opts.awsNodeStartMs);
    this.pod.runningAt ??= sim.now;
    // a host-network pod shows the node's primary address as its pod IP, as kubelet reports it
    this.pod.ip ??= this.node.privateIp;
    this.setRunning(true);
    let backoff = opts.crashLoopBackoffMs;
    for (;;) {
      const d = this.newDaemon(env, false);
      this.state = 'starting';
      d.start();
      const state = d.state === 'starting' ? yield* wait(d.settled) : d.state;
      if (state === 'ready') {
        this.state = 'ready';
        this.host.awsNodeReady(this);
        return;
      }
      this.crashed(d);
      yield backoff;
      backoff = Math.min(backoff * 2, opts.crashLoopBackoffMaxMs);
      this.setRunning(true);
    }
  }
}
