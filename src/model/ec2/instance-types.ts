/**
 * EC2 instance-type facts the CNI needs: ENIs per instance (default network card), IPv4 addresses per ENI,
 * hypervisor, bare metal, network cards. All 1391 types, from the VPC CNI's generated limits table
 * (aws/amazon-vpc-cni-k8s pkg/vpc/vpc_ip_resource_limit.go at commit b52188387f2e2f10bf289ace929d6a63b176a4fa),
 * shipped in data/instance-types.json. No vCPU counts: that table has none (see max-pods).
 */
import { editDistance } from '../../util/suggest.ts';
import table from './data/instance-types.json' with { type: 'json' };

export interface NetworkCard {
  index: number;
  maxEnis: number;
}

export interface InstanceType {
  name: string;
  /** ENILimit: ENIs on the default network card. */
  enis: number;
  /** IPv4Limit: IPv4 addresses per ENI, the primary included. */
  ipv4PerEni: number;
  hypervisor: 'nitro' | 'xen' | 'unknown';
  bareMetal: boolean;
  defaultNetworkCard: number;
  networkCards: NetworkCard[];
}

type Row = Omit<InstanceType, 'name'>;
const rows = (table as { instanceTypes: Record<string, Row> }).instanceTypes;

export const INSTANCE_TYPE_SOURCE: string = (table as { source: string }).source;

/** Every known type name, sorted. */
export const instanceTypeNames: readonly string[] = Object.keys(rows).sort();

export function findInstanceType(name: string): InstanceType | undefined {
  const row = Object.prototype.hasOwnProperty.call(rows, name) ? rows[name] : undefined;
  return row === undefined ? undefined : { name, ...row };
}

/** Prefix delegation works on Nitro and on bare metal (ipamd's rule, spec §5; the calculator wants Nitro only). */
export function supportsPrefixDelegation(t: InstanceType): boolean {
  return t.hypervisor === 'nitro' || t.bareMetal;
}

/**
 * Known names nearest to `name` by edit distance (case-insensitive), when near enough to be a typo: every name at
 * the best distance, at most 3. For "did you mean" messages.
 */
export function suggestInstanceTypes(name: string): string[] {
  const q = name.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(q.length / 3)));
  let best = Infinity;
  let out: string[] = [];
  for (const n of instanceTypeNames) {
    const d = editDistance(q, n, Math.min(best, limit));
    if (d < best) {
      best = d;
      out = [n];
    } else if (d === best && out.length < 3) {
      out.push(n);
    }
  }
  return best <= limit ? out : [];
}

/** " (did you mean a or b?)" for an unknown instance type, or "" when nothing is near. */
export function instanceTypeHint(name: string): string {
  const near = suggestInstanceTypes(name);
  return near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : '';
}
