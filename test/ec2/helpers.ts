/** Shared set-up for the EC2 tests: a simulation, an Ec2, a VPC with one subnet, and a way to await a call. */
import { type SimEvent, Simulation } from '../../src/sim/index.ts';
import { Ec2 } from '../../src/model/ec2/ec2-api.ts';
import type { Ec2OptionsInput } from '../../src/model/ec2/options.ts';
import type { Ec2Result } from '../../src/model/ec2/types.ts';

export const NODE = 'arn:aws:sts::111122223333:assumed-role/eks-node-role/i-0';

export function world(opts: Ec2OptionsInput = {}, subnetCidr = '10.0.0.0/24', seed: number | string = 1) {
  const sim = new Simulation(seed);
  const ec2 = new Ec2(sim, opts);
  const vpc = must(ec2.state.createVpc({ cidrBlock: '10.0.0.0/16', amazonProvidedIpv6CidrBlock: true }));
  const subnet = must(ec2.state.createSubnet({ vpcId: vpc.id, cidrBlock: subnetCidr, availabilityZone: 'us-west-2a', ipv6: true }));
  return { sim, ec2, vpc, subnet };
}

export function must<T>(r: Ec2Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** Runs the simulation until the call answers; returns its result. */
export function settle<T>(sim: Simulation, ev: SimEvent<T>): T {
  sim.run({ stopWhen: () => ev.triggered });
  return ev.value;
}

export function call<T>(sim: Simulation, ev: SimEvent<Ec2Result<T>>): T {
  return must(settle(sim, ev));
}
