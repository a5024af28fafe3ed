import { scaleBand, scaleLinear } from 'd3-scale';
import { metricLabel } from './labels.js';
import { axisTitle, BAND_LABEL_ROOM, bandAxis, clampFinite, extentOf, finiteValues, yAxisLinear } from './axes.js';
import { chartSize, ChartError, frame, num, seriesColor, svgDocument, text, THEME, type ChartOptions, type Frame } from './theme.js';

// Scenarios side by side: the mean of a metric in each with its confidence interval (left), and the
// difference of each to the first scenario, the reference, with its interval (right). An interval
// of the difference that excludes zero is drawn solid; one that includes zero, pale.

export interface ComparisonRow {
  readonly scenario: string;
  readonly mean: number | null;
  readonly low?: number | null;
  readonly high?: number | null;
  /** Difference to the first scenario (absent for the first). */
  readonly diff?: number | null;
  readonly diffLow?: number | null;
  readonly diffHigh?: number | null;
}

export interface ComparisonData {
  readonly metric: string;
  readonly unit?: string;
  readonly rows: readonly ComparisonRow[];
}

function errorBar(cx: number, y1: number, y2: number, color: string): string {
  return `<path class="errorbar" d="M${num(cx)},${num(y1)}V${num(y2)}M${num(cx - 7)},${num(y1)}H${num(cx + 7)}M${num(cx - 7)},${num(y2)}H${num(cx + 7)}" stroke="${color}" stroke-width="2" fill="none"/>`;
}

function panel(f: Frame, labels: string[], values: { label: string; v: number; low?: number; high?: number; color: string; opacity: number }[], yTitle: string, unit: string | undefined, panelTitle: string): string {
  const ys = finiteValues(values.flatMap((d) => [d.v, d.low, d.high]));
  const y = scaleLinear().domain(extentOf(ys, { zero: true })).nice().range([f.bottom, f.top]);
  const x = scaleBand<string>().domain(labels).range([f.left, f.right]).padding(0.3);
  const parts: string[] = [yAxisLinear(y, f, { title: yTitle, unit }), bandAxis(x, f)];
  for (const d of values) {
    const x0 = x(d.label) ?? f.left;
    const a = y(Math.max(0, d.v));
    const b = y(Math.min(0, d.v));
    parts.push(`<rect class="bar" x="${num(x0)}" y="${num(a)}" width="${num(x.bandwidth())}" height="${num(Math.max(b - a, 1))}" fill="${d.color}" fill-opacity="${d.opacity}"/>`);
    if (d.low !== undefined && d.high !== undefined) parts.push(errorBar(x0 + x.bandwidth() / 2, y(d.low), y(d.high), THEME.text));
  }
  parts.push(`<line class="zero" x1="${num(f.left)}" x2="${num(f.right)}" y1="${num(y(0))}" y2="${num(y(0))}" stroke="${THEME.axis}"/>`);
  parts.push(text((f.left + f.right) / 2, f.top - 8, panelTitle, { 'text-anchor': 'middle', 'font-size': THEME.labelSize, fill: THEME.text, class: 'panel-title' }));
  return `<g class="panel">${parts.join('')}</g>`;
}

/**
 * The prefix all names share, cut after a separator ("cold-start-"), when every name keeps at least
 * two characters after it and there are two names or more; otherwise "".
 */
export function commonPrefix(names: readonly string[]): string {
  if (names.length < 2) return '';
  let p = names[0]!;
  for (const n of names) while (!n.startsWith(p)) p = p.slice(0, -1);
  const cut = Math.max(p.lastIndexOf('-'), p.lastIndexOf('_'), p.lastIndexOf(' '), p.lastIndexOf('.'));
  const prefix = cut < 2 ? '' : p.slice(0, cut + 1);
  return names.every((n) => n.length - prefix.length >= 2) ? prefix : '';
}

/** Bars with confidence intervals per scenario, and the differences to the first scenario. */
export function comparisonChart(data: ComparisonData, options: ChartOptions = {}): string {
  const chart = 'comparison';
  const size = chartSize(options, chart);
  const { width, height } = size;
  const rows = data.rows.map((r) => ({ scenario: r.scenario, mean: clampFinite(r.mean), low: clampFinite(r.low), high: clampFinite(r.high), diff: clampFinite(r.diff), diffLow: clampFinite(r.diffLow), diffHigh: clampFinite(r.diffHigh) }));
  const drawn = rows.filter((r) => r.mean !== undefined);
  if (drawn.length === 0) throw new ChartError(`${chart}: no scenarios with a value for metric "${data.metric}"`);
  const title = options.title ?? `${metricLabel(data.metric)} by scenario`;
  // Names that share a prefix ("cold-start-a", "cold-start-b") are drawn without it, said once in
  // the panel title, so that the part that tells them apart is what the axis shows.
  const prefix = commonPrefix(rows.map((r) => r.scenario));
  const short = (s: string) => s.slice(prefix.length);
  const reference = rows[0]!.scenario;
  const diffs = rows.slice(1).filter((r) => r.diff !== undefined);
  const two = diffs.length > 0;
  const full = frame(width, height, { top: 20, bottom: BAND_LABEL_ROOM }, title !== '');
  const gap = 110;
  const leftW = two ? (full.width - gap) * 0.55 : full.width;
  const left: Frame = { ...full, right: full.left + leftW, width: leftW };
  const parts: string[] = [];
  parts.push(
    panel(
      left,
      drawn.map((r) => short(r.scenario)),
      drawn.map((r, i) => ({ label: short(r.scenario), v: r.mean!, low: r.low, high: r.high, color: seriesColor(i), opacity: 0.85 })),
      axisTitle(metricLabel(data.metric), data.unit),
      data.unit,
      prefix === '' ? 'mean and 95% CI' : `${prefix}…: mean and 95% CI`,
    ),
  );
  if (two) {
    const rl = left.right + gap;
    const right: Frame = { ...full, left: rl, width: full.right - rl };
    parts.push(
      panel(
        right,
        diffs.map((r) => short(r.scenario)),
        diffs.map((r) => {
          const i = rows.indexOf(r);
          const sure = r.diffLow !== undefined && r.diffHigh !== undefined && (r.diffLow > 0 || r.diffHigh < 0);
          return { label: short(r.scenario), v: r.diff!, low: r.diffLow, high: r.diffHigh, color: seriesColor(i), opacity: sure ? 0.85 : 0.35 };
        }),
        axisTitle(`difference to ${reference}`, data.unit),
        data.unit,
        `difference to "${reference}" and 95% CI`,
      ),
    );
  }
  return svgDocument(size, parts.join(''), title);
}
