/**
 * The text of the views `run` was asked for, in the order asked: `kubectl describe` layouts (describe-text.ts), the
 * introspection JSON exactly as `curl -s localhost:61679/v1/enis` prints it (compact, Go's json.Marshal; a newline
 * added for the terminal), the Prometheus text as `curl -s localhost:61678/metrics` prints it, and ipamd.log lines.
 * When more than one view is asked for, each starts with a `==> what <==` line, as `tail` heads several files.
 */
import { describeText } from './describe-text.ts';
import { goJson } from './go-json.ts';
import { ipamdLogLine } from './ipamd-log.ts';
import type { ViewRecord } from './view-types.ts';

function title(v: ViewRecord): string {
  switch (v.kind) {
    case 'describe-pod':
      return `kubectl describe pod ${v.pod.name} -n ${v.pod.namespace}`;
    case 'describe-deployment':
      return `kubectl describe deployment ${v.deployment.name} -n ${v.deployment.namespace}`;
    case 'describe-node':
      return `kubectl describe node ${v.node.name}`;
    case 'describe-stuck':
      return 'pods not Running';
    case 'introspect':
      return `${v.node}: curl -s localhost:61679${v.path}`;
    case 'metrics':
      return `${v.node}: curl -s localhost:61678/metrics | grep awscni_`;
    case 'ipamd-log':
      return `${v.node}: /var/log/aws-routed-eni/ipamd.log`;
  }
}

function viewText(v: ViewRecord, now: number): string {
  const d = describeText(v, now);
  if (d !== undefined) return d.endsWith('\n') ? d : d + '\n';
  switch (v.kind) {
    case 'introspect':
      return goJson(v.body) + '\n';
    case 'metrics':
      return v.text;
    case 'ipamd-log':
      return v.entries.map((e) => ipamdLogLine(e) + '\n').join('');
    default:
      return '';
  }
}

export function renderViews(views: readonly ViewRecord[], now: number): string {
  if (views.length === 1) return viewText(views[0], now);
  return views.map((v) => `==> ${title(v)} <==\n${viewText(v, now)}`).join('\n');
}
