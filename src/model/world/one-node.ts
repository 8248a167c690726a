/**
 * A one-node world: simulation + EC2 (the real `Ec2` class) + a VPC and its subnets (built as the World builds them,
 * world/vpc.ts) + one running instance, its Kubernetes `Node` (made as the cluster makes every node,
 * k8s/cluster-nodes.ts) and that node's ipamd, started by the same factory as every node of a World
 * (`realIpamd`, world/node-cloud.ts) — there is no other place that wires an `Ipamd`. On top, the warm-pool procedure:
 * add or delete pods by direct CNI calls and let the pool loop settle. Used by the `warm-pool` command and by the
 * ipamd tests. Not a scenario runner: no scheduler, no kubelet retries beyond `addPodWithRetries`, no node join (the
 * instance is running and its node registered at t = 0).
 */
import { Simulation } from '../../sim/index.ts';
import { Ec2 } from '../ec2/ec2-api.ts';
import type { Ec2OptionsInput } from '../ec2/options.ts';
import { findInstanceType } from '../ec2/instance-types.ts';
import type { Ec2Api, InstanceView } from '../ec2/types.ts';
import { MANIFEST_DEFAULT_ENV } from '../ipamd/config.ts';
import type { Ipamd } from '../ipamd/ipamd.ts';
import { eniMaxPods } from '../ipamd/node-init.ts';
import type { PoolPolicy } from '../ipamd/pool-policy.ts';
import type { AddResult, Checkpoint, DecisionRecord, DelResult, EniConfigSpec, PodKey } from '../ipamd/types.ts';
import { nodeForInstance } from '../k8s/cluster-nodes.ts';
import type { Node } from '../k8s/types.ts';
import { realIpamd, type RealIpamdDeps } from './node-cloud.ts';
import type { SubnetSpec } from './spec.ts';
import { buildVpc, SubnetDirectory } from './vpc.ts';

/** A subnet of the one-node VPC: the World's SubnetSpec without a name, its zone defaulting to the node's. */
export type NodeSubnetSpec = Pick<SubnetSpec, 'cidr' | 'tags' | 'externalUse'> & { az?: string };

export interface SingleNodeOptions {
  instanceType: string;
  /** Overrides on top of MANIFEST_DEFAULT_ENV (unless `rawEnv`). */
  env?: Record<string, string>;
  /** Use `env` as the whole container env (code defaults for anything missing). */
  rawEnv?: boolean;
  /** Node capacity pods; default: the eni-max-pods value (ENIs × (IPv4 − 1) + 2). */
  maxPods?: number;
  cniVersion?: string;
  seed?: number | string;
  region?: string;
  vpcCidr?: string;
  /** Subnets in the VPC; the node launches in `nodeSubnet` (index, default 0). Default one /16. */
  subnets?: NodeSubnetSpec[];
  nodeSubnet?: number;
  az?: string;
  /** Labels on top of the well-known ones every node carries (hostname, zone, instance type, node group…). */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  eniConfigs?: Record<string, EniConfigSpec>;
  /** ENIConfigs built once the subnet ids are known (custom networking). */
  eniConfigsFor?: (subnetIds: string[]) => Record<string, EniConfigSpec>;
  ec2Options?: Ec2OptionsInput;
  policy?: PoolPolicy;
  /** Wrap the EC2 API ipamd sees (fault injection in tests). */
  wrapEc2?: (api: Ec2Api) => Ec2Api;
  checkpoint?: Checkpoint;
  onDecision?: (r: DecisionRecord) => void;
  principal?: string;
}

const POD_NS = 'default';
const NODE_GROUP = 'warm-pool';

export class SingleNode {
  readonly sim: Simulation;
  readonly ec2: Ec2;
  readonly instance: InstanceView;
  readonly vpcId: string;
  readonly subnetIds: string[];
  /** The Kubernetes node, as the cluster would have made it for this instance. */
  readonly node: Node;
  ipamd: Ipamd;
  /** Running pods, in creation order. */
  readonly pods: { key: PodKey; ip: string; eniId: string }[] = [];
  private podSeq = 0;
  private readonly opts: SingleNodeOptions;
  readonly env: Record<string, string>;
  private readonly deps: RealIpamdDeps;

