import type { MetricName, MetricRow } from '../../sim/metrics.js';
import { METRICS } from '../../sim/metrics.js';
import { adoptionChart, adoptionPlot, type AdoptionData, type AdoptionOptions } from '../adoption.js';
import { clampFinite } from '../axes.js';
import { timeseriesChart, timeseriesPlot, type Series, type TimeseriesData, type TimeseriesOptions } from '../timeseries.js';
import { seriesColor, type ChartOptions, type Plot } from '../theme.js';
import { withMarkers, type Marker } from './markers.js';
import { thin } from './thin.js';

// The lab's live charts, drawn by the same chart functions as `ecosim chart` and the report, from
// the rows the worker has posted so far. The previous run (before the last reset) is drawn as a
// faint dashed "ghost" of each line, for comparison; interventions as labelled markers.
//
// A chart is drawn once and then grows: its x axis spans the whole run from the first tick, and
// `appendRows` gives the path segments of the ticks that came since, to add to the lines already
// drawn. Only a value beyond the y axis (which then grows, never shrinks, while the run goes) or a
// line drawn long enough to need thinning again calls for drawing the chart anew.

/** The y ranges a chart's axes cover at least: partners' on the adoption chart's right axis, when it has one. */
export interface YDomains {
  readonly y?: readonly [number, number];
  readonly partners?: readonly [number, number];
}

export interface LabChartInput {
  readonly rows: readonly MetricRow[];
  /** The rows of the previous run, or none. */
  readonly ghost: readonly MetricRow[];
  readonly platforms: readonly string[];
  readonly customerPool: number;
  readonly partnerPool: number;
  readonly markers: readonly Marker[];
  /** The picked metric of the last chart. */
  readonly picked: MetricName;
  /** The run's last tick: the x axis spans [0, lastTick] (or the ghost's ticks, if longer) from the first tick on. Default: the ticks drawn. */
  readonly lastTick?: number;
  /** For a chart's id, the y ranges its axes cover at least (what keeps them growing only while a run goes). */
  readonly yDomains?: Readonly<Record<string, YDomains>>;
}

/** One line of a chart that points are appended to: a metric of a platform, drawn by `y`. */
export interface LiveLine {
  /** Its path's place among the chart's `path.series` elements, or -1 when the chart drew none. */
  readonly path: number;
  readonly platform: string;
  readonly metric: MetricName;
  /** What a value is divided by before it is drawn (a pool, for the adoption chart's shares), or 1. */
  readonly per: number;
  /** Which y axis draws it. */
  readonly axis: 'y' | 'partners';
  /** Whether the last point drawn had a value (the next one continues the line rather than starting it again). */
  readonly pen: boolean;
}

export interface LabChart {
  readonly id: string;
  readonly title: string;
  readonly svg: string;
  /** Where the chart puts its points. */
  readonly plot: Plot;
  /** The adoption chart's right axis, for partners, when it has one (no pools to draw shares of). */
  readonly partners?: { readonly yDomain: readonly [number, number]; readonly y: (v: number) => number };
  /** The lines of the current run, in the order of their rows. */
  readonly lines: readonly LiveLine[];
  /** How many rows of the run the chart has drawn, and how many of them were appended. */
  readonly rowCount: number;
  readonly appended: number;
}

const GHOST_COLOR = '#b8b8b8';

const unitOf = (name: MetricName) => METRICS.find((m) => m.name === name)!.unit;

/** Points per line at most: two per pixel column of the lab's charts. */
const MAX_POINTS = 1600;

function seriesOf(rows: readonly MetricRow[], platform: string, metric: MetricName, label: string, extra: Partial<Series> = {}): Series {
  const points = [];
  for (const r of rows) if (r.platform === platform) points.push({ x: r.tick, y: r[metric] });
  return { label, points: thin(points, MAX_POINTS), ...extra };
}

/** The x domain of a live chart: the whole run, or the ghost's if longer; undefined leaves it to the data. */
function xDomainOf(input: LabChartInput): [number, number] | undefined {
  if (input.lastTick === undefined) return undefined;
  const ghostLast = input.ghost.length === 0 ? 0 : input.ghost[input.ghost.length - 1]!.tick;
  const last = input.rows.length === 0 ? 0 : input.rows[input.rows.length - 1]!.tick;
  return [0, Math.max(input.lastTick, ghostLast, last)];
}

const hasValue = (points: readonly { y: number | null }[]) => points.some((p) => clampFinite(p.y) !== undefined);

/** What one line of a chart shows: a metric of a platform (or of the whole ecosystem, "all"). */
interface Line { readonly metric: MetricName; readonly platform: string; readonly label: string }

/** A chart's lines from the series drawn: which path each has (the chart draws one for a series with a value). */
function liveLines(drawn: readonly boolean[], live: readonly { platform: string; metric: MetricName; per: number; axis: 'y' | 'partners'; first: number; pen: boolean }[]): LiveLine[] {
  let n = 0;
  const paths = drawn.map((d) => (d ? n++ : -1));
  return live.map((l) => ({ path: paths[l.first]!, platform: l.platform, metric: l.metric, per: l.per, axis: l.axis, pen: l.pen }));
}

