/**
 * Address helpers shared by the checkers: the addresses an ENI stands for, as numbers, and the slots it uses.
 * Only what the checks need; the real arithmetic lives in src/model/vpc/ipv4.ts.
 */
import type { EniFacts } from './view.ts';

/** Every IPv4 address an ENI holds in EC2: primary, secondaries and the 16 of each /28 prefix. */
export function eniAddresses(e: EniFacts): number[] {
  const out = [e.primaryIp, ...e.secondaryIps];
  for (const p of e.prefixes) for (let i = 0; i < 16; i++) out.push(p + i);
  return out;
}

/** Addresses an ENI holds, counted without listing them. */
export function eniAddressCount(e: EniFacts): number {
  return 1 + e.secondaryIps.length + 16 * e.prefixes.length;
}

/** The slots an ENI uses against IPv4Limit − 1 (secondary IPs and prefixes share them, spec §5). */
export function eniSlots(e: EniFacts): number {
  return e.secondaryIps.length + e.prefixes.length;
}
