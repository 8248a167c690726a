/**
 * The datastore's records (spec §3.1): the IPAMKey, an address, a CIDR of the pool and its kind, an ENI with its
 * tallies, the datastore's mode and GetIPStats' answer, and the read-only view of it all that readers outside the
 * daemon get. Types and one constant only: the datastore that keeps them is datastore.ts.
 */
export const NETWORK_NAME = 'aws-cni';

/** IPAMKey (§3.1): network name, container (sandbox) id, interface name. */
export interface IpamKey {
  networkName: string;
  containerId: string;
  ifName: string;
}

export interface AddressInfo {
  address: string;
  key?: IpamKey;
  pod?: { namespace: string; name: string };
  /** Virtual ms. */
  assignedAt?: number;
  unassignedAt?: number;
}

/** The kinds of pool CIDR: secondary IPv4 /32s (SIP), IPv4 /28 prefixes (PD), IPv6 /80s (§3.2); a mode uses one. */
export type CidrKind = 'secondary' | 'prefix' | 'v6';

export interface CidrInfo {
  cidr: string;
  kind: CidrKind;
  isPrefix: boolean;
  /** IPv4: network address as a number; IPv6 /80 base as bigint in `v6Base`. */
  base: number;
  size: number;
  v6Base?: bigint;
  /** Addresses ever handed out and not purged (assigned, or unassigned and remembered for cooldown). */
  addresses: Map<string, AddressInfo>;
  assigned: number;
  /** Unassigned addresses in cooldown, as of the datastore's latest `expire`. */
  cooling: number;
  /** Whether assign can take an address from it (see `canAssignFrom`), as of its latest change or `expire`. */
  assignable: boolean;
  /** The ENI whose tallies count this CIDR; undefined once the CIDR or the ENI left the datastore. */
  countedIn?: DsEni;
}

/** Sums over CIDRs of one kind. */
export interface KindTally {
  cidrs: number;
  /** Sum of the CIDRs' sizes. */
  addresses: number;
  assigned: number;
  cooling: number;
  /** CIDRs with an address assign may hand out (never handed out, or released and out of cooldown). */
  assignable: number;
  /** CIDRs with nothing assigned. */
  empty: number;
}

export type Tally = Record<CidrKind, KindTally>;

export interface DsEni {
  id: string;
  primary: boolean;
  trunk: boolean;
  efa: boolean;
  deviceNumber: number;
  subnetId: string;
  /** Flipped directly by eni-setup.ts; the datastore's pool tally follows (an accessor). */
  excluded: boolean;
  /** When the ENI entered this datastore (virtual ms); resets on restart (§10). */
  createTime: number;
  cidrs: Map<string, CidrInfo>;
  v6Cidrs: Map<string, CidrInfo>;
  /** Over `cidrs` and `v6Cidrs`, kept by the datastore. */
  readonly tally: Tally;
}

/** What a caller says about a new ENI. */
export type DsEniInit = Omit<DsEni, 'cidrs' | 'v6Cidrs' | 'tally'>;

export type DsMode = 'sip' | 'pd' | 'ipv6';

/**
 * The datastore as readers outside the daemon see it (`Ipamd.datastoreView()`): the live structure, typed read-only
 * all the way down, so checking it costs no copy and cannot change it. The `Datastore` class satisfies it as is.
 */
export interface AddressView {
  readonly address: string;
  readonly key?: Readonly<IpamKey>;
  readonly pod?: Readonly<{ namespace: string; name: string }>;
  readonly assignedAt?: number;
  readonly unassignedAt?: number;
}

export interface CidrView {
  readonly cidr: string;
  readonly isPrefix: boolean;
  readonly base: number;
  readonly size: number;
  readonly v6Base?: bigint;
  readonly addresses: ReadonlyMap<string, AddressView>;
  readonly assigned: number;
}

/** A DsEni's own fields, read-only, with its CIDRs as views (its tallies are the datastore's business). */
export interface DsEniView extends Readonly<DsEniInit> {
  readonly cidrs: ReadonlyMap<string, CidrView>;
  readonly v6Cidrs: ReadonlyMap<string, CidrView>;
}

export interface DatastoreView {
  readonly mode: DsMode;
  readonly cooldownMs: number;
  readonly enis: ReadonlyMap<string, DsEniView>;
}

export interface DsStats {
  totalIps: number;
  assignedIps: number;
  cooldownIps: number;
  totalPrefixes: number;
}
