/**
 * The datastore's index of assigned addresses by IPAMKey (§3.1), and the IPAMKey of a pod's CNI request. Lookups only:
 * the datastore (datastore.ts) adds an entry when it assigns or restores an address and drops it on unassign or
 * when the address's CIDR or ENI leaves.
 */
import { NETWORK_NAME, type AddressInfo, type CidrInfo, type DsEni, type IpamKey } from './datastore-types.ts';
import type { PodKey } from './records.ts';

/** Where a pod's address is (valid while assigned: removing its CIDR or ENI drops the pod's entry). */
export interface AddrRef {
  eni: DsEni;
  cidr: CidrInfo;
  /** Assigned, so `info.key` is set. */
  info: AddressInfo;
  /** Another address of the same container id (other network or interface name). */
  next?: AddrRef;
}

export function podIpamKey(p: PodKey): IpamKey {
  return { networkName: NETWORK_NAME, containerId: p.containerId, ifName: p.ifName ?? 'eth0' };
}

/**
 * Assigned addresses by IPAMKey. Keyed by the container id string as the caller passes it, whose hash V8 keeps on
 * the string, not by a key string built anew (and hashed anew) on each call. Keys sharing a container id chain
 * through `AddrRef.next`.
 */
export class KeyIndex {
  private readonly byContainer = new Map<string, AddrRef>();

  get(containerId: string, networkName: string, ifName: string): AddrRef | undefined {
    for (let r = this.byContainer.get(containerId); r !== undefined; r = r.next) {
      const k = r.info.key!;
      if (k.networkName === networkName && k.ifName === ifName) return r;
    }
    return undefined;
  }

  /** Adds an entry for a key that has none. */
  add(ref: AddrRef): void {
    const id = ref.info.key!.containerId;
    ref.next = this.byContainer.get(id);
    this.byContainer.set(id, ref);
  }

  /** Drops the entry of an assigned address. */
  remove(info: AddressInfo): void {
    const id = info.key!.containerId;
    const head = this.byContainer.get(id);
    if (head === undefined) return;
    if (head.info === info) {
      if (head.next === undefined) this.byContainer.delete(id);
      else this.byContainer.set(id, head.next);
      return;
    }
    for (let r = head; r.next !== undefined; r = r.next) {
      if (r.next.info === info) {
        r.next = r.next.next;
        return;
      }
    }
  }
}
