import { scaleBand, scaleLinear, scaleSequential } from 'd3-scale';
import { interpolateViridis } from 'd3-scale-chromatic';
import { axisTitle, bandAxis, clampFinite, extentOf, tickFormatter } from './axes.js';
import { metricLabel, paramLabel } from './labels.js';
import { chartSize, ChartError, frame, num, svgDocument, text, THEME, type ChartOptions } from './theme.js';

// Two parameters on the axes, the colour of a cell the metric's mean there (viridis: perceptually
// uniform, readable in grey and by colour-blind readers), with a colour legend.

export interface HeatmapCell {
  readonly x: number | string;
  readonly y: number | string;
  readonly value: number | null;
}

export interface HeatmapData {
  readonly xParam: string;
  readonly yParam: string;
  readonly metric: string;
  readonly unit?: string;
  readonly cells: readonly HeatmapCell[];
}

function levels(values: readonly (number | string)[]): string[] {
  const unique = [...new Map(values.map((v) => [String(v), v])).values()];
  if (unique.every((v) => typeof v === 'number')) (unique as number[]).sort((a, b) => a - b);
  return unique.map(String);
}

/** Relative luminance (WCAG 2) of a "#rrggbb" colour. */
function luminance(hex: string): number {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (m === null) return 1;
  const [r, g, b] = [m[1]!, m[2]!, m[3]!].map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Black or white, whichever contrasts more with the cell: read from the colour itself, not from its rank. */
export function textOn(fill: string): string {
  const l = luminance(fill);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#111111' : '#ffffff';
}

/** A grid of cells coloured by the metric, one axis per parameter. */
export function heatmapChart(data: HeatmapData, options: ChartOptions = {}): string {
  const chart = 'heatmap';
  const size = chartSize(options, chart);
  const { width, height } = size;
  const cells = data.cells.map((c) => ({ x: String(c.x), y: String(c.y), value: clampFinite(c.value) }));
  const values = cells.flatMap((c) => (c.value === undefined ? [] : [c.value]));
  if (values.length === 0) throw new ChartError(`${chart}: no cells with a value for metric "${data.metric}"`);

  const title = options.title ?? `${metricLabel(data.metric)} by ${paramLabel(data.xParam)} and ${paramLabel(data.yParam)}`;
  const f = frame(width, height, { right: 110, left: 20, top: 16 }, title !== '');
  const xs = levels(data.cells.map((c) => c.x));
  const ys = levels(data.cells.map((c) => c.y)).reverse();
  const x = scaleBand<string>().domain(xs).range([f.left, f.right]).padding(0.04);
  const y = scaleBand<string>().domain(ys).range([f.top, f.bottom]).padding(0.04);
  const [lo, hi] = extentOf(values);
  const color = scaleSequential(interpolateViridis).domain([lo, hi]);
  const legendScale = scaleLinear().domain([lo, hi]).range([f.bottom, f.top]);
  const fmt = tickFormatter(legendScale, 5, data.unit);

  const parts: string[] = [];
  const showValues = x.bandwidth() > 58 && y.bandwidth() > 24;
  for (const c of cells) {
    const cx = x(c.x) ?? f.left;
    const cy = y(c.y) ?? f.top;
    const fill = c.value === undefined ? '#cccccc' : color(c.value);
    parts.push(`<rect class="cell" x="${num(cx)}" y="${num(cy)}" width="${num(x.bandwidth())}" height="${num(y.bandwidth())}" fill="${fill}"/>`);
    if (showValues && c.value !== undefined) {
      parts.push(text(cx + x.bandwidth() / 2, cy + y.bandwidth() / 2 + 5, fmt(c.value), { 'text-anchor': 'middle', 'font-size': THEME.tickSize - 2, fill: textOn(fill), class: 'cell-value' }));
    }
  }
  parts.push(bandAxis(x, f, { title: paramLabel(data.xParam) }));
  parts.push(bandAxis(y, f, { orient: 'left' }));
  const yt = (f.top + f.bottom) / 2;
  const ytx = 30;
  parts.push(`<text x="${ytx}" y="${num(yt)}" transform="rotate(-90 ${ytx} ${num(yt)})" text-anchor="middle" font-size="${THEME.labelSize}" fill="${THEME.text}" class="axis-title">${paramLabel(data.yParam).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)}</text>`);

  // Colour legend: a vertical gradient with ticks.
  const lx = f.right + 24;
  const stops = Array.from({ length: 11 }, (_, i) => `<stop offset="${i * 10}%" stop-color="${interpolateViridis(1 - i / 10)}"/>`).join('');
  parts.push(`<defs><linearGradient id="heat-ramp" x1="0" y1="0" x2="0" y2="1">${stops}</linearGradient></defs>`);
  parts.push(`<rect class="color-legend" x="${num(lx)}" y="${num(f.top)}" width="18" height="${num(f.height)}" fill="url(#heat-ramp)"/>`);
  for (const t of legendScale.ticks(5)) {
    const ty = legendScale(t);
    parts.push(`<line x1="${num(lx + 18)}" x2="${num(lx + 24)}" y1="${num(ty)}" y2="${num(ty)}" stroke="${THEME.axis}"/>`);
    parts.push(text(lx + 27, ty + 5, fmt(t), { 'font-size': THEME.tickSize - 2, fill: THEME.text, class: 'tick legend-tick' }));
  }
  parts.push(text(width - 8, f.top - 10, axisTitle(metricLabel(data.metric), data.unit), { 'font-size': THEME.tickSize - 2, fill: THEME.text, 'text-anchor': 'end', class: 'legend-title' }));
  return svgDocument(size, parts.join(''), title);
}
