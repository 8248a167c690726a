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
import type { Process, SimEvent } from '../../sim/index.ts';
import { findInstanceType, supportsPrefixDelegation } from '../ec2/instance-types.ts';
import { cniEra, type CniEra } from './cni-version.ts';
import { checkConfigValid, parseConfig, validateEntrypointEnv } from './config.ts';
import { Core, T } from './core.ts';
import type { DatastoreView } from './datastore.ts';
import { eniConfigName } from './eni-config.ts';
import { INTROSPECTION_COMMANDS, introspectEnis, introspectEnvSettings, introspectNetworkEnvSettings } from './introspect.ts';
import { leakedEniLoop } from './leaked-eni.ts';
import { nodeInit, releaseCidrs } from './node-init.ts';
import { updatePool } from './pool-loop.ts';
import { ipamdPolicy } from './pool-policy.ts';
import { reconcile } from './reconcile.ts';
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
  /** The pool loop, once started, and which half of the pass its next wake is (§2.2). */
  private poolProc: Process<unknown> | undefined;
  private nextHalf: 'pool' | 'reconcile' = 'pool';
  /** The loop sleeps with its idle wakes skipped (skipIdleWakes). */
  private skipping = false;
  /** While skipping: the first wake at which the reconcile gate could be open. */
  private skipGate = 0;

  constructor(readonly deps: IpamdDeps) {
    const { config } = parseConfig(deps.env);
    const era = cniEra(deps.cniVersion) ?? '1.23+';
    this.core = new Core(deps.sim, deps, config, era, findInstanceType(deps.instance.instanceType), deps.policy ?? ipamdPolicy);
    this.settled = deps.sim.event<IpamdState>();
  }

  get state(): IpamdState {
    return this._state;
  }

  get failure(): string | undefined {
    return this._failure;
  }

  /** Entrypoint validation → nodeInit → pool loop (§2.1). Never throws for config errors: state 'failed'. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const sim = this.deps.sim;
    this.procs.push(sim.spawn(`ipamd/${this.core.node}/main`, this.main()) as Process<unknown>);
  }

  private fail(message: string): void {
    this._state = 'failed';
    this._failure = message;
    this.core.decide('start-failed', message, { message });
    this.settled.succeed('failed');
  }

  private *main(): Generator<number | SimEvent<unknown>, void, unknown> {
    const core = this.core;
    const { deps, cfg } = core;
    // aws-node entrypoint (cmd/aws-vpc-cni › validateEnvVars)
    const entryErr = validateEntrypointEnv(deps.env);
    if (entryErr !== undefined) return this.fail(entryErr);
    for (const w of parseConfig(deps.env).warnings) core.decide('config-warning', `${w.key}="${w.value}": ${w.reason}`, { ...w });
    if (cniEra(deps.cniVersion) === undefined) {
      core.decide('config-warning', `unrecognised CNI version "${deps.cniVersion}"; using 1.23+ behaviour`, { key: 'cniVersion', value: deps.cniVersion });
    }
    const it = core.it;
    if (it === undefined) return this.fail('vpc ip resource(eni ip limit): unknown instance type');
    const valid = checkConfigValid(cfg, { instanceType: it.name, prefixDelegationSupported: supportsPrefixDelegation(it) });
    if (!valid.ok) return this.fail(valid.message);
    if (valid.warning !== undefined) core.decide('config-warning', valid.warning, { key: 'ENABLE_PREFIX_DELEGATION', value: 'true', reason: 'non-nitro' });
    core.ds.mode = cfg.enableIpv6 ? 'ipv6' : valid.prefixDelegation ? 'pd' : 'sip';

    // the leaked-ENI goroutine starts in awsutils.New, before nodeInit (§2.1 step 3, §10)
    if (!cfg.disableLeakedEniCleanup) this.procs.push(deps.sim.spawn(`ipamd/${core.node}/leaked-eni`, leakedEniLoop(core)) as Process<unknown>);

    const fatal = yield* nodeInit(core);
    if (fatal !== undefined) return this.fail(fatal);
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
    deps.sim.addQueueLane(T.poolHalfPassMs);
    this.poolProc = deps.sim.spawn(`ipamd/${core.node}/pool`, this.poolLoop()) as Process<unknown>;
    this.procs.push(this.poolProc);
  }

  /**
   * §2.2: sleep 2.5 s → pool pass → sleep 2.5 s → reconcile; EC2 time adds up. Each wake is one half of the pass;
   * which one is `nextHalf`. With provisioning disabled the first sleep goes with the pool pass (v1.23.1
   * ipamd.go:786-793), so every wake is a reconcile half: the loop turns every 2.5 s.
   */
  private *poolLoop(): Generator<number | SimEvent<unknown>, void, unknown> {
    const core = this.core;
    for (;;) {
      yield T.poolHalfPassMs;
      this.countSkippedWakes();
      this.skipping = false;
      this.poolProc!.skipWakesUntil(-Infinity);
      if (core.cfg.disableProvisioning) this.nextHalf = 'reconcile';
      if (this.nextHalf === 'pool') {
        this.nextHalf = 'reconcile';
        const actions = updatePool(core);
        if (actions !== undefined) yield* actions;
      } else {
        this.nextHalf = 'pool';
        const pass = reconcile(core);
        if (pass !== undefined) yield* pass;
      }
      this.skipIdleWakes();
    }
  }

  /**
   * Lets the engine skip the pool loop's wakes (Process.skipWakesUntil) while each would do nothing: a pool half
   * whose pass is the remembered idle one (updatePool: the datastore unchanged) or that provisioning skips, and a
   * reconcile half before its 60 s gate opens (reconcileDue) — so until the first wake at which the gate could be
   * open, or, once the datastore changes, until the next pool half. A speed-up only: every skipped wake is counted
   * as an event and in the pass markers (countSkippedWakes) and takes its place in the queue, so every output is
   * the same.
   */
  private skipIdleWakes(): void {
    const core = this.core;
    const poolIdle = core.cfg.disableProvisioning || core.idleAtChanges === core.ds.changes;
    if (!poolIdle || core.cfg.enablePodEni) return;
    const proc = this.poolProc!;
    this.skipGate = core.lastPoolAction + T.reconcileIntervalMs + 1;
    this.skipping = true;
    proc.skipWakesUntil(this.skipGate);
    core.ds.onNextChange(this.stopSkipping);
  }

  /** The datastore changed while the engine skips the pool loop's wakes (made once: a pass would otherwise allocate it). */
  private readonly stopSkipping = (): void => {
    if (!this.skipping) return;
    this.skipping = false;
    const proc = this.poolProc!;
    // the pending wake: a reconcile half before the gate still does nothing; the pool half after it must run
    const pendingIsReconcile = this.core.cfg.disableProvisioning || (this.nextHalf === 'reconcile') === (proc.skippedWakes % 2 === 0);
    proc.skipWakesUntil(pendingIsReconcile && proc.time < this.skipGate ? proc.time + 1 : -Infinity);
  };

  /** Takes the wakes the engine skipped into the pass markers, as the idle pool passes among them would have. */
  private countSkippedWakes(): void {
    const proc = this.poolProc;
    const k = proc === undefined ? 0 : proc.takeSkippedWakes();
    if (k === 0) return;
    // the skipped wakes came every 2.5 s, the last 2.5 s before the pending one, and alternated from nextHalf
    const poolFirst = this.nextHalf === 'pool';
    if (!this.core.cfg.disableProvisioning) {
      const poolHalves = poolFirst ? Math.ceil(k / 2) : Math.floor(k / 2);
      if (poolHalves > 0) {
        const lastPool = (k % 2 === 1) === poolFirst ? k : k - 1; // 1-based index among the skipped wakes
        this.core.passes.poolPasses += poolHalves;
        this.core.passes.poolPassStartedAt = proc!.time - T.poolHalfPassMs * (k - lastPool + 1);
      }
    }
    if (k % 2 === 1) this.nextHalf = poolFirst ? 'reconcile' : 'pool';
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
    return { version: 'vpc-cni-ipam/1', allocations: this.core.ds.checkpointAllocations() };
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
    this.countSkippedWakes();
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
