import { format as d3format } from 'd3-format';
import type { ScaleBand, ScaleLinear } from 'd3-scale';
import { escapeXml, num, text, THEME, type Frame } from './theme.js';

// Axes, gridlines and legends drawn as SVG strings from d3 scales (no DOM: d3-axis needs one).

/** Values beyond this are clamped so that spans and ticks stay finite. */
const LIMIT = 1e150;

/** The finite values of a list, clamped to ±1e150. */
export function finiteValues(values: Iterable<number | null | undefined>): number[] {
  const out: number[] = [];
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) out.push(Math.max(-LIMIT, Math.min(LIMIT, v)));
  return out;
}

/** A value clamped like finiteValues, or undefined when not finite. */
export function clampFinite(v: number | null | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? Math.max(-LIMIT, Math.min(LIMIT, v)) : undefined;
}

/**
 * A domain covering the values, never empty: a constant series gets room around it; `zero` includes 0;
 * `unit` "share" values in [0, 1] get [0, 1].
 */
export function extentOf(values: readonly number[], options: { zero?: boolean; unit?: string } = {}): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [0, 1];
  if (options.zero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  if (options.unit === 'share' && lo >= 0 && hi <= 1) return [0, 1];
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - pad, hi + pad];
  }
  return [lo, hi];
}

/** Tick labels for a linear scale, chosen from the size of its values and its unit. */
export function tickFormatter(scale: ScaleLinear<number, number>, count: number, unit?: string): (v: number) => string {
  const [a, b] = scale.domain() as [number, number];
  const maxAbs = Math.max(Math.abs(a), Math.abs(b));
  if (unit === 'share' && maxAbs <= 10) return scale.tickFormat(count, '~%');
  if (maxAbs >= 1e15) return d3format('.2~e');
  if (maxAbs >= 1e4) {
    const f = scale.tickFormat(count, '~s');
    return (v) => (v === 0 ? '0' : f(v));
  }
  if (maxAbs < 1e-3 && maxAbs > 0) return d3format('.2~e');
  return scale.tickFormat(count, ',~f');
}

/** The unit as an axis title shows it: shares as %, ticks as weeks, others as they are. */
export function unitText(unit: string): string {
  if (unit === 'share') return '%';
  if (unit === 'tick') return 'weeks';
  return unit;
}

/**
 * An axis title with its unit: "GMV (money)", "match rate (%)", "time (weeks)". The unit is dropped
 * when empty or already a word of the label ("churned customers", not "churned customers (customers)").
 * A share's ticks are percentages (tickFormatter), so its "%" never sits over fractions.
 */
export function axisTitle(label: string, unit?: string): string {
  if (unit === undefined || unit === '') return label;
  const u = unitText(unit);
  if (label.split(/[\s,()]+/).includes(u) || label === u) return label;
  return `${label} (${u})`;
}

/**
 * A category label as at most `maxLines` lines of `maxChars`, broken after spaces, hyphens and
 * underscores. What does not fit loses its middle, not its end, so "cold-start-subsidy" and
 * "cold-start-coupons" stay apart when cut.
 */
export function labelLines(label: string, maxChars: number, maxLines = 3): string[] {
  if (label.length <= maxChars) return [label];
  const pieces = label.match(/[^\s_-]+[\s_-]*/g) ?? [label];
  const lines: string[] = [];
  let cur = '';
  for (const piece of pieces) {
    if (cur !== '' && (cur + piece).trimEnd().length > maxChars) {
      lines.push(cur.trimEnd());
      cur = '';
    }
    cur += piece;
  }
  if (cur !== '') lines.push(cur.trimEnd());
  if (lines.length > maxLines) {
    const rest = lines.slice(maxLines - 1).join('');
    lines.splice(maxLines - 1, lines.length, rest);
  }
  return lines.map((l) => shortenMiddle(l, maxChars));
}

/** A label cut to `max` characters by an ellipsis in its middle. */
export function shortenMiddle(label: string, max: number): string {
  if (label.length <= max) return label;
  const keep = Math.max(2, max - 1);
  const head = Math.ceil(keep / 2);
  return `${label.slice(0, head)}…${label.slice(label.length - (keep - head))}`;
}

export interface AxisOptions {
  readonly title?: string;
  readonly unit?: string;
  readonly ticks?: number;
  readonly grid?: boolean;
  /** Left (default) or right, for a y axis. */
  readonly side?: 'left' | 'right';
  readonly color?: string;
  /** A tick formatter that replaces the default. */
  readonly format?: (v: number) => string;
}

