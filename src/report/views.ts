/**
 * Collecting the views asked for with `--describe`, `--introspect`, `--metrics` and `--ipamd-log` from the World at
 * the end of the run (or at `--until`), as plain records (view-types.ts). The daemon's own views are what the node's
 * ipamd serves at that instant: introspection on :61679, Prometheus text on :61678/metrics, and its decisions as
 * ipamd.log lines. Not here: the layout (view-text.ts), pod/deployment/node describes (describe.ts).
 */
import type { World } from '../model/world.ts';
import { formatDuration } from '../util/duration.ts';
import { InputError } from '../util/input-error.ts';
import { collectDescribe, resolveNodes } from './describe.ts';
import { ipamdLogEntry } from './ipamd-log.ts';
import type { ViewRecord, ViewRequest } from './view-types.ts';

/** The node's running ipamd, or a one-line error saying why there is none to ask. */
function daemonOf(world: World, flag: string, query: string) {
  const node = resolveNodes(flag, query, world.nodes())[0];
  const d = world.ipamdOf(node.name);
  if (d === undefined) throw new InputError({ field: flag }, `${node.name} has no running aws-node at ${formatDuration(world.now)} (the node is not registered or aws-node is between restarts)`);
  return { node: node.name, d };
}

export function collectViews(world: World, requests: readonly ViewRequest[]): ViewRecord[] {
  const out: ViewRecord[] = [];
  for (const r of requests) {
    switch (r.kind) {
      case 'describe':
        out.push(...collectDescribe(world, r.resource, r.name));
        break;
      case 'describe-stuck':
        out.push(...collectDescribe(world, 'stuck', ''));
        break;
      case 'introspect': {
        const { node, d } = daemonOf(world, '--introspect', r.node);
        if (d.introspect === undefined) throw new InputError({ field: '--introspect' }, `the daemon on ${node} serves no introspection`);
        out.push({ kind: 'introspect', node, path: r.path, body: d.introspect(r.path) });
        break;
      }
      case 'metrics': {
        const { node, d } = daemonOf(world, '--metrics', r.node);
        out.push({ kind: 'metrics', node, text: d.metricsText() });
        break;
      }
      case 'ipamd-log': {
        // the log file outlives container restarts, so every daemon the node has run is in it
        const node = resolveNodes('--ipamd-log', r.node, world.nodes())[0].name;
        out.push({ kind: 'ipamd-log', node, entries: world.decisions(node).map(ipamdLogEntry) });
        break;
      }
    }
  }
  return out;
}
