/**
 * A managed node group as an Auto Scaling group: keeps `desired` instances, launches them across its subnets balanced
 * by Availability Zone (placement.ts), retries failed launches on the next AZ and later, and on scale-in terminates
 * per the default termination policy. After RunInstances, the instance boots and its kubelet tries to register; whether
 * it can reach the API server depends on the endpoint access and the subnet's route (node-join.ts). A node that
 * cannot join stays unregistered with a reason a report can print; its would-be pods stay Pending.
 * Not here: what happens once a node is registered (cluster.ts), instance warm pools, lifecycle hooks, drains.
 */
import { wait, type Proc, type Random, type Simulation } from '../../sim/index.ts';
import type { Happening, LaunchedInstance, NodeCloud } from './cloud.ts';
import { canJoin, type EndpointAccess } from './node-join.ts';
import { draw, type KubernetesOptions, type Range } from './options.ts';
import { PlacementCounts, rankLaunchSubnets, scaleInVictim, type GroupSubnet } from './placement.ts';
import type { Requests } from './scheduler.ts';
import type { Node } from './types.ts';

/** A node group as the cluster runs it: subnet ids resolved, max pods and allocatable worked out (world/spec.ts NodeGroupSpec is what a user writes). */
export interface NodeGroupConfig {
  name: string;
  instanceType: string;
  /** Subnet ids the group launches into (its AZs follow from them). */
  subnetIds: string[];
  desired: number;
  /** kubelet --max-pods; default: the eni-max-pods value of the type, ENIs × (IPv4 − 1) + 2 (§7). */
  maxPods: number;
  /** Allocatable CPU/memory; undefined: not limited. */
  allocatable?: Requests;
  labels: Record<string, string>;
  /** RunInstances → kubelet registration; default KubernetesOptions.nodeLaunchMs. */
  launchMs?: Range;
}

export interface NodeGroupHost {
  readonly sim: Simulation;
  readonly opts: KubernetesOptions;
  readonly cloud: NodeCloud;
  readonly endpointAccess: EndpointAccess;
  nodeLaunched(group: NodeGroupConfig, instance: LaunchedInstance): Node;
  nodeRegistered(node: Node): void;
  terminateNode(node: Node, why: string): void;
  happen(h: Omit<Happening, 't'>): void;
}

interface Member {
  subnetId: string;
  az: string;
  instanceId: string;
  launchedAt: number;
  node?: Node;
}

export class NodeGroup {
  /** Instances launched or launching, not yet terminated. */
  private readonly members: Member[] = [];
  private inFlight = 0;
  /** Members and where in-flight launches are going, per AZ and subnet, so concurrent launches still spread. */
  private readonly placed = new PlacementCounts();
  private readonly rng: Random;

  constructor(
    private readonly host: NodeGroupHost,
    readonly spec: NodeGroupConfig,
  ) {
    this.rng = host.sim.random(`nodegroup/${spec.name}`);
  }

  get desired(): number {
    return this.spec.desired;
  }

  nodes(): Node[] {
    return this.members.flatMap((m) => (m.node === undefined ? [] : [m.node]));
  }

  setDesired(n: number): void {
    this.spec.desired = n;
    this.reconcile();
  }

  /** A member that was running before t = 0 (cluster-existing.ts): counted in `desired`, nothing launched for it. */
  adopt(node: Node, inst: LaunchedInstance): void {
    const member: Member = { subnetId: inst.subnetId, az: inst.az, instanceId: inst.instanceId, launchedAt: this.host.sim.now, node };
    this.members.push(member);
    this.placed.add(member, 1);
  }

  /** The node left the group (terminated by anyone). */
  forget(node: Node): void {
    const i = this.members.findIndex((m) => m.node === node);
    if (i < 0) return; // the group itself removed it (scale-in)
    this.placed.add(this.members[i], -1);
    this.members.splice(i, 1);
    this.reconcile();
  }

  reconcile(): void {
    const have = this.members.length + this.inFlight;
    for (let i = have; i < this.spec.desired; i++) {
      this.inFlight++;
      this.host.sim.spawn(`nodegroup ${this.spec.name} launch`, this.launch());
    }
    let extra = this.members.length + this.inFlight - this.spec.desired;
    while (extra > 0) {
      const victim = scaleInVictim(this.members.filter((m) => m.node !== undefined));
      if (victim === undefined) break;
      this.placed.add(victim, -1);
      this.members.splice(this.members.indexOf(victim), 1);
      this.host.terminateNode(victim.node!, `node group ${this.spec.name} scaled in`);
      extra--;
    }
  }

  private subnets(): GroupSubnet[] {
    const out: GroupSubnet[] = [];
    for (const id of this.spec.subnetIds) {
      const s = this.host.cloud.subnet(id);
      if (s !== undefined) out.push({ subnetId: id, az: s.az });
    }
    return out;
  }

  private *launch(): Proc<void> {
    const { sim, cloud } = this.host;
    let got: LaunchedInstance | undefined;
    while (got === undefined) {
      for (const c of rankLaunchSubnets(this.subnets(), this.placed)) {
        this.placed.add(c, 1);
        const r = yield* wait(cloud.runInstance({ nodeGroup: this.spec.name, instanceType: this.spec.instanceType, subnetId: c.subnetId }));
        this.placed.add(c, -1);
        if (r.ok) {
          got = r.instance;
          break;
        }
        this.host.happen({
          kind: 'node-launch-failed',
          subnetId: c.subnetId,
          message: `node group ${this.spec.name}: RunInstances in ${c.subnetId} (${c.az}) failed: ${r.code}: ${r.message}`,
        });
      }
      if (got === undefined) {
        yield this.host.opts.launchRetryMs;
        if (this.members.length + this.inFlight > this.spec.desired) {
          this.inFlight--;
          return;
        }
      }
    }
    this.inFlight--;
    const member: Member = { subnetId: got.subnetId, az: got.az, instanceId: got.instanceId, launchedAt: sim.now };
    const node = this.host.nodeLaunched(this.spec, got);
    member.node = node;
    this.members.push(member);
    this.placed.add(member, 1);
    if (this.members.length > this.spec.desired) {
      this.reconcile();
      return;
    }
    yield draw(this.rng, this.spec.launchMs ?? this.host.opts.nodeLaunchMs);
    while (!node.terminating && !cloud.instanceRunning(got.instanceId)) yield 1000;
    if (node.terminating) return;
    const reach = cloud.subnet(got.subnetId);
    const join = reach === undefined ? { ok: false as const, reason: `subnet ${got.subnetId} not found` } : canJoin(this.host.endpointAccess, reach);
    if (!join.ok) {
      node.notReadyReason = join.reason;
      this.host.happen({ kind: 'node-join-failed', node: node.name, subnetId: got.subnetId, message: `${node.name} (${got.instanceId}) never joined: ${join.reason}` });
      return;
    }
    this.host.nodeRegistered(node);
  }
}
