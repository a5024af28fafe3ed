import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { axisTitle, clampFinite, extentOf, finiteValues, legend, legendHeight, xAxisLinear, yAxisLinear, type LegendItem } from './axes.js';
import { TICK_UNIT } from './labels.js';
import { chartSize, ChartError, frame, seriesColor, svgDocument, THEME, type ChartOptions } from './theme.js';

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
}

const CUSTOMER_COLOR = seriesColor(3); // blue
const PARTNER_COLOR = seriesColor(0); // orange

type Pt = { x: number; y: number | undefined };

/** Customers (solid) and partners (dashed) of each platform over time. */
export function adoptionChart(data: AdoptionData, options: ChartOptions = {}): string {
  const chart = 'adoption';
  const size = chartSize(options, chart);
  const { width, height } = size;
  const pools = data.customerPool !== undefined && data.partnerPool !== undefined && data.customerPool > 0 && data.partnerPool > 0 && Number.isFinite(data.customerPool) && Number.isFinite(data.partnerPool);
  const series = data.platforms.map((p) => {
    const pts = (values: readonly (number | null)[], pool: number | undefined): Pt[] =>
      p.ticks
        .map((t, i) => {
          const v = clampFinite(values[i]);
          return { x: clampFinite(t), y: v === undefined ? undefined : pools ? v / pool! : v };
        })
        .filter((q): q is Pt => q.x !== undefined)
        .sort((a, b) => a.x - b.x);
    return { name: p.name, customers: pts(p.customers, data.customerPool), partners: pts(p.partners, data.partnerPool) };
  });
  const all = series.flatMap((s) => [...s.customers, ...s.partners]).filter((p) => p.y !== undefined);
  if (all.length === 0) throw new ChartError(`${chart}: no rows with customers or partners to draw`);

  const title = options.title ?? 'Adoption: customers and partners over time';
  const several = series.length > 1;
  const color = (i: number, side: 'customers' | 'partners') => (several ? seriesColor(i) : side === 'customers' ? CUSTOMER_COLOR : PARTNER_COLOR);
  const items: LegendItem[] = several
    ? [...series.map((s, i) => ({ label: s.name, color: seriesColor(i), shape: 'box' as const })), { label: 'customers', color: THEME.text }, { label: 'partners', color: THEME.text, shape: 'dashed' as const }]
    : [{ label: pools ? 'customers (share of all)' : 'customers', color: CUSTOMER_COLOR }, { label: pools ? 'partners (share of pool)' : 'partners', color: PARTNER_COLOR, shape: 'dashed' as const }];
  const f0 = frame(width, height, { right: pools ? 0 : 70 }, title !== '');
  const lh = legendHeight(items, f0.width, true);
  const f = frame(width, height, { top: lh, right: pools ? 0 : 70 }, title !== '');
  const x = scaleLinear().domain(extentOf(all.map((p) => p.x))).range([f.left, f.right]);
  const cy = finiteValues(series.flatMap((s) => s.customers.map((p) => p.y)));
  const py = finiteValues(series.flatMap((s) => s.partners.map((p) => p.y)));
  const yC = scaleLinear().domain(extentOf(pools ? [...cy, ...py] : cy, { zero: true, unit: pools ? 'share' : undefined })).nice().range([f.bottom, f.top]);
  const yP = pools ? yC : scaleLinear().domain(extentOf(py, { zero: true })).nice().range([f.bottom, f.top]);

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
  series.forEach((s, i) => {
    const c = gen(yC)(s.customers);
    if (c !== null && s.customers.some((p) => p.y !== undefined)) parts.push(`<path class="series customers"${several ? '' : ` data-label="${items[0]!.label}"`} d="${c}" fill="none" stroke="${color(i, 'customers')}" stroke-width="${THEME.lineWidth + 0.5}"/>`);
    const p = gen(yP)(s.partners);
    if (p !== null && s.partners.some((q) => q.y !== undefined)) parts.push(`<path class="series partners"${several ? '' : ` data-label="${items[1]!.label}"`} d="${p}" fill="none" stroke="${color(i, 'partners')}" stroke-width="${THEME.lineWidth + 0.5}" stroke-dasharray="9 5"/>`);
  });
  parts.push(legend(items, f.left, f.top - lh + 12, f.width));
  return svgDocument(size, parts.join(''), title);
}
