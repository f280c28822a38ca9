import { escapeXml } from './escape.ts';

export interface ChartSeries {
  name: string;
  color: string;
  points: ReadonlyArray<{ x: number; y: number }>;
  /** Dashed lines tell two measures of one build apart (e.g. RSS solid, heap dashed). */
  dashed?: boolean;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  width?: number;
  height?: number;
}

// The bottom pad holds the x ticks, the x label, and two legend rows below them.
const PAD = { left: 64, right: 16, top: 36, bottom: 84 };

/** Round tick steps (1, 2, 5 × 10^n) so axes read like a hand-drawn chart. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function extent(values: number[], fallback: [number, number]): [number, number] {
  if (values.length === 0) return fallback;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return hi > lo ? [lo, hi] : [lo - 1, hi + 1];
}

/** A self-contained SVG line chart: no scripts, no fonts to fetch, one <polyline> per series. */
export function renderLineChart(options: LineChartOptions): string {
  const width = options.width ?? 760;
  const height = options.height ?? 380;
  const all = options.series.flatMap((s) => s.points);
  const [x0, x1] = extent(all.map((p) => p.x), [0, 1]);
  const [yLo, y1] = extent(all.map((p) => p.y), [0, 1]);
  const y0 = Math.min(0, yLo);
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number) => PAD.top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const n = (v: number) => v.toFixed(1);

  const grid = [
    ...niceTicks(y0, y1).map(
      (t) =>
        `<line x1="${PAD.left}" x2="${width - PAD.right}" y1="${n(sy(t))}" y2="${n(sy(t))}" stroke="#e5e7eb"/>` +
        `<text x="${PAD.left - 6}" y="${n(sy(t) + 4)}" text-anchor="end">${t}</text>`,
    ),
    ...niceTicks(x0, x1).map(
      (t) =>
        `<line x1="${n(sx(t))}" x2="${n(sx(t))}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH + 4}" stroke="#6b7280"/>` +
        `<text x="${n(sx(t))}" y="${PAD.top + plotH + 18}" text-anchor="middle">${t}</text>`,
    ),
  ];
  const lines = options.series.map(
    (s) =>
      `<polyline data-series="${escapeXml(s.name)}" fill="none" stroke="${escapeXml(s.color)}" stroke-width="2"` +
      `${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${s.points.map((p) => `${n(sx(p.x))},${n(sy(p.y))}`).join(' ')}"/>`,
  );
  const legend = options.series.map((s, i) => {
    const lx = PAD.left + (i % 2) * (plotW / 2);
    const ly = PAD.top + plotH + 56 + Math.floor(i / 2) * 16;
    return (
      `<line x1="${lx}" x2="${lx + 22}" y1="${ly - 4}" y2="${ly - 4}" stroke="${escapeXml(s.color)}" stroke-width="2"` +
      `${s.dashed ? ' stroke-dasharray="6 4"' : ''}/><text x="${lx + 28}" y="${ly}">${escapeXml(s.name)}</text>`
    );
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"`,
    ` role="img" aria-label="${escapeXml(options.title)}" font-family="sans-serif" font-size="11" fill="#374151">`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(options.title)}</text>`,
    ...grid,
    `<rect x="${PAD.left}" y="${PAD.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#9ca3af"/>`,
    ...lines,
    `<text x="${PAD.left + plotW / 2}" y="${PAD.top + plotH + 34}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text transform="translate(16 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
    ...legend,
    '</svg>',
  ].join('');
}
