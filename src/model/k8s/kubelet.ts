/**
 * One node's kubelet as a pod experiences it (spec §9): for each bound pod a worker creates a sandbox, which runs the
 * CNI ADD against the node's aws-node; success → ContainerCreating until the containers start → Running; failure →
 * Warning FailedCreatePodSandBox with containerd's message, the failed sandbox torn down (CNI DEL, harmless), and a
 * retry with a NEW sandbox id after the pod worker's backoff (10 s + up to 50 % jitter, the first retries sooner).
 * Deletion: SIGTERM, wait terminationGracePeriodSeconds for a running pod, then CNI DEL returns the address (§9.2).
 * Host-network pods skip the CNI and take the node's address.
 * Not here: scheduling, image pulls, probes, restarts of app containers.
 */
import type { Process, Random, Simulation } from '../../sim/index.ts';
import { ADD_CMD_ERROR, ERR_NOT_READY, type AddResult, type DelResult, type PodKey } from '../ipamd/types.ts';
import type { Happening } from './cloud.ts';
import { sandboxId } from './names.ts';
import { draw, type KubernetesOptions } from './options.ts';
import type { Node, Pod } from './types.ts';

/** The CNI plugin's view of aws-node: unreachable → connect error (§9.1 step 1), or ipamd's answer. */
export interface CniBackend {
  add(key: PodKey): AddResult;
  /** Undefined when ipamd is unreachable (the plugin then tears down from prevResult and succeeds, §9.2). */
  del(key: PodKey): DelResult | undefined;
}

export interface KubeletHost {
  readonly sim: Simulation;
  readonly opts: KubernetesOptions;
  cni(nodeName: string): CniBackend;
  podStarted(pod: Pod): void;
  podGone(pod: Pod): void;
  happen(h: Omit<Happening, 't'>): void;
}

/** containerd's FailedCreatePodSandBox message (§9.1 step 5). */
export function sandboxFailureMessage(id: string, cniError: string): string {
  return (
    `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${id}": ` +
    `plugin type="aws-cni" name="aws-cni" failed (add): ${cniError}`
  );
}

/** The plugin's error for an ipamd answer: a refusal becomes "failed to assign an IP address to container". */
export function pluginError(ipamdError: string): string {
  return ipamdError === ERR_NOT_READY ? ERR_NOT_READY : ADD_CMD_ERROR;
}

/** Delay before the next sandbox attempt after `failures` failed ones. */
export function retryDelay(opts: KubernetesOptions, r: Random, failures: number): number {
  if (failures <= opts.quickRetries) return draw(r, opts.quickRetryMs);
  return opts.sandboxRetryMs + Math.floor(r.float() * opts.sandboxRetryJitter * opts.sandboxRetryMs);
}

const PAUSE_IMAGE = '602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/pause:3.5';

export class Kubelet {
  private readonly workers = new Map<Pod, Process<void>>();
  private readonly rng: Random;

  constructor(
    private readonly host: KubeletHost,
    readonly node: Node,
  ) {
    this.rng = host.sim.random(`kubelet/${node.name}`);
  }

  /** A pod was bound to this node. */
  admit(pod: Pod): void {
    const p = this.host.sim.spawn(`kubelet ${this.node.name} ${pod.key}`, this.work(pod));
    this.workers.set(pod, p);
  }

  /** The pod's deletionTimestamp was set. */
  delete(pod: Pod): void {
    this.workers.get(pod)?.kill();
    this.workers.delete(pod);
    this.host.sim.spawn(`kubelet ${this.node.name} delete ${pod.key}`, this.terminate(pod));
  }

  /** The instance is gone: every worker stops where it is. */
  shutdown(): void {
    for (const p of this.workers.values()) p.kill();
    this.workers.clear();
  }

  private key(pod: Pod, id: string): PodKey {
    return { namespace: pod.namespace, name: pod.name, containerId: id, ifName: 'eth0' };
  }

  private started(pod: Pod): void {
    const { sim } = this.host;
    const c = pod.template.containers[0] ?? pod.name;
    pod.running = true;
    pod.runningAt = sim.now;
    pod.events.record(sim.now, 'Normal', 'Pulled', 'kubelet', `Container image "${pod.template.image || PAUSE_IMAGE}" already present on machine`);
    pod.events.record(sim.now, 'Normal', 'Created', 'kubelet', `Created container ${c}`);
    pod.events.record(sim.now, 'Normal', 'Started', 'kubelet', `Started container ${c}`);
    this.workers.delete(pod);
    this.host.podStarted(pod);
  }

  private *work(pod: Pod): Generator<number, void, unknown> {
    const { sim, opts } = this.host;
    if (pod.hostNetwork) {
      yield draw(this.rng, opts.hostPodStartMs);
      pod.ip = this.node.privateIp;
      pod.ipAssignedAt = sim.now;
      this.started(pod);
      return;
    }
    yield draw(this.rng, opts.sandboxSetupMs);
    for (;;) {
      const id = sandboxId(this.rng);
      pod.sandboxId = id;
      pod.sandboxAttempts++;
      const cni = this.host.cni(this.node.name);
      const r = cni.add(this.key(pod, id));
      if (r.ok) {
        pod.ip = r.ip;
        pod.eniId = r.eniId;
        pod.ipAssignedAt = sim.now;
        this.host.happen({
          kind: 'pod-ip',
          node: this.node.name,
          pod: pod.name,
          namespace: pod.namespace,
          deployment: pod.owner.deployment,
          ip: r.ip,
          eniId: r.eniId,
          message: `${pod.key} got ${r.ip} on ${this.node.name} after ${pod.sandboxAttempts} sandbox attempt(s)`,
        });
        yield draw(this.rng, opts.containerStartMs);
        this.started(pod);
        return;
      }
      const perr = pluginError(r.error);
      if (perr === ERR_NOT_READY) pod.connectFailures++;
      pod.lastCniError = r.error;
      pod.lastCniErrorAt = sim.now;
      pod.events.record(sim.now, 'Warning', 'FailedCreatePodSandBox', 'kubelet', sandboxFailureMessage(id, perr));
      if (pod.firstStuckAt === undefined) {
        pod.firstStuckAt = sim.now;
        this.host.happen({
          kind: 'pod-stuck',
          node: this.node.name,
          pod: pod.name,
          namespace: pod.namespace,
          deployment: pod.owner.deployment,
          message: `${pod.key} stuck in ContainerCreating on ${this.node.name}: ${perr}${perr !== r.error ? ` (ipamd: ${r.error})` : ''}`,
        });
      }
      // the runtime removes the failed sandbox; its CNI DEL is unknown to ipamd and harmless (§9.1 step 6)
      cni.del(this.key(pod, id));
      yield retryDelay(opts, this.rng, pod.sandboxAttempts);
    }
  }

  private *terminate(pod: Pod): Generator<number, void, unknown> {
    const { sim } = this.host;
    if (pod.running) {
      pod.events.record(sim.now, 'Normal', 'Killing', 'kubelet', `Stopping container ${pod.template.containers[0] ?? pod.name}`);
      yield Math.round(pod.template.terminationGracePeriodSeconds * 1000);
    }
    if (!pod.hostNetwork && pod.ip !== undefined && pod.sandboxId !== undefined) {
      this.host.cni(this.node.name).del(this.key(pod, pod.sandboxId));
    }
    pod.running = false;
    this.host.podGone(pod);
  }
}
