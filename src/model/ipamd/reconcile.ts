/**
 * The IMDS/EC2 consistency reconcile (`nodeIPPoolReconcile`, spec §2.10), run in the second half of each pass
 * but only when more than 60 s have passed since the last pool action (every pass while ENABLE_POD_ENI waits
 * for a trunk ENI): adopt ENIs IMDS shows that the datastore lacks (how an ENI whose IMDS wait timed out is
 * eventually used), fix the /32 and /28 sets that differ from IMDS by trusting EC2 (`eniIPPoolReconcile` and
 * `eniPrefixPoolReconcile`, both whatever the mode; respecting the 60 s re-add cooldown of released CIDRs,
 * §8.6), and force-remove detached ENIs (§10 force-removal metrics). Each pass past the gate bumps the pass
 * markers (core.passes): started, and completed when it ran every step with no EC2 call failing meanwhile.
 */
import type { Proc } from '../../sim/index.ts';
import type { ImdsEni } from '../ec2/types.ts';
import { Core, T } from './core.ts';
import type { DsEni } from './datastore.ts';
import { describeAllEnis, isUnmanaged, setupEni, tagEni } from './eni-setup.ts';

/**
 * Whether the ENI's CIDRs of one kind are exactly `imdsList` (/32s as "a.b.c.d/32", /28s as given). IMDS lists
 * hold no duplicates, so equal sizes and every IMDS entry present mean equal sets. Allocation-free apart from the
 * "/32" keys: it runs for every ENI on every reconcile of every node.
 */
function sameCidrs(eni: DsEni, prefixes: boolean, imdsList: readonly string[], suffix: string): boolean {
  let n = 0;
  for (const c of eni.cidrs.values()) if (c.isPrefix === prefixes) n++;
  if (n !== imdsList.length) return false;
  for (const x of imdsList) if (eni.cidrs.get(x + suffix)?.isPrefix !== prefixes) return false;
  return true;
}

/** §2.10 gate: > 60 s since the last pool action, or ENABLE_POD_ENI with no trunk ENI yet (`needsTrunkEni`). */
function reconcileDue(core: Core): boolean {
  const needsTrunkEni = core.cfg.enablePodEni && ![...core.ds.enis.values()].some((e) => e.trunk);
  return core.now - core.lastPoolAction > T.reconcileIntervalMs || needsTrunkEni;
}

/**
 * One reconcile pass, if due: the gate and the shortcut for a pass that would compare what it compared before are
 * taken here, synchronously; what is returned is the pass itself (it may call EC2), or undefined when there is
 * nothing to run.
 */
export function reconcile(core: Core): Proc<void> | undefined {
  if (!reconcileDue(core)) return undefined;
  // pass marker (a counter, not a record): this pass's ordinal
  const pass = ++core.passes.reconcilePasses;
  // neither IMDS nor the datastore's ENIs and CIDRs changed since a pass that found them equal: so would this one
  const settled = core.deps.imdsSettled?.();
  if (settled !== undefined && core.lastQuietReconcile?.imds === settled && core.lastQuietReconcile.ds === core.ds.shape) {
    core.lastPoolAction = core.now;
    core.passes.reconcileCompleted = pass;
    return undefined;
  }
  return reconcilePass(core, pass, settled);
}

