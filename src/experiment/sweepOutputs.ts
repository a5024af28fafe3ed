import { METRIC_NAMES, type MetricName } from '../sim/metrics.js';
import type { CompareResult, CompareRunSeries } from './compare.js';
import { extraSummaryColumns, summaryColumns } from './flatten.js';
import { metricRange, summarizeInRange } from './bounds.js';
import type { SweepPlan } from './plan.js';
import type { ParamValue } from './types.js';
import type { RunRecord, TickRow } from './worker.js';
import { sweepExperimentRecord, type CompareExperimentRecord, type SweepExperimentRecord } from './experimentRecord.js';
import { keepsColumn, recordedIndices } from './recordedMetrics.js';
import type { Scenario } from '../sim/scenario/schema.js';
import type { FileDigest, OutputFile } from '../sim/output/atomic.js';
import { writeResultDir, type ResultWriteOptions } from '../sim/output/resultDir.js';
import { csvField, formatNumber } from '../sim/output/csv.js';

// The files of a sweep and of a comparison: tidy CSV for pandas and R, and a manifest that says how
// they were made. They are built from records in run order only, so they are byte-identical for any
// number of workers and after an interrupted sweep is resumed. No clocks, paths or durations.

export const RUNS_FILE = 'runs.csv';
export const POINTS_FILE = 'points.csv';
export const TIMESERIES_FILE = 'timeseries.csv';
export const COMPARE_FILE = 'compare.csv';
export const EXPERIMENT_MANIFEST_FILE = 'manifest.json';

const ROWS_PER_CHUNK = 256;

/** A number as CSV text (formatNumber); null, undefined and non-finite numbers as an empty field. */
function num(x: number | null | undefined): string {
  return x === null || x === undefined ? '' : (formatNumber(x) ?? '');
}

/** A parameter value as CSV text. */
function value(v: ParamValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return num(v);
  return csvField(String(v));
}

