import { scaleBand, scaleLinear } from 'd3-scale';
import { clampFinite, extentOf, finiteValues, legend, legendHeight, shortenMiddle, xAxisLinear, type LegendItem } from './axes.js';
import { metricLabel, paramLabel } from './labels.js';
import { chartSize, ChartError, frame, num, seriesColor, svgDocument, text, THEME, type ChartOptions } from './theme.js';

// Sensitivity indices per parameter as horizontal bars, most influential first: Sobol' S1 (first
// order) and ST (total) with their bootstrap intervals as whiskers, or Morris mu*, sigma.

export interface SensitivityEntry {
  readonly parameter: string;
  /** S1, ST, mu, mu_star or sigma (any name: one bar colour per index). */
  readonly index: string;
  readonly value: number | null;
  readonly low?: number | null;
  readonly high?: number | null;
}

export interface TornadoData {
  readonly metric: string;
  readonly rows: readonly SensitivityEntry[];
}

const ORDER = ['S1', 'ST', 'mu_star', 'sigma', 'mu'];
const LABELS: Readonly<Record<string, string>> = { S1: 'S1 (first order)', ST: 'ST (total)', mu_star: 'μ* (mean |effect|)', sigma: 'σ (interactions)', mu: 'μ (mean effect)' };

/** Horizontal bars of sensitivity indices, parameters sorted by their largest index. */
export function tornadoChart(data: TornadoData, options: ChartOptions = {}): string {
  const chart = 'tornado';
  const size = chartSize(options, chart);
  const { width, height } = size;
  const rows = data.rows.map((r) => ({ ...r, value: clampFinite(r.value), low: clampFinite(r.low), high: clampFinite(r.high) })).filter((r) => r.value !== undefined);
  if (rows.length === 0) throw new ChartError(`${chart}: no sensitivity indices for metric "${data.metric}"`);
  const indices = [...new Set(rows.map((r) => r.index))].sort((a, b) => (ORDER.indexOf(a) + 99 * +(ORDER.indexOf(a) < 0)) - (ORDER.indexOf(b) + 99 * +(ORDER.indexOf(b) < 0)));
  // Sort by the total index when there is one (ST, mu_star), else by the largest absolute index.
  const key = indices.includes('ST') ? 'ST' : indices.includes('mu_star') ? 'mu_star' : undefined;
  const score = new Map<string, number>();
  for (const r of rows) {
    const s = key === undefined || r.index === key ? Math.abs(r.value!) : -Infinity;
    score.set(r.parameter, Math.max(score.get(r.parameter) ?? -Infinity, s));
  }
  const params = [...score.keys()].sort((a, b) => score.get(b)! - score.get(a)!);

  const title = options.title ?? `Sensitivity of ${metricLabel(data.metric)}`;
  const items: LegendItem[] = indices.map((ix, i) => ({ label: LABELS[ix] ?? ix, color: seriesColor(i + 3), shape: 'box' }));
  const longest = Math.min(34, Math.max(...params.map((p) => paramLabel(p).length)));
  const extraLeft = Math.max(0, longest * THEME.tickSize * 0.6 - 80);
  const f0 = frame(width, height, { left: extraLeft }, title !== '');
  const lh = legendHeight(items, f0.width, true);
  const f = frame(width, height, { left: extraLeft, top: lh }, title !== '');
  const xs = finiteValues(rows.flatMap((r) => [r.value, r.low, r.high]));
  const x = scaleLinear().domain(extentOf(xs, { zero: true })).nice().range([f.left, f.right]);
  const y = scaleBand<string>().domain(params).range([f.top, f.bottom]).padding(0.2);
  const sub = scaleBand<string>().domain(indices).range([0, y.bandwidth()]).padding(0.08);

  const parts: string[] = [];
  parts.push(xAxisLinear(x, f, { title: 'sensitivity index', format: (v) => (Math.abs(v) >= 1e4 ? v.toExponential(1) : String(Math.round(v * 1000) / 1000)) }));
  for (const r of rows) {
    const y0 = (y(r.parameter) ?? f.top) + (sub(r.index) ?? 0);
    const h = sub.bandwidth();
    const x0 = x(Math.min(0, r.value!));
    const x1 = x(Math.max(0, r.value!));
    const color = seriesColor(indices.indexOf(r.index) + 3);
    parts.push(`<rect class="bar" x="${num(x0)}" y="${num(y0)}" width="${num(Math.max(x1 - x0, 1))}" height="${num(h)}" fill="${color}"/>`);
    if (r.low !== undefined && r.high !== undefined) {
      const cy = y0 + h / 2;
      const a = x(r.low);
      const b = x(r.high);
      const cap = Math.min(6, h / 2);
      parts.push(`<path class="whisker" d="M${num(a)},${num(cy)}H${num(b)}M${num(a)},${num(cy - cap)}V${num(cy + cap)}M${num(b)},${num(cy - cap)}V${num(cy + cap)}" stroke="${THEME.text}" stroke-width="1.6" fill="none"/>`);
    }
  }
  parts.push(`<line class="zero" x1="${num(x(0))}" x2="${num(x(0))}" y1="${num(f.top)}" y2="${num(f.bottom)}" stroke="${THEME.axis}"/>`);
  for (const p of params) parts.push(text(f.left - 10, (y(p) ?? f.top) + y.bandwidth() / 2 + 5, shortenMiddle(paramLabel(p), 34), { 'text-anchor': 'end', 'font-size': THEME.tickSize, fill: THEME.text, class: 'tick' }));
  parts.push(legend(items, f.left, f.top - lh + 12, f.width));
  return svgDocument(size, parts.join(''), title);
}
