/**
 * One node's kubelet as a pod experiences it (spec §9): for each bound pod a worker creates a sandbox, which runs the
 * CNI ADD against the node's aws-node; success → ContainerCreating until the containers start → Running; failure →
 * Warning FailedCreatePodSandBox with containerd's message, the failed sandbox torn down (CNI DEL, harmless), and a
 * retry with a NEW sandbox id after the pod worker's backoff (10 s + up to 50 % jitter, the first retries sooner).
 * Deletion: SIGTERM, wait terminationGracePeriodSeconds for a running pod, then CNI DEL returns the address (§9.2).
 * Host-network pods skip the CNI and take the node's address.
 * Not here: scheduling, image pulls, probes, restarts of app containers.
 */
import type { Random, Simulation, Timer } from '../../sim/index.ts';
import { ADD_CMD_ERROR, ERR_NOT_READY, type AddResult, type DelResult, type PodKey } from '../ipamd/types.ts';
import type { Happening } from './cloud.ts';
import { sandboxId } from './names.ts';
import { draw, type KubernetesOptions } from './options.ts';
import type { Node, Pod, PodTemplate } from './types.ts';

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
  /** The pod's status, address or CNI error may have changed (the World's `pod-changed` happening). */
  podChanged(pod: Pod): void;
  /** Whether a happening would be kept now (else the kubelet builds none). */
  readonly hearsHappenings: boolean;
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

/** The kubelet's event messages about a pod's (first) container. */
interface ContainerMessages {
  pulled: string;
  created: string;
  started: string;
  killing: string;
}

/** Made once per template (templates are not changed once made), so the pods of a Deployment share them. */
const templateMessages = new WeakMap<PodTemplate, ContainerMessages>();

function containerMessages(pod: Pod): ContainerMessages {
  const t = pod.template;
  let m = templateMessages.get(t);
  if (m === undefined) {
    const c = t.containers[0];
    // a template without containers names the pod's
    m = messagesFor(t.image || PAUSE_IMAGE, c ?? pod.name);
    if (c !== undefined) templateMessages.set(t, m);
  }
  return m;
}

function messagesFor(image: string, container: string): ContainerMessages {
  return {
    pulled: `Container image "${image}" already present on machine`,
    created: `Created container ${container}`,
    started: `Started container ${container}`,
    killing: `Stopping container ${container}`,
  };
}

/**
 * A pod's worker runs as a chain of timers, one per step (bound per kubelet, so a step allocates only its timer):
 * the first step at once, then one after each wait. Each step is one simulation event, in the order and with the
 * sequence numbers a process yielding the same waits would have.
 */
export class Kubelet {
  /**
   * The admitted pods not yet deleted, for shutdown. Each one's worker is the timer of its next step (of its last
   * once the containers started) in `pod.kubeletStep`, so a step reads and replaces it without a lookup.
   */
  private readonly workers = new Set<Pod>();
  private readonly rng: Random;

  constructor(
    private readonly host: KubeletHost,
    readonly node: Node,
  ) {
    this.rng = host.sim.random(`kubelet/${node.name}`);
  }

  /** A pod was bound to this node. */
  admit(pod: Pod): void {
    this.workers.add(pod);
    pod.kubeletStep = 'starting';
    this.host.sim.schedule(0, () => this.begin(pod));
  }

  /** A pod that was Running before t = 0 (cluster-existing.ts): its worker is past its last step. */
  adoptRunning(pod: Pod): void {
    const now = this.host.sim.now;
    this.workers.add(pod);
    pod.kubeletStep = 'running';
    if (pod.hostNetwork) pod.ip = this.node.privateIp;
    pod.sandboxAttempts = 1;
    pod.ipAssignedAt = now;
    pod.running = true;
    pod.runningAt = now;
    this.host.podChanged(pod);
    this.host.podStarted(pod);
  }

  /** The pod's deletionTimestamp was set. */
  delete(pod: Pod): void {
    const step = pod.kubeletStep;
    if (step !== undefined) {
      this.workers.delete(pod);
      pod.kubeletStep = undefined;
      this.stop(step);
    }
    this.host.sim.schedule(0, () => this.stopContainers(pod));
  }

  /** The instance is gone: every worker stops where it is. */
  shutdown(): void {
    for (const pod of this.workers) {
      this.stop(pod.kubeletStep!);
      pod.kubeletStep = undefined;
    }
    this.workers.clear();
  }

  /**
   * Stops a worker where it waits (harmless once it is done). A first step still queued is left to run and finds the
   * worker gone, as a process killed before its start still takes its start event.
   */
  private stop(step: Timer | 'starting' | 'running'): void {
    if (typeof step !== 'string') step.cancel();
  }

