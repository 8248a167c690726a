/**
 * Small time charts on uPlot: x in seconds of virtual time, a vertical line at the chosen time, optional marks (▼) at
 * given times, and a click that seeks. Series differ by colour and by dash, so they read without colour too.
 */
import uPlot from 'uplot';
import { formatDuration } from '../../../util/duration.ts';

export interface SeriesSpec {
  label: string;
  color: string;
  dash?: number[];
  fill?: string;
  /** Draw as steps (a count that holds until the next change). */
  stepped?: boolean;
}

export interface TimeChart {
  setTime(t: number): void;
}

export function timeChart(
  el: HTMLElement,
  data: [number[], ...(number | null)[][]],
  series: SeriesSpec[],
  opts: { height: number; marks?: { t: number; label: string }[]; onPick: (t: number) => void; yLabel: string; asinh?: boolean },
): TimeChart {
  let cursorT = 0;
  const stepped = uPlot.paths.stepped!({ align: 1 });
  const u = new uPlot(
    {
      width: Math.max(280, el.clientWidth || 560),
      height: opts.height,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      // asinh: a /27's 16 addresses and a /19's 8,000 both readable on one axis, 0 included
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max * (opts.asinh === true ? 1.5 : 1.05))], ...(opts.asinh === true ? { distr: 4, asinh: 1 } : {}) } },
      axes: [
        { values: (_u, vals) => vals.map((v) => formatDuration(v * 1000)), size: 30, font: '11px system-ui' },
        {
          label: opts.yLabel,
          size: 50,
          font: '11px system-ui',
          labelFont: '11px system-ui',
          labelSize: 14,
          // on the asinh scale: 0 and the powers of ten (its own ticks crowd and dip below 0)
          ...(opts.asinh === true ? { splits: (u: uPlot) => [0, 1, 10, 100, 1_000, 10_000, 100_000].filter((v) => v <= (u.scales.y.max ?? 0)) } : {}),
        },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          dash: s.dash,
          fill: s.fill,
          paths: s.stepped === false ? undefined : stepped,
          points: { show: false },
        })),
      ],
      hooks: {
        draw: [
          (u: uPlot) => {
            const ctx = u.ctx;
            const x = u.valToPos(cursorT / 1000, 'x', true);
            ctx.save();
            ctx.strokeStyle = '#000';
            ctx.lineWidth = 1.5 * devicePixelRatio;
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.fillStyle = '#000';
            ctx.font = `${11 * devicePixelRatio}px system-ui`;
            for (const m of opts.marks ?? []) {
              const mx = u.valToPos(m.t / 1000, 'x', true);
              ctx.fillText('▼', mx - 4 * devicePixelRatio, u.bbox.top + 10 * devicePixelRatio);
            }
            ctx.restore();
          },
        ],
      },
    },
    data as uPlot.AlignedData,
    el,
  );
  u.over.addEventListener('click', () => {
    const idx = u.cursor.left;
    if (idx !== undefined && idx >= 0) opts.onPick(Math.round(u.posToVal(idx, 'x') * 1000));
  });
  return {
    setTime(t: number) {
      cursorT = t;
      u.redraw(false, false);
    },
  };
}

/** Okabe–Ito colours (distinguishable with the common colour-vision deficiencies). */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
export const DASHES: (number[] | undefined)[] = [undefined, [6, 3], [2, 2], [8, 3, 2, 3], [12, 4], [4, 4], [1, 3], [10, 2]];
