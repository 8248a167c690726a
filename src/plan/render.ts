/**
 * A plan's answer as text (a few tables a reader scans top to bottom: does it fit, why not, what is left, how far it
 * can grow, what each what-if changes) or as JSON (the PlanResult as it is). Pure formatting of the result.
 */
import { tabwrite } from '../report/tabwriter.ts';
import { formatDuration } from '../util/duration.ts';
import type { Headroom } from './headroom.ts';
import { worstSeed, type PlanResult, type VariantResult } from './plan.ts';
import type { Outcome } from './simulate.ts';

export function renderPlanJson(r: PlanResult): string {
  return JSON.stringify(r, null, 2) + '\n';
}

function secs(ms: number): string {
  return formatDuration(Math.round(ms / 1000) * 1000);
}

function throttledText(o: Outcome): string {
  const e = Object.entries(o.throttled).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return e.length === 0 ? 'none' : e.map(([a, n]) => `${a} ${n}`).join(', ');
}

function causesText(o: Outcome): string {
  return Object.entries(o.stuckByCause)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([c, n]) => `${n} ${c}`)
    .join(', ');
}

/** "52 (53: max pods)", "≥ 300", "none (1: subnet empty)". */
function headroomText(h: Headroom): string {
  const fits = h.fits < 0 ? 'none' : String(h.fits);
  if (h.stuck === undefined) return `≥ ${fits}`;
  const why = `${h.stuck} stuck${h.limitedBy === undefined ? '' : `: ${h.limitedBy}`}`;
  return h.exact ? `${fits} (${why})` : `${fits} to ${h.stuck - 1} (${why})`;
}

function fitSection(r: PlanResult): string[] {
  const v = r.asIs;
  const lines = [`Does it fit? ${v.fits ? 'yes' : 'no'} — ${v.fits ? 'every pod Running on every seed' : `up to ${v.stuckMax} pod${v.stuckMax === 1 ? '' : 's'} stuck at the end`}`, ''];
  const rows = ['  seed\tstuck\tfirst stuck\tcause\tEC2 throttled\tanswer known after'];
  for (const s of v.seeds) {
    const o = s.outcome;
    rows.push(`  ${s.seed}\t${o.stuck}\t${o.firstStuck === undefined ? '—' : `+${secs(o.firstStuck.after)}`}\t${o.stuck === 0 ? '—' : causesText(o)}\t${throttledText(o)}\t${secs(o.ranMs)} (${o.stoppedBy})`);
  }
  lines.push(...tabwrite(rows));
  const first = v.seeds.find((s) => s.outcome.firstStuck !== undefined);
  if (first !== undefined) {
    const f = first.outcome.firstStuck!;
    lines.push('', `Why (seed ${first.seed}): ${f.namespace}/${f.pod} got stuck ${secs(f.after)} after the change`);
    for (const c of f.chain) lines.push(`  ${c}`);
  }
  const s0 = v.seeds[0];
  lines.push('', `Addresses left per subnet at the end (seed ${s0.seed})`);
  lines.push(...tabwrite(['  subnet\tAZ\tCIDR\tfree', ...s0.outcome.subnets.map((x) => `  ${x.id}\t${x.az}\t${x.cidr}\t${x.free}`)]));
  return lines;
}

function headroomSection(r: PlanResult): string[] {
  const v = r.asIs;
  const unit = r.change.startsWith('+') ? 'pods added' : 'replicas';
  const lines = [`Headroom: the largest size (${unit}) with no pod stuck`, ''];
  const rows = ['  seed\theadroom\tsizes simulated'];
  for (const s of v.seeds) rows.push(`  ${s.seed}\t${headroomText(s.headroom)}\t${s.headroom.tried.join(', ')}`);
  lines.push(...tabwrite(rows), `  minimum over seeds: ${headroomRange(v)}`);
  return lines;
}

/** A what-if's headroom: the minimum over seeds, with the seed's bracket when it is not exact ("17", "2600 to 17415"). */
function headroomRange(v: VariantResult): string {
  if (v.headroom < 0) return 'none';
  if (v.exact) return String(v.headroom);
  const worst = worstSeed(v.seeds, v.headroom);
  return worst.stuck === undefined ? `≥ ${v.headroom}` : `${v.headroom} to ${worst.stuck - 1}`;
}

/** What stops the next pod on the seed with the smallest headroom. */
function limitedBy(v: VariantResult): string {
  return v.seeds.length === 0 ? '—' : (worstSeed(v.seeds, v.headroom).limitedBy ?? '—');
}

function variantRow(v: VariantResult): string {
  if (v.unavailable !== undefined) return `  ${v.title}\t—\t—\t—\tnot simulated: ${v.unavailable}`;
  return `  ${v.title}\t${v.fits ? 'yes' : 'no'}\t${v.stuckMax}\t${headroomRange(v)}\t${limitedBy(v)}`;
}

function whatIfSection(r: PlanResult): string[] {
  if (r.whatIfs.length === 0) return [];
  const lines = ['What-ifs (each simulated on every seed; its headroom searched on the first, the others seen to reach it)', ''];
  lines.push(...tabwrite(['  \tfits\tstuck (worst seed)\theadroom (min)\tthen limited by', variantRow(r.asIs), ...r.whatIfs.map(variantRow)]));
  for (const w of r.whatIfs) {
    if (w.changes.length === 0) continue;
    lines.push('', `  ${w.title}:`);
    for (const c of w.changes) lines.push(`    ${c}`);
  }
  return lines;
}

export function renderPlanText(r: PlanResult): string {
  const lines = [
    `Plan for ${r.scenario} (${r.file})`,
    `Change: ${r.change} (from ${r.sizeBefore}), applied at ${r.appliedAt}; seeds ${r.seeds.join(', ')}; ${r.simulations} simulations`,
    '',
    ...fitSection(r),
    '',
    ...headroomSection(r),
  ];
  const w = whatIfSection(r);
  if (w.length > 0) lines.push('', ...w);
  return lines.join('\n') + '\n';
}
