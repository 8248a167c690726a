/**
 * One node's `aws-node` (L-IPAMD): the public daemon object the Kubernetes layer talks to. It runs, as engine
 * processes, the entrypoint checks and nodeInit (§2.1), the pool loop (§2.2: 2.5 s → pool pass → 2.5 s →
 * reconcile) and the leaked-ENI sweeper (§10); it answers CNI ADD/DEL synchronously from the datastore (§9,
 * no fast path §2.9) and exposes checkpoint, introspection, metrics, the decision log, and for the invariant
 * checkers a read-only datastore view and the pass markers (pool/reconcile pass counters, types.ts).
 *
 * Where each rule lives: docs/ipamd-model.md. Not here: the rules themselves (pool-policy.ts, pool-loop.ts,
 * datastore.ts, eni-create.ts, …), EC2 (src/model/ec2), Kubernetes (src/model/k8s).
 */
import { Nap, type Proc, type Process, type SimEvent } from '../../sim/index.ts';
import { findInstanceType, supportsPrefixDelegation } from '../ec2/instance-types.ts';
import { cniEra, type CniEra } from './cni-version.ts';
import { checkConfigValid, parseConfig, validateEntrypointEnv } from './config.ts';
import { Core, T } from './core.ts';
import type { DatastoreView } from './datastore.ts';
import { eniConfigName } from './eni-config.ts';
import { INTROSPECTION_COMMANDS, introspectEnis, introspectEnvSettings, introspectNetworkEnvSettings } from './introspect.ts';
import { leakedEniLoop } from './leaked-eni.ts';
import { nodeInit, releaseCidrs, resumeInit } from './node-init.ts';
import { updatePool } from './pool-loop.ts';
import { ipamdPolicy } from './pool-policy.ts';
import { reconcile } from './reconcile.ts';
import { CHECKPOINT_VERSION } from './records.ts';
import {
  ERR_NO_AVAILABLE_IP,
  ERR_NOT_READY,
  ERR_UNKNOWN_POD,
  type AddResult,
  type Checkpoint,
  type DecisionRecord,
  type DelResult,
  type DroppedAllocation,
  type IpamdApi,
  type IpamdDeps,
  type IpamdPassMarkers,
  type IpamdState,
  type IpamdStats,
  type PodKey,
  type StaleAddress,
} from './types.ts';

export class Ipamd implements IpamdApi {
  private _state: IpamdState = 'starting';
  private _failure: string | undefined;
  readonly settled: SimEvent<IpamdState>;
  private readonly core: Core;
  private readonly procs: Process<unknown>[] = [];
  private started = false;
  private stopped = false;

  constructor(readonly deps: IpamdDeps) {
    const { config } = parseConfig(deps.env);
    const era = cniEra(deps.cniVersion) ?? '1.23+';
    this.core = new Core(deps.sim, deps, config, era, findInstanceType(deps.instance.instanceType), deps.policy ?? ipamdPolicy);
    if (deps.onDatastoreChange !== undefined) this.core.ds.watch(deps.onDatastoreChange);
    this.settled = deps.sim.event<IpamdState>();
  }

  get state(): IpamdState {
    return this._state;
  }

  get failure(): string | undefined {
    return this._failure;
  }

  /**
   * Entrypoint validation → nodeInit → pool loop (§2.1). Never throws for config errors: state 'failed'. A daemon
   * told to resume (IpamdDeps.resume) is ready, or failed, when this returns.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    const sim = this.deps.sim;
    if (this.deps.resume !== undefined) return this.resume(this.deps.resume);
    this.procs.push(sim.spawn(`ipamd/${this.core.node}/main`, this.main()) as Process<unknown>);
  }

  private fail(message: string): void {
    this._state = 'failed';
    this._failure = message;
    this.core.decide('start-failed', message, { message });
    this.settled.succeed('failed');
  }

  private *main(): Proc<void> {
    if (!this.preflight()) return;
    const fatal = yield* nodeInit(this.core);
    if (fatal !== undefined) return this.fail(fatal);
    this.ready();
  }

  /** A daemon that was already running: restored at once, no EC2 call (node-init.ts resumeInit). */
  private resume(r: NonNullable<IpamdDeps['resume']>): void {
    if (!this.preflight()) return;
    const fatal = resumeInit(this.core, r);
    if (fatal !== undefined) return this.fail(fatal);
    this.ready();
  }

