/**
 * A one-node harness: simulation + EC2 (the real `Ec2` class) + VPC + subnets + one running instance + its
 * `Ipamd`, with helpers to add/delete pods and to let the pool loop settle. Used by the `warm-pool` command and
 * by the ipamd tests. Not a scenario runner: no Kubernetes scheduling, no kubelet retries beyond `addPod`'s.
 */
import { Simulation } from '../../sim/index.ts';
import { Ec2 } from '../ec2/ec2-api.ts';
import type { Ec2OptionsInput } from '../ec2/options.ts';
import { findInstanceType } from '../ec2/instance-types.ts';
import type { Ec2Api, InstanceView, Tags } from '../ec2/types.ts';
import { MANIFEST_DEFAULT_ENV } from './config.ts';
import { Ipamd } from './ipamd.ts';
import { eniMaxPods } from './node-init.ts';
import type { PoolPolicy } from './pool-policy.ts';
import type { AddResult, Checkpoint, DecisionRecord, DelResult, EniConfigSpec, PodKey } from './types.ts';

export interface SubnetSpec {
  cidr: string;
  tags?: Tags;
  /** Default the node's AZ. */
  az?: string;
  /** Addresses held by others (NAT GW, LBs…). */
  externalUse?: number;
}

export interface SingleNodeOptions {
  instanceType: string;
  /** Overrides on top of MANIFEST_DEFAULT_ENV (unless `rawEnv`). */
  env?: Record<string, string>;
  /** Use `env` as the whole container env (code defaults for anything missing). */
  rawEnv?: boolean;
  /** Node capacity pods; default: the eni-max-pods value (ENIs × (IPv4 − 1) + 2). `null` = unknown to ipamd. */
  maxPods?: number | null;
  cniVersion?: string;
  seed?: number | string;
  vpcCidr?: string;
  /** Subnets in the VPC; the node launches in `nodeSubnet` (index, default 0). Default one /16. */
  subnets?: SubnetSpec[];
  nodeSubnet?: number;
  az?: string;
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

export class SingleNode {
  readonly sim: Simulation;
  readonly ec2: Ec2;
  readonly instance: InstanceView;
  readonly vpcId: string;
  readonly subnetIds: string[];
  ipamd: Ipamd;
  cordoned = false;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** Running pods, in creation order. */
  readonly pods: { key: PodKey; ip: string; eniId: string }[] = [];
  private podSeq = 0;
  private readonly opts: SingleNodeOptions;
  readonly env: Record<string, string>;

  constructor(opts: SingleNodeOptions) {
    this.opts = opts;
    this.sim = new Simulation(opts.seed ?? 1);
    this.ec2 = new Ec2(this.sim, opts.ec2Options ?? {});
    const az = opts.az ?? 'us-west-2a';
    const vpc = this.ec2.state.createVpc({ cidrBlock: opts.vpcCidr ?? '10.0.0.0/16', amazonProvidedIpv6CidrBlock: true });
    if (!vpc.ok) throw new Error(`createVpc: ${vpc.error.message}`);
    this.vpcId = vpc.value.id;
    const specs = opts.subnets ?? [{ cidr: '10.0.0.0/16' }];
    this.subnetIds = specs.map((s, i) => {
      const r = this.ec2.state.createSubnet({
        vpcId: this.vpcId,
        cidrBlock: s.cidr,
        availabilityZone: s.az ?? az,
        tags: s.tags ?? {},
        externalUse: s.externalUse ?? 0,
        ipv6: opts.env?.ENABLE_IPv6 === 'true' && i === (opts.nodeSubnet ?? 0),
      });
      if (!r.ok) throw new Error(`createSubnet ${s.cidr}: ${r.error.message}`);
      return r.value.id;
    });
    const launched = this.ec2.runInstancesNow({ instanceType: opts.instanceType, subnetId: this.subnetIds[opts.nodeSubnet ?? 0] });
    if (!launched.ok) throw new Error(`runInstances: ${launched.error.message}`);
    this.instance = launched.value[0];
    this.labels = { ...(opts.labels ?? {}) };
    this.annotations = { ...(opts.annotations ?? {}) };
    this.env = opts.rawEnv === true ? { ...(opts.env ?? {}) } : { ...MANIFEST_DEFAULT_ENV, ...(opts.env ?? {}) };
    this.ipamd = this.newIpamd(opts.checkpoint);
  }

  get nodeName(): string {
    return `ip-${this.instance.privateIpAddress.replaceAll('.', '-')}`;
  }

  /** The node capacity ipamd reads (§2.1 j). */
  get maxPods(): number | undefined {
    if (this.opts.maxPods === null) return undefined;
    if (this.opts.maxPods !== undefined) return this.opts.maxPods;
    const it = findInstanceType(this.opts.instanceType);
    return it === undefined ? undefined : eniMaxPods(it.enis, it.ipv4PerEni);
  }

  private newIpamd(checkpoint: Checkpoint | undefined): Ipamd {
    const inst = this.instance;
    const api: Ec2Api = this.opts.wrapEc2 ? this.opts.wrapEc2(this.ec2) : this.ec2;
    const live = new Set<string>();
    for (const p of this.pods) live.add(p.key.containerId);
    return new Ipamd({
      sim: this.sim,
      ec2: api,
      principal: this.opts.principal ?? 'eks-node-role',
      imds: () => this.ec2.imds.enis(inst.instanceId),
      imdsSettled: () => this.ec2.imds.settled(inst.instanceId),
      instance: {
        instanceId: inst.instanceId,
        instanceType: inst.instanceType,
        vpcId: this.vpcId,
        az: inst.availabilityZone,
        primaryEniId: inst.primaryEniId,
        subnetId: inst.subnetId,
        privateIp: inst.privateIpAddress,
      },
      node: {
        name: this.nodeName,
        labels: this.labels,
        annotations: this.annotations,
        maxPods: this.maxPods,
        isCordoned: () => this.cordoned,
      },
      clusterName: this.env.CLUSTER_NAME ?? 'sim',
      cniVersion: this.opts.cniVersion ?? '1.23.1',
      env: this.env,
      eniConfigs: (name) => (this.opts.eniConfigsFor?.(this.subnetIds) ?? this.opts.eniConfigs ?? {})[name],
      ...(checkpoint !== undefined ? { checkpoint, sandboxExists: (id: string) => live.has(id) } : {}),
      ...(this.opts.onDecision !== undefined ? { onDecision: this.opts.onDecision } : {}),
      ...(this.opts.policy !== undefined ? { policy: this.opts.policy } : {}),
    });
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
