import { scaleLinear, scalePoint } from 'd3-scale';
import { axisTitle, clampFinite, extentOf, finiteValues, legend, legendHeight, shortenMiddle, xAxisLinear, yAxisLinear, type LegendItem } from './axes.js';
import { metricLabel, paramLabel } from './labels.js';
import { chartSize, ChartError, escapeXml, frame, num, polyline, seriesColor, svgDocument, text, THEME, type ChartOptions } from './theme.js';

// A response curve: a metric (mean over replications) against one parameter, with confidence-interval
// error bars; the levels of a second parameter as separate lines.

export interface ResponsePoint {
  /** The parameter value: a number, or a label for a list parameter (such as a ranking rule). */
  readonly x: number | string;
  readonly mean: number | null;
  readonly low?: number | null;
  readonly high?: number | null;
}

export interface ResponseGroup {
  /** The second parameter's value, e.g. "partnerSubsidy = 1"; any label for a single group. */
  readonly label: string;
  readonly points: readonly ResponsePoint[];
}

export interface ResponseData {
  /** The parameter on the x axis (a scenario key path). */
  readonly param: string;
  /** The metric on the y axis (a summary column). */
  readonly metric: string;
  readonly unit?: string;
  readonly groups: readonly ResponseGroup[];
  /** The parameter that tells the groups apart, for the legend. */
  readonly groupParam?: string;
}

/** The metric against the parameter, one line per group, with error bars. */
export function responseChart(data: ResponseData, options: ChartOptions = {}): string {
  const chart = 'response';
  const size = chartSize(options, chart);
  const { width, height } = size;
  const numeric = data.groups.every((g) => g.points.every((p) => typeof p.x === 'number' && Number.isFinite(p.x)));
  const groups = data.groups.map((g) => ({
    label: g.label,
    points: g.points
      .map((p) => ({ x: p.x, mean: clampFinite(p.mean), low: clampFinite(p.low), high: clampFinite(p.high) }))
      .filter((p) => p.mean !== undefined)
      .sort((a, b) => (numeric ? (a.x as number) - (b.x as number) : 0)),
  }));
  const all = groups.flatMap((g) => g.points);
  if (all.length === 0) throw new ChartError(`${chart}: no points with a value for metric "${data.metric}" against "${data.param}"`);

  const title = options.title ?? `${metricLabel(data.metric)} against ${paramLabel(data.param)}`;
  // Always a legend, so that a reader knows what the marks are: one entry a group, and the bars.
  const items: LegendItem[] =
    groups.length > 1
      ? groups.map((g, i) => ({ label: data.groupParam === undefined ? g.label : `${paramLabel(data.groupParam)} = ${g.label}`, color: seriesColor(i) }))
      : [{ label: 'mean of the runs', color: seriesColor(0) }];
  items.push({ label: 'bars: 95% CI of the mean', color: THEME.text });
  const f0 = frame(width, height, {}, title !== '');
  const lh = legendHeight(items, f0.width, true);
  const f = frame(width, height, { top: lh }, title !== '');
  const ys = finiteValues(all.flatMap((p) => [p.mean, p.low, p.high]));
  const y = scaleLinear().domain(extentOf(ys, { zero: ys.every((v) => v >= 0), unit: data.unit })).nice().range([f.bottom, f.top]);

  const parts: string[] = [];
  parts.push(yAxisLinear(y, f, { title: axisTitle(metricLabel(data.metric), data.unit), unit: data.unit }));
  let xOf: (v: number | string) => number;
  if (numeric) {
    const xs = all.map((p) => p.x as number);
    const [a, b] = extentOf(xs);
    const pad = (b - a) * 0.04;
    const x = scaleLinear().domain([a - pad, b + pad]).range([f.left, f.right]);
    xOf = (v) => x(v as number);
    parts.push(xAxisLinear(x, f, { title: paramLabel(data.param) }));
  } else {
    const labels = [...new Set(all.map((p) => String(p.x)))];
    const x = scalePoint<string>().domain(labels).range([f.left, f.right]).padding(0.5);
    xOf = (v) => x(String(v)) ?? f.left;
    for (const l of labels) parts.push(text(xOf(l), f.bottom + 24, shortenMiddle(l, 20), { 'text-anchor': 'middle', 'font-size': THEME.tickSize, fill: THEME.text, class: 'tick' }));
    parts.push(`<line class="domain" x1="${num(f.left)}" x2="${num(f.right)}" y1="${num(f.bottom)}" y2="${num(f.bottom)}" stroke="${THEME.axis}"/>`);
    parts.push(text((f.left + f.right) / 2, f.bottom + 54, paramLabel(data.param), { 'text-anchor': 'middle', 'font-size': THEME.labelSize, fill: THEME.text, class: 'axis-title' }));
  }
  const nGroups = groups.length;
  groups.forEach((g, i) => {
    const color = seriesColor(i);
    // Offset the groups a little so that their error bars do not hide one another.
    const dx = nGroups > 1 ? (i - (nGroups - 1) / 2) * 4 : 0;
    const pts = g.points.map((p) => [xOf(p.x) + dx, y(p.mean!)] as const);
    if (pts.length > 1) parts.push(`<path class="series" data-label="${escapeXml(items[i]!.label)}" d="${polyline(pts)}" fill="none" stroke="${color}" stroke-width="${THEME.lineWidth}"/>`);
    for (const p of g.points) {
      const cx = xOf(p.x) + dx;
      if (p.low !== undefined && p.high !== undefined) {
        const y1 = y(p.low);
        const y2 = y(p.high);
        parts.push(`<path class="errorbar" d="M${num(cx)},${num(y1)}V${num(y2)}M${num(cx - 5)},${num(y1)}H${num(cx + 5)}M${num(cx - 5)},${num(y2)}H${num(cx + 5)}" stroke="${color}" stroke-width="1.8" fill="none"/>`);
      }
      parts.push(`<circle class="point" cx="${num(cx)}" cy="${num(y(p.mean!))}" r="4.5" fill="${color}"/>`);
    }
  });
  if (lh > 0) parts.push(legend(items, f.left, f.top - lh + 12, f.width));
  return svgDocument(size, parts.join(''), title);
}