function tickCount(length: number, spacing: number): number {
  return Math.max(2, Math.min(10, Math.floor(length / spacing)));
}

/** A horizontal linear axis along the bottom of the frame, with vertical gridlines. */
export function xAxisLinear(scale: ScaleLinear<number, number>, f: Frame, options: AxisOptions = {}): string {
  const count = options.ticks ?? tickCount(f.width, 110);
  const fmt = options.format ?? tickFormatter(scale, count, options.unit);
  const parts: string[] = [];
  for (const t of scale.ticks(count)) {
    const x = scale(t);
    if (!Number.isFinite(x)) continue;
    if (options.grid !== false) parts.push(`<line class="grid" x1="${num(x)}" x2="${num(x)}" y1="${num(f.top)}" y2="${num(f.bottom)}" stroke="${THEME.grid}"/>`);
    parts.push(`<line x1="${num(x)}" x2="${num(x)}" y1="${num(f.bottom)}" y2="${num(f.bottom + 6)}" stroke="${THEME.axis}"/>`);
    parts.push(text(x, f.bottom + 24, fmt(t), { 'text-anchor': 'middle', 'font-size': THEME.tickSize, fill: THEME.text, class: 'tick' }));
  }
  parts.push(`<line class="domain" x1="${num(f.left)}" x2="${num(f.right)}" y1="${num(f.bottom)}" y2="${num(f.bottom)}" stroke="${THEME.axis}"/>`);
  if (options.title) parts.push(text((f.left + f.right) / 2, f.bottom + 54, options.title, { 'text-anchor': 'middle', 'font-size': THEME.labelSize, fill: THEME.text, class: 'axis-title' }));
  return `<g class="axis x">${parts.join('')}</g>`;
}

/** A vertical linear axis on the left (or right) of the frame, with horizontal gridlines. */
export function yAxisLinear(scale: ScaleLinear<number, number>, f: Frame, options: AxisOptions = {}): string {
  const count = options.ticks ?? tickCount(f.height, 60);
  const fmt = options.format ?? tickFormatter(scale, count, options.unit);
  const right = options.side === 'right';
  const x0 = right ? f.right : f.left;
  const dir = right ? 1 : -1;
  const color = options.color ?? THEME.text;
  const parts: string[] = [];
  for (const t of scale.ticks(count)) {
    const y = scale(t);
    if (!Number.isFinite(y)) continue;
    if (options.grid !== false && !right) parts.push(`<line class="grid" x1="${num(f.left)}" x2="${num(f.right)}" y1="${num(y)}" y2="${num(y)}" stroke="${THEME.grid}"/>`);
    parts.push(`<line x1="${num(x0)}" x2="${num(x0 + 6 * dir)}" y1="${num(y)}" y2="${num(y)}" stroke="${THEME.axis}"/>`);
    parts.push(text(x0 + 10 * dir, y + 5, fmt(t), { 'text-anchor': right ? 'start' : 'end', 'font-size': THEME.tickSize, fill: color, class: 'tick' }));
  }
  parts.push(`<line class="domain" x1="${num(x0)}" x2="${num(x0)}" y1="${num(f.top)}" y2="${num(f.bottom)}" stroke="${THEME.axis}"/>`);
  if (options.title) {
    const tx = right ? f.right + 78 : f.left - 78;
    const ty = (f.top + f.bottom) / 2;
    parts.push(`<text x="${num(tx)}" y="${num(ty)}" transform="rotate(${right ? 90 : -90} ${num(tx)} ${num(ty)})" text-anchor="middle" font-size="${THEME.labelSize}" fill="${escapeXml(color)}" class="axis-title">${escapeXml(options.title)}</text>`);
  }
  return `<g class="axis y${right ? ' right' : ''}">${parts.join('')}</g>`;
}

/** Lines a band axis at the bottom may use for one label; charts leave room for them (BAND_LABEL_ROOM). */
export const BAND_LABEL_LINES = 3;
/** Extra bottom margin a chart with a bottom band axis needs for its labels of up to three lines. */
export const BAND_LABEL_ROOM = 2 * 17;