  /** The entrypoint's checks and config validation, then the leaked-ENI goroutine; false when start-up failed. */
  private preflight(): boolean {
    const core = this.core;
    const { deps, cfg } = core;
    // aws-node entrypoint (cmd/aws-vpc-cni › validateEnvVars)
    const entryErr = validateEntrypointEnv(deps.env);
    if (entryErr !== undefined) return this.failed(entryErr);
    for (const w of parseConfig(deps.env).warnings) core.decide('config-warning', `${w.key}="${w.value}": ${w.reason}`, { ...w });
    if (cniEra(deps.cniVersion) === undefined) {
      core.decide('config-warning', `unrecognised CNI version "${deps.cniVersion}"; using 1.23+ behaviour`, { key: 'cniVersion', value: deps.cniVersion });
    }
    const it = core.it;
    if (it === undefined) return this.failed('vpc ip resource(eni ip limit): unknown instance type');
    const valid = checkConfigValid(cfg, { instanceType: it.name, prefixDelegationSupported: supportsPrefixDelegation(it) });
    if (!valid.ok) return this.failed(valid.message);
    if (valid.warning !== undefined) core.decide('config-warning', valid.warning, { key: 'ENABLE_PREFIX_DELEGATION', value: 'true', reason: 'non-nitro' });
    core.ds.mode = cfg.enableIpv6 ? 'ipv6' : valid.prefixDelegation ? 'pd' : 'sip';

    // the leaked-ENI goroutine starts in awsutils.New, before nodeInit (§2.1 step 3, §10)
    if (!cfg.disableLeakedEniCleanup) this.procs.push(deps.sim.spawn(`ipamd/${core.node}/leaked-eni`, leakedEniLoop(core)) as Process<unknown>);
    return true;
  }

  private failed(message: string): false {
    this.fail(message);
    return false;
  }

  /** nodeInit done: ready (`settled` fires), and the pool loop starts. */
  private ready(): void {
    const core = this.core;
    core.refreshGauges();
    const st = core.ds.stats(core.now);
    core.decide('init', `ipamd ready: ${core.ds.enis.size} ENIs, ${st.totalIps} IPs (${core.mode}), max pods ${core.maxPods}, maxENI ${core.maxEni}`, {
      enis: core.ds.enis.size,
      totalIps: st.totalIps,
      mode: core.mode,
      maxPods: core.maxPods,
      maxEni: core.maxEni,
      era: core.era,
    });
    this._state = 'ready';
    this.settled.succeed('ready');
    if (core.mode === 'ipv6') return; // §2.2/§6: no pool loop and no reconcile in IPv6
    this.procs.push(this.deps.sim.spawn(`ipamd/${core.node}/pool`, this.poolLoop()) as Process<unknown>);
  }

  /**
   * §2.2: sleep 2.5 s → pool pass → sleep 2.5 s → reconcile; EC2 time adds up. With provisioning disabled the first
   * sleep goes with the pool pass (v1.23.1 ipamd.go:786-793), so every wake is a reconcile half: the loop turns
   * every 2.5 s.
   */
  private *poolLoop(): Proc<void> {
    const core = this.core;
    // which half of the pass the next wake is
    let half: 'pool' | 'reconcile' = 'pool';
    for (;;) {
      const nap = this.idleNap(half);
      if (nap === undefined) {
        yield T.poolHalfPassMs;
      } else {
        yield nap;
        half = 'pool'; // a nap resumes at pool halves only
      }
      if (core.cfg.disableProvisioning) half = 'reconcile';
      if (half === 'pool') {
        half = 'reconcile';
        const actions = updatePool(core);
        if (actions !== undefined) yield* actions;
      } else {
        half = 'pool';
        const pass = reconcile(core);
        if (pass !== undefined) yield* pass;
      }
    }
  }

  /**
   * The sleep to the next wake when the loop has nothing to do for a while: the pool pass would be the remembered
   * idle one (updatePool: the datastore unchanged), and the reconcile gate is closed
   * (reconcileDue) — then a Nap in 2.5 s steps that resumes only at pool halves (every second step, from the first
   * pool half), at the last one before the gate can open or at the first after the datastore changes. A speed-up
   * only: the steps keep their places in the queue and count as events, so every output is the same; the pass
   * markers count the passes that ran, and the passes slept through would have done nothing. Undefined: sleep
   * 2.5 s as usual.
   */
  private idleNap(half: 'pool' | 'reconcile'): Nap | undefined {
    const core = this.core;
    // with provisioning disabled every wake is a reconcile half, and a Nap resumes at pool halves only: no nap
    if (core.idleAtChanges !== core.ds.changes || core.cfg.enablePodEni || core.cfg.disableProvisioning) return undefined;
    // the first reconcile half that could pass the > 60 s gate; resume at the pool half 2.5 s before it
    const gate = core.lastPoolAction + T.reconcileIntervalMs + 1;
    if (half === 'reconcile' && core.now + T.poolHalfPassMs >= gate) return undefined;
    const nap = new Nap(T.poolHalfPassMs, 2, gate - T.poolHalfPassMs, half === 'pool' ? 1 : 2);
    core.ds.onNextChange(() => nap.end());
    return nap;
  }

