/**
 * A node's ipamd decisions as lines of `/host/var/log/aws-routed-eni/ipamd.log`. The shape is the real logger's
 * (pkg/utils/logger/zaplogger.go: zap's production JSON encoder with `ISO8601TimeEncoder` and the short caller):
 * `{"level":"info","ts":"2025-01-01T00:02:05.300Z","caller":"ipamd/ipamd.go:969","msg":"…"}`, keys in that order.
 * The level and caller of each decision kind are those of the real log call that reports the same thing, at
 * amazon-vpc-cni-k8s commit b52188387f2e (file:line as zap prints them); the message is the model's own wording of
 * the decision, not the real text. Not here: what the decisions are (src/model/ipamd).
 */
import { SIM_EPOCH_MS } from '../model/ipamd/introspect.ts';
import type { DecisionRecord } from '../model/ipamd/types.ts';
import type { IpamdLogEntry } from './view-types.ts';

/** Decision kind → the real log call's level and `caller`. */
const CALLERS: Record<string, { level: IpamdLogEntry['level']; caller: string }> = {
  'config-warning': { level: 'warn', caller: 'ipamd/ipamd.go:625' }, // a setting falls back to its default
  'start-failed': { level: 'error', caller: 'aws-k8s-agent/main.go:152' }, // "Initialization failure: %v"
  init: { level: 'debug', caller: 'ipamd/ipamd.go:670' }, // "node init completed successfully"
  restore: { level: 'debug', caller: 'datastore/data_store.go:400' }, // "Recovered %s => %s/%s"
  'pool-grow': { level: 'debug', caller: 'ipamd/ipamd.go:969' }, // "Starting to increase pool size …"
  'pool-no-grow': { level: 'debug', caller: 'ipamd/ipamd.go:979' }, // "Recently we had InsufficientCidr error …"
  'pool-shrink': { level: 'debug', caller: 'ipamd/ipamd.go:841' }, // "Starting to decrease pool size …"
  'eni-create': { level: 'info', caller: 'awsutils/awsutils.go:1018' }, // "Successfully created and attached a new ENI …"
  'eni-create-failed': { level: 'error', caller: 'ipamd/ipamd.go:1073' }, // "Failed to increase pool size due to not able to allocate ENI"
  'subnet-choice': { level: 'info', caller: 'awsutils/awsutils.go:440' }, // subnet discovery
  'eni-free': { level: 'info', caller: 'awsutils/awsutils.go:1481' }, // "Successfully freed ENI: %s"
  'ec2-error': { level: 'error', caller: 'awsutils/awsutils.go:2082' }, // "Failed to allocate a private IP/Prefix addresses on ENI"
  'assign-failed': { level: 'error', caller: 'datastore/data_store.go:858' }, // "DataStore has no available IP/Prefix addresses"
  reconcile: { level: 'debug', caller: 'ipamd/ipamd.go:1650' }, // "Reconcile existing ENI %s IP pool"
  'leaked-eni': { level: 'debug', caller: 'awsutils/awsutils.go:2303' }, // "Checking for leaked AWS CNI ENIs."
  terminating: { level: 'info', caller: 'ipamd/rpc_handler.go:552' }, // "Received shutdown signal …"
};

/** zapcore.ISO8601TimeEncoder: `2006-01-02T15:04:05.000Z0700`, UTC as `Z`. */
function zapTime(t: number): string {
  return new Date(SIM_EPOCH_MS + t).toISOString();
}

export function ipamdLogEntry(d: DecisionRecord): IpamdLogEntry {
  const c = CALLERS[d.kind] ?? { level: 'info' as const, caller: 'ipamd/ipamd.go:969' };
  return { level: c.level, ts: zapTime(d.t), caller: c.caller, msg: d.message };
}

/** One JSON line, keys in the encoder's order (level, ts, caller, msg). */
export function ipamdLogLine(e: IpamdLogEntry): string {
  return JSON.stringify({ level: e.level, ts: e.ts, caller: e.caller, msg: e.msg });
}
