/**
 * The result of replaying a scenario, as plain serialisable data: what `--format json` prints and what the text
 * report renders. Built by collect.ts from the World's queries; no behaviour here.
 */
import type { ActionRecord } from '../scenario/actions/action.ts';
import type { ExpectationResult } from '../scenario/expectations.ts';

export interface ReportPod {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  node: string | null;
  /** `kubectl get pods` STATUS. */
  phase: string;
  ip: string | null;
  ready: boolean;
  deployment?: string;
  stuckCause?: string;
  createdAt: number;
  ipWaitMs?: number;
}

export interface ReportEni {
  id: string;
  /** EC2 subnet id and the scenario's name for it. */
  subnetId: string;
  subnet: string;
  deviceIndex: number;
  primary: boolean;
  primaryIp: string;
  secondaryIps: string[];
  prefixes: string[];
  ipv6Prefixes: string[];
}

export interface ReportNode {
  name: string;
  nodeGroup: string;
  instanceId: string;
  instanceType: string;
  subnetId: string;
  subnet: string;
  az: string;
  privateIp: string;
  maxPods: number;
  status: string;
  /** Pods bound to the node. */
  pods: number;
  enis: ReportEni[];
}

export interface ReportSubnet {
  /** The scenario's name; `subnetId` is EC2's. */
  id: string;
  subnetId: string;
  cidr: string;
  az: string;
  tags: Record<string, string>;
  availableIpAddressCount: number;
  route: string;
  public: boolean;
}

export interface TimelineEntry {
  t: number;
  text: string;
}

/** Why one pod is not Running: a cause label and the chain pod → node → pool → ipamd decisions → subnet. */
export interface StuckExplanation {
  pod: string;
  namespace: string;
  node?: string;
  status: string;
  cause: string;
  since?: number;
  chain: string[];
}

export interface PodDescribe {
  name: string;
  namespace: string;
  found: boolean;
  status?: string;
  node?: string;
  ip?: string;
  /** The `Events:` block. */
  events?: string;
  why?: StuckExplanation;
}

export type { ActionRecord };

export interface RunMetrics {
  simulatedEvents: number;
  pods: { total: number; running: number; notRunning: number; byStatus: Record<string, number>; stuckByCause: Record<string, number> };
  /** Scheduled → address, over every pod that got one (ms). */
  ipWaitMs: { count: number; p50: number | null; p99: number | null; max: number | null };
  addresses: { heldByNodes: number; usedByPods: number; unused: number };
  enis: number;
  ec2: { calls: number; throttledAttempts: number; errors: Record<string, number>; callsByAction: Record<string, number> };
}

export interface RunResult {
  scenario: { name: string; file: string; description: string };
  seed: number;
  /** Virtual time at which the report was taken (ms). */
  time: number;
  /** The scenario's planned end (ms). */
  duration: number;
  /** True when --until stopped the run before `duration`. */
  stoppedEarly: boolean;
  expectations: ExpectationResult[];
  actions: ActionRecord[];
  timeline: TimelineEntry[];
  pods: ReportPod[];
  nodes: ReportNode[];
  subnets: ReportSubnet[];
  stuck: StuckExplanation[];
  describes: PodDescribe[];
  metrics: RunMetrics;
  invariants?: { checks: number; failures: string[]; findings: string[] };
  /** Set when --trace wrote a file. */
  trace?: string;
}
