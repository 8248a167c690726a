/**
 * The benchmark's HTML page: per policy, addresses wasted (held − used, time-weighted mean) against the p95 time from
 * scheduling to an address, each with its 95 % interval over the seeds as error bars, and a table with EC2 calls and
 * throttled attempts. Policies differ by marker shape and by label, not by colour alone. Every name goes in as text.
 */
import { h } from '../page/dom.ts';
import { BENCH_PAGE_FORMAT, type BenchPage, type BenchPagePolicy, type Figure } from './types.ts';

const SVG = 'http://www.w3.org/2000/svg';
const COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000'];
const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross'] as const;

function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

function fmt(f: Figure | null, digits: number): string {
  if (f === null) return '—';
  return f.ci95 === undefined ? f.mean.toFixed(digits) : `${f.mean.toFixed(digits)} ± ${f.ci95.toFixed(digits)}`;
}

function marker(shape: (typeof SHAPES)[number], x: number, y: number, color: string): SVGElement {
  const a = { fill: color, stroke: '#000', 'stroke-width': 0.8 };
  switch (shape) {
    case 'circle':
      return svg('circle', { cx: x, cy: y, r: 6, ...a });
    case 'square':
      return svg('rect', { x: x - 5.5, y: y - 5.5, width: 11, height: 11, ...a });
    case 'triangle':
      return svg('polygon', { points: `${x},${y - 7} ${x - 6.5},${y + 5} ${x + 6.5},${y + 5}`, ...a });
    case 'diamond':
      return svg('polygon', { points: `${x},${y - 7} ${x + 7},${y} ${x},${y + 7} ${x - 7},${y}`, ...a });
    case 'cross':
      return svg('path', { d: `M${x - 6},${y - 6}L${x + 6},${y + 6}M${x - 6},${y + 6}L${x + 6},${y - 6}`, stroke: color, 'stroke-width': 3 });
  }
}

function scatter(page: BenchPage): SVGElement {
  const W = 760;
  const H = 420;
  const m = { l: 70, r: 150, t: 20, b: 50 };
  const pts = page.policies.filter((p): p is BenchPagePolicy & { waste: Figure; p95: Figure } => p.waste !== null && p.p95 !== null);
  const xMax = Math.max(1, ...pts.map((p) => p.waste.mean + (p.waste.ci95 ?? 0))) * 1.1;
  const yMax = Math.max(1, ...pts.map((p) => p.p95.mean + (p.p95.ci95 ?? 0))) * 1.1;
  const X = (v: number): number => m.l + ((W - m.l - m.r) * v) / xMax;
  const Y = (v: number): number => H - m.b - ((H - m.t - m.b) * v) / yMax;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', style: 'max-width: 900px', role: 'img', 'aria-label': 'waste against p95 time to address' });
  root.append(svg('line', { x1: m.l, y1: H - m.b, x2: W - m.r, y2: H - m.b, stroke: '#000' }), svg('line', { x1: m.l, y1: m.t, x2: m.l, y2: H - m.b, stroke: '#000' }));
  for (let i = 0; i <= 5; i++) {
    const xv = (xMax * i) / 5;
    const yv = (yMax * i) / 5;
    root.append(svg('text', { x: X(xv), y: H - m.b + 16, 'text-anchor': 'middle', 'font-size': 11 }, xv.toFixed(0)));
    root.append(svg('text', { x: m.l - 6, y: Y(yv) + 4, 'text-anchor': 'end', 'font-size': 11 }, yv.toFixed(1)));
  }
  root.append(svg('text', { x: (W + m.l) / 2, y: H - 10, 'text-anchor': 'middle', 'font-size': 12 }, 'addresses wasted (held − used, time-weighted mean)'));
  root.append(svg('text', { x: 16, y: (H - m.b) / 2, 'text-anchor': 'middle', 'font-size': 12, transform: `rotate(-90 16 ${(H - m.b) / 2})` }, 'p95 time to address (s)'));
  pts.forEach((p, i) => {
    const color = COLORS[i % COLORS.length];
    const x = X(p.waste.mean);
    const y = Y(p.p95.mean);
    const g = svg('g', {});
    g.append(svg('title', {}, `${p.policy}: waste ${fmt(p.waste, 0)}, p95 ${fmt(p.p95, 1)} s`));
    if (p.waste.ci95 !== undefined) g.append(svg('line', { x1: X(p.waste.mean - p.waste.ci95), x2: X(p.waste.mean + p.waste.ci95), y1: y, y2: y, stroke: color, 'stroke-width': 1.5 }));
    if (p.p95.ci95 !== undefined) g.append(svg('line', { x1: x, x2: x, y1: Y(Math.max(0, p.p95.mean - p.p95.ci95)), y2: Y(p.p95.mean + p.p95.ci95), stroke: color, 'stroke-width': 1.5 }));
    g.append(marker(SHAPES[i % SHAPES.length], x, y, color));
    g.append(svg('text', { x: x + 9, y: y - 8, 'font-size': 11 }, p.policy));
    root.append(g);
  });
  return root;
}

function main(): void {
  const page = JSON.parse(document.getElementById('run-record')?.textContent ?? 'null') as BenchPage | null;
  const app = document.getElementById('app')!;
  if (page === null || page.format !== BENCH_PAGE_FORMAT) {
    app.append(h('p', { text: 'This file holds no benchmark this page can read.' }));
    return;
  }
  const rows = page.policies.map((p) =>
    h('tr', {}, ...[p.policy, String(p.seeds), fmt(p.waste, 0), fmt(p.p95, 1), fmt(p.ec2, 0), fmt(p.throttled, 0)].map((c) => h('td', { text: c }))),
  );
  app.append(
    h('header', {}, h('h1', {}, h('span', { text: `bench ${page.workload}` }), h('small', { text: ` ${page.durationS} s simulated · ${page.seeds} seeds${page.partial === undefined ? '' : ` · ${page.partial}`}` }))),
    h(
      'main',
      { class: 'grid' },
      h('section', { class: 'panel', id: 'tradeoff', style: 'grid-column: 1 / -1' }, h('h2', { text: 'Waste against readiness' }), h('p', { class: 'lesson', text: 'Lower left is better: few addresses held idle and pods given an address fast. Bars are 95 % intervals over the seeds.' }), scatter(page)),
      h(
        'section',
        { class: 'panel', id: 'figures' },
        h('h2', { text: 'Per policy' }),
        h('table', { class: 'pod-table' }, h('thead', {}, h('tr', {}, ...['policy', 'seeds', 'waste', 'p95 s', 'EC2 calls', 'throttled attempts'].map((c) => h('th', { text: c })))), h('tbody', {}, ...rows)),
      ),
    ),
  );
  document.body.dataset.ready = 'true';
}

main();
