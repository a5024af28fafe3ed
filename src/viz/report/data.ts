import nodePath from 'node:path';
import { InputError } from '../../sim/inputError.js';
import { METRICS } from '../../sim/metrics.js';
import type { AdoptionData } from '../adoption.js';
import type { ComparisonData } from '../comparison.js';
import type { HeatmapData } from '../heatmap.js';
import {
  adoptionFromRun,
  comparisonFromCompare,
  heatmapFromPoints,
  moneyflowFromRun,
  readCompare,
  readPoints,
  readRunMetrics,
  responseFromPoints,
  timeseriesFromCompareAll,
  timeseriesFromRun,
  timeseriesFromSweep,
} from '../load.js';
import type { MoneyFlowData } from '../moneyflow.js';
import type { ResponseData } from '../response.js';
import { numberOf as num, readJson, readTable, resultHas, resultKind, isRecord, numOrNull } from '../resultFiles.js';
import type { TimeseriesData } from '../timeseries.js';

export { resultKind, type ResultKind } from '../resultFiles.js';
import { experimentFigures, segmentFigures, type ExperimentFigures, type SegmentFigures } from './marketSections.js';

// Reads a result directory (run, sweep or compare) into the plain data the report page draws.
// Data only (DESIGN.md, principle 6): no engine, no agents.


/** A metric of the catalogue, as the page shows it. */
export interface ReportMetric {
  readonly name: string;
  readonly unit: string;
  readonly description: string;
}

/** One platform's (or "all"'s) series: ticks and, per metric, one value a tick (null where empty). */
export interface PlatformSeries {
  readonly platform: string;
  readonly ticks: readonly number[];
  readonly values: Readonly<Record<string, readonly (number | null)[]>>;
}

/** The key figures of one platform, or of "all". */
export interface KeyFigures {
  readonly name: string;
  readonly customers: number | null;
  readonly partners: number | null;
  readonly matchRate: number | null;
  readonly leakageRate: number | null;
  readonly revenue: number | null;
  readonly orchestratorProfit: number | null;
  readonly ecosystemValue: number | null;
  readonly tippedAt: number | null;
  readonly failedAt: number | null;
}

export interface RunReportData {
  readonly kind: 'run';
  readonly title: string;
  readonly metrics: readonly ReportMetric[];
  readonly series: readonly PlatformSeries[];
  /** "all" first, then each platform. */
  readonly figures: readonly KeyFigures[];
  /** Run totals of the money flows of "all" (commission … ecosystemValue). */
  readonly money: Readonly<Record<string, number | null>>;
  /** The size of the partner pool, to draw partners as a share; null when unknown. */
  readonly partnerPool: number | null;
  readonly scenario: unknown;
  /** Per platform and customer segment, when the scenario has segments. */
  readonly segments: readonly SegmentFigures[];
  /** The platforms' in-market experiments, when the scenario has any. */
  readonly experiments: readonly ExperimentFigures[];
}

/** One metric of a sweep: per point, in the order of `points`. */
export interface SweepMetricData {
  readonly n: readonly (number | null)[];
  readonly mean: readonly (number | null)[];
  readonly sd: readonly (number | null)[];
  readonly ciLow: readonly (number | null)[];
  readonly ciHigh: readonly (number | null)[];
}

export interface SweepReportData {
  readonly kind: 'sweep';
  readonly title: string;
  readonly design: string;
  readonly params: readonly string[];
  /** Per point: its index and its parameter values (numbers where they parse as numbers). */
  readonly points: readonly { readonly point: number; readonly values: readonly (number | string)[] }[];
  readonly metricNames: readonly string[];
  readonly data: Readonly<Record<string, SweepMetricData>>;
  readonly defaultMetric: string;
  readonly scenario: unknown;
}

export interface CompareRow {
  readonly scenario: string;
  readonly n: number | null;
  readonly mean: number | null;
  readonly sd: number | null;
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  readonly diff: number | null;
  readonly diffLow: number | null;
  readonly diffHigh: number | null;
  readonly p: number | null;
}

export interface CompareReportData {
  readonly kind: 'compare';
  readonly title: string;
  readonly scenarios: readonly string[];
  readonly metricNames: readonly string[];
  readonly rows: Readonly<Record<string, readonly CompareRow[]>>;
  readonly scenario: unknown;
}

