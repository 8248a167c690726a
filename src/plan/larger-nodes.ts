/**
 * The `larger-nodes` what-if's scenario: one node group on the next larger type of its family (larger-type.ts), and
 * for a scenario with `existing:` that group's running nodes too, ENIs, addresses and pods in place — t = 0 is the
 * same nodes one size up. The real change is a new node group and the old one drained and deleted; the simulation
 * skips the drain. A group's (or node's) own max pods becomes the new type's. The altered `existing:` section goes
 * through the model's own check (existing-check.ts), as the loader and the World would. Not here: choosing the
 * group (what-ifs.ts), running it (plan.ts).
 */
import { parseCniVersion } from '../model/max-pods.ts';
import { checkExisting, existingContext } from '../model/world/existing-check.ts';
import { groupMaxPods } from '../model/world/spec.ts';
import type { World } from '../model/world.ts';
import type { Scenario } from '../scenario/types.ts';
import { largerType, type MaxPodsRule } from './larger-type.ts';

export type LargerNodes = { title: string; changes: string[]; scenario: Scenario } | { title: string; unavailable: string };

/**
 * How the group's nodes get their max pods: prefix delegation's calculator (for the CNI version) when it is on and the
 * group states its max pods (as import and the prefix-delegation what-if write it), else the eni-max-pods table, which
 * is what the World gives a group that states none (`groupMaxPods`).
 */
function maxPodsRule(s: Scenario, g: Scenario['nodeGroups'][number]): MaxPodsRule {
  const v = parseCniVersion(s.cluster.vpcCni.version);
  return { prefixDelegation: s.cluster.vpcCni.env?.ENABLE_PREFIX_DELEGATION === 'true' && g.maxPods !== undefined, ...(v === undefined ? {} : { cniVersion: v }) };
}

/** `s` with node group `group` (and its existing nodes) on the next larger type; `world` is `s` before the change. */
export function onLargerType(s: Scenario, world: World, group: string): LargerNodes {
  const gi = s.nodeGroups.findIndex((x) => x.name === group);
  const g = s.nodeGroups[gi];
  const next = largerType(g.instanceType, maxPodsRule(s, g));
  if ('none' in next) return { title: `${g.name} on a larger type than ${g.instanceType}`, unavailable: next.none };
  const to = next.type.name;
  const title = `${g.name} on ${to} instead of ${g.instanceType}`;
  const out: Scenario = structuredClone(s);
  const og = out.nodeGroups.find((x) => x.name === group)!;
  og.instanceType = to;
  const newName = `${g.name}-${to.slice(to.indexOf('.') + 1)}`;
  const bounds = `${og.minSize === undefined ? '' : ` --nodes-min ${og.minSize}`}${og.maxSize === undefined ? '' : ` --nodes-max ${og.maxSize}`}`;
  if (og.maxPods !== undefined) og.maxPods = next.maxPods;
  // the max pods the simulated nodes get, before and after
  const maxPods = `max pods ${groupMaxPods(og, gi)}, was ${groupMaxPods(g, gi)}`;
  const changes = [
    `eksctl create nodegroup --cluster ${s.cluster.name} --name ${newName} --node-type ${to} --nodes ${og.desiredCapacity}${bounds}`,
    `eksctl delete nodegroup --cluster ${s.cluster.name} --name ${g.name} --drain`,
    s.existing === undefined
      ? `simulated as if ${g.name} had launched ${to} nodes from the start (${maxPods})`
      : `simulated as if ${g.name}'s running nodes had been ${to} all along, pods in place (${maxPods})`,
  ];
  if (g.maxPods !== undefined) changes.push(`node group ${g.name}: its own --max-pods ${g.maxPods} becomes ${to}'s ${next.maxPods}`);
  if (out.existing === undefined) return { title, changes, scenario: out };
  let resized = 0;
  let ownMaxPods = 0;
  for (const n of out.existing.nodes) {
    if (n.nodeGroup !== group) continue;
    n.instanceType = to;
    resized++;
    if (n.maxPods !== undefined) {
      n.maxPods = next.maxPods;
      ownMaxPods++;
    }
  }
  if (ownMaxPods > 0) changes.push(`${ownMaxPods} running node${ownMaxPods === 1 ? '' : 's'} with a --max-pods of their own: ${next.maxPods}, as the new type's`);
  // ENIs and addresses stay valid only while they fit the new type: the loader and the World check the same rules
  const problem = checkExisting(out.existing, existingContext(out, (name) => subnetOf(world, name)));
  if (problem !== undefined) return { title, unavailable: `${resized} running node${resized === 1 ? '' : 's'} as ${to}: ${problem.path.join('.')}: ${problem.reason}` };
  return { title, changes, scenario: out };
}

function subnetOf(world: World, name: string) {
  const id = world.resolveSubnet(name);
  const x = id === undefined ? undefined : world.ec2.state.subnets.get(id);
  return x === undefined ? undefined : { key: x.id, cidr: x.cidr, az: x.availabilityZone };
}
