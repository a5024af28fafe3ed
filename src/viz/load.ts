import nodePath from 'node:path';
import { metricRange, summarizeInRange } from '../experiment/bounds.js';
import { suggest } from '../sim/scenario/errors.js';
import { adoptionChart, type AdoptionData } from './adoption.js';
import { comparisonChart, type ComparisonData } from './comparison.js';
import { heatmapChart, type HeatmapData } from './heatmap.js';
import { moneyflowChart, type MoneyFlowData } from './moneyflow.js';
import { responseChart, type ResponseData } from './response.js';
import { metricLabel, metricUnitOf, paramLabel } from './labels.js';
import { ChartError } from './theme.js';
import { timeseriesChart, type Series, type TimeseriesData } from './timeseries.js';
import { tornadoChart, type TornadoData } from './tornado.js';
import { numberOf, readJson, readTable, resultHas, resultKind, type ResultKind } from './resultFiles.js';

export { resultKind, type ResultKind } from './resultFiles.js';

// From result directories (written by run, sweep, compare and analyze) to chart data, and to a chart.
// Reads files only: never the engine (DESIGN.md, "Viz takes data only").

export const CHART_KINDS = ['timeseries', 'adoption', 'response', 'heatmap', 'tornado', 'comparison', 'moneyflow'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

/** The chart kinds that fit each kind of result directory; the first is the default. */
export const KINDS_FOR: Readonly<Record<ResultKind, readonly ChartKind[]>> = {
  run: ['timeseries', 'adoption', 'moneyflow'],
  sweep: ['response', 'heatmap', 'tornado', 'timeseries'],
  compare: ['comparison', 'timeseries'],
};

/** The unit of a metric or of a summary column such as "all.total.gmv" (the unit of its last part). */
export function metricUnit(column: string): string | undefined {
  return metricUnitOf(column);
}

/** A parameter value from a CSV field: a number when it reads as one, else the text. */
function valueOf(field: string): number | string {
  const v = Number(field);
  return field.trim() !== '' && Number.isFinite(v) ? v : field;
}

// ---------------------------------------------------------------------------------------------
// Readers.

/** The kind of result directory: run (metrics.csv), sweep (points.csv) or compare (compare.csv). */

export interface RunMetricRow {
  readonly tick: number;
  readonly platform: string;
  readonly values: Readonly<Record<string, number | null>>;
}

export interface RunMetrics {
  /** The metric columns, in file order. */
  readonly metrics: readonly string[];
  /** The platforms, in file order ("all" included). */
  readonly platforms: readonly string[];
  readonly rows: readonly RunMetricRow[];
  /** customers.count of the run's scenario, when its manifest says. */
  readonly customerPool?: number;
  /** partners.count of the run's scenario, when its manifest says. */
  readonly partnerPool?: number;
  readonly name?: string;
}

function poolsOf(manifest: Record<string, unknown> | undefined): { customerPool?: number; partnerPool?: number; name?: string } {
  const scenario = manifest?.['scenario'];
  if (scenario === null || typeof scenario !== 'object') return {};
  const s = scenario as Record<string, unknown>;
  const count = (k: string) => {
    const side = s[k] as Record<string, unknown> | undefined;
    const c = side?.['count'];
    return typeof c === 'number' && c > 0 ? c : undefined;
  };
  const out: { customerPool?: number; partnerPool?: number; name?: string } = {};
  const cp = count('customers');
  const pp = count('partners');
  if (cp !== undefined) out.customerPool = cp;
  if (pp !== undefined) out.partnerPool = pp;
  if (typeof s['name'] === 'string') out.name = s['name'];
  return out;
}

/** Reads a run directory's metrics.csv (and the pool sizes from its manifest.json, when there). */
export function readRunMetrics(dir: string): RunMetrics {
  const file = nodePath.join(dir, 'metrics.csv');
  const { header, rows } = readTable(file, ['tick', 'platform'], 'a run directory written by "ecosim run"');
  const metrics = header.filter((c) => c !== 'tick' && c !== 'platform');
  const ti = header.indexOf('tick');
  const pi = header.indexOf('platform');
  const platforms: string[] = [];
  const out: RunMetricRow[] = [];
  for (const r of rows) {
    const tick = numberOf(r[ti]);
    const platform = r[pi] ?? '';
    if (tick === null) continue;
    if (!platforms.includes(platform)) platforms.push(platform);
    const values: Record<string, number | null> = {};
    for (const m of metrics) values[m] = numberOf(r[header.indexOf(m)]);
    out.push({ tick, platform, values });
  }
  const manifest = readJson(nodePath.join(dir, 'manifest.json'), 'a run manifest');
  return { metrics, platforms, rows: out, ...poolsOf(manifest) };
}

export interface PointRow {
  readonly point: number;
  /** The parameter values of the point, by parameter path. */
  readonly params: Readonly<Record<string, number | string>>;
  readonly metric: string;
  readonly n: number | null;
  readonly mean: number | null;
  readonly sd: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

export interface SweepPoints {
  /** The parameter paths, in file order. */
  readonly params: readonly string[];
  /** The metrics (summary columns), in file order. */
  readonly metrics: readonly string[];
  readonly rows: readonly PointRow[];
}

const POINT_COLUMNS = ['point', 'metric', 'n', 'mean', 'sd', 'ci_low', 'ci_high'] as const;

/** Reads a sweep directory's points.csv: one row per point and metric, with the point's parameter values. */
export function readPoints(dir: string): SweepPoints {
  const file = nodePath.join(dir, 'points.csv');
  const { header, rows } = readTable(file, POINT_COLUMNS, 'a sweep directory written by "ecosim sweep"');
  const params = header.filter((c) => !(POINT_COLUMNS as readonly string[]).includes(c));
  const at = (c: string) => header.indexOf(c);
  const metrics: string[] = [];
  const seen = new Set<string>();
  const out = rows.map((r) => {
    const metric = r[at('metric')] ?? '';
    if (!seen.has(metric)) (seen.add(metric), metrics.push(metric));
    const p: Record<string, number | string> = {};
    for (const q of params) p[q] = valueOf(r[at(q)] ?? '');
    return { point: numberOf(r[at('point')]) ?? -1, params: p, metric, n: numberOf(r[at('n')]), mean: numberOf(r[at('mean')]), sd: numberOf(r[at('sd')]), low: numberOf(r[at('ci_low')]), high: numberOf(r[at('ci_high')]) };
  });
  return { params, metrics, rows: out };
}

export interface CompareRow {
  readonly metric: string;
  readonly scenario: string;
  readonly n: number | null;
  readonly mean: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly diff: number | null;
  readonly diffLow: number | null;
  readonly diffHigh: number | null;
  readonly p: number | null;
}

/** Reads a compare directory's compare.csv. */
export function readCompare(dir: string): CompareRow[] {
  const file = nodePath.join(dir, 'compare.csv');
  const cols = ['metric', 'scenario', 'n', 'mean', 'ci_low', 'ci_high', 'diff', 'diff_ci_low', 'diff_ci_high', 'p'];
  const { header, rows } = readTable(file, cols, 'a directory written by "ecosim compare --out"');
  const at = (c: string) => header.indexOf(c);
  return rows.map((r) => ({
    metric: r[at('metric')] ?? '',
    scenario: r[at('scenario')] ?? '',
    n: numberOf(r[at('n')]),
    mean: numberOf(r[at('mean')]),
    low: numberOf(r[at('ci_low')]),
    high: numberOf(r[at('ci_high')]),
    diff: numberOf(r[at('diff')]),
    diffLow: numberOf(r[at('diff_ci_low')]),
    diffHigh: numberOf(r[at('diff_ci_high')]),
    p: numberOf(r[at('p')]),
  }));
}

export interface SensitivityLine {
  readonly metric: string;
  readonly parameter: string;
  readonly index: string;
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

/** Reads sensitivity.csv written by "ecosim analyze" into a sweep directory (or the file itself). */
export function readSensitivity(dirOrFile: string): SensitivityLine[] {
  const file = dirOrFile.endsWith('.csv') ? dirOrFile : nodePath.join(dirOrFile, 'sensitivity.csv');
  const { header, rows } = readTable(file, ['metric', 'parameter', 'index', 'value', 'low', 'high'], 'sensitivity indices: run "ecosim analyze <sweep-dir>" first (a sobol or morris sweep)');
  const at = (c: string) => header.indexOf(c);
  return rows.map((r) => ({ metric: r[at('metric')] ?? '', parameter: r[at('parameter')] ?? '', index: r[at('index')] ?? '', value: numberOf(r[at('value')]), low: numberOf(r[at('low')]), high: numberOf(r[at('high')]) }));
}

export interface TimeseriesLongRow {
  readonly point: number;
  readonly replication: number;
  readonly tick: number;
  readonly platform: string;
  readonly metric: string;
  readonly value: number | null;
}

/** Reads a sweep's timeseries.csv (written with "ecosim sweep --timeseries"), for one metric and platform. */
export function readSweepTimeseries(dir: string, metric: string, platform: string): TimeseriesLongRow[] {
  const file = nodePath.join(dir, 'timeseries.csv');
  const { header, rows } = readTable(file, ['point', 'replication', 'tick', 'platform', 'metric', 'value'], 'per-tick metrics of a sweep: run "ecosim sweep … --timeseries"');
  const at = (c: string) => header.indexOf(c);
  const [mi, pi] = [at('metric'), at('platform')];
  return rows
    .filter((r) => r[mi] === metric && r[pi] === platform)
    .map((r) => ({ point: numberOf(r[at('point')]) ?? -1, replication: numberOf(r[at('replication')]) ?? 0, tick: numberOf(r[at('tick')]) ?? 0, platform, metric, value: numberOf(r[at('value')]) }));
}

export interface CompareTimeseriesRow {
  readonly scenario: string;
  readonly replication: number;
  readonly tick: number;
  readonly metric: string;
  readonly value: number | null;
}

/**
 * Reads a comparison's timeseries.csv (written with "ecosim compare … --out DIR --timeseries"): the
 * rows of one platform for the metrics asked, in file order (scenario by scenario, run by run).
 */
export function readCompareTimeseries(dir: string, metrics: readonly string[], platform: string): CompareTimeseriesRow[] {
  const file = nodePath.join(dir, 'timeseries.csv');
  const { header, rows } = readTable(file, ['scenario', 'replication', 'tick', 'platform', 'metric', 'value'], 'per-tick metrics of a comparison: run "ecosim compare … --out DIR --timeseries"');
  const [si, ri, ti, pi, mi, vi] = ['scenario', 'replication', 'tick', 'platform', 'metric', 'value'].map((c) => header.indexOf(c)) as [number, number, number, number, number, number];
  const wanted = new Set(metrics);
  const out: CompareTimeseriesRow[] = [];
  for (const r of rows) {
    const metric = r[mi] ?? '';
    if (r[pi] !== platform || !wanted.has(metric)) continue;
    out.push({ scenario: r[si] ?? '', replication: numberOf(r[ri]) ?? 0, tick: numberOf(r[ti]) ?? 0, metric, value: numberOf(r[vi]) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// From what was read to chart data.

function unknown(what: string, name: string, candidates: readonly string[], where: string): ChartError {
  const hint = suggest(name, candidates);
  const list = candidates.length <= 8 ? ` (one of ${candidates.join(', ')})` : '';
  return new ChartError(`${what} ${name}: not found in ${where}${hint === undefined ? list : ` (did you mean "${hint}"?)`}`);
}


/** Time series of a run: several metrics of one platform, or one metric of every platform. */
export function timeseriesFromRun(run: RunMetrics, metrics: readonly string[], platform?: string, where = 'metrics.csv'): TimeseriesData {
  const asked = metrics.length > 0 ? metrics : ['customers'];
  for (const m of asked) if (!run.metrics.includes(m)) throw unknown('--metric', m, run.metrics, where);
  if (platform !== undefined && !run.platforms.includes(platform)) throw unknown('--platform', platform, run.platforms, where);
  const own = run.platforms.filter((p) => p !== 'all');
  const perPlatform = asked.length === 1 && platform === undefined && own.length > 1;
  const series: Series[] = perPlatform
    ? run.platforms.map((p) => ({ label: p, dashed: p === 'all', points: run.rows.filter((r) => r.platform === p).map((r) => ({ x: r.tick, y: r.values[asked[0]!] ?? null })) }))
    : asked.map((m) => ({ label: metricLabel(m), points: run.rows.filter((r) => r.platform === (platform ?? 'all')).map((r) => ({ x: r.tick, y: r.values[m] ?? null })) }));
  if (series.every((s) => s.points.length === 0)) throw new ChartError(`timeseries: no rows for platform "${platform ?? 'all'}" in ${where}`);
  const units = [...new Set(asked.map((m) => metricUnit(m) ?? ''))];
  const data: TimeseriesData = { series, name: asked.join(', '), yLabel: asked.map(metricLabel).join(', ') };
  return units.length === 1 && units[0] !== '' ? { ...data, yUnit: units[0]! } : data;
}

/** Customers and partners of each platform of a run (all platforms but "all" when there are several). */
export function adoptionFromRun(run: RunMetrics, platform?: string, where = 'metrics.csv'): AdoptionData {
  for (const m of ['customers', 'partners']) if (!run.metrics.includes(m)) throw new ChartError(`adoption: ${where} has no "${m}" column`);
  if (platform !== undefined && !run.platforms.includes(platform)) throw unknown('--platform', platform, run.platforms, where);
  const own = run.platforms.filter((p) => p !== 'all');
  const chosen = platform !== undefined ? [platform] : own.length > 0 ? own : run.platforms;
  const platforms = chosen.map((p) => {
    const rows = run.rows.filter((r) => r.platform === p);
    return { name: p, ticks: rows.map((r) => r.tick), customers: rows.map((r) => r.values['customers'] ?? null), partners: rows.map((r) => r.values['partners'] ?? null) };
  });
  const data: AdoptionData = { platforms };
  return run.customerPool !== undefined && run.partnerPool !== undefined ? { ...data, customerPool: run.customerPool, partnerPool: run.partnerPool } : data;
}

/** Totals over a run of the value flows of one platform (default "all"). */
export function moneyflowFromRun(run: RunMetrics, platform = 'all', where = 'metrics.csv'): MoneyFlowData {
  if (!run.platforms.includes(platform)) throw unknown('--platform', platform, run.platforms, where);
  const rows = run.rows.filter((r) => r.platform === platform);
  const sum = (m: string): number | null => {
    if (!run.metrics.includes(m)) return null;
    let s = 0;
    let any = false;
    for (const r of rows) {
      const v = r.values[m];
      if (v !== null && v !== undefined) (s += v, (any = true));
    }
    return any ? s : null;
  };
  const name = platform === 'all' ? run.name ?? 'all platforms' : platform;
  return { partnerValue: sum('partnerValue'), customerValue: sum('customerValue'), revenue: sum('revenue'), orchestrationCost: sum('orchestrationCost'), ecosystemValue: sum('ecosystemValue'), name };
}

/** A summary column of a sweep or comparison: exact, or a metric name that means its "all.total." (or "all.final.") column. */
export function resolveColumn(name: string, columns: readonly string[], where: string): string {
  if (columns.includes(name)) return name;
  for (const prefix of ['', 'all.total.', 'all.final.', 'all.mean.']) {
    const found = columns.find((c) => c.toLowerCase() === (prefix + name).toLowerCase());
    if (found !== undefined) return found;
  }
  const hint = suggest(`all.total.${name}`, columns) ?? suggest(name, columns);
  throw new ChartError(`--metric ${name}: not found in ${where}${hint === undefined ? '' : ` (did you mean "${hint}"?)`}`);
}

function defaultColumn(columns: readonly string[]): string {
  return columns.find((c) => c === 'all.total.ecosystemValue') ?? columns[0] ?? '';
}

function resolveParam(name: string, params: readonly string[], where: string): string {
  if (params.includes(name)) return name;
  const tail = params.filter((p) => p.endsWith(`.${name}`));
  if (tail.length === 1) return tail[0]!;
  throw unknown('--param', name, params, where);
}

/** One metric of a sweep against one parameter; the other parameters' combinations as separate lines. */
export function responseFromPoints(points: SweepPoints, metric?: string, param?: string, where = 'points.csv'): ResponseData {
  if (points.params.length === 0) throw new ChartError(`response: ${where} has no parameter columns`);
  const m = metric === undefined ? defaultColumn(points.metrics) : resolveColumn(metric, points.metrics, where);
  const p = param === undefined ? points.params[0]! : resolveParam(param, points.params, where);
  const others = points.params.filter((q) => q !== p);
  const groups = new Map<string, { x: number | string; mean: number | null; low: number | null; high: number | null }[]>();
  for (const r of points.rows) {
    if (r.metric !== m) continue;
    const key = others.map((q) => (others.length === 1 ? String(r.params[q]) : `${paramLabel(q)} = ${r.params[q]}`)).join(', ');
    const list = groups.get(key) ?? [];
    list.push({ x: r.params[p]!, mean: r.mean, low: r.low, high: r.high });
    groups.set(key, list);
  }
  const data: ResponseData = { param: p, metric: m, groups: [...groups].map(([label, pts]) => ({ label: label || m, points: pts })) };
  const unit = metricUnit(m);
  const withUnit = unit === undefined ? data : { ...data, unit };
  return others.length === 1 ? { ...withUnit, groupParam: others[0]! } : withUnit;
}

/** One metric of a sweep over two parameters (means over the other parameters when there are more). */
export function heatmapFromPoints(points: SweepPoints, metric?: string, params: readonly string[] = [], where = 'points.csv'): HeatmapData {
  if (points.params.length < 2 && params.length < 2) throw new ChartError(`heatmap: needs a sweep over two parameters; ${where} has ${points.params.length} (${points.params.join(', ') || 'none'}): try --kind response`);
  const m = metric === undefined ? defaultColumn(points.metrics) : resolveColumn(metric, points.metrics, where);
  const chosen = params.map((q) => resolveParam(q, points.params, where));
  for (const q of points.params) if (chosen.length < 2 && !chosen.includes(q)) chosen.push(q);
  const [xp, yp] = chosen as [string, string];
  const cells = new Map<string, { x: number | string; y: number | string; sum: number; n: number }>();
  for (const r of points.rows) {
    if (r.metric !== m) continue;
    const x = r.params[xp]!;
    const y = r.params[yp]!;
    const key = `${x}\u0000${y}`;
    const c = cells.get(key) ?? { x, y, sum: 0, n: 0 };
    if (r.mean !== null) (c.sum += r.mean, c.n++);
    cells.set(key, c);
  }
  const data: HeatmapData = { xParam: xp, yParam: yp, metric: m, cells: [...cells.values()].map((c) => ({ x: c.x, y: c.y, value: c.n === 0 ? null : c.sum / c.n })) };
  const unit = metricUnit(m);
  return unit === undefined ? data : { ...data, unit };
}

/** The sensitivity indices of one metric. */
export function tornadoFromSensitivity(lines: readonly SensitivityLine[], metric?: string, where = 'sensitivity.csv'): TornadoData {
  const metrics = [...new Set(lines.map((l) => l.metric))];
  const m = metric === undefined ? defaultColumn(metrics) : resolveColumn(metric, metrics, where);
  return { metric: m, rows: lines.filter((l) => l.metric === m) };
}

/** One metric of a comparison, scenarios in file order (the first is the reference). */
export function comparisonFromCompare(rows: readonly CompareRow[], metric?: string, where = 'compare.csv'): ComparisonData {
  const metrics = [...new Set(rows.map((r) => r.metric))];
  const m = metric === undefined ? defaultColumn(metrics) : resolveColumn(metric, metrics, where);
  const data: ComparisonData = { metric: m, rows: rows.filter((r) => r.metric === m) };
  const unit = metricUnit(m);
  return unit === undefined ? data : { ...data, unit };
}

/** Mean and 95% band over replications of one metric per sweep point, from timeseries.csv. */
export function timeseriesFromSweep(dir: string, metric = 'customers', platform = 'all', points?: SweepPoints): TimeseriesData {
  const rows = readSweepTimeseries(dir, metric, platform);
  const varied = points?.params.includes('customers.count') === true;
  const range = metricRange(metric, varied ? undefined : poolsOf(readJson(nodePath.join(dir, 'manifest.json'))).customerPool);
  if (rows.length === 0) throw new ChartError(`timeseries: no rows for metric "${metric}" of platform "${platform}" in ${nodePath.join(dir, 'timeseries.csv')}`);
  const byPoint = new Map<number, Map<number, number[]>>();
  for (const r of rows) {
    if (r.value === null) continue;
    const ticks = byPoint.get(r.point) ?? new Map<number, number[]>();
    const list = ticks.get(r.tick) ?? [];
    list.push(r.value);
    ticks.set(r.tick, list);
    byPoint.set(r.point, ticks);
  }
  const labelOf = (point: number) => {
    const row = points?.rows.find((r) => r.point === point);
    if (row === undefined) return `point ${point}`;
    return Object.entries(row.params)
      .map(([k, v]) => `${paramLabel(k)} = ${v}`)
      .join(', ');
  };
  const series: Series[] = [...byPoint].map(([point, ticks]) => ({
    label: labelOf(point),
    points: [...ticks].map(([tick, values]) => {
      const s = summarizeInRange(values, range);
      return { x: tick, y: s.mean, low: s.ciLow, high: s.ciHigh };
    }),
  }));
  const unit = metricUnit(metric);
  const runs = Math.max(...[...byPoint.values()].map((ticks) => Math.max(...[...ticks.values()].map((v) => v.length))));
  const data: TimeseriesData = { series, name: metric, band: `95% CI of the mean of ${runs} run${runs === 1 ? '' : 's'}` };
  return unit === undefined ? data : { ...data, yUnit: unit };
}

/** customers.count of each scenario of a comparison, by name, from its manifest. */
function comparePools(dir: string): Map<string, number> {
  const pools = new Map<string, number>();
  const arms = readJson(nodePath.join(dir, 'manifest.json'))['scenarios'];
  if (!Array.isArray(arms)) return pools;
  for (const a of arms as unknown[]) {
    if (a === null || typeof a !== 'object') continue;
    const { name, ...rest } = a as Record<string, unknown>;
    const pool = poolsOf(rest).customerPool;
    if (typeof name === 'string' && pool !== undefined) pools.set(name, pool);
  }
  return pools;
}

/**
 * Mean and 95% band over replications of each scenario of a comparison, per metric of one
 * platform, from timeseries.csv read once; a metric without rows is left out.
 */
export function timeseriesFromCompareAll(dir: string, metrics: readonly string[], platform = 'all'): Record<string, TimeseriesData> {
  const rows = readCompareTimeseries(dir, metrics, platform);
  const pools = comparePools(dir);
  // metric → scenario → tick → values, each in file order.
  const byMetric = new Map<string, Map<string, Map<number, number[]>>>();
  for (const r of rows) {
    if (r.value === null) continue;
    let scenarios = byMetric.get(r.metric);
    if (scenarios === undefined) byMetric.set(r.metric, (scenarios = new Map()));
    let ticks = scenarios.get(r.scenario);
    if (ticks === undefined) scenarios.set(r.scenario, (ticks = new Map()));
    const list = ticks.get(r.tick);
    if (list === undefined) ticks.set(r.tick, [r.value]);
    else list.push(r.value);
  }
  const out: Record<string, TimeseriesData> = {};
  for (const metric of metrics) {
    const scenarios = byMetric.get(metric);
    if (scenarios === undefined) continue;
    // Each scenario's band stays inside the metric's range for its own population.
    const series: Series[] = [...scenarios].map(([scenario, ticks]) => {
      const range = metricRange(metric, pools.get(scenario));
      return {
        label: scenario,
        points: [...ticks].map(([tick, values]) => {
          const s = summarizeInRange(values, range);
          return { x: tick, y: s.mean, low: s.ciLow, high: s.ciHigh };
        }),
      };
    });
    const runs = Math.max(...[...scenarios.values()].map((ticks) => Math.max(...[...ticks.values()].map((v) => v.length))));
    const data: TimeseriesData = { series, name: metric, band: `95% CI of the mean of ${runs} run${runs === 1 ? '' : 's'}` };
    const unit = metricUnit(metric);
    out[metric] = unit === undefined ? data : { ...data, yUnit: unit };
  }
  return out;
}

/** Mean and 95% band over replications of one metric per scenario of a comparison, from timeseries.csv. */
export function timeseriesFromCompare(dir: string, metric = 'customers', platform = 'all'): TimeseriesData {
  const data = timeseriesFromCompareAll(dir, [metric], platform)[metric];
  if (data === undefined) throw new ChartError(`timeseries: no rows for metric "${metric}" of platform "${platform}" in ${nodePath.join(dir, 'timeseries.csv')}`);
  return data;
}

// ---------------------------------------------------------------------------------------------
// A chart from a directory.

export interface ChartRequest {
  /** Default: the first kind that fits the directory (timeseries for a run, response for a sweep, comparison for a comparison). */
  readonly kind?: ChartKind;
  /** Metrics (run) or summary columns (sweep, compare); some kinds use only the first. */
  readonly metrics?: readonly string[];
  readonly platform?: string;
  /** Parameters of a sweep: the x axis of a response chart, the two axes of a heatmap. */
  readonly params?: readonly string[];
  readonly width?: number;
  readonly height?: number;
  readonly title?: string;
}

/** The chart kind a request gets for a directory: checked against the directory type. */
export function chartKindFor(dir: string, kind?: string): { result: ResultKind; kind: ChartKind } {
  const result = resultKind(dir);
  if (kind === undefined) return { result, kind: KINDS_FOR[result][0]! };
  if (!(CHART_KINDS as readonly string[]).includes(kind)) {
    const hint = suggest(kind, CHART_KINDS);
    throw new ChartError(`--kind ${kind}: unknown chart kind${hint === undefined ? '' : ` (did you mean "${hint}"?)`}; expected one of ${CHART_KINDS.join(', ')}`);
  }
  const k = kind as ChartKind;
  if (!KINDS_FOR[result].includes(k)) throw new ChartError(`--kind ${k}: does not fit ${dir}, a ${result} directory; it takes ${KINDS_FOR[result].join(', ')}`);
  return { result, kind: k };
}

/** Reads a result directory and draws one chart of it as an SVG document. */
export function chartFromResults(dir: string, request: ChartRequest = {}): string {
  const { result, kind } = chartKindFor(dir, request.kind);
  const options = { width: request.width, height: request.height, title: request.title };
  const metrics = request.metrics ?? [];
  const first = metrics[0];
  const params = request.params ?? [];
  const where = (f: string) => nodePath.join(dir, f);
  switch (kind) {
    case 'timeseries': {
      if (resultHas(dir, 'metrics.csv')) return timeseriesChart(timeseriesFromRun(readRunMetrics(dir), metrics, request.platform, where('metrics.csv')), options);
      if (result === 'compare') return timeseriesChart(timeseriesFromCompare(dir, first ?? 'customers', request.platform ?? 'all'), options);
      return timeseriesChart(timeseriesFromSweep(dir, first ?? 'customers', request.platform ?? 'all', readPoints(dir)), options);
    }
    case 'adoption':
      return adoptionChart(adoptionFromRun(readRunMetrics(dir), request.platform, where('metrics.csv')), options);
    case 'moneyflow':
      return moneyflowChart(moneyflowFromRun(readRunMetrics(dir), request.platform, where('metrics.csv')), options);
    case 'response':
      return responseChart(responseFromPoints(readPoints(dir), first, params[0], where('points.csv')), options);
    case 'heatmap':
      return heatmapChart(heatmapFromPoints(readPoints(dir), first, params, where('points.csv')), options);
    case 'tornado':
      return tornadoChart(tornadoFromSensitivity(readSensitivity(dir), first, where('sensitivity.csv')), options);
    case 'comparison':
      return comparisonChart(comparisonFromCompare(readCompare(dir), first, where('compare.csv')), options);
  }
}