function* reconcilePass(core: Core, pass: number, settled: number | undefined): Proc<void> {
  // the daemon's EC2 failures so far: a pass with one meanwhile is not complete
  const failuresBefore = core.ec2Failures;
  let quiet = true;
  const imds = core.imdsCard0().filter((m) => !core.unmanaged.has(m.eniId));

  // step 2: ENIs attached but unknown to the datastore
  const fresh = imds.filter((m) => !core.ds.enis.has(m.eniId));
  if (fresh.length > 0) {
    quiet = false;
    const inv = yield* describeAllEnis(core);
    // "Failed to call EC2 to describe ENIs, aborting reconcile": no steps 3–4, the 60 s gate is not reset
    if ('error' in inv) return;
    for (const m of fresh) {
      const view = inv.views.get(m.eniId);
      if (view?.interfaceType === 'efa-only') continue;
      if (isUnmanaged(core, m.eniId, view)) {
        core.unmanaged.add(m.eniId);
        continue;
      }
      // a failed TagENI skips the ENI until the next pass (ipamd.go:1664-1670)
      if ((yield* tagEni(core, view, m.eniId)) !== undefined) continue;
      const err = yield* setupEni(core, m, view);
      if (err === undefined) core.decide('reconcile', `adopted ${m.eniId} seen in IMDS`, { eniId: m.eniId, added: m.localIpv4s.length - 1 + m.ipv4Prefixes.length });
    }
  }

  // step 3: /32s (eniIPPoolReconcile) then prefixes (eniPrefixPoolReconcile) of every known ENI, any mode
  for (const m of imds) {
    const eni = core.ds.enis.get(m.eniId);
    if (eni === undefined || eni.trunk) continue;
    for (const prefixes of [false, true]) if (!(yield* reconcileKind(core, m, prefixes))) quiet = false;
  }

  // step 4: ENIs in the datastore that are no longer attached
  const attached = new Set(imds.map((m) => m.eniId));
  for (const id of [...core.ds.enis.keys()]) {
    if (attached.has(id) || id === core.deps.instance.primaryEniId) continue;
    quiet = false;
    const lost = core.ds.removeEni(id);
    core.primaryIps.delete(id);
    if (lost.length > 0) {
      // RemoveENIFromDataStore(force): the ENI and every assigned address on it
      core.metrics.inc('awscni_force_removed_enis');
      core.metrics.inc('awscni_force_removed_ips', {}, lost.length);
    }
    core.decide('reconcile', `removed ${id}: no longer attached${lost.length > 0 ? ` (${lost.length} pods lost their address)` : ''}`, {
      eniId: id,
      lostPods: lost.length,
    });
  }
  core.lastPoolAction = core.now;
  if (core.ec2Failures === failuresBefore) core.passes.reconcileCompleted = pass;
  // nothing to fix and nothing yielded: the views compared were those of `settled` and the current shape
  core.lastQuietReconcile = quiet && settled !== undefined ? { imds: settled, ds: core.ds.shape } : undefined;
}

/**
 * One kind of one ENI: if the datastore's set differs from IMDS (IMDS list minus the primary IP for /32s; no
 * prefixes for the primary ENI under custom networking, §3.6), ask EC2 and trust it: add what is missing (not the
 * ENI's primary IP, not anything released < 60 s ago), force-delete what EC2 no longer reports. True when the
 * sets were equal (nothing asked, nothing changed).
 */
function* reconcileKind(core: Core, m: ImdsEni, prefixes: boolean): Proc<boolean> {
  const eni = core.ds.enis.get(m.eniId);
  if (eni === undefined) return false;
  const imdsList = prefixes ? (eni.primary && core.cfg.customNetworking ? [] : m.ipv4Prefixes) : m.localIpv4s.slice(1);
  if (sameCidrs(eni, prefixes, imdsList, prefixes ? '' : '/32')) return true;
  const dsSet = new Set([...eni.cidrs.values()].filter((c) => c.isPrefix === prefixes).map((c) => c.cidr));
  const d = yield* core.ec2.call('DescribeNetworkInterfaces', () =>
    core.deps.ec2.describeNetworkInterfaces(core.principal, { networkInterfaceIds: [m.eniId] }),
  );
  if (!d.ok || d.value[0] === undefined) return false;
  const v = d.value[0];
  const ec2Set = new Set(prefixes ? v.ipv4Prefixes : v.secondaryPrivateIpAddresses.map((ip) => `${ip}/32`));
  const added: string[] = [];
  const removed: string[] = [];
  for (const c of ec2Set) {
    if (dsSet.has(c) || c === `${core.primaryIps.get(m.eniId)}/32`) continue;
    const until = core.reconcileCooldown.get(c);
    if (until !== undefined && core.now < until) continue; // freed < 60 s ago: IMDS/EC2 may lag
    core.reconcileCooldown.delete(c);
    if (core.ds.addIpv4Cidr(m.eniId, c, prefixes)) added.push(c);
  }
  let lostPods = 0;
  for (const c of dsSet) {
    if (ec2Set.has(c)) continue;
    const lost = core.ds.removeCidr(m.eniId, c);
    lostPods += lost.length;
    removed.push(c);
  }
  if (lostPods > 0) core.metrics.inc('awscni_force_removed_ips', {}, lostPods);
  if (added.length + removed.length > 0) {
    core.decide('reconcile', `reconciled ${m.eniId} ${prefixes ? 'prefixes' : 'IPs'} against EC2: +${added.length} −${removed.length}${lostPods > 0 ? ` (${lostPods} pods lost their address)` : ''}`, {
      eniId: m.eniId,
      added,
      removed,
      lostPods,
    });
  }
  return false;
}
