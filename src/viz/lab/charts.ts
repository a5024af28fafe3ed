import type { MetricName, MetricRow } from '../../sim/metrics.js';
import { METRICS } from '../../sim/metrics.js';
import { adoptionChart } from '../adoption.js';
import { extentOf } from '../axes.js';
import { timeseriesChart, type Series } from '../timeseries.js';
import { seriesColor, type ChartOptions } from '../theme.js';
import { withMarkers, type Marker } from './markers.js';
import { thin } from './thin.js';

// The lab's live charts, drawn by the same chart functions as `ecosim chart` and the report, from
// the rows the worker has posted so far. The previous run (before the last reset) is drawn as a
// faint dashed "ghost" of each line, for comparison; interventions as labelled markers.

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
}

export interface LabChart {
  readonly id: string;
  readonly title: string;
  readonly svg: string;
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

/** The x domain the chart functions give these series: the ticks with a finite value. */
function domainOf(series: readonly Series[]): [number, number] {
  const xs: number[] = [];
  for (const s of series) for (const p of s.points) if (p.y !== null && Number.isFinite(p.y)) xs.push(p.x);
  return extentOf(xs);
}

/** What one line of a chart shows: a metric of a platform (or of the whole ecosystem, "all"). */
interface Line { readonly metric: MetricName; readonly platform: string; readonly label: string }

function lines(id: string, title: string, wanted: readonly Line[], input: LabChartInput, options: ChartOptions): LabChart | undefined {
  // Colours are fixed by position, so a ghost added after a reset does not recolour the live lines.
  const current = wanted.map((l, i) => seriesOf(input.rows, l.platform, l.metric, l.label, { color: seriesColor(i) }));
  const ghosts = input.ghost.length === 0 ? [] : wanted.map((l) => seriesOf(input.ghost, l.platform, l.metric, `${l.label}, previous run`, { color: GHOST_COLOR, dashed: true }));
  // Just after a reset the previous run is there to compare with before the first tick is.
  if ([...current, ...ghosts].every((s) => s.points.length === 0)) return undefined;
  const metrics = [...new Set(wanted.map((l) => l.metric))];
  const series = [...ghosts.filter((g) => g.points.length > 0), ...current];
  const units = new Set(metrics.map(unitOf));
  const unit = units.size === 1 ? [...units][0] : undefined;
  const svg = timeseriesChart({ series, name: metrics.join(', '), yLabel: title, yUnit: unit }, { ...options, title, markers: false });
  return { id, title, svg: withMarkers(svg, input.markers, domainOf(series)) };
}

function adoption(input: LabChartInput, options: ChartOptions): LabChart | undefined {
  if (input.rows.length === 0) return undefined;
  const platforms = input.platforms.map((name) => {
    const customers: number[] = [];
    const partners: number[] = [];
    const c: { x: number; y: number }[] = [];
    const p: { x: number; y: number }[] = [];
    for (const r of input.rows) {
      if (r.platform !== name) continue;
      c.push({ x: r.tick, y: r.customers });
      p.push({ x: r.tick, y: r.partners });
    }
    // The ticks that keep either side's extremes, with both sides' values at each: no gap in either line.
    const keep = new Set([...thin(c, MAX_POINTS), ...thin(p, MAX_POINTS)].map((q) => q.x));
    const ticks: number[] = [];
    c.forEach((q, i) => {
      if (!keep.has(q.x)) return;
      ticks.push(q.x);
      customers.push(q.y);
      partners.push(p[i]!.y);
    });
    return { name, ticks, customers, partners };
  });
  const title = 'Adoption: customers and partners';
  const svg = adoptionChart({ platforms, customerPool: input.customerPool, partnerPool: input.partnerPool }, { ...options, title });
  const ticks = platforms.flatMap((p) => p.ticks);
  return { id: 'adoption', title, svg: withMarkers(svg, input.markers, extentOf(ticks)) };
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