  /** Queues the worker's next step after `ms`. */
  private next(pod: Pod, ms: number, step: (pod: Pod) => void): void {
    pod.kubeletStep = this.host.sim.schedule(ms, () => step(pod));
  }

  private key(pod: Pod, id: string): PodKey {
    return { namespace: pod.namespace, name: pod.name, containerId: id, ifName: 'eth0' };
  }

  /** The worker's first step: wait for the sandbox (the node's own network for a host-network pod). */
  private readonly begin = (pod: Pod): void => {
    if (pod.kubeletStep === undefined) return;
    const { opts } = this.host;
    if (pod.hostNetwork) this.next(pod, draw(this.rng, opts.hostPodStartMs), this.hostNetworkUp);
    else this.next(pod, draw(this.rng, opts.sandboxSetupMs), this.runSandbox);
  };

  private readonly hostNetworkUp = (pod: Pod): void => {
    pod.ip = this.node.privateIp;
    pod.ipAssignedAt = this.host.sim.now;
    this.host.podChanged(pod);
    this.started(pod);
  };

  /** One sandbox attempt: CNI ADD with a new sandbox id; on failure the next attempt after the backoff. */
  private readonly runSandbox = (pod: Pod): void => {
    const { sim, opts } = this.host;
    const id = sandboxId(this.rng);
    pod.sandboxId = id;
    pod.sandboxAttempts++;
    const cni = this.host.cni(this.node.name);
    const key = this.key(pod, id);
    const r = cni.add(key);
    if (r.ok) {
      pod.ip = r.ip;
      pod.eniId = r.eniId;
      pod.ipAssignedAt = sim.now;
      this.host.podChanged(pod);
      if (this.host.hearsHappenings) {
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
      }
      this.next(pod, draw(this.rng, opts.containerStartMs), this.started);
      return;
    }
    const perr = pluginError(r.error);
    if (perr === ERR_NOT_READY) pod.connectFailures++;
    pod.lastCniError = r.error;
    pod.lastCniErrorAt = sim.now;
    this.host.podChanged(pod);
    pod.events.record(sim.now, 'Warning', 'FailedCreatePodSandBox', 'kubelet', sandboxFailureMessage(id, perr));
    if (pod.firstStuckAt === undefined) {
      pod.firstStuckAt = sim.now;
      if (this.host.hearsHappenings) {
        this.host.happen({
          kind: 'pod-stuck',
          node: this.node.name,
          pod: pod.name,
          namespace: pod.namespace,
          deployment: pod.owner.deployment,
          message: `${pod.key} stuck in ContainerCreating on ${this.node.name}: ${perr}${perr !== r.error ? ` (ipamd: ${r.error})` : ''}`,
        });
      }
    }
    // the runtime removes the failed sandbox; its CNI DEL is unknown to ipamd and harmless (§9.1 step 6)
    cni.del(key);
    this.next(pod, retryDelay(opts, this.rng, pod.sandboxAttempts), this.runSandbox);
  };

  /** The containers are up: the pod is Running. */
  private readonly started = (pod: Pod): void => {
    const { sim } = this.host;
    const m = containerMessages(pod);
    pod.running = true;
    pod.runningAt = sim.now;
    this.host.podChanged(pod);
    pod.events.record(sim.now, 'Normal', 'Pulled', 'kubelet', m.pulled);
    pod.events.record(sim.now, 'Normal', 'Created', 'kubelet', m.created);
    pod.events.record(sim.now, 'Normal', 'Started', 'kubelet', m.started);
    this.host.podStarted(pod);
  };

  /** Deletion, first step: SIGTERM, and the grace period of a running pod. */
  private readonly stopContainers = (pod: Pod): void => {
    const { sim } = this.host;
    if (pod.running) {
      pod.events.record(sim.now, 'Normal', 'Killing', 'kubelet', containerMessages(pod).killing);
      sim.schedule(Math.round(pod.template.terminationGracePeriodSeconds * 1000), () => this.removeSandbox(pod));
    } else {
      this.removeSandbox(pod);
    }
  };

  /** Deletion, last step: CNI DEL returns the address, and the pod is gone. */
  private readonly removeSandbox = (pod: Pod): void => {
    if (!pod.hostNetwork && pod.ip !== undefined && pod.sandboxId !== undefined) {
      this.host.cni(this.node.name).del(this.key(pod, pod.sandboxId));
    }
    pod.running = false;
    this.host.podGone(pod);
  };
}