  /** CNI ADD (§9.1): a synchronous datastore lookup; fails fast when nothing is free or ipamd is not serving. */
  addNetwork(pod: PodKey): AddResult {
    if (this.stopped || this._state !== 'ready') return { ok: false, error: ERR_NOT_READY };
    const core = this.core;
    (core.cniCounters.add ??= core.metrics.series('awscni_add_ip_req_count')).value++;
    const r = core.ds.assign(pod, core.now, core.rng.assign);
    if (r === undefined) {
      (core.cniCounters.noAddress ??= core.metrics.series('awscni_no_available_ip_addresses')).value++;
      const st = core.ds.stats(core.now);
      const avail = st.totalIps - st.assignedIps;
      const reason = st.totalIps === 0 ? 'empty-pool' : avail > 0 && st.cooldownIps >= avail ? 'cooldown' : 'exhausted';
      core.decide('assign-failed', `${ERR_NO_AVAILABLE_IP} for ${pod.namespace}/${pod.name}: total ${st.totalIps}, assigned ${st.assignedIps}, cooling ${st.cooldownIps}`, {
        pod: `${pod.namespace}/${pod.name}`,
        containerId: pod.containerId,
        totalIps: st.totalIps,
        assignedIps: st.assignedIps,
        cooldownIps: st.cooldownIps,
        reason,
      });
      return { ok: false, error: ERR_NO_AVAILABLE_IP };
    }
    return { ok: true, ip: r.ip, eniId: r.eniId };
  }

  /** CNI DEL (§9.2): the address enters cooldown and stays in the pool. */
  delNetwork(pod: PodKey): DelResult {
    if (this.stopped || this._state !== 'ready') return { ok: false, error: ERR_NOT_READY };
    const core = this.core;
    (core.cniCounters.del ??= core.metrics.series('awscni_del_ip_req_count', { reason: 'PodDeleted' })).value++;
    const r = core.ds.unassign(pod, core.now);
    if (r === undefined) return { ok: false, error: ERR_UNKNOWN_POD };
    const eni = r.eni;
    if (core.mode !== 'ipv6') {
      if (!core.ds.modeMatches(r.cidr)) {
        // §5: an address of the other kind → release that kind's free CIDRs on this ENI now
        const other = [...eni.cidrs.values()].filter((c) => c.isPrefix === r.cidr.isPrefix && c.assigned === 0);
        this.procs.push(core.sim.spawn(`ipamd/${core.node}/del-release`, releaseCidrs(core, eni.id, other, 'DEL of an address of the other mode')) as Process<unknown>);
      } else if (eni.excluded && r.cidr.assigned === 0) {
        // §3.3: an excluded ENI's empty CIDR is dropped from the datastore after 5 s (no EC2 call)
        const cidr = r.cidr.cidr;
        core.sim.schedule(T.excludedCidrDropMs, () => {
          const c = core.ds.enis.get(eni.id)?.cidrs.get(cidr);
          if (!this.stopped && c !== undefined && c.assigned === 0) core.ds.removeCidr(eni.id, cidr);
        });
      }
    }
    return { ok: true, ip: r.ip };
  }

  /** Kills every process (restart or instance termination); the allocations survive in checkpoint(). */
  stop(): void {
    this.stopped = true;
    for (const p of this.procs) p.kill();
  }

  /** §3.7 backing-store content. */
  checkpoint(): Checkpoint {
    return { version: CHECKPOINT_VERSION, allocations: this.core.ds.checkpointAllocations() };
  }

  /** SIGTERM (§10): no growth, no ENI frees; RPCs keep working. */
  terminating(): void {
    if (this.core.terminating) return;
    this.core.terminating = true;
    this.core.decide('terminating', 'SIGTERM received: no more pool growth or ENI frees');
  }

