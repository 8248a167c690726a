/**
 * One pass of the pool manager (`updateIPPoolIfRequired`, spec §2.3) and its three actions: grow (§2.5,
 * `increaseDatastorePool` with its gatekeepers and the §2.9 insufficient-capacity freeze), shrink (§2.6,
 * `decreaseDatastorePool`) and free one ENI (§2.7, `tryFreeENI`). The numbers come from the PoolPolicy; this
 * file does the EC2 calls, the gates that depend on time, and the decision records.
 */
import type { Proc } from '../../sim/index.ts';
import { hasUnfilledEniFix } from './cni-version.ts';
import { Core, INSUFFICIENT, T } from './core.ts';
import { createEni } from './eni-create.ts';
import { freeEni } from './eni-free.ts';
import { available, ipamdPolicy, type EniSummary } from './pool-policy.ts';

/**
 * §2.3: low → grow; else high (and > 30 s since the last decrease) → shrink; then maybe free one ENI. Each call is
 * one pool pass and bumps the pass marker (core.passes, a counter: no record per idle pass). The decision is taken
 * here, synchronously; what it returns are the actions that call EC2 (and so yield), or undefined for a pass with
 * nothing to do — most passes, so they cost no generator.
 */
export function updatePool(core: Core): Proc<void> | undefined {
  core.passes.poolPasses++;
  core.passes.poolPassStartedAt = core.now;
  // an idle pass of the real policy reads nothing that changes with time alone (see idleDecisionIsStable)
  if (core.idleAtChanges === core.ds.changes) return undefined;
  core.idleAtChanges = undefined;
  const s = core.poolState(passReadsEnis(core));
  if (core.policy.isTooLow(s)) return actThenFree(core, increasePool(core, false));
  // a pool that the warm targets call low but max-pods stops (§2.4 step 0)
  const maxPodsStop = s.totalIps >= s.maxPods && core.policy.isTooLow({ ...s, maxPods: Infinity });
  if (maxPodsStop) core.noGrow('max-pods', `did not grow: total ${s.totalIps} IPs ≥ max pods ${s.maxPods}`, { totalIps: s.totalIps, maxPods: s.maxPods });
  const high = core.policy.isTooHigh(s);
  if (high && core.now - core.lastDecrease > T.decreaseIntervalMs) return actThenFree(core, shrink(core));
  // nothing ran: same datastore, same instant
  if (core.policy.shouldRemoveExtraEnis(s)) return tryFreeEni(core);
  if (!maxPodsStop && !high && idleDecisionIsStable(core)) core.idleAtChanges = core.ds.changes;
  return undefined;
}

/**
 * Whether an idle pass (not low, not high, no ENI to look at) stays idle until the datastore changes: true for the
 * real daemon's policy unless cooldown counts in growth (EXPERIMENTAL_INCLUDE_COOLDOWN): the warm-ENI and
 * warm-prefix rules then read totals, assignments and free prefixes only, never the clock. (Warm-IP mode is never
 * idle: it looks for an ENI to free on every pass.) A plugin policy may read anything, so it is asked every pass.
 */
function idleDecisionIsStable(core: Core): boolean {
  return core.policy === ipamdPolicy && !core.cfg.includeCooldownInPoolSize;
}

/**
 * Whether the decisions of updatePool itself (isTooLow, isTooHigh, shouldRemoveExtraEnis) read the per-ENI
 * summaries: the real daemon's policy reads them only in PD mode (§2.7: is there an ENI without pods); a plugin
 * policy may read anything. The actions build their own state, with summaries.
 */
function passReadsEnis(core: Core): boolean {
  return core.policy !== ipamdPolicy || core.mode === 'pd';
}

/** A growth or shrink, then the ENI-free check on the state it left. */
function* actThenFree(core: Core, act: Proc<unknown>): Proc<void> {
  yield* act;
  if (core.policy.shouldRemoveExtraEnis(core.poolState())) yield* tryFreeEni(core);
}