const lastPen = (points: readonly { y: number | null }[]) => points.length > 0 && clampFinite(points[points.length - 1]!.y) !== undefined;

function lines(id: string, title: string, wanted: readonly Line[], input: LabChartInput, options: ChartOptions): LabChart | undefined {
  // Colours are fixed by position, so a ghost added after a reset does not recolour the live lines.
  const current = wanted.map((l, i) => seriesOf(input.rows, l.platform, l.metric, l.label, { color: seriesColor(i) }));
  const ghosts = input.ghost.length === 0 ? [] : wanted.map((l) => seriesOf(input.ghost, l.platform, l.metric, `${l.label}, previous run`, { color: GHOST_COLOR, dashed: true }));
  // Just after a reset the previous run is there to compare with before the first tick is.
  if ([...current, ...ghosts].every((s) => s.points.length === 0)) return undefined;
  const metrics = [...new Set(wanted.map((l) => l.metric))];
  const shownGhosts = ghosts.filter((g) => g.points.length > 0);
  const series = [...shownGhosts, ...current];
  const units = new Set(metrics.map(unitOf));
  const unit = units.size === 1 ? [...units][0] : undefined;
  const data: TimeseriesData = { series, name: metrics.join(', '), yLabel: title, yUnit: unit };
  const xDomain = xDomainOf(input);
  const yDomain = input.yDomains?.[id]?.y;
  const chartOptions: TimeseriesOptions = { ...options, title, markers: false, ...(xDomain ? { xDomain } : {}), ...(yDomain ? { yDomain } : {}) };
  const svg = timeseriesChart(data, chartOptions);
  const plot = timeseriesPlot(data, chartOptions);
  const live = wanted.map((l, i) => ({ platform: l.platform, metric: l.metric, per: 1, axis: 'y' as const, first: shownGhosts.length + i, pen: lastPen(current[i]!.points) }));
  return {
    id,
    title,
    svg: withMarkers(svg, input.markers, plot.xDomain),
    plot,
    lines: liveLines(series.map((s) => hasValue(s.points)), live),
    rowCount: input.rows.length,
    appended: 0,
  };
}

/** A platform's customers and partners for the adoption chart, at the ticks that keep either side's extremes. */
function adoptionOf(rows: readonly MetricRow[], name: string) {
  const customers: number[] = [];
  const partners: number[] = [];
  const c: { x: number; y: number }[] = [];
  const p: { x: number; y: number }[] = [];
  for (const r of rows) {
    if (r.platform !== name) continue;
    c.push({ x: r.tick, y: r.customers });
    p.push({ x: r.tick, y: r.partners });
  }
  // Both sides' values at each tick kept: no gap in either line.
  const keep = new Set([...thin(c, MAX_POINTS), ...thin(p, MAX_POINTS)].map((q) => q.x));
  const ticks: number[] = [];
  c.forEach((q, i) => {
    if (!keep.has(q.x)) return;
    ticks.push(q.x);
    customers.push(q.y);
    partners.push(p[i]!.y);
  });
  return { name, ticks, customers, partners };
}

function adoption(input: LabChartInput, options: ChartOptions): LabChart | undefined {
  if (input.rows.length === 0 && input.ghost.length === 0) return undefined;
  const platforms = input.platforms.map((name) => adoptionOf(input.rows, name));
  const previous = input.ghost.length === 0 ? [] : input.platforms.map((name) => adoptionOf(input.ghost, name)).filter((p) => p.ticks.length > 0);
  const title = 'Adoption: customers and partners';
  const data: AdoptionData = { platforms, customerPool: input.customerPool, partnerPool: input.partnerPool, ...(previous.length > 0 ? { previous } : {}) };
  const xDomain = xDomainOf(input);
  const domains = input.yDomains?.adoption;
  const chartOptions: AdoptionOptions = { ...options, title, ...(xDomain ? { xDomain } : {}), ...(domains?.y ? { yDomain: domains.y } : {}), ...(domains?.partners ? { partnerYDomain: domains.partners } : {}) };
  const svg = adoptionChart(data, chartOptions);
  const plot = adoptionPlot(data, chartOptions);
  const per = (pool: number) => (plot.shares ? pool : 1);
  // The chart's paths: the previous run's (customers, partners of each platform), then the current run's.
  const drawn = [...previous, ...platforms].flatMap((p) => [hasValue(p.customers.map((y) => ({ y }))), hasValue(p.partners.map((y) => ({ y })))]);
  const live = platforms.flatMap((p, i) => [
    { platform: p.name, metric: 'customers' as const, per: per(input.customerPool), axis: 'y' as const, first: 2 * (previous.length + i), pen: lastPen(p.customers.map((y) => ({ y }))) },
    { platform: p.name, metric: 'partners' as const, per: per(input.partnerPool), axis: 'partners' as const, first: 2 * (previous.length + i) + 1, pen: lastPen(p.partners.map((y) => ({ y }))) },
  ]);
  return {
    id: 'adoption',
    title,
    svg: withMarkers(svg, input.markers, plot.xDomain),
    plot,
    ...(plot.shares ? {} : { partners: { yDomain: plot.partnerYDomain, y: plot.yPartners } }),
    lines: liveLines(drawn, live),
    rowCount: input.rows.length,
    appended: 0,
  };
}

