/**
 * The instance metadata service as each instance sees it: its attached ENIs with their addresses, lagging EC2
 * (spec §8.6, user-scenarios §C.3). Every change EC2 makes to an attached ENI (attach, IP/prefix assign or
 * unassign, SG change, detach) becomes visible after a lag drawn from `Ec2Options.imds` on the stream 'ec2/imds'.
 * Changes to one ENI become visible in the order they happened (a later change never overtakes an earlier one).
 * Reads are synchronous and free (IMDS is local to the node) and applied lazily: no simulation events are used.
 * Not here: IMDS errors or throttling (not modelled).
 */
import type { Random, Simulation } from '../../sim/index.ts';
import { drawLatency } from './latency.ts';
import type { Ec2Options } from './options.ts';
import type { EniChange, Ec2State } from './state.ts';
import type { EniId, ImdsEni, InstanceId } from './types.ts';

interface Timeline {
  visible: ImdsEni | null;
  /** Snapshots not yet visible, in order; `at` never decreases. */
  pending: Array<{ at: number; snapshot: ImdsEni | null }>;
}

export class Imds {
  private readonly byInstance = new Map<InstanceId, Map<EniId, Timeline>>();
  /** Changes recorded per instance, visible or not (see `settled`). */
  private readonly changes = new Map<InstanceId, number>();
  private readonly rng: Random;

  constructor(
    private readonly sim: Simulation,
    private readonly opts: Ec2Options['imds'],
    state: Ec2State,
  ) {
    this.rng = sim.random('ec2/imds');
    state.onEniChange((c) => this.record(c));
  }

  /** The ENIs IMDS shows this instance now, by network card then device index ([] for an unknown instance). */
  enis(instanceId: InstanceId): ImdsEni[] {
    const m = this.byInstance.get(instanceId);
    if (m === undefined) return [];
    this.advance(m);
    const out: ImdsEni[] = [];
    for (const t of m.values()) if (t.visible !== null) out.push(copy(t.visible));
    return out.sort((a, b) => a.networkCardIndex - b.networkCardIndex || a.deviceIndex - b.deviceIndex);
  }

  /**
   * A number that stays the same exactly while `enis(instanceId)` keeps showing the same thing, or undefined while
   * a change is still on its way (lagging): readers can then skip comparing a view they compared before.
   */
  settled(instanceId: InstanceId): number | undefined {
    const m = this.byInstance.get(instanceId);
    if (m === undefined) return 0;
    this.advance(m);
    for (const t of m.values()) if (t.pending.length > 0) return undefined;
    return this.changes.get(instanceId) ?? 0;
  }

  /** Makes every change due by now visible; forgets ENIs that left. */
  private advance(m: Map<EniId, Timeline>): void {
    const now = this.sim.now;
    for (const [id, t] of m) {
      let i = 0;
      while (i < t.pending.length && t.pending[i].at <= now) t.visible = t.pending[i++].snapshot;
      if (i > 0) t.pending.splice(0, i);
      if (t.visible === null && t.pending.length === 0) m.delete(id);
    }
  }

  /** One ENI as IMDS shows it now (by MAC in the real service; by id here), or undefined. */
  eni(instanceId: InstanceId, eniId: EniId): ImdsEni | undefined {
    return this.enis(instanceId).find((e) => e.eniId === eniId);
  }

  private record(c: EniChange): void {
    this.changes.set(c.instanceId, (this.changes.get(c.instanceId) ?? 0) + 1);
    let m = this.byInstance.get(c.instanceId);
    if (m === undefined) {
      m = new Map();
      this.byInstance.set(c.instanceId, m);
    }
    let t = m.get(c.eniId);
    if (t === undefined) {
      t = { visible: null, pending: [] };
      m.set(c.eniId, t);
    }
    const spec = c.kind === 'attach' ? this.opts.attachLag : c.kind === 'detach' ? this.opts.detachLag : this.opts.ipLag;
    const lag = c.immediate === true ? 0 : drawLatency(this.rng, spec);
    const last = t.pending.length > 0 ? t.pending[t.pending.length - 1].at : -Infinity;
    t.pending.push({ at: Math.max(this.sim.now + lag, last), snapshot: c.snapshot });
  }
}

function copy(e: ImdsEni): ImdsEni {
  return {
    ...e,
    localIpv4s: [...e.localIpv4s],
    ipv4Prefixes: [...e.ipv4Prefixes],
    ipv6Prefixes: [...e.ipv6Prefixes],
    ipv6s: [...e.ipv6s],
    securityGroupIds: [...e.securityGroupIds],
  };
}
