/**
 * One node's datastore slots as the run record keeps them: each address assigned to a pod or cooling, compared with
 * the node's last look and written as slot changes (types.ts `SlotChange`). Reads the daemon's read-only datastore
 * view; decides nothing. Browser-safe. Not here: when a node is looked at (recorder.ts).
 */
import { inCooldown } from '../../model/ipamd/datastore-pick.ts';
import type { DatastoreView } from '../../model/ipamd/datastore-types.ts';
import type { SlotChange } from './types.ts';

/** What the slots need of the recorder: a pod's index in the record (made if new). */
export type PodIndex = (namespace: string, name: string) => number;

export class NodeSlots {
  /** Per address: the pod's index when assigned, `-1 - until` when cooling until `until`. */
  private readonly slots = new Map<string, number>();

  constructor(
    private readonly node: number,
    private readonly podIndex: PodIndex,
    /** The pod index of each pod key a datastore holds (the daemon keeps one key object per assignment). */
    private readonly podOfKey: WeakMap<object, number>,
  ) {}

  /**
   * Appends to `out` what changed since the last look at `t`, compared with the slots of the last look: new and changed
   * slots first, then the ones that left, when the count says some did. Returns the rows' estimated JSON characters.
   */
  look(t: number, view: DatastoreView, out: SlotChange[]): number {
    const slots = this.slots;
    const held = new Set<string>();
    let chars = 0;
    for (const eni of view.enis.values()) {
      for (const c of eni.cidrs.values()) {
        for (const a of c.addresses.values()) {
          let v: number;
          if (a.pod !== undefined && a.key !== undefined) {
            let i = this.podOfKey.get(a.pod);
            if (i === undefined) this.podOfKey.set(a.pod, (i = this.podIndex(a.pod.namespace, a.pod.name)));
            v = i;
          } else if (inCooldown(a, t, view.cooldownMs)) v = -1 - (a.unassignedAt! + view.cooldownMs);
          else continue;
          held.add(a.address);
          if (slots.get(a.address) === v) continue;
          slots.set(a.address, v);
          out.push(v >= 0 ? [t, this.node, a.address, v, 0] : [t, this.node, a.address, -1, -1 - v]);
          chars += 34 + a.address.length;
        }
      }
    }
    if (slots.size === held.size) return chars;
    for (const addr of slots.keys()) {
      if (held.has(addr)) continue;
      slots.delete(addr);
      out.push([t, this.node, addr, null, 0]);
      chars += 34 + addr.length;
    }
    return chars;
  }
}