function* shrink(core: Core): Proc<void> {
  yield* decreasePool(core);
  core.lastDecrease = core.now;
}

const unit = (core: Core, n: number) => (core.mode === 'pd' ? (n === 1 ? 'prefix' : 'prefixes') : n === 1 ? 'IP' : 'IPs');

/** Why the pool is low, with the numbers (for pool-grow records). */
function lowReason(core: Core): { reason: string; data: Record<string, unknown> } {
  const s = core.poolState();
  const avail = available(s);
  return {
    reason: `available ${avail} (${s.cooldownIps} cooling) of ${s.totalIps}, target ${core.policy.describeTarget(s)}`,
    data: { available: avail, totalIps: s.totalIps, assignedIps: s.assignedIps, cooldownIps: s.cooldownIps, target: core.policy.describeTarget(s) },
  };
}

type TopUp = { ok: true } | { ok: false; code: string; message: string };

/** §2.5 step 1 on one ENI: one call; on error (other than the limit) retry with 1; limit → resync from EC2. */
function* assignOnEni(core: Core, eni: EniSummary, amount: number): Proc<TopUp> {
  const pd = core.mode === 'pd';
  const cap = (core.it?.ipv4PerEni ?? 2) - 1; // AllocIPAddresses caps at IPv4Limit − 1
  const count = Math.min(amount, cap);
  if (count < 1) return { ok: false, code: 'Skipped', message: 'nothing to request' };
  const ask = (n: number) =>
    core.ec2.call('AssignPrivateIpAddresses', () =>
      core.deps.ec2.assignPrivateIpAddresses(core.principal, pd ? { eniId: eni.id, ipv4PrefixCount: n } : { eniId: eni.id, secondaryPrivateIpAddressCount: n }),
    );
  let r = yield* ask(count);
  if (!r.ok && r.error.code !== 'PrivateIpAddressLimitExceeded') r = yield* ask(1);
  if (!r.ok && r.error.code === 'PrivateIpAddressLimitExceeded') {
    // datastore out of sync: add what EC2 reports (§2.5) and call it a success
    const d = yield* core.ec2.call('DescribeNetworkInterfaces', () =>
      core.deps.ec2.describeNetworkInterfaces(core.principal, { networkInterfaceIds: [eni.id] }),
    );
    if (d.ok && d.value[0] !== undefined) {
      const v = d.value[0];
      let added = 0;
      // GetIPv4sFromEC2 in SIP, GetIPv4PrefixesFromEC2 in PD: only the current mode's kind
      if (pd) for (const p of v.ipv4Prefixes) added += core.ds.addIpv4Cidr(eni.id, p, true) ? 1 : 0;
      else for (const ip of v.secondaryPrivateIpAddresses) added += core.ds.addIpv4Cidr(eni.id, ip, false) ? 1 : 0;
      core.lastPoolAction = core.now;
      core.decide('reconcile', `resynced ${eni.id} from EC2 after PrivateIpAddressLimitExceeded (+${added})`, { eniId: eni.id, added });
    }
    return { ok: true };
  }
  if (!r.ok) return { ok: false, code: r.error.code, message: r.error.message };
  const got = pd ? r.value.assignedIpv4Prefixes : r.value.assignedPrivateIpAddresses;
  for (const c of got) core.ds.addIpv4Cidr(eni.id, c, pd);
  core.lastPoolAction = core.now;
  const why = lowReason(core);
  core.lastNoGrow = '';
  core.decide('pool-grow', `grew by ${got.length} ${unit(core, got.length)} on ${eni.id} (requested ${count}); now ${why.reason}`, {
    eniId: eni.id,
    amount: got.length,
    requested: count,
    unit: pd ? 'prefix' : 'ip',
    ...why.data,
  });
  return { ok: true };
}

/**
 * §2.5 increaseDatastorePool. Returns a fatal message only in pre-scaling (a non-insufficient error topping up
 * an existing ENI, §2.1 l).
 */
