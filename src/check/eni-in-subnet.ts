/**
 * Safety: every address an ENI holds lies inside its subnet's CIDR and outside the five addresses AWS reserves
 * (the first four and the last, user-scenarios §C.6); every prefix is an aligned /28 of that subnet (spec §5).
 */
import { isAwsReserved } from '../model/vpc/address-allocator.ts';
import { containsIp, formatIpv4, parseCidr } from '../model/vpc/ipv4.ts';
import { eniAddresses } from './addresses.ts';
import type { Invariant } from './invariant.ts';

export const eniInSubnet: Invariant = {
  id: 'eni-in-subnet',
  class: 'safety',
  statement: 'every ENI address lies in its subnet and outside the reserved ones',
  source: 'user-scenarios §C.6; spec §5',
  start() {
    return (view, report) => {
      const subnets = new Map(view.subnets().map((s) => [s.id, parseCidr(s.cidr)]));
      for (const e of view.enis()) {
        const c = subnets.get(e.subnetId);
        if (c === undefined) {
          report({ message: `${e.id} is in unknown subnet ${e.subnetId}` });
          continue;
        }
        for (const a of eniAddresses(e)) {
          if (!containsIp(c, a)) report({ message: `${e.id} holds ${formatIpv4(a)} outside its subnet ${e.subnetId}` });
          else if (isAwsReserved(c, a)) report({ message: `${e.id} holds AWS-reserved ${formatIpv4(a)} of ${e.subnetId}` });
        }
        for (const p of e.prefixes) if (p % 16 !== 0) report({ message: `${e.id} holds unaligned prefix ${formatIpv4(p)}/28` });
      }
    };
  },
};
