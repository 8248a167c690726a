/**
 * The run record: one collected account of a whole run — what each pod, node, ENI, datastore address and subnet was at
 * every instant, as timed changes, plus ipamd's decisions, EC2 call counts, the timeline, the actions, the expectations
 * and `kubectl describe` texts taken as the run went. The HTML report renders it (src/report/html), and `fold.ts` turns
 * it into the state at any time t. Plain JSON-safe data, compact tuples where there are many rows.
 * Not here: how it is gathered (recorder.ts), how it is drawn (src/report/html).
 */
import type { ExpectationResult } from '../../scenario/expectations.ts';
import type { ActionRecord } from '../types.ts';

export const RECORD_FORMAT = 'vpc-cni-sim/run-record@1';

/**
 * A waiting pod's describe text is taken again on a new event (a sandbox retry, say) once this long after the last
 * one, so the page's text is never much older than the time it shows (virtual ms).
 */
export const DESCRIBE_REFRESH_MS = 30_000;

export interface RecordSubnet {
  /** The scenario's name; `subnetId` is EC2's. */
  id: string;
  subnetId: string;
  cidr: string;
  az: string;
  tags: Record<string, string>;
  /** Addresses in the CIDR less AWS's five reserved ones. */
  usable: number;
  /** First instant it existed (0 for the scenario's own subnets). */
  t: number;
}

export interface RecordPod {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  createdAt: number;
}

export interface RecordNode {
  name: string;
  instanceType: string;
  az: string;
  subnet: string;
  maxPods: number;
  /** The instance type's ENI limit and IPv4 addresses per ENI (primary included), from the EC2 table. */
  eniLimit: number;
  ipv4PerEni: number;
  /** MAX_ENI and the datastore mode (sip, pd, ipv6) as ipamd's last start reported them. */
  maxEni?: number;
  mode?: string;
  /**
   * False for a node outside the record's sample (recorder.ts NODE_SAMPLE): its pods and address slots are not
   * recorded (a pod bound to it leaves the record); its STATUS and ENIs are.
   */
  sampled?: false;
}

/** One ENI as EC2 describes it at an instant: device index, id, subnet name, primary IP, secondary IPs or /28 prefixes. */
export type EniState = [device: number, eniId: string, subnet: string, primaryIp: string, secondaryIps: string[], prefixes: string[]];

/**
 * The pod's fields at an instant; `phase` null means the pod left the API server, or the record (bound to a node
 * outside its sample, `RecordNode.sampled`).
 */
export type PodChange = [t: number, pod: number, phase: string | null, ip: string | null, node: string | null, cause: string | null, ready: boolean];
/** A node's `kubectl get nodes` STATUS. */
export type NodeChange = [t: number, node: number, status: string];
/** A node's whole ENI list as EC2 has it. */
export type NodeEnisChange = [t: number, node: number, enis: EniState[]];
/**
 * One address in the node ipamd's datastore: `pod` index when assigned, or `-1` cooling until `until` (inclusive);
 * `null` when the datastore forgot it (reused, or its ENI left).
 */
export type SlotChange = [t: number, node: number, address: string, pod: number | null, until: number];
export type SubnetChange = [t: number, subnet: number, free: number];
/** Cumulative EC2 figures (every principal): calls, throttled attempts, errors. */
export type Ec2Change = [t: number, calls: number, throttled: number, errors: number];
export type DecisionRow = [t: number, node: number, kind: string, message: string];
export type HappeningRow = [t: number, kind: string, message: string];
/** The `--describe pod/NAME` text as it printed at t, as indices into `RunRecord.lines`. */
export type DescribeRow = [t: number, pod: number, lines: number[]];

export interface RunRecord {
  format: typeof RECORD_FORMAT;
  scenario: { name: string; file: string; description: string };
  seed: number;
  /** The scenario's planned end and the time the record reaches (ms). */
  duration: number;
  end: number;
  ipv6: boolean;
  /** The VPC's IPv4 blocks with the instant each was associated. */
  vpcBlocks: { cidr: string; t: number }[];
  subnets: RecordSubnet[];
  pods: RecordPod[];
  nodes: RecordNode[];
  changes: {
    pods: PodChange[];
    nodes: NodeChange[];
    enis: NodeEnisChange[];
    slots: SlotChange[];
    subnets: SubnetChange[];
    ec2: Ec2Change[];
  };
  decisions: DecisionRow[];
  happenings: HappeningRow[];
  describes: DescribeRow[];
  /** Every distinct line of the describe texts. */
  lines: string[];
  /** Set when the describe texts reached their size bound (recorder.ts DESCRIBE_BUDGET): none is taken after it. */
  describesStopped?: number;
  /**
   * Set when the pods, their changes, the address slots and the timeline lines reached their size bound (recorder.ts
   * DETAIL_BUDGET): none is recorded after it, so at later times they fold to their state at this time. Nodes, ENIs,
   * subnets, EC2 counts and decisions go on to the end.
   */
  detailStopped?: number;
  actions: ActionRecord[];
  expectations: ExpectationResult[];
}
