import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { axisTitle, clampFinite, extentOf, finiteValues, legend, legendHeight, xAxisLinear, yAxisLinear, type LegendItem } from './axes.js';
import { TICK_UNIT } from './labels.js';
import { chartSize, ChartError, frame, seriesColor, svgDocument, THEME, type ChartOptions, type Plot } from './theme.js';

// The chicken and egg made visible: customers and partners of each platform over time, together.
// With the pool sizes known, both sides are drawn as shares of their pool on one 0–100% axis;
// otherwise customers are read on the left axis and partners on the right one.

export interface AdoptionPlatform {
  readonly name: string;
  readonly ticks: readonly number[];
  /** Member customers at each tick. */
  readonly customers: readonly (number | null)[];
  /** Active partners at each tick. */
  readonly partners: readonly (number | null)[];
}

export interface AdoptionData {
  readonly platforms: readonly AdoptionPlatform[];
  /** All customers in the scenario: customers are drawn as a share of it when given. */
  readonly customerPool?: number;
  /** All potential partners: partners are drawn as a share of it when given. */
  readonly partnerPool?: number;
  /**
   * The same platforms in an earlier run (such as the lab's run before a reset), drawn under the
   * lines as faint dashed lines for comparison, on the same axes and as shares of the same pools.
   */
  readonly previous?: readonly AdoptionPlatform[];
}

export interface AdoptionOptions extends ChartOptions {
  /** The x axis's domain, fixed whatever the data (default: the ticks with a value), such as [0, ticks - 1]. */
  readonly xDomain?: readonly [number, number];
  /**
   * A range the (left) y axis covers at least; it grows to the data beyond it and is made round as
   * usual. With both pools given it is the one axis of shares (a share of 1 is 100%).
   */
  readonly yDomain?: readonly [number, number];
  /** The same for the partners' axis on the right, drawn when the pools are not given. */
  readonly partnerYDomain?: readonly [number, number];
}

/** Where `adoptionChart` puts the data: `y` maps customers (or shares), `yPartners` partners. */
export interface AdoptionPlot extends Plot {
  /** Whether both sides are drawn as shares of their pool on one axis. */
  readonly shares: boolean;
  readonly partnerYDomain: readonly [number, number];
  readonly yPartners: (v: number) => number;
}

const CUSTOMER_COLOR = seriesColor(3); // blue
const PARTNER_COLOR = seriesColor(0); // orange
const PREVIOUS_COLOR = '#b8b8b8';

type Pt = { x: number; y: number | undefined };

function domainOption(name: string, d: readonly [number, number] | undefined): [number, number] | undefined {
  if (d === undefined) return undefined;
  const [lo, hi] = d;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) throw new ChartError(`adoption: ${name} must be two finite numbers, the lower first, found [${lo}, ${hi}]`);
  return lo === hi ? extentOf([lo]) : [lo, hi];
}

function layout(data: AdoptionData, options: AdoptionOptions) {
  const chart = 'adoption';
  const size = chartSize(options, chart);
  const { width, height } = size;
  const xDomain = domainOption('xDomain', options.xDomain);
  const yDomain = domainOption('yDomain', options.yDomain);
  const partnerYDomain = domainOption('partnerYDomain', options.partnerYDomain);
  const pools = data.customerPool !== undefined && data.partnerPool !== undefined && data.customerPool > 0 && data.partnerPool > 0 && Number.isFinite(data.customerPool) && Number.isFinite(data.partnerPool);
  const sides = (p: AdoptionPlatform) => {
    const pts = (values: readonly (number | null)[], pool: number | undefined): Pt[] =>
      p.ticks
        .map((t, i) => {
          const v = clampFinite(values[i]);
          return { x: clampFinite(t), y: v === undefined ? undefined : pools ? v / pool! : v };
        })
        .filter((q): q is Pt => q.x !== undefined)
        .sort((a, b) => a.x - b.x);
    return { name: p.name, customers: pts(p.customers, data.customerPool), partners: pts(p.partners, data.partnerPool) };
  };
  const series = data.platforms.map(sides);
  const previous = (data.previous ?? []).map(sides);
  const all = series.flatMap((s) => [...s.customers, ...s.partners]).filter((p) => p.y !== undefined);
  const allPrevious = previous.flatMap((s) => [...s.customers, ...s.partners]).filter((p) => p.y !== undefined);
  if (all.length === 0 && allPrevious.length === 0) throw new ChartError(`${chart}: no rows with customers or partners to draw`);

  const title = options.title ?? 'Adoption: customers and partners over time';
  const several = series.length > 1;
  const items: LegendItem[] = several
    ? [...series.map((s, i) => ({ label: s.name, color: seriesColor(i), shape: 'box' as const })), { label: 'customers', color: THEME.text }, { label: 'partners', color: THEME.text, shape: 'dashed' as const }]
    : [{ label: pools ? 'customers (share of all)' : 'customers', color: CUSTOMER_COLOR }, { label: pools ? 'partners (share of pool)' : 'partners', color: PARTNER_COLOR, shape: 'dashed' as const }];
  if (allPrevious.length > 0) items.push({ label: 'previous run', color: PREVIOUS_COLOR, shape: 'dashed' });
  const f0 = frame(width, height, { right: pools ? 0 : 70 }, title !== '');
  const lh = legendHeight(items, f0.width, true);
  const f = frame(width, height, { top: lh, right: pools ? 0 : 70 }, title !== '');
  const x = scaleLinear().domain(xDomain ?? extentOf([...all, ...allPrevious].map((p) => p.x))).range([f.left, f.right]);
  const both = [...series, ...previous];
  const cy = finiteValues(both.flatMap((s) => s.customers.map((p) => p.y)));
  const py = finiteValues(both.flatMap((s) => s.partners.map((p) => p.y)));
  const yC = scaleLinear().domain(extentOf([...(pools ? [...cy, ...py] : cy), ...(yDomain ?? [])], { zero: true, unit: pools ? 'share' : undefined })).nice().range([f.bottom, f.top]);
  const yP = pools ? yC : scaleLinear().domain(extentOf([...py, ...(partnerYDomain ?? [])], { zero: true })).nice().range([f.bottom, f.top]);
  return { size, pools, series, previous, title, several, items, lh, f, x, yC, yP };
}

