/**
 * Kubernetes events for one object, recorded the way client-go's EventCorrelator does (tools/record/events_cache.go),
 * and printed the way `kubectl describe` prints them:
 *   - dedupe: an event identical to an earlier one (same source, type, reason, message) only bumps its count and
 *     last timestamp;
 *   - aggregation: once 10 distinct messages with the same source/type/reason arrive within 10 minutes, further ones
 *     become one event "(combined from similar events): <latest message>" whose count grows — this is why a pod
 *     retrying its sandbox shows a few single FailedCreatePodSandBox lines and then one "(x12 over 2m5s)" line;
 *   - the describe view drops events older than the API server's 1 h event TTL.
 * Not modelled: the spam filter's token bucket (it keys on the message too, so sandbox retries never trip it).
 */

import type { Sink } from '../../util/stream.ts';

export type EventType = 'Normal' | 'Warning';

/** The object an event is about, as `kubectl get events` names it. */
export interface InvolvedObject {
  kind: 'Pod' | 'Node';
  namespace?: string;
  name: string;
}

/** A Kubernetes event as it is recorded (before dedupe and aggregation shape what `describe` shows). */
export interface K8sEventHappening {
  type: 'k8s-event';
  t: number;
  object: InvolvedObject;
  eventType: EventType;
  reason: string;
  from: string;
  message: string;
}

export interface K8sEvent {
  type: EventType;
  reason: string;
  /** The reporting component as kubectl prints it: `kubelet`, `default-scheduler`, `replicaset-controller`. */
  from: string;
  message: string;
  count: number;
  /** Virtual ms. */
  firstTimestamp: number;
  lastTimestamp: number;
}

/** client-go defaults (`defaultAggregateMaxEvents`, `defaultAggregateIntervalInSeconds`). */
export const AGGREGATE_MAX_EVENTS = 10;
export const AGGREGATE_INTERVAL_MS = 600_000;
/** kube-apiserver `--event-ttl` default. */
export const EVENT_TTL_MS = 3_600_000;
export const COMBINED_PREFIX = '(combined from similar events): ';

/**
 * The events of one source, type and reason once they have had two messages: client-go's aggregation record (the
 * distinct messages of the current window) and the one "(combined from similar events)" event, once there is one.
 */
interface SimilarEvents {
  from: string;
  type: EventType;
  reason: string;
  /** Distinct messages of the window, oldest first (client-go keeps a set; it never holds more than ten). */
  messages: string[];
  /** Last event of the window. */
  last: number;
  combined: K8sEvent | undefined;
}

/** A bit per reason, in the order reasons are first recorded anywhere; reasons past the 31st share the last bit. */
const reasonBits = new Map<string, number>();

function reasonBit(reason: string): number {
  let bit = reasonBits.get(reason);
  if (bit === undefined) reasonBits.set(reason, (bit = 1 << Math.min(reasonBits.size, 30)));
  return bit;
}

/**
 * The events of one involved object (a pod, a node). Every pod ever created keeps its log, so it is kept small: an
 * object has a handful of events, and lookups scan them. Most reasons only ever have one message; such a reason
 * needs no aggregation record, as its one event holds the window's only message and its last time.
 */
export class EventLog {
  readonly events: K8sEvent[] = [];
  /** Made on the first reason with a second message (most logs never have one). */
  private similar: SimilarEvents[] | undefined;
  /** reasonBit of every reason recorded: an event of a new reason is added without a look at the others. */
  private reasons = 0;
  /** Where each recorded event is told, once `tell` is called (the World's stream). */
  private sink: Sink<K8sEventHappening> | undefined;
  private object: InvolvedObject | undefined;

  /** Tells every event recorded from now on to `sink`, as about `object` (when the sink wants them). */
  tell(sink: Sink<K8sEventHappening>, object: InvolvedObject): void {
    this.sink = sink;
    this.object = object;
  }

