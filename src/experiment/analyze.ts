import nodePath from 'node:path';
import { InputError } from '../sim/inputError.js';
import { withOutputLockSync } from '../sim/output/dirLock.js';
import { writeDerivedFile } from '../sim/output/resultDir.js';
import { openResult, readMember, type OpenResult } from '../sim/output/resultManifest.js';
import { csvField, formatNumber } from '../sim/output/csv.js';
import { suggest } from '../sim/scenario/errors.js';
import { DEFAULT_BOOTSTRAP, morrisIndices, sobolIndices, type MorrisIndex, type SobolIndex } from './sensitivity.js';
import type { Design, DesignKind } from './types.js';

// Sensitivity indices of a sobol or morris sweep, from its files: reads the sweep's manifest.json
// (the design, the replications) and runs.csv (one row a run), averages each point's replications
// per metric, and writes sensitivity.csv (tidy: metric, parameter, index, value, low, high) into the
// directory, atomically, listed in the manifest as derived from this sweep. An earlier analysis of
// the same sweep is merged: its metrics stay in the file unless analysed again. The statistics are
// in sensitivity.ts.

export const SENSITIVITY_FILE = 'sensitivity.csv';
export const DEFAULT_METRICS: readonly string[] = ['all.total.ecosystemValue', 'all.total.revenue', 'all.total.leakageRate', 'all.final.customers'];
const FIXED_COLUMNS = ['run', 'point', 'replication', 'seed', 'status', 'error'] as const;
const KINDS: readonly DesignKind[] = ['grid', 'lhs', 'random', 'sobol', 'morris'];

export interface AnalyzeOptions {
  /** Columns of runs.csv to analyse (default DEFAULT_METRICS). */
  metrics?: readonly string[];
  /** Bootstrap resamples for Sobol' intervals (default 1000). */
  bootstrap?: number;
  /** Seed of the bootstrap stream (default 0). */
  seed?: number;
}

