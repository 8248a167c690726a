/**
 * How the Kubernetes layer reaches EC2 and ipamd inside a World: the `NodeCloud` it launches and terminates instances
 * through (the Auto Scaling group's calls, as its service-linked role) and the factory that starts each node's real
 * ipamd (as the node role, reading IMDS, resolving ENIConfig subnets by scenario name, with the pool policy the
 * World was given — the real one unless a benchmark plugin replaces it); the one-node world of `warm-pool`
 * (one-node.ts) starts its daemon through the same factory. Wiring only: the rules live in
 * src/model/ec2, src/model/ipamd and src/model/k8s.
 */
import type { Simulation } from '../../sim/index.ts';
import type { Ec2 } from '../ec2/ec2-api.ts';
import type { Ec2Api, Tags } from '../ec2/types.ts';
import { Ipamd } from '../ipamd/ipamd.ts';
import type { PoolPolicy } from '../ipamd/pool-policy.ts';
import type { DecisionRecord, EniConfigSpec, IpamdApi } from '../ipamd/types.ts';
import type { IpamdFactory, LaunchResult, NodeCloud } from '../k8s/cloud.ts';
import type { Node } from '../k8s/types.ts';
import { ADMIN_PRINCIPAL } from './admin-actions.ts';
import type { WorldSpec } from './spec.ts';
import type { SubnetDirectory } from './vpc.ts';

export const AUTOSCALING_PRINCIPAL = 'AWSServiceRoleForAutoScaling';

export function nodeCloud(sim: Simulation, ec2: Ec2, clusterName: string, ipv6: boolean, dir: SubnetDirectory): NodeCloud {
  return {
    runInstance: (p) => {
      const ev = sim.event<LaunchResult>();
      ec2
        .runInstances(AUTOSCALING_PRINCIPAL, {
          instanceType: p.instanceType,
          subnetId: p.subnetId,
          tags: instanceTags(clusterName, p.nodeGroup),
          ...(ipv6 ? { ipv6AddressCount: 1 } : {}),
        })
        .then((r) => {
          if (!r.ok) return ev.succeed({ ok: false, code: r.error.code, message: r.error.message });
          const v = r.value[0];
          ev.succeed({ ok: true, instance: { instanceId: v.instanceId, privateIp: v.privateIpAddress, subnetId: v.subnetId, az: v.availabilityZone } });
        });
      return ev;
    },
    instanceRunning: (id) => ec2.state.instances.get(id)?.state === 'running',
    terminateInstance: (id) => {
      ec2.terminateInstances(ADMIN_PRINCIPAL, [id]);
    },
    subnet: (id) => {
      const s = ec2.state.subnets.get(id);
      if (s === undefined) return undefined;
      return { subnetId: id, az: s.availabilityZone, route: s.routeKind, public: dir.isPublic(id, s.routeKind) };
    },
  };
}

/** The tags a node's instance carries (EKS managed node groups); a standalone node has no group tag. */
export function instanceTags(clusterName: string, nodeGroup: string | undefined): Tags {
  return { ...(nodeGroup !== undefined ? { 'eks:nodegroup-name': nodeGroup } : {}), 'eks:cluster-name': clusterName, [`kubernetes.io/cluster/${clusterName}`]: 'owned' };
}

/** What a replacement pool policy is built for: one node's daemon, at each start of its container. */
export interface NodePolicyContext {
  /** The node's name. */
  node: string;
  /** Virtual time now, ms. */
  now(): number;
}

/**
 * Gives a node's daemon its pool policy (src/model/ipamd/pool-policy.ts), called at each start of the daemon;
 * undefined keeps the real one (`ipamdPolicy`).
 */
export type NodePoolPolicy = (ctx: NodePolicyContext) => PoolPolicy | undefined;

/** What a node's real ipamd is built from, besides the factory's own arguments. */
export interface RealIpamdDeps {
  sim: Simulation;
  ec2: Ec2;
  vpcId: string;
  nodeRole: string;
  /** Read at each start, as the scenario says (cluster name, VPC CNI version). */
  spec: { readonly cluster: Pick<WorldSpec['cluster'], 'name'> & { readonly vpcCni: Pick<WorldSpec['cluster']['vpcCni'], 'version'> } };
  eniConfig(name: string): EniConfigSpec | undefined;
  resolveSubnet(idOrName: string): string | undefined;
  /** The node is now known by its instance id (for the timeline's ENI attachments). */
  onNode(instanceId: string, node: Node): void;
  /** A decision of `daemon` (undefined while the daemon is being built). */
  onDecision(r: DecisionRecord, daemon: IpamdApi | undefined): void;
  /** The node's datastore changed; absent: nobody is told. */
  onDatastoreChange?(node: string): void;
  /** Replaces the pool decisions (benchmark plugin policies); absent: the real daemon's. */
  poolPolicy?: NodePoolPolicy;
  /** The EC2 API the daemon calls; absent: `ec2` itself (tests wrap it to fail chosen calls). */
  api?: Ec2Api;
  /** Whether a checkpointed pod sandbox still exists at restore (§3.7); absent: every one does. */
  sandboxExists?: (containerId: string) => boolean;
}

/** The one place a node's `Ipamd` is built: every World node, and the one-node world of `warm-pool` (one-node.ts). */
export function realIpamd(d: RealIpamdDeps, p: Parameters<IpamdFactory>[0]): Ipamd {
  const inst = d.ec2.state.instances.get(p.node.instanceId);
  if (inst === undefined) throw new Error(`no instance ${p.node.instanceId} for node ${p.node.name}`);
  d.onNode(inst.id, p.node);
  const v = inst.view();
  const policy = d.poolPolicy?.({ node: p.node.name, now: () => d.sim.now });
  let daemon: Ipamd | undefined;
  daemon = new Ipamd({
    sim: d.sim,
    ec2: d.api ?? d.ec2,
    principal: d.nodeRole,
    imds: () => d.ec2.imds.enis(inst.id),
    imdsSettled: () => d.ec2.imds.settled(inst.id),
    instance: {
      instanceId: inst.id,
      instanceType: v.instanceType,
      vpcId: d.vpcId,
      az: v.availabilityZone,
      primaryEniId: v.primaryEniId,
      subnetId: v.subnetId,
      privateIp: v.privateIpAddress,
    },
    node: p.node,
    clusterName: d.spec.cluster.name,
    cniVersion: d.spec.cluster.vpcCni.version,
    env: p.env,
    eniConfigs: (name) => {
      const c = d.eniConfig(name);
      return c === undefined ? undefined : { ...c, subnet: d.resolveSubnet(c.subnet) ?? c.subnet };
    },
    checkpoint: p.checkpoint,
    ...(p.resume === true ? { resume: { subnet: (id: string) => d.ec2.state.subnets.get(id) } } : {}),
    ...(d.sandboxExists !== undefined && p.checkpoint !== undefined ? { sandboxExists: d.sandboxExists } : {}),
    onDecision: (r) => d.onDecision(r, daemon),
    ...(d.onDatastoreChange !== undefined ? { onDatastoreChange: () => d.onDatastoreChange!(p.node.name) } : {}),
    ...(p.recordEvent !== undefined ? { recordEvent: p.recordEvent } : {}),
    ...(policy !== undefined ? { policy } : {}),
  });
  return daemon;
}
