/**
 * The configuration warnings of a run, so nothing is silently ignored: every env value ipamd could not use and fell
 * back from (its `config-warning` decisions, one line per distinct warning with the nodes that logged it, as
 * `warm-pool` prints them) and every env key of the scenario that ipamd does not read. Reads the World's decision
 * log and the scenario; decides nothing.
 */
import { parseConfig, unknownEnvKeys } from '../model/ipamd/config.ts';
import type { World } from '../model/world.ts';
import type { Scenario } from '../scenario/types.ts';
import { shortNode } from '../model/k8s/names.ts';

export function configWarnings(world: World, s: Scenario): string[] {
  const out: string[] = [];
  for (const k of unknownEnvKeys(s.cluster.vpcCni.env)) out.push(`cluster.vpcCni.env.${k} is not read by ipamd (ignored, as the real container ignores it)`);
  const byMessage = new Map<string, Set<string>>();
  for (const d of world.decisions()) {
    if (d.kind !== 'config-warning' || typeof d.data?.key !== 'string') continue;
    const nodes = byMessage.get(d.message) ?? new Set<string>();
    nodes.add(shortNode(d.node));
    byMessage.set(d.message, nodes);
  }
  // a setting no node has started with yet still warns, from the scenario's env
  if (byMessage.size === 0) for (const w of parseConfig(s.cluster.vpcCni.env).warnings) byMessage.set(`${w.key}="${w.value}": ${w.reason}`, new Set());
  for (const [msg, nodes] of byMessage) {
    const where = nodes.size === 0 ? '' : ` (aws-node on ${nodes.size <= 3 ? [...nodes].join(', ') : `${nodes.size} nodes`})`;
    out.push(`ipamd: ${msg}${where}`);
  }
  return out;
}