  record(now: number, type: EventType, reason: string, from: string, message: string): void {
    const sink = this.sink;
    if (sink !== undefined && sink.wants('k8s-event')) sink.emit({ type: 'k8s-event', t: now, object: this.object!, eventType: type, reason, from, message });
    const bit = reasonBit(reason);
    if ((this.reasons & bit) === 0) {
      this.reasons |= bit;
      this.add(now, type, reason, from, message);
      return;
    }
    let agg = this.similarTo(from, type, reason);
    if (agg === undefined) {
      const only = this.find(from, type, reason, undefined);
      if (only === undefined) {
        this.add(now, type, reason, from, message);
        return;
      }
      if (only.message === message) {
        bump(only, now, message);
        return;
      }
      agg = { from, type, reason, messages: [only.message], last: only.lastTimestamp, combined: undefined };
      (this.similar ??= []).push(agg);
    }
    if (now - agg.last > AGGREGATE_INTERVAL_MS) agg.messages = [message];
    else if (!agg.messages.includes(message)) agg.messages.push(message);
    agg.last = now;
    if (agg.messages.length < AGGREGATE_MAX_EVENTS) {
      const seen = this.find(from, type, reason, message, agg.combined);
      if (seen === undefined) this.add(now, type, reason, from, message);
      else bump(seen, now, message);
      return;
    }
    // client-go keeps the set from growing past the limit
    agg.messages.shift();
    const text = COMBINED_PREFIX + message;
    if (agg.combined !== undefined) bump(agg.combined, now, text);
    else agg.combined = this.add(now, type, reason, from, text);
  }

  private add(now: number, type: EventType, reason: string, from: string, message: string): K8sEvent {
    const ev: K8sEvent = { type, reason, from, message, count: 1, firstTimestamp: now, lastTimestamp: now };
    this.events.push(ev);
    return ev;
  }

  private similarTo(from: string, type: EventType, reason: string): SimilarEvents | undefined {
    if (this.similar === undefined) return undefined;
    for (const s of this.similar) if (s.reason === reason && s.type === type && s.from === from) return s;
    return undefined;
  }

  /** The first event of this source, type and reason (with this message, if given), the combined one excepted. */
  private find(from: string, type: EventType, reason: string, message: string | undefined, combined?: K8sEvent): K8sEvent | undefined {
    for (const e of this.events) {
      if (e !== combined && e.reason === reason && e.type === type && e.from === from && (message === undefined || e.message === message)) return e;
    }
    return undefined;
  }
}

/** A log that keeps nothing: the events of pods in a World that keeps no history (benchmark jobs read none). */
class UnkeptEventLog extends EventLog {
  override record(): void {}
}

export const UNKEPT_EVENTS: EventLog = new UnkeptEventLog();

function bump(ev: K8sEvent, now: number, message: string): void {
  ev.count++;
  ev.lastTimestamp = now;
  ev.message = message;
}

/** apimachinery `duration.HumanDuration`: "45s", "119s", "2m5s", "12m", "3h20m", "2d4h". */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    const y = Math.floor(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** The Age column: "5s", or "5s (x12 over 2m5s)" for a repeated event. */
export function eventAge(ev: K8sEvent, now: number): string {
  const last = humanDuration(now - ev.lastTimestamp);
  return ev.count > 1 ? `${last} (x${ev.count} over ${humanDuration(now - ev.firstTimestamp)})` : last;
}

/** The `Events:` block of `kubectl describe` (tabwriter, two spaces of padding, sorted by last timestamp). */
export function formatEvents(events: readonly K8sEvent[], now: number): string {
  const live = events.filter((e) => now - e.lastTimestamp <= EVENT_TTL_MS);
  if (live.length === 0) return 'Events:  <none>';
  const sorted = live
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.lastTimestamp - b.e.lastTimestamp || a.i - b.i)
    .map((x) => x.e);
  const rows = [
    ['Type', 'Reason', 'Age', 'From', 'Message'],
    ['----', '------', '----', '----', '-------'],
    ...sorted.map((e) => [e.type, e.reason, eventAge(e, now), e.from, e.message]),
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) => '  ' + r.map((cell, c) => (c < 4 ? cell.padEnd(widths[c] + 2) : cell)).join(''));
  return ['Events:', ...lines].join('\n');
}
