/**
 * The one stream of what happens in a World, declared once: EC2 calls and instance changes (ec2/happenings.ts), ipamd
 * decisions, the Kubernetes layer's timeline lines, started pods and Kubernetes events on pods and nodes (k8s/cloud.ts,
 * k8s/events.ts), which pods and nodes changed (k8s/cloud.ts), which node's datastore changed, ENI lines derived from
 * EC2 and ipamd (timeline.ts), timeline actions, and metric samples a sampler takes. `World.happenings` carries it; the
 * timeline, the decision log, the trace, the checkers' memory, benchmark samplers and tests subscribe to it.
 * Also here: what the text report's timeline and the NDJSON trace make of each happening.
 * Not here: who emits them (each layer, where the thing happens) or the report's condensing (src/report/timeline.ts).
 */
import type { TraceRecord, Tracer } from '../../sim/index.ts';
import type { Ec2Happening } from '../ec2/happenings.ts';
import type { DecisionRecord, IpamdApi } from '../ipamd/types.ts';
import type { Happening, K8sHappening } from '../k8s/cloud.ts';

/** Figures a sampler reads off the whole fleet at one instant (`World.sample`). */
export interface FleetSample {
  /** Addresses the ready daemons hold (secondary IPs, 16 per prefix). */
  held: number;
  /** Of those, assigned to pods. */
  used: number;
  /** ENIs of the ready daemons. */
  enis: number;
  /** Free addresses (AvailableIpAddressCount) summed over the subnets asked about. */
  subnetFree: number;
}

export type WorldHappening =
  | Ec2Happening
  | K8sHappening
  /** `daemon` is the node's ipamd that decided (one per container start); undefined while it is being built. */
  | { type: 'decision'; record: DecisionRecord; daemon: IpamdApi | undefined }
  /** The node ipamd's datastore changed (ENIs, addresses, assignments, cooldowns, excluded flags, mode). */
  | { type: 'datastore'; t: number; node: string }
  /** A scenario action, shown as the command a user would type. */
  | { type: 'action'; t: number; command: string; ok: boolean; message: string }
  | ({ type: 'sample'; t: number } & FleetSample);

/** The text timeline's line for a happening, if it makes one (lines, ENI changes, actions). */
export function timelineEntry(h: WorldHappening): Happening | undefined {
  if (h.type === 'timeline') return h.entry;
  if (h.type === 'action') return { t: h.t, kind: h.ok ? 'action' : 'action-failed', message: `$ ${h.command}${h.message === '' ? '' : `\n${h.message}`}` };
  return undefined;
}

/** The types the trace writes. */
export const TRACED: ReadonlyArray<WorldHappening['type']> = ['ec2-call', 'instance', 'decision', 'pod-running', 'timeline', 'action'];

/**
 * Writes a happening as NDJSON trace records, `{"t":…,"kind":…,…}` with the fields spread after the kind (a field
 * named `t` or `kind` overrides it, as the trace always did): EC2 attempts (`ec2`), instance changes
 * (`ec2.instance`), decisions (`ipamd.decision`, whose own kind shows), timeline lines (`timeline`, likewise) and
 * started workload pods (`pod-running`). Samples (a sampler's cadence is not part of the run) and Kubernetes events
 * (`describe` shows them) are not traced.
 */
export function traceHappening(tracer: Tracer, now: number, h: WorldHappening): void {
  const write = (kind: string, fields: Record<string, unknown>) => tracer.write({ t: now, kind, ...fields } as TraceRecord);
  switch (h.type) {
    case 'ec2-call':
      return write('ec2', { call: h.call, action: h.action, principal: h.principal, attempt: h.attempt, result: h.result });
    case 'instance':
      return write('ec2.instance', { instanceId: h.instanceId, state: h.state });
    case 'decision': {
      const r = h.record;
      return write('ipamd.decision', { node: r.node, kind: r.kind, message: r.message, ...(r.data === undefined ? {} : { data: r.data }) });
    }
    case 'pod-running':
      return write('pod-running', { pod: h.pod, node: h.node, ip: h.ip });
    case 'timeline':
    case 'action':
      return write('timeline', { ...timelineEntry(h) });
    default:
      return;
  }
}