  introspectEnis(): object {
    return introspectEnis(this.core.ds);
  }

  /**
   * The introspection HTTP API by path (§10): `/v1/enis`, `/v1/eni-configs`, `/v1/networkutils-env-settings`,
   * `/v1/ipamd-env-settings`; any other path answers as `/` does (the real ServeMux's "/" pattern catches all).
   */
  introspect(path: string): unknown {
    const cfg = this.core.cfg;
    switch (path) {
      case '/v1/enis':
        return this.introspectEnis();
      case '/v1/eni-configs':
        return eniConfigName(this.deps.node, cfg.eniConfigAnnotationDef, cfg.eniConfigLabelDef);
      case '/v1/ipamd-env-settings':
        return introspectEnvSettings(cfg);
      case '/v1/networkutils-env-settings':
        return introspectNetworkEnvSettings(this.deps.env);
      default:
        return { AvailableCommands: [...INTROSPECTION_COMMANDS] };
    }
  }

  metricsText(): string {
    this.core.refreshGauges();
    return this.core.metrics.text();
  }

  stats(): IpamdStats {
    const core = this.core;
    const st = core.ds.stats(core.now);
    return {
      totalIps: st.totalIps,
      assignedIps: st.assignedIps,
      cooldownIps: st.cooldownIps,
      availableIps: st.totalIps - st.assignedIps,
      enis: core.ds.enis.size,
      prefixes: st.totalPrefixes,
      freePrefixes: core.ds.freePrefixes(),
      secondaryIps: core.ds.secondaryCidrs(),
      maxPods: core.maxPods,
      maxEnis: core.maxEni,
      mode: core.mode,
    };
  }

  /**
   * `stats()`'s addresses held and assigned and its ENIs, which cooldown does not change, read without ending any
   * cooldown (a sampler that asks every node every minute then leaves the datastores as they were).
   */
  holdings(): Pick<IpamdStats, 'totalIps' | 'assignedIps' | 'enis'> {
    const h = this.core.ds.holdings();
    return { totalIps: h.totalIps, assignedIps: h.assignedIps, enis: this.core.ds.enis.size };
  }

  decisions(): DecisionRecord[] {
    return this.core.decisions();
  }

  latestDecisions(): DecisionRecord[] {
    return this.core.latestDecisions();
  }

  /** The §4.7 behaviour era this daemon runs (from the CNI version). */
  get era(): CniEra {
    return this.core.era;
  }

  /** The live datastore, read-only (no copy: the invariant checkers read it after every event). */
  datastoreView(): DatastoreView {
    return this.core.ds;
  }

  /** Pool and reconcile pass counters (types.ts IpamdPassMarkers); the live object, read-only. */
  passMarkers(): Readonly<IpamdPassMarkers> {
    return this.core.passes;
  }

  /** Checkpoint entries dropped at start because their address was in no known CIDR (§3.7). */
  droppedAtRestore(): readonly DroppedAllocation[] {
    return this.core.droppedAtRestore;
  }

  /** Addresses nodeInit set up from IMDS that EC2 did not list on the ENI (IMDS lagging a release). */
  staleAtStart(): readonly StaleAddress[] {
    return this.core.staleAtStart;
  }

  /** Per-ENI detail for reports (ids, primary flag, /32s, prefixes, pods). */
  enis(): { id: string; primary: boolean; excluded: boolean; subnetId: string; secondaryIps: number; prefixes: number; assignedPods: number }[] {
    return [...this.core.ds.enis.values()].map((e) => {
      let secondaryIps = 0;
      let prefixes = 0;
      let pods = 0;
      for (const c of e.cidrs.values()) {
        if (c.isPrefix) prefixes++;
        else secondaryIps++;
        pods += c.assigned;
      }
      for (const c of e.v6Cidrs.values()) pods += c.assigned;
      return { id: e.id, primary: e.primary, excluded: e.excluded, subnetId: e.subnetId, secondaryIps, prefixes, assignedPods: pods };
    });
  }

  /** The parsed configuration in effect (read-only view for reports). */
  get config() {
    return this.core.cfg;
  }

  /** Whether the pool policy would act on the next pass (for harnesses that wait for quiescence). */
  wantsAction(): boolean {
    const core = this.core;
    if (this._state !== 'ready' || core.mode === 'ipv6') return false;
    const s = core.poolState();
    return core.policy.isTooLow(s) || core.policy.isTooHigh(s);
  }
}