export function* increasePool(core: Core, prescale: boolean): Proc<string | undefined> {
  if (core.terminating) {
    core.noGrow('terminating', 'did not grow: node terminating (SIGTERM)');
    return undefined;
  }
  if (core.blockedByCordon()) {
    core.noGrow('cordoned', 'did not grow: node is cordoned and AWS_MANAGE_ENIS_NON_SCHEDULABLE is false');
    return undefined;
  }
  if (core.now - core.lastInsufficient <= T.insufficientCooldownMs) {
    const until = core.lastInsufficient + T.insufficientCooldownMs;
    core.noGrow('insufficient-freeze', `did not grow: insufficient-capacity freeze until t=${until}ms`, { until });
    return undefined;
  }
  const s = core.poolState();
  const before = lowReason(core);
  const fix = hasUnfilledEniFix(core.era);
  const allocatable = s.enis.filter(
    (e) => !e.trunk && !e.excluded && !(e.primary && core.cfg.customNetworking) && e.cidrs < core.slotsPerEni,
  );
  const candidates = core.mapOrder(allocatable);
  const tryList = fix ? candidates : candidates.slice(0, 1);
  for (const eni of tryList) {
    const amount = core.policy.topUpAmount(s, eni);
    if (amount <= 0) break; // warm-IP mode with nothing short: skip step 1 entirely
    const r = yield* assignOnEni(core, eni, amount);
    if (r.ok) return undefined;
    if (r.code === 'Skipped') break;
    const insufficient = INSUFFICIENT.has(r.code);
    if (insufficient && core.cfg.subnetDiscovery && fix) {
      // §4.2: with discovery on, move to the next ENI / a new ENI in the same pass, no freeze
      core.decide('pool-no-grow', `could not top up ${eni.id}: ${r.code}; trying the next ENI`, { reason: 'topup-insufficient', eniId: eni.id, code: r.code });
      continue;
    }
    if (insufficient) {
      core.lastInsufficient = core.now;
      core.decide('pool-no-grow', `did not grow: ${r.code} topping up ${eni.id}; freeze until t=${core.now + T.insufficientCooldownMs}ms`, {
        reason: 'insufficient',
        eniId: eni.id,
        code: r.code,
        until: core.now + T.insufficientCooldownMs,
      });
      core.lastNoGrow = 'insufficient-freeze';
      return undefined;
    }
    core.decide('pool-no-grow', `did not grow: ${r.code} topping up ${eni.id}: ${r.message}`, { reason: 'ec2-error', eniId: eni.id, code: r.code });
    return prescale ? `error while trying to increase datastore pool: ${r.code}: ${r.message}` : undefined;
  }
  // §2.5 step 2: a new ENI only when nothing was added and there is room
  if (!core.hasRoomForEni()) {
    const limit = core.maxEni - core.unmanaged.size - core.trunkReservation();
    core.noGrow('max-eni', `did not grow: ${core.ds.enis.size} ENIs is the limit (maxENI ${core.maxEni}${core.cfg.maxEni >= 1 ? ' from MAX_ENI' : ''}, usable ${limit}) and every ENI is full`, {
      enis: core.ds.enis.size,
      maxEni: core.maxEni,
      usable: limit,
    });
    return undefined;
  }
  const amount = core.policy.newEniAmount(core.poolState());
  if (amount <= 0) return undefined;
  const r = yield* createEni(core, amount);
  if (r.ok) {
    core.lastNoGrow = '';
    core.decide('pool-grow', `grew by a new ENI ${r.eniId} because ${before.reason}`, { eniId: r.eniId, amount, unit: core.mode === 'pd' ? 'prefix' : 'ip', newEni: true, ...before.data });
    return undefined;
  }
  if (r.insufficient) {
    core.lastInsufficient = core.now;
    core.lastNoGrow = 'insufficient-freeze';
  }
  core.decide('pool-no-grow', `did not grow: ${r.message}${r.insufficient ? `; freeze until t=${core.now + T.insufficientCooldownMs}ms` : ''}`, {
    reason: r.insufficient ? 'insufficient' : 'eni-create-failed',
    code: r.code ?? 'Error',
    message: r.message,
    ...(r.insufficient ? { until: core.now + T.insufficientCooldownMs } : {}),
  });
  return undefined;
}