/**
 * Where `adoptionChart` puts the data, for the same data and options: the plot frame, the axes'
 * domains and the mapping of customers and partners (shares of their pools, when given) to the chart.
 */
export function adoptionPlot(data: AdoptionData, options: AdoptionOptions = {}): AdoptionPlot {
  const { pools, f, x, yC, yP } = layout(data, options);
  return {
    frame: f,
    shares: pools,
    xDomain: x.domain() as [number, number],
    yDomain: yC.domain() as [number, number],
    partnerYDomain: yP.domain() as [number, number],
    x: (v) => x(v),
    y: (v) => yC(v),
    yPartners: (v) => yP(v),
  };
}

/** Customers (solid) and partners (dashed) of each platform over time; an earlier run faint and dashed. */
export function adoptionChart(data: AdoptionData, options: AdoptionOptions = {}): string {
  const { size, pools, series, previous, title, several, items, lh, f, x, yC, yP } = layout(data, options);
  const color = (i: number, side: 'customers' | 'partners') => (several ? seriesColor(i) : side === 'customers' ? CUSTOMER_COLOR : PARTNER_COLOR);
  const parts: string[] = [];
  if (pools) parts.push(yAxisLinear(yC, f, { title: 'members (share of their pool, %)', unit: 'share' }));
  else {
    parts.push(yAxisLinear(yC, f, { title: 'customers', color: several ? THEME.text : CUSTOMER_COLOR }));
    parts.push(yAxisLinear(yP, f, { title: 'partners', side: 'right', color: several ? THEME.text : PARTNER_COLOR }));
  }
  parts.push(xAxisLinear(x, f, { title: axisTitle('time', TICK_UNIT) }));
  const gen = (y: (v: number) => number) =>
    line<Pt>()
      .defined((p) => p.y !== undefined)
      .x((p) => x(p.x))
      .y((p) => y(p.y ?? 0))
      .digits(2);
  // The earlier run under the live lines: both sides faint, customers in long dashes, partners in short ones.
  previous.forEach((s) => {
    const name = several ? `${s.name}, ` : '';
    const c = gen(yC)(s.customers);
    if (c !== null && s.customers.some((p) => p.y !== undefined)) parts.push(`<path class="series ghost customers" data-label="${escapeAttr(`${name}customers, previous run`)}" d="${c}" fill="none" stroke="${PREVIOUS_COLOR}" stroke-width="${THEME.lineWidth}" stroke-dasharray="8 5"/>`);
    const p = gen(yP)(s.partners);
    if (p !== null && s.partners.some((q) => q.y !== undefined)) parts.push(`<path class="series ghost partners" data-label="${escapeAttr(`${name}partners, previous run`)}" d="${p}" fill="none" stroke="${PREVIOUS_COLOR}" stroke-width="${THEME.lineWidth}" stroke-dasharray="3 4"/>`);
  });
  series.forEach((s, i) => {
    const c = gen(yC)(s.customers);
    if (c !== null && s.customers.some((p) => p.y !== undefined)) parts.push(`<path class="series customers"${several ? '' : ` data-label="${items[0]!.label}"`} d="${c}" fill="none" stroke="${color(i, 'customers')}" stroke-width="${THEME.lineWidth + 0.5}"/>`);
    const p = gen(yP)(s.partners);
    if (p !== null && s.partners.some((q) => q.y !== undefined)) parts.push(`<path class="series partners"${several ? '' : ` data-label="${items[1]!.label}"`} d="${p}" fill="none" stroke="${color(i, 'partners')}" stroke-width="${THEME.lineWidth + 0.5}" stroke-dasharray="9 5"/>`);
  });
  parts.push(legend(items, f.left, f.top - lh + 12, f.width));
  return svgDocument(size, parts.join(''), title);
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