/** Category labels under (or beside) a band scale; long ones wrap onto up to three lines. */
export function bandAxis(scale: ScaleBand<string>, f: Frame, options: { title?: string; orient?: 'bottom' | 'left' } = {}): string {
  const parts: string[] = [];
  const bottom = (options.orient ?? 'bottom') === 'bottom';
  const maxChars = Math.max(4, Math.floor(scale.step() / (THEME.tickSize * 0.6)));
  let lines = 1;
  for (const d of scale.domain()) {
    const c = (scale(d) ?? 0) + scale.bandwidth() / 2;
    if (bottom) {
      const ls = labelLines(d, maxChars, BAND_LABEL_LINES);
      lines = Math.max(lines, ls.length);
      parts.push(`<text x="${num(c)}" y="${num(f.bottom + 24)}" text-anchor="middle" font-size="${THEME.tickSize}" fill="${THEME.text}" class="tick">${ls.map((l, i) => `<tspan x="${num(c)}" dy="${i === 0 ? 0 : 17}">${escapeXml(l)}</tspan>`).join('')}</text>`);
    } else parts.push(text(f.left - 10, c + 5, shortenMiddle(d, 28), { 'text-anchor': 'end', 'font-size': THEME.tickSize, fill: THEME.text, class: 'tick' }));
  }
  if (bottom) parts.push(`<line class="domain" x1="${num(f.left)}" x2="${num(f.right)}" y1="${num(f.bottom)}" y2="${num(f.bottom)}" stroke="${THEME.axis}"/>`);
  else parts.push(`<line class="domain" x1="${num(f.left)}" x2="${num(f.left)}" y1="${num(f.top)}" y2="${num(f.bottom)}" stroke="${THEME.axis}"/>`);
  if (options.title && bottom) parts.push(text((f.left + f.right) / 2, f.bottom + 54 + (lines - 1) * 17, options.title, { 'text-anchor': 'middle', 'font-size': THEME.labelSize, fill: THEME.text, class: 'axis-title' }));
  return `<g class="axis band">${parts.join('')}</g>`;
}

/** A label cut to `max` characters with an ellipsis. */
export function shorten(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, Math.max(1, max - 1))}…`;
}

export interface LegendItem {
  readonly label: string;
  readonly color: string;
  /** How the key is drawn: a line (default), a filled box, or a dashed line. */
  readonly shape?: 'line' | 'box' | 'dashed';
}

const approxWidth = (s: string, size: number) => s.length * size * 0.6;

/** Rows of a horizontal legend laid out within `width`. */
function legendRows(items: readonly LegendItem[], width: number): LegendItem[][] {
  const rows: LegendItem[][] = [[]];
  let used = 0;
  for (const item of items) {
    const w = 34 + approxWidth(shortenMiddle(item.label, 48), THEME.legendSize) + 20;
    if (used + w > width && rows[rows.length - 1]!.length > 0) {
      rows.push([]);
      used = 0;
    }
    rows[rows.length - 1]!.push(item);
    used += w;
  }
  return rows;
}

/** Height a legend of these items needs in a row of `width` pixels (0 for fewer than two items unless forced). */
export function legendHeight(items: readonly LegendItem[], width: number, force = false): number {
  if (items.length < 2 && !force) return 0;
  if (items.length === 0) return 0;
  return legendRows(items, width).length * 22 + 6;
}

/** A horizontal legend starting at (x, y), wrapping within `width`. */
export function legend(items: readonly LegendItem[], x: number, y: number, width: number): string {
  const parts: string[] = [];
  let yy = y;
  for (const row of legendRows(items, width)) {
    let xx = x;
    for (const item of row) {
      const label = shortenMiddle(item.label, 48);
      const shape = item.shape ?? 'line';
      const key = ` class="swatch" data-label="${escapeXml(item.label)}" data-color="${escapeXml(item.color)}"`;
      if (shape === 'box') parts.push(`<rect${key} x="${num(xx)}" y="${num(yy - 10)}" width="26" height="12" fill="${escapeXml(item.color)}"/>`);
      else parts.push(`<line${key} x1="${num(xx)}" x2="${num(xx + 26)}" y1="${num(yy - 4)}" y2="${num(yy - 4)}" stroke="${escapeXml(item.color)}" stroke-width="3"${shape === 'dashed' ? ' stroke-dasharray="6 4"' : ''}/>`);
      parts.push(text(xx + 34, yy + 1, label, { 'font-size': THEME.legendSize, fill: THEME.text, class: 'legend-label' }));
      xx += 34 + approxWidth(label, THEME.legendSize) + 20;
    }
    yy += 22;
  }
  return `<g class="legend">${parts.join('')}</g>`;
}
