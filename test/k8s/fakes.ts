/**
 * Test doubles for the Kubernetes layer: a cloud that launches instances with predictable ids and addresses, and an
 * ipamd with a fixed number of addresses per node that honours the checkpoint on restart. Enough to exercise the
 * scheduler, kubelet, aws-node and rollout without the EC2 and ipamd models.
 */
import type { SimEvent, Simulation } from '../../src/sim/index.ts';
import {
  ERR_NO_AVAILABLE_IP,
  ERR_UNKNOWN_POD,
  type AddResult,
  type Checkpoint,
  type DecisionRecord,
  type DelResult,
  type IpamdApi,
  type IpamdState,
  type IpamdStats,
  type PodKey,
} from '../../src/model/ipamd/types.ts';
import type { Happening, K8sHappening, LaunchResult, NodeCloud } from '../../src/model/k8s/cloud.ts';
import { Stream } from '../../src/util/stream.ts';
import type { SubnetRoute } from '../../src/model/k8s/node-join.ts';
import { Cluster, type ClusterConfig } from '../../src/model/k8s/cluster.ts';
import type { Node } from '../../src/model/k8s/types.ts';

export interface FakeSubnet {
  id: string;
  az: string;
  route: SubnetRoute;
  public: boolean;
  /** Third octet of the addresses handed out. */
  octet: number;
}

export class FakeCloud implements NodeCloud {
  private n = 0;
  readonly terminated: string[] = [];
  constructor(
    private readonly sim: Simulation,
    readonly subnets: FakeSubnet[],
  ) {}

  runInstance(p: { nodeGroup: string; instanceType: string; subnetId: string }): SimEvent<LaunchResult> {
    const s = this.subnets.find((x) => x.id === p.subnetId)!;
    const i = ++this.n;
    return this.sim.timeout<LaunchResult>(1000, {
      ok: true,
      instance: { instanceId: `i-${String(i).padStart(17, '0')}`, privateIp: `10.0.${s.octet}.${10 + i}`, subnetId: s.id, az: s.az },
    });
  }

  instanceRunning(): boolean {
    return true;
  }

  terminateInstance(id: string): void {
    this.terminated.push(id);
  }

  subnet(id: string) {
    const s = this.subnets.find((x) => x.id === id);
    return s === undefined ? undefined : { subnetId: s.id, az: s.az, route: s.route, public: s.public };
  }
}

export interface FakeIpamdOptions {
  /** Addresses per node. */
  capacity: number;
  startMs: number;
  /** Env key that makes start fail (e.g. BROKEN=true). */
  failWhen?: (env: Record<string, string>) => string | undefined;
}

export class FakeIpamd implements IpamdApi {
  state: IpamdState = 'starting';
  failure: string | undefined;
  readonly settled: SimEvent<IpamdState>;
  stopped = false;
  terminatingCalled = false;
  readonly adds: PodKey[] = [];
  private readonly assigned = new Map<string, { key: PodKey; ip: string }>();
  private readonly free: string[] = [];

  constructor(
    private readonly sim: Simulation,
    readonly node: Node,
    readonly env: Record<string, string>,
    private readonly restored: Checkpoint | undefined,
    private readonly o: FakeIpamdOptions,
  ) {
    this.settled = sim.event<IpamdState>();
    const base = node.privateIp.split('.').slice(0, 3).join('.');
    for (let i = 0; i < o.capacity; i++) this.free.push(`${base}.${100 + i}`);
  }

  start(): void {
    this.sim.schedule(this.o.startMs, () => {
      const f = this.o.failWhen?.(this.env);
      if (f !== undefined) {
        this.state = 'failed';
        this.failure = f;
        this.settled.succeed('failed');
        return;
      }
      for (const a of this.restored?.allocations ?? []) {
        const ip = a.ipv4!;
        this.free.splice(this.free.indexOf(ip), 1);
        this.assigned.set(a.containerID, { key: { namespace: a.metadata.k8sPodNamespace, name: a.metadata.k8sPodName, containerId: a.containerID }, ip });
      }
      this.state = 'ready';
      this.settled.succeed('ready');
    });
  }

