/**
 * The views a user can ask `run` for besides the report — `--describe`, `--introspect`, `--metrics`, `--ipamd-log` —
 * as requests (parsed from flags) and as the records collected from the World at the end of the run (plain data that
 * `--format json` prints as it is and view-text.ts renders). No behaviour here.
 */
import type { StuckExplanation } from './explanation.ts';

export type IntrospectPath = '/' | '/v1/enis' | '/v1/eni-configs' | '/v1/networkutils-env-settings' | '/v1/ipamd-env-settings';

export type ViewRequest =
  | { kind: 'describe'; resource: 'pod' | 'deployment' | 'node'; name: string }
  | { kind: 'describe-stuck' }
  | { kind: 'introspect'; node: string; path: IntrospectPath }
  | { kind: 'metrics'; node: string }
  | { kind: 'ipamd-log'; node: string };

export interface ContainerDescribe {
  name: string;
  image: string;
  state: 'Waiting' | 'Running' | 'Terminated';
  /** Waiting's reason (`ContainerCreating`). */
  reason?: string;
  /** Running since (virtual ms). */
  startedAt?: number;
  ready: boolean;
  restartCount: number;
}

/** `kubectl describe pod`, field by field. */
export interface PodDescribe {
  name: string;
  namespace: string;
  node?: string;
  nodeIp?: string;
  /** `Start Time` (scheduled), virtual ms. */
  startTime?: number;
  labels: Record<string, string>;
  /** The pod phase (`Pending` for a pod in ContainerCreating), or `Terminating` with `deletedAt`. */
  status: string;
  deletedAt?: number;
  gracePeriodSeconds?: number;
  ip?: string;
  /** `ReplicaSet/…` or `DaemonSet/…`; absent for a bare Pod (kubectl then prints no Controlled By line). */
  controlledBy?: string;
  containers: ContainerDescribe[];
  conditions: { type: string; status: 'True' | 'False' }[];
  qosClass: 'BestEffort' | 'Burstable';
  hostNetwork: boolean;
  /** The `Events:` block as kubectl prints it. */
  events: string;
  /** Our addition after kubectl's output: why it is not Running. */
  why?: StuckExplanation;
}

/** `kubectl describe deployment`, the fields the model has. */
export interface DeploymentDescribe {
  name: string;
  namespace: string;
  selector: Record<string, string>;
  replicas: { desired: number; updated: number; total: number; available: number; unavailable: number };
  template: { labels: Record<string, string>; containers: { name: string; image: string }[] };
  newReplicaSet?: string;
  podsByStatus: Record<string, number>;
}

/** `kubectl describe node`, the fields the model has, then ipamd's pool on it. */
export interface NodeDescribe {
  name: string;
  labels: Record<string, string>;
  unschedulable: boolean;
  taints: string[];
  ready: boolean;
  notReadyReason?: string;
  internalIp: string;
  providerId: string;
  instanceType: string;
  maxPods: number;
  nonTerminatedPods: { namespace: string; name: string; age: number }[];
  awsNode?: { state: string; restarts: number; lastFailure?: string };
  enis: { id: string; deviceIndex: number; subnet: string; primaryIp: string; addresses: number; prefixes: number; assigned?: number }[];
  pool?: { totalIps: number; assignedIps: number; cooldownIps: number; maxEnis: number; mode: string };
}

/** One line of ipamd.log as zap's production JSON encoder writes it. */
export interface IpamdLogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  /** ISO8601 with milliseconds (`zapcore.ISO8601TimeEncoder`). */
  ts: string;
  caller: string;
  msg: string;
}

export type ViewRecord =
  | { kind: 'describe-pod'; pod: PodDescribe }
  | { kind: 'describe-deployment'; deployment: DeploymentDescribe }
  | { kind: 'describe-node'; node: NodeDescribe }
  | { kind: 'describe-stuck'; time: number; groups: { cause: string; status: string; pods: string[]; example: StuckExplanation }[] }
  | { kind: 'introspect'; node: string; path: IntrospectPath; body: unknown }
  | { kind: 'metrics'; node: string; text: string }
  | { kind: 'ipamd-log'; node: string; entries: IpamdLogEntry[] };
