/**
 * `sim heal-faults`: the one step that is a simulator control rather than a command a user would type. It ends a
 * safety phase by removing the injected faults (`Faults.heal`, src/model/ec2/faults.ts); the `sim` prefix keeps it from
 * reading as a real CLI.
 */
import { defineAction } from './action.ts';

export default defineAction({
  run: 'sim heal-faults',
  fields: {},
  doc: 'Simulator control, not a real command: removes the injected EC2 faults from here on — `ec2.faults` error rates, `deniedPermissions`, and `ec2.imds` lags and `ec2.throttling` buckets worse than the defaults (back to the defaults; buckets keep their tokens).',
  command: () => 'sim heal-faults',
  apply: (_a, world) => world.healFaults(),
});
