import { scaleLinear } from 'd3-scale';
import { area, line } from 'd3-shape';
import { axisTitle, clampFinite, extentOf, finiteValues, legend, legendHeight, xAxisLinear, yAxisLinear, type LegendItem } from './axes.js';
import { metricLabel, TICK_UNIT } from './labels.js';
import { chartSize, ChartError, frame, num, seriesColor, svgDocument, THEME, type ChartOptions, type Plot } from './theme.js';

// Several time series on one chart: one line per metric or per platform, each with an optional band
// (for instance the mean over replications and its 95% confidence band).

export interface SeriesPoint {
  readonly x: number;
  readonly y: number | null;
  /** Lower edge of the band at x (optional). */
  readonly low?: number | null;
  /** Upper edge of the band at x (optional). */
  readonly high?: number | null;
}

export interface Series {
  readonly label: string;
  readonly points: readonly SeriesPoint[];
  readonly color?: string;
  readonly dashed?: boolean;
}

export interface TimeseriesData {
  readonly series: readonly Series[];
  /** What the lines show, a metric key for the title and for messages, e.g. "gmv" (drawn as its label). */
  readonly name?: string;
  readonly xLabel?: string;
  readonly xUnit?: string;
  readonly yLabel?: string;
  readonly yUnit?: string;
  /** What the bands are, for the legend (such as "95% CI of the mean of 5 runs"); a chart with bands should say. */
  readonly band?: string;
}

export interface TimeseriesOptions extends ChartOptions {
  /** Include 0 on the y axis (default: true when every value is >= 0). */
  readonly zero?: boolean;
  /** Draw a dot at every point (default: when a series has at most 40 points). */
  readonly markers?: boolean;
  /**
   * The x axis's domain, fixed whatever the data (default: the x values with a finite y), such as
   * [0, ticks - 1] for a run whose length is known before it ends: points added later fall in place.
   */
  readonly xDomain?: readonly [number, number];
  /**
   * A range the y axis covers at least (default: the data's); it grows to the data beyond it and is
   * made round as usual. Given the `yDomain` of `timeseriesPlot` for the same data, the axis stays as it was.
   */
  readonly yDomain?: readonly [number, number];
}

type P = { x: number; y: number; low: number; high: number };

function cleanPoints(points: readonly SeriesPoint[]): { line: { x: number; y: number | undefined }[]; band: P[] } {
  const sorted = points
    .map((p) => ({ x: clampFinite(p.x), y: clampFinite(p.y), low: clampFinite(p.low), high: clampFinite(p.high) }))
    .filter((p): p is { x: number; y: number | undefined; low: number | undefined; high: number | undefined } => p.x !== undefined)
    .sort((a, b) => a.x - b.x);
  const band = sorted.filter((p) => p.low !== undefined && p.high !== undefined).map((p) => ({ x: p.x, y: p.y ?? 0, low: Math.min(p.low!, p.high!), high: Math.max(p.low!, p.high!) }));
  return { line: sorted.map((p) => ({ x: p.x, y: p.y })), band };
}

/** A domain option: two finite numbers in order, or undefined. */
function domainOption(chart: string, name: string, d: readonly [number, number] | undefined): [number, number] | undefined {
  if (d === undefined) return undefined;
  const [lo, hi] = d;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) throw new ChartError(`${chart}: ${name} must be two finite numbers, the lower first, found [${lo}, ${hi}]`);
  return lo === hi ? extentOf([lo]) : [lo, hi];
}