export type ReportData = RunReportData | SweepReportData | CompareReportData;

/**
 * The data of every chart of the page, made in Node by the loaders "ecosim chart" uses, per metric
 * the picker offers; the page hands it to the same chart modules (page.ts).
 */
export type PageCharts =
  | { readonly kind: 'run'; readonly timeseries: Readonly<Record<string, TimeseriesData>>; readonly adoption: AdoptionData; readonly moneyflow: MoneyFlowData }
  | {
      readonly kind: 'sweep';
      readonly response: Readonly<Record<string, ResponseData>>;
      /** With two parameters or more: the metric over the first two. */
      readonly heatmap?: Readonly<Record<string, HeatmapData>>;
      /** With timeseries.csv: the mean and band of each point over time, for a few metrics. */
      readonly timeseries?: Readonly<Record<string, TimeseriesData>>;
    }
  | { readonly kind: 'compare'; readonly comparison: Readonly<Record<string, ComparisonData>>; readonly timeseries?: Readonly<Record<string, TimeseriesData>> };

/** Metrics over time a sweep or comparison report draws from timeseries.csv, when it has them (the first is shown). */
export const SWEEP_TIMESERIES_METRICS = ['customers', 'partners', 'gmv', 'revenue', 'matchRate', 'leakageRate', 'ecosystemValue'] as const;

/** The chart data of the page of `dir`, whose report data is `data`. */
export function readPageCharts(dir: string, data: ReportData): PageCharts {
  if (data.kind === 'run') {
    const run = readRunMetrics(dir);
    const timeseries = Object.fromEntries(run.metrics.map((m) => [m, timeseriesFromRun(run, [m])]));
    return { kind: 'run', timeseries, adoption: adoptionFromRun(run), moneyflow: moneyflowFromRun(run) };
  }
  if (data.kind === 'sweep') {
    const points = readPoints(dir);
    const response = Object.fromEntries(points.metrics.map((m) => [m, responseFromPoints(points, m)]));
    const heatmap = points.params.length >= 2 ? Object.fromEntries(points.metrics.map((m) => [m, heatmapFromPoints(points, m)])) : undefined;
    let timeseries: Record<string, TimeseriesData> | undefined;
    if (resultHas(dir, 'timeseries.csv')) {
      timeseries = {};
      for (const m of SWEEP_TIMESERIES_METRICS) {
        try {
          timeseries[m] = timeseriesFromSweep(dir, m, 'all', points);
        } catch (e) {
          if (!(e instanceof InputError)) throw e; // a metric the file lacks is left out
        }
      }
      if (Object.keys(timeseries).length === 0) timeseries = undefined;
    }
    return { kind: 'sweep', response, ...(heatmap === undefined ? {} : { heatmap }), ...(timeseries === undefined ? {} : { timeseries }) };
  }
  const rows = readCompare(dir);
  const comparison = Object.fromEntries(data.metricNames.map((m) => [m, comparisonFromCompare(rows, m)]));
  if (!resultHas(dir, 'timeseries.csv')) return { kind: 'compare', comparison };
  const timeseries = timeseriesFromCompareAll(dir, SWEEP_TIMESERIES_METRICS, 'all');
  return Object.keys(timeseries).length === 0 ? { kind: 'compare', comparison } : { kind: 'compare', comparison, timeseries };
}

const MONEY_KEYS = ['commission', 'fees', 'subscriptions', 'listingFees', 'houseSales', 'revenue', 'orchestrationCost', 'orchestratorProfit', 'partnerValue', 'customerValue', 'ecosystemValue'] as const;


/** Reads a result directory into the data of its report. */
export function readReportData(dir: string): ReportData {
  const kind = resultKind(dir);
  if (kind === 'run') return readRun(dir);
  if (kind === 'sweep') return readSweepPoints(dir);
  return readCompareDir(dir);
}

function manifestOf(dir: string): Record<string, unknown> {
  return readJson(nodePath.join(dir, 'manifest.json'));
}

function titleOf(manifest: Record<string, unknown>, fallback: string): string {
  const scenario = manifest['scenario'];
  if (isRecord(scenario) && typeof scenario['name'] === 'string' && scenario['name'] !== '') return scenario['name'];
  if (typeof manifest['scenarioFile'] === 'string') return manifest['scenarioFile'];
  return fallback;
}