/** One line of sensitivity.csv. Sobol': S1 and ST with bootstrap bounds; Morris: mu, mu_star and sigma without. */
export interface SensitivityRow {
  readonly metric: string;
  readonly parameter: string;
  readonly index: 'S1' | 'ST' | 'mu' | 'mu_star' | 'sigma';
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

export type MetricSensitivity =
  | { readonly metric: string; readonly kind: 'sobol'; readonly indices: readonly SobolIndex[] }
  | { readonly metric: string; readonly kind: 'morris'; readonly indices: readonly MorrisIndex[] };

export interface AnalyzeResult {
  readonly dir: string;
  readonly kind: 'sobol' | 'morris';
  readonly points: number;
  readonly replications: number;
  /** Sobol': base sample size N; Morris: trajectories r. */
  readonly samples: number | undefined;
  readonly bootstrap: number;
  readonly metrics: readonly MetricSensitivity[];
  /** Metrics left out, and why (constant, or empty at some points; a default metric missing from runs.csv). */
  readonly skipped: readonly { readonly metric: string; readonly reason: string }[];
  /** The rows of the metrics analysed now. */
  readonly rows: readonly SensitivityRow[];
  /** Metrics of an earlier analysis of this sweep, kept in sensitivity.csv. */
  readonly kept: readonly string[];
  /** The file written. */
  readonly file: string;
}

// ---------------------------------------------------------------------------------------------
// Reading the sweep.

/**
 * Parses CSV text (RFC 4180): fields separated by commas, quoted with double quotes when they hold
 * a comma, a quote ("" inside) or a line break; lines end with \n or \r\n. Returns the rows of fields.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') (field += '"', i++);
      else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') (row.push(field), (field = ''));
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]); // a last line without its line end
  return rows;
}

/** What analyze reads of a sweep directory. */
export interface SweepFiles {
  readonly design: Design;
  readonly replications: number;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}


const isRecord = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** The design and replications of a manifest, checked just enough to give a clear message when it is not a sweep's. */
function parseManifest(file: string, raw: unknown): { design: Design; replications: number } {
  const design = isRecord(raw) ? raw['design'] : undefined;
  const replications = isRecord(raw) ? raw['replications'] : undefined;
  if (!isRecord(design) || !KINDS.includes(design['kind'] as DesignKind) || !Array.isArray(design['params']) || !Array.isArray(design['points'])) {
    throw new InputError(`${file}: expected a sweep manifest with a design (kind, params, points), found none`);
  }
  if (typeof replications !== 'number' || !Number.isSafeInteger(replications) || replications < 1) {
    throw new InputError(`${file}: expected "replications", a whole number >= 1, found ${JSON.stringify(replications)}`);
  }
  return { design: design as unknown as Design, replications };
}

/** Reads a sweep directory's manifest.json and runs.csv (checked to be the one the manifest lists). */
export function readSweep(dir: string, result: OpenResult = openResult(dir)): SweepFiles {
  const { design, replications } = parseManifest(result.manifestFile, result.manifest);
  const runsFile = nodePath.join(dir, 'runs.csv');
  const [header, ...rows] = parseCsv(readMember(result, 'runs.csv', 'expected a sweep directory written by "ecosim sweep --out <dir>"'));
  const missing = FIXED_COLUMNS.filter((c) => !header?.includes(c));
  if (header === undefined || missing.length > 0) throw new InputError(`${runsFile}: expected a header with the columns ${FIXED_COLUMNS.join(', ')}, missing ${missing.join(', ')}`);
  return { design, replications, header, rows: rows.filter((r) => !(r.length === 1 && r[0] === '')) };
}

// ---------------------------------------------------------------------------------------------
// From runs to one output a point.

function column(sweep: SweepFiles, name: string): number {
  return sweep.header.indexOf(name);
}

/** Every run must have succeeded: a failed run leaves its point without an output. */
function checkRuns(sweep: SweepFiles, runsFile: string): void {
  const status = column(sweep, 'status');
  const failed = sweep.rows.filter((r) => r[status] !== 'ok');
  if (failed.length > 0) {
    const shown = failed.slice(0, 5).map((r) => `run ${r[column(sweep, 'run')]} (point ${r[column(sweep, 'point')]}): ${r[column(sweep, 'error')] || r[status]}`);
    const more = failed.length > 5 ? `; and ${failed.length - 5} more` : '';
    throw new InputError(`${runsFile}: ${failed.length} of ${sweep.rows.length} runs failed, so their points have no outputs: ${shown.join('; ')}${more}. Fix the cause and run the sweep again.`);
  }
  const expected = sweep.design.points.length * sweep.replications;
  if (sweep.rows.length !== expected) {
    throw new InputError(`${runsFile}: expected ${expected} runs (${sweep.design.points.length} points × ${sweep.replications} replication${sweep.replications === 1 ? '' : 's'}), found ${sweep.rows.length}`);
  }
}

/** The columns a metric may name: the flattened summary, not the run's bookkeeping or its parameters. */
function metricColumns(sweep: SweepFiles): string[] {
  const params = new Set(sweep.design.params.map((p) => p.path));
  return sweep.header.filter((c) => !(FIXED_COLUMNS as readonly string[]).includes(c) && !params.has(c));
}

function checkMetrics(asked: readonly string[], columns: readonly string[], runsFile: string): void {
  for (const m of asked) {
    if (columns.includes(m)) continue;
    const hint = suggest(m, columns);
    throw new InputError(`--metric ${m}: no such column in ${runsFile}${hint === undefined ? '' : ` (did you mean "${hint}"?)`}`);
  }
}

/** Mean over its replications of one metric at every point; null where a replication has an empty field. */
export function pointMeans(sweep: SweepFiles, metric: string, runsFile = 'runs.csv'): (number | null)[] {
  const at = column(sweep, metric);
  const pointAt = column(sweep, 'point');
  const sums = new Array<number | null>(sweep.design.points.length).fill(0);
  const counts = new Array<number>(sweep.design.points.length).fill(0);
  for (const row of sweep.rows) {
    const point = Number(row[pointAt]);
    if (!Number.isInteger(point) || point < 0 || point >= sums.length) throw new InputError(`${runsFile}: point "${row[pointAt]}" is not a point of the design`);
    const text = row[at] ?? '';
    const x = text === '' ? null : Number(text);
    if (x !== null && !Number.isFinite(x)) throw new InputError(`${runsFile}: ${metric}: expected a number or an empty field, found "${text}"`);
    counts[point]!++;
    const s = sums[point]!;
    sums[point] = s === null || x === null ? null : s + x;
  }
  return sums.map((s, p) => (s === null || counts[p] === 0 ? null : s / counts[p]!));
}

// ---------------------------------------------------------------------------------------------
// Indices and the tidy file.

function rowsOf(m: MetricSensitivity): SensitivityRow[] {
  const row = (parameter: string, index: SensitivityRow['index'], value: number | null, low: number | null = null, high: number | null = null): SensitivityRow => ({
    metric: m.metric,
    parameter,
    index,
    value,
    low,
    high,
  });
  if (m.kind === 'sobol') return m.indices.flatMap((x) => [row(x.path, 'S1', x.S1, x.S1Low, x.S1High), row(x.path, 'ST', x.ST, x.STLow, x.STHigh)]);
  return m.indices.flatMap((x) => [row(x.path, 'mu', x.mu), row(x.path, 'mu_star', x.muStar), row(x.path, 'sigma', x.sigma)]);
}

const num = (x: number | null): string => (x === null ? '' : (formatNumber(x) ?? ''));

/** sensitivity.csv: one line per metric, parameter and index. */
export function sensitivityCsv(rows: readonly SensitivityRow[]): string {
  const lines = rows.map((r) => [csvField(r.metric), csvField(r.parameter), r.index, num(r.value), num(r.low), num(r.high)].join(','));
  return `metric,parameter,index,value,low,high\n${lines.map((l) => `${l}\n`).join('')}`;
}

function analyseMetric(design: Design, metric: string, outputs: readonly number[], options: AnalyzeOptions, dir: string): MetricSensitivity {
  try {
    if (design.kind === 'sobol') {
      const bootstrap = { bootstrap: options.bootstrap ?? DEFAULT_BOOTSTRAP, seed: options.seed ?? 0 };
      return { metric, kind: 'sobol', indices: sobolIndices(design, outputs, bootstrap) };
    }
    return { metric, kind: 'morris', indices: morrisIndices(design, outputs) };
  } catch (e) {
    // The design in the manifest does not have the shape its kind needs: the directory is damaged.
    if (e instanceof RangeError) throw new InputError(`${nodePath.join(dir, 'manifest.json')}: ${e.message}`);
    throw e;
  }
}

/** Why a metric cannot be analysed, or undefined when it can. */
function unusable(means: readonly (number | null)[]): string | undefined {
  const empty = means.filter((x) => x === null).length;
  if (empty > 0) return `empty at ${empty} of ${means.length} points (a value some runs do not have, such as a tick that never came)`;
  if (means.every((x) => x === means[0])) return 'the same at every point: no variation to apportion';
  return undefined;
}

/** The rows of an earlier sensitivity.csv of this sweep, by metric; none when the manifest does not list it. */
function earlierRows(result: OpenResult): Map<string, SensitivityRow[]> {
  const byMetric = new Map<string, SensitivityRow[]>();
  if (!(SENSITIVITY_FILE in result.derived)) return byMetric;
  const [header, ...lines] = parseCsv(readMember(result, SENSITIVITY_FILE));
  const at = (c: string) => header?.indexOf(c) ?? -1;
  const value = (t: string | undefined) => (t === undefined || t === '' ? null : Number(t));
  for (const l of lines) {
    if (l.length === 1 && l[0] === '') continue;
    const metric = l[at('metric')] ?? '';
    const list = byMetric.get(metric) ?? [];
    list.push({ metric, parameter: l[at('parameter')] ?? '', index: (l[at('index')] ?? 'S1') as SensitivityRow['index'], value: value(l[at('value')]), low: value(l[at('low')]), high: value(l[at('high')]) });
    byMetric.set(metric, list);
  }
  return byMetric;
}

/**
 * Computes the sensitivity indices of a sobol or morris sweep in `dir` and writes them into
 * `dir`/sensitivity.csv, merged with an earlier analysis of the same sweep. A metric that does not
 * vary, or is empty at some points, is skipped with its reason; only when none is left is it an error.
 */
export function analyzeSweep(dir: string, options: AnalyzeOptions = {}): AnalyzeResult {
  return withOutputLockSync(dir, 'analyze', () => analyzeLocked(dir, options));
}

function analyzeLocked(dir: string, options: AnalyzeOptions): AnalyzeResult {
  const result = openResult(dir);
  const sweep = readSweep(dir, result);
  const runsFile = nodePath.join(dir, 'runs.csv');
  const kind = sweep.design.kind;
  if (kind !== 'sobol' && kind !== 'morris') {
    throw new InputError(`${dir}: analyze computes sensitivity indices of sobol and morris designs; this sweep's design is ${kind} (its points.csv has each point's means and confidence intervals)`);
  }
  checkRuns(sweep, runsFile);
  const asked = options.metrics !== undefined && options.metrics.length > 0 ? [...new Set(options.metrics)] : undefined;
  const columns = metricColumns(sweep);
  if (asked !== undefined) checkMetrics(asked, columns, runsFile);
  const metrics: MetricSensitivity[] = [];
  const skipped: { metric: string; reason: string }[] = [];
  for (const metric of asked ?? DEFAULT_METRICS) {
    if (!columns.includes(metric)) {
      skipped.push({ metric, reason: `not a column of ${runsFile}` });
      continue;
    }
    const means = pointMeans(sweep, metric, runsFile);
    const why = unusable(means);
    if (why !== undefined) skipped.push({ metric, reason: why });
    else metrics.push(analyseMetric(sweep.design, metric, means as number[], options, dir));
  }
  if (metrics.length === 0) throw new InputError(`${dir}: no metric to analyse: ${skipped.map((s) => `${s.metric} is ${s.reason}`).join('; ')}`);
  const rows = metrics.flatMap(rowsOf);
  const merged = earlierRows(result);
  const kept = [...merged.keys()].filter((m) => !metrics.some((x) => x.metric === m));
  for (const m of metrics) merged.set(m.metric, rowsOf(m));
  const file = nodePath.join(dir, SENSITIVITY_FILE);
  writeDerivedFile(dir, SENSITIVITY_FILE, sensitivityCsv([...merged.values()].flat()));
  return {
    dir,
    kind,
    points: sweep.design.points.length,
    replications: sweep.replications,
    samples: sweep.design.samples,
    bootstrap: kind === 'sobol' ? (options.bootstrap ?? DEFAULT_BOOTSTRAP) : 0,
    metrics,
    skipped,
    rows,
    kept,
    file,
  };
}
