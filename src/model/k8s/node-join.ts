/**
 * Whether a new node's kubelet can reach the cluster's API server endpoint, from the endpoint access mode and the
 * route of the node's subnet — the truth table behind "Instances failed to join the kubernetes cluster":
 *
 *   endpoint access      | route igw + public IP | route igw, no public IP | route nat | no route out
 *   private              | joins                 | joins                   | joins     | joins
 *   public-and-private   | joins                 | joins                   | joins     | joins
 *   public               | joins                 | never                   | joins     | never
 *
 * A private endpoint is reached inside the VPC (its ENIs sit in the cluster's subnets), so the route does not matter.
 * A public-only endpoint is on the internet: the node needs a NAT gateway route, or an internet gateway route and a
 * public address (a subnet that maps public IPs on launch). Pure; not a model of security groups or VPC endpoints.
 */

export type EndpointAccess = 'public' | 'private' | 'public-and-private';
export type SubnetRoute = 'igw' | 'nat' | 'none';

export interface SubnetReach {
  subnetId: string;
  route: SubnetRoute;
  /** Instances get a public IPv4 address at launch (MapPublicIpOnLaunch). */
  public: boolean;
}

export type JoinResult = { ok: true; via: 'private-endpoint' | 'nat' | 'igw' } | { ok: false; reason: string };

export function canJoin(access: EndpointAccess, s: SubnetReach): JoinResult {
  if (access === 'private' || access === 'public-and-private') return { ok: true, via: 'private-endpoint' };
  if (s.route === 'nat') return { ok: true, via: 'nat' };
  if (s.route === 'igw' && s.public) return { ok: true, via: 'igw' };
  const why =
    s.route === 'igw'
      ? `subnet ${s.subnetId} routes to an internet gateway but gives instances no public IP address`
      : `subnet ${s.subnetId} has no route to a NAT gateway or an internet gateway`;
  return {
    ok: false,
    reason: `NodeCreationFailure: Instances failed to join the kubernetes cluster (the cluster endpoint is public only and ${why})`,
  };
}