function readRun(dir: string): RunReportData {
  const file = nodePath.join(dir, 'metrics.csv');
  const { header, rows } = readTable(file, ['tick', 'platform']);
  const tickAt = header.indexOf('tick');
  const platformAt = header.indexOf('platform');
  const metricCols = header.map((name, i) => ({ name, i })).filter((c) => c.i !== tickAt && c.i !== platformAt);

  const byPlatform = new Map<string, { ticks: number[]; values: Record<string, (number | null)[]> }>();
  for (const row of rows) {
    const platform = row[platformAt] ?? '';
    let s = byPlatform.get(platform);
    if (s === undefined) {
      s = { ticks: [], values: Object.fromEntries(metricCols.map((c) => [c.name, [] as (number | null)[]])) };
      byPlatform.set(platform, s);
    }
    const tick = num(row[tickAt]);
    if (tick === null) throw new InputError(`${file}: a row with tick ${JSON.stringify(row[tickAt])}: expected a whole number`);
    s.ticks.push(tick);
    for (const c of metricCols) s.values[c.name]!.push(num(row[c.i]));
  }
  // Platforms first, then "all".
  const series: PlatformSeries[] = [...byPlatform.entries()]
    .sort(([a], [b]) => (a === 'all' ? 1 : 0) - (b === 'all' ? 1 : 0))
    .map(([platform, s]) => ({ platform, ticks: s.ticks, values: s.values }));

  const summaryRaw = readJson(nodePath.join(dir, 'summary.json'));
  const summary = isRecord(summaryRaw) ? summaryRaw : {};
  const platforms = Array.isArray(summary['platforms']) ? summary['platforms'].filter(isRecord) : [];
  const all = isRecord(summary['all']) ? summary['all'] : undefined;
  const figures = [...(all === undefined ? [] : [all]), ...platforms.filter((p) => p['name'] !== 'all')].map(figuresOf);
  const totals = all !== undefined && isRecord(all['total']) ? all['total'] : {};
  const money = Object.fromEntries(MONEY_KEYS.map((k) => [k, numOrNull(totals[k])]));

  const manifest = manifestOf(dir);
  const scenario = manifest['scenario'] ?? null;
  const partners = isRecord(scenario) && isRecord(scenario['partners']) ? numOrNull(scenario['partners']['count']) : null;

  const known = new Map<string, ReportMetric>(METRICS.map((m) => [m.name, { name: m.name, unit: m.unit, description: m.description }]));
  const metrics = metricCols.map((c) => known.get(c.name) ?? { name: c.name, unit: '', description: '' });
  const title = typeof summary['name'] === 'string' && summary['name'] !== '' ? summary['name'] : titleOf(manifest, nodePath.basename(nodePath.resolve(dir)));
  return {
    kind: 'run',
    title,
    metrics,
    series,
    figures,
    money,
    partnerPool: partners !== null && partners > 0 ? partners : null,
    scenario,
    segments: segmentFigures(summary),
    experiments: experimentFigures(summary),
  };
}

function figuresOf(p: Record<string, unknown>): KeyFigures {
  const final = isRecord(p['final']) ? p['final'] : {};
  const total = isRecord(p['total']) ? p['total'] : {};
  return {
    name: typeof p['name'] === 'string' ? p['name'] : '?',
    customers: numOrNull(final['customers']),
    partners: numOrNull(final['partners']),
    matchRate: numOrNull(total['matchRate']),
    leakageRate: numOrNull(total['leakageRate']),
    revenue: numOrNull(total['revenue']),
    orchestratorProfit: numOrNull(total['orchestratorProfit']),
    ecosystemValue: numOrNull(total['ecosystemValue']),
    tippedAt: numOrNull(p['tippedAt']),
    failedAt: numOrNull(p['failedAt']),
  };
}

const SWEEP_FIXED = ['point', 'metric', 'n', 'mean', 'sd', 'ci_low', 'ci_high'] as const;
const PREFERRED = ['all.total.ecosystemValue', 'all.total.revenue', 'all.final.customers'];

