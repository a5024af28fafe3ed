import { InputError } from '../sim/inputError.js';

// One look for every chart (DESIGN.md, "Viz takes data only"): the Okabe–Ito palette, which stays
// distinct for the common forms of colour blindness, large fonts that read from the back of a
// classroom, and a standalone SVG document with a font every machine here has (DejaVu Sans).

/** A chart could not be drawn from its data (no rows, no finite value): input a person can fix. */
export class ChartError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'ChartError';
  }
}

/** Okabe & Ito (2008), without the black: orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple. */
export const PALETTE: readonly string[] = ['#E69F00', '#56B4E9', '#009E73', '#0072B2', '#D55E00', '#CC79A7', '#F0E442', '#000000'];

/** The colour of the i-th series (cycles through the palette). */
export function seriesColor(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length]!;
}

export const FONT_FAMILY = 'DejaVu Sans, sans-serif';

export const THEME = {
  width: 960,
  height: 540,
  titleSize: 20,
  labelSize: 16,
  tickSize: 14,
  legendSize: 14,
  margin: { top: 56, right: 32, bottom: 72, left: 96 },
  text: '#222222',
  muted: '#555555',
  grid: '#e3e3e3',
  axis: '#333333',
  background: '#ffffff',
  lineWidth: 2.5,
  bandOpacity: 0.22,
} as const;

/** Options every chart takes. */
export interface ChartOptions {
  /** Pixels; default 960. */
  readonly width?: number;
  /** Pixels; default 540. */
  readonly height?: number;
  /** Chart title; an empty string draws none; undefined draws the chart's default. */
  readonly title?: string;
}

/** The plot area inside the margins. */
export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/**
 * Where a chart puts its data: the plot frame, the domains of its axes and the mapping from data to
 * the chart's layout units (the SVG's viewBox). What a caller needs to add points to a chart already
 * drawn, as the lab does while a run goes.
 */
export interface Plot {
  readonly frame: Frame;
  readonly xDomain: readonly [number, number];
  readonly yDomain: readonly [number, number];
  readonly x: (v: number) => number;
  readonly y: (v: number) => number;
}

/**
 * The size of a chart. Charts lay out in `width` × `height` units, with the theme's text sizes,
 * strokes and margins; the document is `pixelWidth` × `pixelHeight` pixels, its viewBox the layout
 * size. The layout is the requested size divided by `scale`, how much larger than the 960×540 design
 * size the chart is (the smaller of the two ratios), so a 1920×1080 chart is the 960×540 one drawn
 * twice as large: its text is the same fraction of its height, as it must be on a slide.
 */
export interface ChartSize {
  readonly width: number;
  readonly height: number;
  readonly pixelWidth: number;
  readonly pixelHeight: number;
  readonly scale: number;
}

/** Below this scale text would be too small to read; a small chart then lays out more tightly instead. */
const MIN_SCALE = 0.75;

/** The size from options, checked: positive, finite, at least 120×80, at most 20000. */
export function chartSize(options: ChartOptions | undefined, chart: string): ChartSize {
  const width = options?.width ?? THEME.width;
  const height = options?.height ?? THEME.height;
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isFinite(v) || v < (name === 'width' ? 120 : 80) || v > 20000) {
      throw new ChartError(`${chart}: ${name} must be a number of pixels between ${name === 'width' ? 120 : 80} and 20000, found ${v}`);
    }
  }
  const pixelWidth = Math.round(width);
  const pixelHeight = Math.round(height);
  const scale = Math.max(MIN_SCALE, Math.min(pixelWidth / THEME.width, pixelHeight / THEME.height));
  const round2 = (v: number) => Math.round(v * 100) / 100;
  return { width: round2(pixelWidth / scale), height: round2(pixelHeight / scale), pixelWidth, pixelHeight, scale };
}

/** The plot frame for a chart of that size, with extra room on any side. */
export function frame(width: number, height: number, extra: Partial<Record<'top' | 'right' | 'bottom' | 'left', number>> = {}, hasTitle = true): Frame {
  const m = THEME.margin;
  const left = m.left + (extra.left ?? 0);
  const right = width - m.right - (extra.right ?? 0);
  const top = (hasTitle ? m.top : 24) + (extra.top ?? 0);
  const bottom = height - m.bottom - (extra.bottom ?? 0);
  return { left, right: Math.max(right, left + 10), top, bottom: Math.max(bottom, top + 10), width: Math.max(right - left, 10), height: Math.max(bottom - top, 10) };
}

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe inside an SVG element or attribute; drops characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** A number for an SVG coordinate: finite (non-finite becomes 0), at most two decimals. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return '0';
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/** An SVG <text> element. */
export function text(x: number, y: number, content: string, attrs: Readonly<Record<string, string | number>> = {}): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? num(v) : escapeXml(v)}"`)
    .join('');
  return `<text x="${num(x)}" y="${num(y)}"${a}>${escapeXml(content)}</text>`;
}

/** The title, centred at the top; nothing for an empty title. */
export function titleText(width: number, title: string): string {
  if (title === '') return '';
  return text(width / 2, 34, title, { 'text-anchor': 'middle', 'font-size': THEME.titleSize, 'font-weight': 'bold', fill: THEME.text, class: 'title' });
}

/**
 * A standalone SVG document: XML declaration, namespace, the pixel size with the layout size as its
 * viewBox (so everything scales with the chart), white background, title for screen readers.
 */
export function svgDocument(size: ChartSize, body: string, title: string): string {
  const w = num(size.width);
  const h = num(size.height);
  const t = title === '' ? '' : `<title>${escapeXml(title)}</title>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size.pixelWidth}" height="${size.pixelHeight}" viewBox="0 0 ${w} ${h}" font-family="${FONT_FAMILY}" role="img">` +
    `${t}<rect width="${w}" height="${h}" fill="${THEME.background}"/>` +
    `${titleText(size.width, title)}${body}</svg>\n`
  );
}

/** A path "M x y L x y …" from points, skipping none (callers pass finite points). */
export function polyline(points: readonly (readonly [number, number])[]): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${num(x)},${num(y)}`).join('');
}