/** Yields lines in chunks, so long files are written without one huge string. */
function* chunked(header: string, lines: Iterable<string>): Generator<string> {
  yield `${header}\n`;
  let chunk = '';
  let count = 0;
  for (const line of lines) {
    chunk += `${line}\n`;
    if (++count % ROWS_PER_CHUNK === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/**
 * The summary columns: those of the base scenario's platforms, then (in run order) any a run's
 * parameters added (a parameter may create a platform).
 */
export function columnsOf(base: Scenario, records: readonly RunRecord[], record?: readonly MetricName[]): string[] {
  const columns = [
    ...summaryColumns(base.platforms.map((p) => p.name)),
    ...extraSummaryColumns(base.platforms.map((p) => p.name), base.customers.segments.map((g) => g.name), base.experiments.map((e) => e.name)),
  ];
  const seen = new Set(columns);
  for (const r of records) {
    for (const k of Object.keys(r.summary ?? {})) {
      if (!seen.has(k)) {
        seen.add(k);
        columns.push(k);
      }
    }
  }
  return record === undefined ? columns : columns.filter((c) => keepsColumn(c, record));
}

const header = (names: readonly string[]) => names.map(csvField).join(',');

/** runs.csv: one row per run, in run order. */
function* runsLines(records: readonly RunRecord[], paths: readonly string[], columns: readonly string[]): Generator<string> {
  for (const r of records) {
    const cells = [String(r.run), String(r.point), String(r.replication), String(r.seed), r.status, csvField(r.error ?? '')];
    for (const p of paths) cells.push(value(r.values[p]));
    for (const c of columns) cells.push(num(r.summary?.[c]));
    yield cells.join(',');
  }
}

/** points.csv: per point and summary column, the mean and 95% CI (inside the metric's range) over the point's ok runs. */
function* pointsLines(plan: SweepPlan, records: readonly RunRecord[], paths: readonly string[], columns: readonly string[]): Generator<string> {
  const R = plan.replications;
  for (const point of plan.design.points) {
    const runs = records.slice(point.index * R, point.index * R + R).filter((r) => r.status === 'ok');
    const pool = point.values['customers.count'] ?? plan.base.customers.count;
    const prefix = [String(point.index), ...paths.map((p) => value(point.values[p]))].join(',');
    for (const c of columns) {
      // Values that are not numbers (a platform that never tipped) are left out; n says how many remain.
      const values: number[] = [];
      for (const r of runs) {
        const v = r.summary?.[c];
        if (typeof v === 'number') values.push(v);
      }
      // The interval of the mean stays inside the metric's range (see bounds.ts).
      const s = summarizeInRange(values, metricRange(c, typeof pool === 'number' ? pool : undefined));
      yield `${prefix},${csvField(c)},${s.n},${num(s.mean)},${num(s.sd)},${num(s.ciLow)},${num(s.ciHigh)}`;
    }
  }
}

/** The lines of timeseries.csv of one run: every recorded metric (indices into METRIC_NAMES) of every tick, one value per line, after `prefix`. */
function* tickLines(prefix: string, rows: readonly TickRow[], metrics: readonly number[]): Generator<string> {
  for (const row of rows) {
    const [tick, platform] = row;
    const head = `${prefix},${tick},${csvField(platform)}`;
    for (const m of metrics) yield `${head},${METRIC_NAMES[m]},${num(row[m + 2] as number | null)}`;
  }
}

/** timeseries.csv: every recorded metric of every tick of every ok run, one value per line. */
function* timeseriesLines(records: readonly RunRecord[], read: (run: number) => readonly TickRow[], metrics: readonly number[]): Generator<string> {
  for (const r of records) {
    if (r.status !== 'ok') continue;
    yield* tickLines(`${r.run},${r.point},${r.replication}`, read(r.run), metrics);
  }
}

/** timeseries.csv of a comparison: as a sweep's, with the scenario's name where a sweep has its point. */
function* compareTimeseriesLines(runs: readonly CompareRunSeries[], metrics: readonly number[]): Generator<string> {
  for (const r of runs) yield* tickLines(`${r.run},${csvField(r.scenario)},${r.replication}`, r.rows, metrics);
}

export interface SweepManifest {
  readonly tool: 'ecosim';
  readonly version: string;
  readonly command: string;
  /** The resolved experiment: every setting that decides the results, as an experiment file gives them. */
  readonly experiment: SweepExperimentRecord;
  /** The scenario file as named by the user. */
  readonly scenarioFile: string;
  /** The `key.path=value` overrides applied to the file, in order. */
  readonly settings: readonly string[];
  /** The design: kind, parameters, every point, and samples and levels where they apply. */
  readonly design: SweepPlan['design'];
  readonly replications: number;
  /** The base seed; run seeds are derived from it (see seedRule). */
  readonly seed: number;
  readonly seedRule: string;
  readonly runs: number;
  readonly failedRuns: number;
  readonly timeseries: boolean;
  /** The resolved base scenario, before parameters (its seed is the base seed). */
  readonly scenario: Scenario;
  readonly outputs: readonly string[];
}

export const SEED_RULE =
  'seed of (point p, replication r) = deriveSeed(seed, p, r), a MurmurHash3 fmix32 chain (src/experiment/seeds.ts); each run is replication 0 of its seed';

export interface SweepOutputInput {
  readonly version: string;
  readonly command: string;
  readonly plan: SweepPlan;
  /** Every run's record, in run order. */
  readonly records: readonly RunRecord[];
  /** A run's per-tick rows (kept on disk in the journal rather than in memory). */
  readonly readTimeseries: (run: number) => readonly TickRow[];
}

/** The files of a result, and the manifest written after them (with their digests, see writeResultDir). */
export interface ResultOutputs<M> {
  readonly files: readonly OutputFile[];
  readonly manifest: M;
}

/** The output files of a sweep and its manifest. */
export function sweepOutputFiles(input: SweepOutputInput): ResultOutputs<SweepManifest> {
  const { plan, records } = input;
  const paths = plan.design.params.map((p) => p.path);
  const columns = columnsOf(plan.base, records, plan.record);
  const outputs = [RUNS_FILE, POINTS_FILE, ...(plan.timeseries ? [TIMESERIES_FILE] : []), EXPERIMENT_MANIFEST_FILE];
  const manifest: SweepManifest = {
    tool: 'ecosim',
    version: input.version,
    command: input.command,
    experiment: sweepExperimentRecord({ ...plan, scenario: plan.label, from: plan.from ?? 0, record: plan.record }),
    scenarioFile: plan.label,
    settings: plan.settings,
    design: plan.design,
    replications: plan.replications,
    seed: plan.seed,
    seedRule: SEED_RULE,
    runs: records.length,
    failedRuns: records.filter((r) => r.status === 'failed').length,
    timeseries: plan.timeseries,
    scenario: plan.base,
    outputs,
  };
  const files: OutputFile[] = [
    { name: RUNS_FILE, content: chunked(header(['run', 'point', 'replication', 'seed', 'status', 'error', ...paths, ...columns]), runsLines(records, paths, columns)) },
    { name: POINTS_FILE, content: chunked(header(['point', ...paths, 'metric', 'n', 'mean', 'sd', 'ci_low', 'ci_high']), pointsLines(plan, records, paths, columns)) },
  ];
  if (plan.timeseries) {
    files.push({
      name: TIMESERIES_FILE,
      content: chunked(header(['run', 'point', 'replication', 'tick', 'platform', 'metric', 'value']), timeseriesLines(records, input.readTimeseries, recordedIndices(plan.record))),
    });
  }
  return { files, manifest };
}

// ---------------------------------------------------------------------------------------------
// compare

/** compare.csv: per metric and scenario, the mean and CI, and the difference to the first scenario. */
function* compareLines(result: CompareResult): Generator<string> {
  for (const m of result.metrics) {
    for (const a of m.arms) {
      const d = a.diff;
      const cells = [csvField(m.metric), csvField(a.name), String(a.n), num(a.mean), num(a.sd), num(a.ciLow), num(a.ciHigh)];
      cells.push(...(d === undefined ? ['', '', '', '', '', ''] : [num(d.diff), num(d.ciLow), num(d.ciHigh), num(d.t), num(d.df), num(d.p)]));
      yield cells.join(',');
    }
  }
}

export interface CompareManifest {
  readonly tool: 'ecosim';
  readonly version: string;
  readonly command: string;
  /** The resolved experiment: every setting that decides the results, as an experiment file gives them. */
  readonly experiment: CompareExperimentRecord;
  readonly scenarios: readonly {
    readonly name: string;
    readonly scenarioFile: string;
    readonly settings: readonly string[];
    readonly scenario: Scenario;
  }[];
  readonly replications: number;
  /** Replication r of every scenario runs on the seed deriveSeed(seed, 0, r) (common random numbers). */
  readonly seed: number;
  readonly seedRule: string;
  readonly metrics: readonly string[];
  readonly failedRuns: number;
  readonly outputs: readonly string[];
}

export const COMPARE_SEED_RULE =
  'replication r of every scenario runs on deriveSeed(seed, 0, r), a MurmurHash3 fmix32 chain (src/experiment/seeds.ts): common random numbers';

/** The output files of a comparison (compare.csv, and timeseries.csv when it kept the runs' per-tick metrics) and its manifest. */
export function compareOutputFiles(result: CompareResult, version: string, command = 'compare'): ResultOutputs<CompareManifest> {
  const series = result.timeseries;
  const outputs = [COMPARE_FILE, ...(series === undefined ? [] : [TIMESERIES_FILE]), EXPERIMENT_MANIFEST_FILE];
  const manifest: CompareManifest = {
    tool: 'ecosim',
    version,
    command,
    experiment: {
      variants: result.arms.map((a) => ({ name: a.name, scenario: a.file, set: a.settings })),
      replications: result.replications,
      seed: result.seed,
      columns: result.metrics.map((m) => m.metric),
      metrics: [...(result.record ?? METRIC_NAMES)],
      from: result.from ?? 0,
      timeseries: series !== undefined,
    },
    scenarios: result.arms.map((a) => ({ name: a.name, scenarioFile: a.file, settings: a.settings, scenario: a.scenario })),
    replications: result.replications,
    seed: result.seed,
    seedRule: COMPARE_SEED_RULE,
    metrics: result.metrics.map((m) => m.metric),
    failedRuns: result.failed.length,
    outputs,
  };
  const columns = ['metric', 'scenario', 'n', 'mean', 'sd', 'ci_low', 'ci_high', 'diff', 'diff_ci_low', 'diff_ci_high', 't', 'df', 'p'];
  const files: OutputFile[] = [{ name: COMPARE_FILE, content: chunked(header(columns), compareLines(result)) }];
  if (series !== undefined) {
    files.push({
      name: TIMESERIES_FILE,
      content: chunked(header(['run', 'scenario', 'replication', 'tick', 'platform', 'metric', 'value']), compareTimeseriesLines(series, recordedIndices(result.record))),
    });
  }
  return { files, manifest };
}

/** Writes a result's files and manifest into `dir` as one result (see writeResultDir); returns the names written. */
export function writeResult<M extends object>(dir: string, outputs: ResultOutputs<M>, options: ResultWriteOptions = {}): { names: string[]; digests: Record<string, FileDigest> } {
  const digests = writeResultDir(dir, outputs.files, { ...outputs.manifest } as Record<string, unknown>, options);
  return { names: [...outputs.files.map((f) => f.name), EXPERIMENT_MANIFEST_FILE], digests };
}