function readSweepPoints(dir: string): SweepReportData {
  const file = nodePath.join(dir, 'points.csv');
  const { header, rows } = readTable(file, SWEEP_FIXED);
  const col = (name: string) => header.indexOf(name);
  const params = header.slice(col('point') + 1, col('metric'));
  const paramCols = params.map((p) => col(p));

  const pointIndex = new Map<number, number>();
  const points: { point: number; values: (number | string)[] }[] = [];
  const metricNames: string[] = [];
  const data: Record<string, { n: (number | null)[]; mean: (number | null)[]; sd: (number | null)[]; ciLow: (number | null)[]; ciHigh: (number | null)[] }> = {};
  const [iPoint, iMetric, iN, iMean, iSd, iLow, iHigh] = SWEEP_FIXED.map(col) as [number, number, number, number, number, number, number];

  for (const row of rows) {
    const point = num(row[iPoint]);
    if (point === null) throw new InputError(`${file}: a row with point ${JSON.stringify(row[iPoint])}: expected a whole number`);
    let at = pointIndex.get(point);
    if (at === undefined) {
      at = points.length;
      pointIndex.set(point, at);
      points.push({ point, values: paramCols.map((c) => num(row[c]) ?? row[c] ?? '') });
    }
    const metric = row[iMetric] ?? '';
    let d = data[metric];
    if (d === undefined) {
      d = { n: [], mean: [], sd: [], ciLow: [], ciHigh: [] };
      data[metric] = d;
      metricNames.push(metric);
    }
    d.n[at] = num(row[iN]);
    d.mean[at] = num(row[iMean]);
    d.sd[at] = num(row[iSd]);
    d.ciLow[at] = num(row[iLow]);
    d.ciHigh[at] = num(row[iHigh]);
  }
  // Fill the holes of metrics a point lacks, so every array has one entry a point.
  for (const d of Object.values(data)) {
    for (const key of ['n', 'mean', 'sd', 'ciLow', 'ciHigh'] as const) {
      const a = d[key];
      for (let i = 0; i < points.length; i++) if (a[i] === undefined) a[i] = null;
    }
  }
  if (metricNames.length === 0) throw new InputError(`${file}: no points: the sweep has no results to report`);
  const manifest = manifestOf(dir);
  const design = isRecord(manifest['design']) && typeof manifest['design']['kind'] === 'string' ? manifest['design']['kind'] : 'sweep';
  return {
    kind: 'sweep',
    title: titleOf(manifest, nodePath.basename(nodePath.resolve(dir))),
    design,
    params,
    points,
    metricNames,
    data,
    defaultMetric: PREFERRED.find((m) => metricNames.includes(m)) ?? metricNames[0]!,
    scenario: manifest['scenario'] ?? null,
  };
}

const COMPARE_COLUMNS = ['metric', 'scenario', 'n', 'mean', 'sd', 'ci_low', 'ci_high', 'diff', 'diff_ci_low', 'diff_ci_high', 'p'] as const;

function readCompareDir(dir: string): CompareReportData {
  const file = nodePath.join(dir, 'compare.csv');
  const { header, rows } = readTable(file, COMPARE_COLUMNS);
  const c = (name: string) => header.indexOf(name);
  const byMetric: Record<string, CompareRow[]> = {};
  const metricNames: string[] = [];
  const scenarios: string[] = [];
  for (const r of rows) {
    const metric = r[c('metric')] ?? '';
    const scenario = r[c('scenario')] ?? '';
    if (!scenarios.includes(scenario)) scenarios.push(scenario);
    let list = byMetric[metric];
    if (list === undefined) {
      list = [];
      byMetric[metric] = list;
      metricNames.push(metric);
    }
    list.push({
      scenario,
      n: num(r[c('n')]),
      mean: num(r[c('mean')]),
      sd: num(r[c('sd')]),
      ciLow: num(r[c('ci_low')]),
      ciHigh: num(r[c('ci_high')]),
      diff: num(r[c('diff')]),
      diffLow: num(r[c('diff_ci_low')]),
      diffHigh: num(r[c('diff_ci_high')]),
      p: num(r[c('p')]),
    });
  }
  if (metricNames.length === 0) throw new InputError(`${file}: no rows: the comparison has no results to report`);
  const manifest = manifestOf(dir);
  const arms = Array.isArray(manifest['scenarios']) ? manifest['scenarios'] : null;
  return {
    kind: 'compare',
    title: `comparison of ${scenarios.join(', ')}`,
    scenarios,
    metricNames,
    rows: byMetric,
    scenario: arms ?? manifest['scenario'] ?? null,
  };
}
