/**
 * Safety: an IPv4 address (or any address of a /28 prefix) is held by at most one ENI in EC2 (user-scenarios §C.6;
 * EC2 never hands one address out twice — spec §5 on aligned free blocks). Reads EC2's side only; the datastore
 * side is pod-addresses.ts.
 */
import { formatIpv4 } from '../model/vpc/ipv4.ts';
import { eniAddresses } from './addresses.ts';
import type { Invariant } from './invariant.ts';

export const eniAddressUnique: Invariant = {
  id: 'eni-address-unique',
  class: 'safety',
  statement: 'an address or prefix is held by at most one ENI',
  source: 'user-scenarios §C.6; spec §5',
  start() {
    return (view, report) => {
      const holder = new Map<number, string>();
      for (const e of view.enis()) {
        for (const a of eniAddresses(e)) {
          const other = holder.get(a);
          if (other !== undefined && other !== e.id) {
            report({ message: `${formatIpv4(a)} is held by both ${other} and ${e.id}` });
          } else if (other === e.id) {
            report({ message: `${formatIpv4(a)} appears twice on ${e.id}` });
          }
          holder.set(a, e.id);
        }
      }
    };
  },
};
