/**
 * The result of replaying a scenario, as plain serialisable data: what `--format json` prints and what the text
 * report renders. Built by collect.ts from the World's queries; no behaviour here.
 */
import type { ActionRecord } from '../scenario/actions/action.ts';
import type { ExpectationResult } from '../scenario/expectations.ts';
import type { ViewRecord } from './view-types.ts';

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
  /** RESTARTS (aws-node's crash restarts) and when the last restarted container exited; absent when none. */
  restarts?: number;
  lastRestartAt?: number;
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
  /** When it happened; for a folded line, its last happening. */
  t: number;
  /** A folded line's first happening (the span is from–t). */
  from?: number;
  text: string;
}

import type { StuckExplanation } from './explanation.ts';
export type { StuckExplanation };

export type { ActionRecord };

export interface RunMetrics {
  simulatedEvents: number;
  pods: { total: number; running: number; notRunning: number; byStatus: Record<string, number>; stuckByCause: Record<string, number> };
  /**
   * Scheduled → address (ms) over every pod that asked ipamd for one (host-network pods left out): `waiting` of the
   * `count` still wait and count with their wait so far; `atLeast` marks a figure that is only a lower bound.
   */
  ipWaitMs: { count: number; waiting: number; p50: number | null; p99: number | null; max: number | null; atLeast: { p50: boolean; p99: boolean; max: boolean } };
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
  /** ipamd configuration warnings and env keys it does not read (warnings.ts). */
  warnings: string[];
  actions: ActionRecord[];
  timeline: TimelineEntry[];
  pods: ReportPod[];
  nodes: ReportNode[];
  subnets: ReportSubnet[];
  /** The same subnets and every ENI in the VPC in the AWS CLI's JSON shape (aws-shapes.ts). */
  describeSubnets: { Subnets: Record<string, unknown>[] };
  describeNetworkInterfaces: { NetworkInterfaces: Record<string, unknown>[] };
  stuck: StuckExplanation[];
  /** What `--describe`, `--introspect`, `--metrics` and `--ipamd-log` asked for (view-types.ts). */
  views: ViewRecord[];
  metrics: RunMetrics;
  invariants?: { checks: number; failures: string[]; findings: string[] };
  /** Set when --trace wrote a file. */
  trace?: string;
}
