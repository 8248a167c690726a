/**
 * One run record drawn as the report's panels under its clock: the header, the clock with its markers, and the
 * subnets, nodes, pods, ipamd and expectations panels, each told the folded state (record/fold.ts) at every new time.
 * The report page mounts it once; the playground mounts one per run and disposes of the last. Derives nothing by
 * model rules. Not here: reading the record from the page (main.ts), the playground's editor and comparison.
 */
import { formatDuration } from '../../../util/duration.ts';
import { changeTimes, stateAt } from '../../record/fold.ts';
import type { RunRecord } from '../../record/types.ts';
import { h } from './dom.ts';
import { expectationsPanel } from './expectations.ts';
import { ipamdPanel } from './ipamd.ts';
import { nodesPanel } from './nodes.ts';
import { podsPanel } from './pods.ts';
import { subnetsPanel } from './subnets.ts';
import { clock, timeFromHash, type Marker } from './time.ts';

export interface ReportView {
  /** The header, the clock and the panels, in that order. */
  nodes: HTMLElement[];
  seek(t: number): void;
  dispose(): void;
}

function markers(r: RunRecord): Marker[] {
  const out: Marker[] = r.actions.map((a) => ({ t: a.t, kind: 'action' as const, label: `${a.ok ? '' : 'failed: '}$ ${a.command}` }));
  for (const e of r.expectations) if (e.status !== 'skipped') out.push({ t: e.at, kind: e.ok ? 'pass' : 'fail', label: `${e.check} (${e.actual})` });
  const stuck = r.changes.pods.find((c) => c[5] !== null && r.pods[c[1]].namespace !== 'kube-system');
  if (stuck !== undefined) out.push({ t: stuck[0], kind: 'stuck', label: `first stuck pod: ${r.pods[stuck[1]].name} (${stuck[5]})` });
  return out;
}

/** What the record's size bounds left out, if anything (recorder.ts DESCRIBE_BUDGET, DETAIL_BUDGET). */
function sizeBound(r: RunRecord): HTMLElement | null {
  const parts: string[] = [];
  const outside = r.nodes.filter((n) => n.sampled === false).length;
  if (outside > 0)
    parts.push(`pods and address slots are recorded on the first ${r.nodes.length - outside} of ${r.nodes.length} nodes only: a pod bound to another node leaves the pod list and chart, and a pod waiting for a node shows only once it is stuck or bound to one of them; nodes' STATUS and ENIs, subnets, EC2 calls and ipamd decisions cover every node`);
  if (r.detailStopped !== undefined)
    parts.push(`pods, their address slots and the timeline lines are recorded up to ${formatDuration(r.detailStopped)} only: later, the pod list, the pod chart and the slots show their state at ${formatDuration(r.detailStopped)}; nodes, ENIs, subnets, EC2 calls and ipamd decisions go on to the end`);
  if (r.describesStopped !== undefined) parts.push(`pods' describe texts are kept up to ${formatDuration(r.describesStopped)} only`);
  if (parts.length === 0) return null;
  return h('p', { class: 'note', text: `Size bound: ${parts.join('; ')}. Everything else is kept whole.` });
}

/**
 * The view of `r`, opened at `#t=…` when `hash` (the report page), else at `start`. Call after its nodes are in the
 * document: the charts take their width from it.
 */
export function reportView(r: RunRecord, opts: { hash: boolean }): ReportView {
  const seekTo = (t: number): void => c.seek(t);
  const subnets = subnetsPanel(r, seekTo);
  const nodes = nodesPanel(r);
  const pods = podsPanel(r, seekTo);
  const ipamd = ipamdPanel(r, seekTo);
  const header = h(
    'header',
    {},
    h('h1', {}, h('span', { text: r.scenario.name }), h('small', { text: ` ${r.scenario.file} · seed ${r.seed} · ${formatDuration(r.end)} of virtual time` })),
    r.scenario.description.trim() === '' ? null : h('p', { class: 'description', text: r.scenario.description.trim() }),
    sizeBound(r),
  );
  const c = clock(
    r,
    changeTimes(r),
    markers(r),
    (t) => {
      const s = stateAt(r, t);
      for (const p of [subnets, nodes, pods, ipamd]) p.update(s);
    },
    { hash: opts.hash },
  );
  const grid = h('main', { class: 'grid' }, subnets.root, nodes.root, pods.root, ipamd.root, expectationsPanel(r, seekTo));
  return {
    nodes: [header, c.root, grid],
    seek: (t) => c.seek(opts.hash ? (timeFromHash(r.end) ?? t) : t),
    dispose: () => c.dispose(),
  };
}