  addNetwork(pod: PodKey): AddResult {
    this.adds.push(pod);
    if (this.stopped) throw new Error('add on a stopped ipamd');
    const ip = this.free.shift();
    if (ip === undefined) return { ok: false, error: ERR_NO_AVAILABLE_IP };
    this.assigned.set(pod.containerId, { key: pod, ip });
    return { ok: true, ip, eniId: 'eni-fake' };
  }

  delNetwork(pod: PodKey): DelResult {
    const a = this.assigned.get(pod.containerId);
    if (a === undefined) return { ok: false, error: ERR_UNKNOWN_POD };
    this.assigned.delete(pod.containerId);
    this.free.push(a.ip);
    return { ok: true, ip: a.ip };
  }

  stop(): void {
    this.stopped = true;
  }

  terminating(): void {
    this.terminatingCalled = true;
  }

  checkpoint(): Checkpoint {
    return {
      version: 'vpc-cni-ipam/1',
      allocations: [...this.assigned.values()].map((a) => ({
        networkName: 'aws-cni',
        containerID: a.key.containerId,
        ifName: 'eth0',
        ipv4: a.ip,
        allocationTimestamp: 0,
        metadata: { k8sPodNamespace: a.key.namespace, k8sPodName: a.key.name },
      })),
    };
  }

  introspectEnis(): object {
    return {};
  }
  metricsText(): string {
    return '';
  }
  stats(): IpamdStats {
    const n = this.assigned.size;
    return { totalIps: this.o.capacity, assignedIps: n, cooldownIps: 0, availableIps: this.o.capacity - n, enis: 1, prefixes: 0, freePrefixes: 0, secondaryIps: this.o.capacity, maxPods: 0, maxEnis: 1, mode: 'sip' };
  }
  holdings() {
    return { totalIps: this.o.capacity, assignedIps: this.assigned.size, enis: 1 };
  }
  decisions(): DecisionRecord[] {
    return [];
  }
}

export const SUBNETS: FakeSubnet[] = [
  { id: 'subnet-a', az: 'us-west-2a', route: 'nat', public: false, octet: 1 },
  { id: 'subnet-b', az: 'us-west-2b', route: 'nat', public: false, octet: 2 },
  { id: 'subnet-c', az: 'us-west-2c', route: 'nat', public: false, octet: 3 },
];

export interface Harness {
  sim: Simulation;
  cloud: FakeCloud;
  cluster: Cluster;
  ipamds: FakeIpamd[];
  happenings: Happening[];
}

export function makeCluster(
  sim: Simulation,
  over: Partial<ClusterConfig> & { capacity?: number; failWhen?: FakeIpamdOptions['failWhen']; subnets?: FakeSubnet[] } = {},
): Harness {
  const cloud = new FakeCloud(sim, over.subnets ?? SUBNETS);
  const ipamds: FakeIpamd[] = [];
  const happenings: Happening[] = [];
  const stream = new Stream<K8sHappening>();
  stream.subscribe((h) => {
    if (h.type === 'timeline') happenings.push(h.entry);
  });
  const config: ClusterConfig = {
    name: 'test',
    kubernetesVersion: '1.30',
    region: 'us-west-2',
    endpointAccess: 'public-and-private',
    awsNodeEnv: { WARM_ENI_TARGET: '1' },
    nodeGroups: [{ name: 'ng', instanceType: 'm6a.large', subnetIds: ['subnet-a', 'subnet-b'], desired: 2, maxPods: 29, labels: {} }],
    coreDnsReplicas: 0,
    ...over,
  };
  const cluster = new Cluster(config, {
    sim,
    cloud,
    happenings: stream,
    ipamdFactory: ({ node, env, checkpoint }) => {
      const d = new FakeIpamd(sim, node, env, checkpoint, { capacity: over.capacity ?? 100, startMs: 3000, failWhen: over.failWhen });
      ipamds.push(d);
      return d;
    },
  });
  return { sim, cloud, cluster, ipamds, happenings };
}

export function deployment(name: string, replicas: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [{ name, image: 'public.ecr.aws/eks-distro/kubernetes/pause:3.7', resources: { requests: { cpu: '1m' } } }],
          ...extra,
        },
      },
    },
  };
}