/**
 * §2.6 decreaseDatastorePool / tryUnassignCidrsFromAll: release wholly unassigned CIDRs, ENIs in map order. As in
 * v1.23.1 (ipamd.go:892-940, data_store.go:1562-1586): every ENI is visited, excluded ones too, and an ENI's freeable
 * CIDRs are all its unassigned ones, /32s and /28s alike, whatever the mode; DeallocCidrs (ipamd.go:2684-2711) then
 * releases the prefixes and the /32s in two calls, prefixes first.
 */
export function* decreasePool(core: Core): Proc<void> {
  const s = core.poolState();
  let over = core.policy.releaseAmount(s);
  if (over <= 0) return;
  const wanted = over;
  for (const eni of core.mapOrder([...core.ds.enis.values()])) {
    if (over <= 0) break;
    const free = core.mapOrder([...eni.cidrs.values()].filter((c) => c.assigned === 0));
    const take = free.slice(0, Math.min(over, free.length));
    if (take.length === 0) continue;
    for (const c of take) {
      core.ds.removeCidr(eni.id, c.cidr);
      core.reconcileCooldown.set(c.cidr, core.now + T.reconcileCooldownMs);
    }
    over -= take.length;
    const list = take.map((c) => (c.isPrefix ? c.cidr : c.cidr.replace(/\/32$/, '')));
    const prefixes = take.filter((c) => c.isPrefix).map((c) => c.cidr);
    const ips = take.filter((c) => !c.isPrefix).map((c) => c.cidr.replace(/\/32$/, ''));
    if (prefixes.length > 0) {
      yield* core.ec2.call('UnassignPrivateIpAddresses', () => core.deps.ec2.unassignPrivateIpAddresses(core.principal, { eniId: eni.id, ipv4Prefixes: prefixes }));
    }
    if (ips.length > 0) {
      yield* core.ec2.call('UnassignPrivateIpAddresses', () => core.deps.ec2.unassignPrivateIpAddresses(core.principal, { eniId: eni.id, privateIpAddresses: ips }));
    }
    const st = core.ds.stats(core.now);
    core.decide('pool-shrink', `released ${take.length} ${unit(core, take.length)} from ${eni.id} (over target by ${wanted}); total now ${st.totalIps} IPs`, {
      eniId: eni.id,
      cidrs: list,
      over: wanted,
      totalIps: st.totalIps,
      assignedIps: st.assignedIps,
    });
  }
  core.lastPoolAction = core.now;
}

/** §2.7 tryFreeENI: at most one ENI per pass. */
export function* tryFreeEni(core: Core): Proc<void> {
  if (core.terminating || core.blockedByCordon()) return;
  const s = core.poolState();
  const e = core.policy.deletableEni(s, core.mapOrder(s.enis), T.minEniLifetimeMs);
  if (e === undefined) return;
  core.ds.removeEni(e.id);
  core.primaryIps.delete(e.id);
  const st = core.ds.stats(core.now);
  core.decide('eni-free', `freeing ${e.id} (no pods, ${Math.round(e.ageMs / 1000)} s old); pool now ${st.totalIps} IPs, ${st.totalIps - st.assignedIps} available`, {
    eniId: e.id,
    totalIps: st.totalIps,
    available: st.totalIps - st.assignedIps,
  });
  const ok = yield* freeEni(core, e.id);
  if (!ok) core.decide('ec2-error', `failed to free ${e.id}`, { eniId: e.id, api: 'FreeENI' });
}
