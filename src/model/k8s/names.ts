/**
 * Generated Kubernetes names, drawn from seeded streams so that a seed always gives the same names:
 *   - ReplicaSet pod names `<deployment>-<pod-template-hash>-<suffix>`: the hash is 10 characters and the suffix 5,
 *     both from apimachinery's alphabet without vowels (`utilrand.String`, `rand.SafeEncodeString`);
 *   - DaemonSet pod names `<daemonset>-<suffix>`;
 *   - containerd sandbox ids (64 hex digits);
 *   - EC2 private DNS node names `ip-10-0-1-23.<region>.compute.internal` (us-east-1: `ec2.internal`).
 * Pure functions of a `Random`; no stream naming policy lives here.
 */
import type { Random } from '../../sim/index.ts';

/** apimachinery `util/rand` alphabet: no vowels, no 0/1/3, so names never spell words or look alike. */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomString(r: Random, n: number): string {
  return randomChars(r, NAME_ALPHABET, n);
}

/**
 * Character codes of the string being drawn, one buffer per length (reused: one flat string per draw, not one string
 * per character; and a pod's 5- and 64-character draws never resize a buffer).
 */
const buffers: number[][] = [];

/** `n` characters drawn uniformly from `alphabet`, one draw each, in order. */
function randomChars(r: Random, alphabet: string, n: number): string {
  const codes = (buffers[n] ??= new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) codes[i] = alphabet.charCodeAt(r.int(alphabet.length));
  return String.fromCharCode(...codes);
}

/** A pod-template-hash as a Deployment's ReplicaSet carries it (10 characters). */
export function templateHash(r: Random): string {
  return randomString(r, 10);
}

/** The 5-character suffix `generateName` adds to a pod name. */
export function podSuffix(r: Random): string {
  return randomString(r, 5);
}

/** A sandbox (pod infra container) id as containerd prints it. */
export function sandboxId(r: Random): string {
  return randomChars(r, '0123456789abcdef', 64);
}

/** The EC2 private DNS name a kubelet registers under (`ip-10-0-1-23.us-west-2.compute.internal`). */
export function nodeNameFor(privateIp: string, region: string): string {
  const host = 'ip-' + privateIp.replace(/\./g, '-');
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/** The host part of a node name (`ip-10-0-1-23.us-west-2.compute.internal` → `ip-10-0-1-23`), as reports show it. */
export function shortNode(name: string): string {
  return name.replace(/\.[a-z0-9-]+\.compute\.internal$/, '').replace(/\.ec2\.internal$/, '');
}