  constructor(opts: SingleNodeOptions) {
    this.opts = opts;
    this.sim = new Simulation(opts.seed ?? 1);
    this.ec2 = new Ec2(this.sim, opts.ec2Options ?? {});
    const region = opts.region ?? 'us-west-2';
    const az = opts.az ?? `${region}a`;
    const ipv6 = opts.env?.ENABLE_IPv6 === 'true';
    this.vpcId = buildVpc(this.ec2, { vpc: { cidrBlocks: [opts.vpcCidr ?? '10.0.0.0/16'], ipv6: true } });
    const dir = new SubnetDirectory(this.ec2);
    const nodeSubnet = opts.nodeSubnet ?? 0;
    this.subnetIds = (opts.subnets ?? [{ cidr: '10.0.0.0/16' }]).map((s, i) => {
      const r = dir.add(this.vpcId, ipv6 && i === nodeSubnet, { id: '', az: s.az ?? az, cidr: s.cidr, tags: s.tags ?? {}, externalUse: s.externalUse ?? 0 });
      if (!r.ok) throw new Error(`createSubnet ${s.cidr}: ${r.message}`);
      // the new id, read from create-subnet's answer as a CLI user would
      return (JSON.parse(r.message) as { Subnet: { SubnetId: string } }).Subnet.SubnetId;
    });
    const launched = this.ec2.runInstancesNow({ instanceType: opts.instanceType, subnetId: this.subnetIds[nodeSubnet] });
    if (!launched.ok) throw new Error(`runInstances: ${launched.error.message}`);
    const inst = (this.instance = launched.value[0]);
    this.node = nodeForInstance(
      { name: NODE_GROUP, instanceType: opts.instanceType, subnetIds: [inst.subnetId], desired: 1, maxPods: opts.maxPods ?? defaultMaxPods(opts.instanceType), labels: { ...(opts.labels ?? {}) } },
      { instanceId: inst.instanceId, privateIp: inst.privateIpAddress, subnetId: inst.subnetId, az: inst.availabilityZone },
      region,
      this.sim.now,
      // The bare hostname warm-pool has always used: the daemon's random streams are named by node, so the
      // published tables' rows keep coming out the same.
      `ip-${inst.privateIpAddress.replaceAll('.', '-')}`,
    );
    this.node.annotations = { ...(opts.annotations ?? {}) };
    this.env = opts.rawEnv === true ? { ...(opts.env ?? {}) } : { ...MANIFEST_DEFAULT_ENV, ...(opts.env ?? {}) };
    const eniConfigs = opts.eniConfigsFor?.(this.subnetIds) ?? opts.eniConfigs ?? {};
    const policy = opts.policy;
    this.deps = {
      sim: this.sim,
      ec2: this.ec2,
      vpcId: this.vpcId,
      nodeRole: opts.principal ?? 'eks-node-role',
      spec: { cluster: { name: this.env.CLUSTER_NAME ?? 'sim', vpcCni: { version: opts.cniVersion ?? '1.23.1' } } },
      eniConfig: (name) => eniConfigs[name],
      resolveSubnet: (s) => dir.resolve(s),
      onNode: () => {},
      onDecision: (r) => opts.onDecision?.(r),
      // A restored allocation survives only if its pod is still running here (§3.7).
      sandboxExists: (id) => this.pods.some((p) => p.key.containerId === id),
      ...(opts.wrapEc2 !== undefined ? { api: opts.wrapEc2(this.ec2) } : {}),
      ...(policy !== undefined ? { poolPolicy: () => policy } : {}),
    };
    this.ipamd = this.newIpamd(opts.checkpoint);
  }

  /** The node's unschedulable taint (kubectl cordon). */
  get cordoned(): boolean {
    return this.node.cordoned;
  }

  set cordoned(v: boolean) {
    this.node.cordoned = v;
  }

  private newIpamd(checkpoint: Checkpoint | undefined): Ipamd {
    return realIpamd(this.deps, { node: this.node, env: this.env, checkpoint });
  }

  /** Starts ipamd and runs until it is ready or failed (cap 15 min of virtual time). */
  start(): Ipamd {
    this.ipamd.start();
    const cap = this.sim.now + 15 * 60_000;
    this.sim.run({ until: cap, stopWhen: () => this.ipamd.state !== 'starting' });
    return this.ipamd;
  }

