/**
 * Safety: per subnet, used + available = usable, available never negative, and the addresses ENIs hold (plus outside
 * users, when the model says how many) are exactly the used ones (DescribeSubnets' AvailableIpAddressCount is
 * usable − used; user-scenarios §C.6). A leak here would make subnet discovery (§4.1) rank subnets wrongly.
 */
import { eniAddressCount } from './addresses.ts';
import type { Invariant } from './invariant.ts';

export const subnetAccounting: Invariant = {
  id: 'subnet-accounting',
  class: 'safety',
  statement: 'per subnet, used + available = usable, and used = addresses held by ENIs and outside users',
  source: 'user-scenarios §C.6; spec §4.1',
  start() {
    return (view, report) => {
      const held = new Map<string, number>();
      for (const e of view.enis()) held.set(e.subnetId, (held.get(e.subnetId) ?? 0) + eniAddressCount(e));
      for (const s of view.subnets()) {
        if (s.used + s.available !== s.usable) {
          report({ message: `${s.id}: used ${s.used} + available ${s.available} ≠ usable ${s.usable}` });
        }
        if (s.available < 0) report({ message: `${s.id}: available ${s.available} < 0` });
        const byEnis = held.get(s.id) ?? 0;
        if (s.external !== undefined) {
          if (byEnis + s.external !== s.used) {
            report({ message: `${s.id}: ENIs hold ${byEnis} and outside users ${s.external}, but ${s.used} are used` });
          }
        } else if (byEnis > s.used) {
          report({ message: `${s.id}: ENIs hold ${byEnis} addresses but only ${s.used} are used` });
        }
      }
    };
  },
};