function layout(data: TimeseriesData, options: TimeseriesOptions) {
  const chart = 'timeseries';
  const size = chartSize(options, chart);
  const { width, height } = size;
  const what = data.name === undefined ? '' : ` for metric "${data.name}"`;
  if (data.series.length === 0) throw new ChartError(`${chart}: no series to draw${what}`);
  const xDomain = domainOption(chart, 'xDomain', options.xDomain);
  const yDomain = domainOption(chart, 'yDomain', options.yDomain);
  const cleaned = data.series.map((s) => ({ s, ...cleanPoints(s.points) }));
  const xs = cleaned.flatMap((c) => c.line.filter((p) => p.y !== undefined).map((p) => p.x));
  const ys = finiteValues(cleaned.flatMap((c) => [...c.line.map((p) => p.y), ...c.band.flatMap((b) => [b.low, b.high])]));
  if (xs.length === 0 || ys.length === 0) throw new ChartError(`${chart}: no rows with a finite value${what}`);

  const yLabel = data.yLabel ?? (data.name === undefined ? 'value' : metricLabel(data.name));
  const title = options.title ?? (data.name === undefined && data.yLabel === undefined ? 'Time series' : `${yLabel} over time`);
  const items: LegendItem[] = data.series.map((s, i) => ({ label: s.label, color: s.color ?? seriesColor(i), shape: s.dashed ? 'dashed' : 'line' }));
  // The band's meaning (interval of the mean, or spread of runs) is not for the reader to guess.
  const banded = data.band !== undefined && cleaned.some((c) => c.band.length > 0);
  if (banded) items.push({ label: `band: ${data.band}`, color: THEME.muted, shape: 'box' });
  const f0 = frame(width, height, {}, title !== '');
  const lh = legendHeight(items, f0.width, banded);
  const f = frame(width, height, { top: lh }, title !== '');
  const yValues = yDomain === undefined ? ys : [...ys, ...yDomain];
  const zero = options.zero ?? yValues.every((v) => v >= 0);
  const x = scaleLinear().domain(xDomain ?? extentOf(xs)).range([f.left, f.right]);
  const y = scaleLinear().domain(extentOf(yValues, { zero, unit: data.yUnit })).nice().range([f.bottom, f.top]);
  return { size, cleaned, yLabel, title, items, banded, lh, f, x, y };
}

/**
 * Where `timeseriesChart` puts the data, for the same data and options: the plot frame, the axes'
 * domains and the mapping of a point to the chart's coordinates.
 */
export function timeseriesPlot(data: TimeseriesData, options: TimeseriesOptions = {}): Plot {
  const { f, x, y } = layout(data, options);
  return { frame: f, xDomain: x.domain() as [number, number], yDomain: y.domain() as [number, number], x: (v) => x(v), y: (v) => y(v) };
}

/** A line chart of one or more series against time (or any numeric x). */
export function timeseriesChart(data: TimeseriesData, options: TimeseriesOptions = {}): string {
  const { size, cleaned, yLabel, title, items, lh, f, x, y } = layout(data, options);
  const parts: string[] = [];
  parts.push(yAxisLinear(y, f, { title: axisTitle(yLabel, data.yUnit), unit: data.yUnit }));
  parts.push(xAxisLinear(x, f, { title: axisTitle(data.xLabel ?? 'time', data.xUnit ?? TICK_UNIT), unit: data.xUnit }));
  const bandGen = area<P>()
    .x((p) => x(p.x))
    .y0((p) => y(p.low))
    .y1((p) => y(p.high))
    .digits(2);
  const lineGen = line<{ x: number; y: number | undefined }>()
    .defined((p) => p.y !== undefined)
    .x((p) => x(p.x))
    .y((p) => y(p.y ?? 0))
    .digits(2);
  cleaned.forEach(({ s, band }, i) => {
    if (band.length === 0) return;
    const d = bandGen(band);
    if (d !== null) parts.push(`<path class="band" d="${d}" fill="${s.color ?? seriesColor(i)}" fill-opacity="${THEME.bandOpacity}" stroke="none"/>`);
  });
  cleaned.forEach(({ s, line: pts }, i) => {
    const color = s.color ?? seriesColor(i);
    const d = lineGen(pts);
    const dash = s.dashed ? ' stroke-dasharray="8 5"' : '';
    if (d !== null) parts.push(`<path class="series" data-label="${escapeAttr(s.label)}" d="${d}" fill="none" stroke="${color}" stroke-width="${THEME.lineWidth}" stroke-linejoin="round"${dash}/>`);
    const defined = pts.filter((p) => p.y !== undefined);
    if (options.markers ?? defined.length <= 40) {
      for (const p of defined) parts.push(`<circle class="point" cx="${num(x(p.x))}" cy="${num(y(p.y!))}" r="3.5" fill="${color}"/>`);
    }
  });
  if (lh > 0) parts.push(legend(items, f.left, f.top - lh + 12, f.width));
  return svgDocument(size, parts.join(''), title);
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