export const LAB_CHART_IDS = ['adoption', 'liquidity', 'money', 'value', 'picked'] as const;

/** Every live chart that has rows to draw, in the page's order; only those named in `only` when given. */
export function labCharts(input: LabChartInput, options: ChartOptions = {}, only?: ReadonlySet<string>): LabChart[] {
  const want = (id: string) => only === undefined || only.has(id);
  const of = (...metrics: MetricName[]): Line[] => metrics.map((metric) => ({ metric, platform: 'all', label: metric }));
  // The picked metric is shown for each platform, and for the whole ecosystem when there are several.
  const picked: Line[] = input.platforms.length === 1
    ? of(input.picked)
    : [...input.platforms.map((platform) => ({ metric: input.picked, platform, label: platform })), { metric: input.picked, platform: 'all', label: 'all' }];
  const charts = [
    want('adoption') ? adoption(input, options) : undefined,
    want('liquidity') ? lines('liquidity', 'Match rate and leakage', of('matchRate', 'leakageRate'), input, options) : undefined,
    want('money') ? lines('money', 'Revenue and orchestrator profit', of('revenue', 'orchestratorProfit'), input, options) : undefined,
    // ecosystemValue = partnerValue + customerValue + orchestratorProfit (docs/model.md section 7).
    want('value') ? lines('value', 'Ecosystem value and its parts', of('ecosystemValue', 'partnerValue', 'customerValue', 'orchestratorProfit'), input, options) : undefined,
    want('picked') ? lines('picked', `Picked metric: ${input.picked}`, picked, input, options) : undefined,
  ];
  return charts.filter((c): c is LabChart => c !== undefined);
}

/** A coordinate as the chart functions write it in a path (d3's two digits). */
const coord = (v: number) => String(Math.round(v * 100) / 100);

/** The rows since a chart was drawn, as segments to add to its lines' paths (`d` of each line, in order). */
export interface Appended {
  readonly chart: LabChart;
  readonly d: readonly string[];
}

/** Why a chart must be drawn anew rather than grown, with the y ranges it should cover. */
export interface Redraw {
  readonly redraw: true;
  readonly yDomains: YDomains;
}

/** A range grown to take in a value, with room for more beyond it: a third of its span on that side. */
function grow(d: readonly [number, number], v: number): [number, number] {
  const lo = Math.min(d[0], v);
  const hi = Math.max(d[1], v);
  const room = (hi - lo) / 3;
  return [v < d[0] ? lo - room : lo, v > d[1] ? hi + room : hi];
}

/**
 * The path segments that add the run's rows after those a chart has drawn to its lines, or, when
 * a value falls beyond the chart's axes, a line has no path to add to, or a line has had more points
 * added than a drawing keeps, what to draw the chart anew with (its y ranges grown to the values).
 */
export function appendRows(chart: LabChart, rows: readonly MetricRow[]): Appended | Redraw {
  const { plot } = chart;
  // Partners are read on the y axis unless the chart has a right axis for them.
  const right = chart.partners;
  let y = plot.yDomain;
  let partners = right?.yDomain ?? y;
  let beyond = false;
  const d = chart.lines.map(() => '');
  const pens = chart.lines.map((l) => l.pen);
  let added = 0;
  // Rows of another run (fewer than were drawn): drawn anew.
  if (rows.length < chart.rowCount) beyond = true;
  for (let r = chart.rowCount; r < rows.length; r++) {
    const row = rows[r]!;
    chart.lines.forEach((l, i) => {
      if (row.platform !== l.platform) return;
      const raw = clampFinite(row[l.metric]);
      if (raw === undefined) {
        pens[i] = false;
        return;
      }
      const v = raw / l.per;
      const own = l.axis === 'partners' && right !== undefined;
      const domain = own ? partners : y;
      if (l.path < 0 || row.tick < plot.xDomain[0] || row.tick > plot.xDomain[1]) beyond = true;
      if (v < domain[0] || v > domain[1]) {
        beyond = true;
        if (own) partners = grow(partners, v);
        else y = grow(y, v);
      }
      if (beyond) return;
      const py = own ? right.y(v) : plot.y(v);
      d[i] += `${pens[i] ? 'L' : 'M'}${coord(plot.x(row.tick))},${coord(py)}`;
      pens[i] = true;
      added++;
    });
  }
  const perLine = chart.lines.length === 0 ? 0 : (chart.appended + added) / chart.lines.length;
  if (beyond || perLine > MAX_POINTS) return { redraw: true, yDomains: right === undefined ? { y } : { y, partners } };
  return { chart: { ...chart, lines: chart.lines.map((l, i) => ({ ...l, pen: pens[i]! })), rowCount: rows.length, appended: chart.appended + added }, d };
}
