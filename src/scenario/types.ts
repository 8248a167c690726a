/**
 * A loaded scenario, as the runner sees it: the shape declared in spec.ts after validation (durations in ms, counts
 * as CountRange, defaults filled in by the loader). Types only.
 */
import type { Ec2OptionsInput } from '../model/ec2/options.ts';
import type { Action } from './actions/index.ts';
import type { CountRange } from './range.ts';
import type { POD_PHASES, STUCK_CAUSES } from './spec.ts';

export type PodPhase = (typeof POD_PHASES)[number];
export type StuckCause = (typeof STUCK_CAUSES)[number];
export type RouteKind = 'igw' | 'nat' | 'none';

export interface SubnetSpec {
  id: string;
  az: string;
  cidr: string;
  public: boolean;
  route: RouteKind;
  tags: Record<string, string>;
  externalUse: number;
}

export interface EniConfigEntry {
  name: string;
  subnet: string;
  securityGroups: string[];
}

export interface ClusterSpec {
  name: string;
  kubernetesVersion: string;
  ipFamily: 'ipv4' | 'ipv6';
  endpointAccess: 'public' | 'private' | 'public-and-private';
  vpcCni: { version: string; env: Record<string, string> };
  eniConfigs: EniConfigEntry[];
}

export interface NodeGroupSpec {
  name: string;
  instanceType: string;
  desiredCapacity: number;
  minSize: number;
  maxSize: number;
  subnets: string[];
  labels: Record<string, string>;
  maxPods?: number;
}

/** The `ec2:` section: Ec2OptionsInput (src/model/ec2/options.ts) one to one. */
export type Ec2Spec = Ec2OptionsInput;

/** A timeline step: inferred from the action declarations (actions/index.ts), not written out here. */
export type { Action, ActionKind } from './actions/index.ts';

export type Check =
  | { kind: 'pods'; selector?: string; namespace?: string; phase?: PodPhase; node?: string; ipIn?: string; ipFamily?: 'ipv4' | 'ipv6'; count: CountRange }
  | { kind: 'subnet'; id: string; available: CountRange }
  | { kind: 'enis'; node?: string; selector?: string; nodeGroup?: string; count: CountRange }
  | { kind: 'nodes'; selector?: string; ready?: boolean; count: CountRange }
  | { kind: 'stuck'; cause?: StuckCause; count: CountRange }
  | { kind: 'ec2'; code?: string; action?: string; count: CountRange };

export interface Expectation {
  at: number;
  description?: string;
  check: Check;
  index: number;
}

export interface Scenario {
  /** The file it came from. */
  file: string;
  name: string;
  description: string;
  seed: number;
  region: string;
  /** ms; when the run stops unless --until says otherwise. */
  duration: number;
  vpc: { cidrBlocks: string[]; ipv6: boolean };
  subnets: SubnetSpec[];
  cluster: ClusterSpec;
  nodeGroups: NodeGroupSpec[];
  ec2: Ec2Spec;
  deniedPermissions: string[];
  timeline: Action[];
  expect: Expectation[];
}