  /** Restarts aws-node: stop, new Ipamd from the checkpoint it wrote (`edit` may change it first), start. */
  restart(edit?: (cp: Checkpoint) => Checkpoint): Ipamd {
    const cp = edit === undefined ? this.ipamd.checkpoint() : edit(this.ipamd.checkpoint());
    this.ipamd.stop();
    this.ipamd = this.newIpamd(cp);
    return this.start();
  }

  run(ms: number): void {
    this.sim.run({ until: this.sim.now + ms });
  }

  /**
   * Lets the pool loop settle: runs until the policy has wanted no action at `quietChecks` consecutive 5 s
   * checks, or `capMs` passed.
   */
  settle(capMs = 180_000, quietChecks = 3): void {
    const end = this.sim.now + capMs;
    let quiet = 0;
    while (this.sim.now < end && quiet < quietChecks) {
      this.sim.run({ until: Math.min(end, this.sim.now + 5_000) });
      quiet = this.ipamd.wantsAction() ? 0 : quiet + 1;
    }
  }

  /** One CNI ADD for a new pod; on success the pod is running. */
  addPod(name?: string): AddResult {
    const n = name ?? `pod-${++this.podSeq}`;
    const key: PodKey = { namespace: POD_NS, name: n, containerId: `sandbox-${n}-${this.sim.now}` };
    const r = this.ipamd.addNetwork(key);
    if (r.ok) this.pods.push({ key, ip: r.ip, eniId: r.eniId });
    return r;
  }

  /** Adds a pod, retrying like the kubelet (new sandbox every ~10 s) until it gets an address or `capMs` passes. */
  addPodWithRetries(name?: string, capMs = 300_000): AddResult {
    const n = name ?? `pod-${++this.podSeq}`;
    const end = this.sim.now + capMs;
    for (;;) {
      const r = this.addPod(n);
      if (r.ok || this.sim.now >= end) return r;
      this.run(10_000);
    }
  }

  /** CNI DEL for the running pod `name` (or the oldest one). */
  deletePod(name?: string): DelResult {
    const i = name === undefined ? 0 : this.pods.findIndex((p) => p.key.name === name);
    if (i < 0 || i >= this.pods.length) return { ok: false, error: 'no such pod' };
    const [p] = this.pods.splice(i, 1);
    return this.ipamd.delNetwork(p.key);
  }

  /** Adds N pods one at a time, settling after each (the warm-pool procedure). Returns the failures. */
  addPodsSettling(n: number, capMs = 180_000): number {
    let failed = 0;
    for (let i = 0; i < n; i++) {
      const r = this.addPod();
      if (!r.ok) failed++;
      this.settle(capMs);
    }
    return failed;
  }

  /** The per-ENI picture and totals in the warm-pool report shape. */
  report(): WarmPoolReport {
    const st = this.ipamd.stats();
    const perEni = this.ipamd.enis().map((e) => ({ id: e.id, primary: e.primary, secondaryIps: e.secondaryIps, prefixes: e.prefixes, assignedPods: e.assignedPods }));
    return {
      instanceType: this.opts.instanceType,
      pods: this.pods.length,
      enis: perEni.length,
      attachedSecondaryIps: perEni.reduce((a, e) => a + e.secondaryIps, 0),
      attachedPrefixes: perEni.reduce((a, e) => a + e.prefixes, 0),
      unusedIps: st.totalIps - st.assignedIps,
      totalIps: st.totalIps,
      maxPods: st.maxPods,
      mode: st.mode,
      perEni,
    };
  }
}

/** The eni-max-pods value of a type (ENIs × (IPv4 − 1) + 2); 110 for a type the table lacks (§2.1 j). */
function defaultMaxPods(instanceType: string): number {
  const it = findInstanceType(instanceType);
  return it === undefined ? 110 : eniMaxPods(it.enis, it.ipv4PerEni);
}

export interface WarmPoolReport {
  instanceType: string;
  pods: number;
  enis: number;
  attachedSecondaryIps: number;
  attachedPrefixes: number;
  unusedIps: number;
  totalIps: number;
  maxPods: number;
  mode: string;
  perEni: { id: string; primary: boolean; secondaryIps: number; prefixes: number; assignedPods: number }[];
}
