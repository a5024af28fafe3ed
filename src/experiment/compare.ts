// Comparing scenarios (or variants of one): each is run R times on common random numbers
// (replication r of every scenario uses the same seed), and for each summary metric we report the
// mean with its 95% confidence interval, and the difference to the first scenario with Welch's
// confidence interval and p-value.

import { ScenarioError, suggest } from '../sim/scenario/errors.js';
import { splitPath } from '../sim/scenario/keypath.js';
import type { Scenario } from '../sim/scenario/schema.js';
import { extraSummaryColumns, summaryColumns } from './flatten.js';
import { defaultWorkers, estimateRunMs, planBatches, runTasks } from './pool.js';
import { commonSeed } from './seeds.js';
import { metricRange, summarizeInRange } from './bounds.js';
import { welch, type Summary, type WelchResult } from '../sim/stats.js';
import { readRawScenario } from '../sim/scenario/load.js';
import { checkCount, failuresOf, resolveWithSeed, type RunFailure, type ScenarioSource } from './plan.js';
import { batchTask, type RunRecord, type RunSpec, type RunTask, type TickRow } from './worker.js';
import type { MetricName } from '../sim/metrics.js';
import { checkWarmup } from '../sim/warmup.js';

/** The metrics compared when none are named. */
export const DEFAULT_COMPARE_METRICS: readonly string[] = [
  'all.total.ecosystemValue',
  'all.total.revenue',
  'all.total.orchestratorProfit',
  'all.total.leakageRate',
  'all.total.matchRate',
  'all.final.customers',
  'all.final.partners',
];

/** One scenario to compare: a file or raw data, with its own overrides. */
export interface CompareArmInput {
  /** How the scenario is called in tables and files. */
  readonly name: string;
  readonly scenario: ScenarioSource;
  /** How the scenario file is named in messages and the manifest (default: the file, or "<object>"). */
  readonly file?: string;
  /** `key.path=value` overrides, in order. */
  readonly settings?: readonly string[];
}

export interface CompareOptions {
  /** The scenarios; the first is the reference the others are compared with. */
  readonly arms: readonly CompareArmInput[];
  /** Runs per scenario (default 10). */
  readonly replications?: number;
  /** The base seed of the common seeds (default: the first scenario's seed). */
  readonly seed?: number;
  readonly workers?: number;
  /** Summary columns to compare (default DEFAULT_COMPARE_METRICS). */
  readonly metrics?: readonly string[];
  /** Also keep every run's per-tick metrics (CompareResult.timeseries, written as timeseries.csv). */
  readonly timeseries?: boolean;
  /** The warm-up window: run summaries count only ticks >= from (default 0, every tick). */
  readonly from?: number;
  /** How `from` is named in messages (default "options"; an experiment file names itself). */
  readonly fromSource?: { readonly file: string; readonly path: string };
  /** The metrics whose rows timeseries.csv records (default all). */
  readonly record?: readonly MetricName[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number, failed: number) => void;
}

export interface ArmComparison extends Summary {
  readonly name: string;
  /** mean(this) - mean(first), with Welch's CI and p-value; absent for the first scenario. */
  readonly diff?: WelchResult;
}

export interface MetricComparison {
  readonly metric: string;
  readonly arms: readonly ArmComparison[];
}

export interface CompareArm {
  readonly name: string;
  readonly file: string;
  readonly settings: readonly string[];
  /** The resolved scenario (with the base seed). */
  readonly scenario: Scenario;
}

/** The per-tick metrics of one run of a comparison (kept with the option `timeseries`). */
export interface CompareRunSeries {
  /** The run's index: scenario × replications + replication. */
  readonly run: number;
  /** The scenario's name. */
  readonly scenario: string;
  readonly replication: number;
  /** One row per tick and platform: tick, platform, then every metric in METRIC_NAMES order. */
  readonly rows: readonly TickRow[];
}

export interface CompareResult {
  readonly arms: readonly CompareArm[];
  readonly replications: number;
  readonly seed: number;
  /** The warm-up window (absent or 0: every tick counts). */
  readonly from?: number;
  /** The metrics recorded in the timeseries, or undefined for all. */
  readonly record?: readonly MetricName[];
  readonly metrics: readonly MetricComparison[];
  readonly failed: readonly (RunFailure & { readonly scenario: string })[];
  /** With the option `timeseries`: every ok run's per-tick metrics, in run order. */
  readonly timeseries?: readonly CompareRunSeries[];
}

/**
 * Parses `--variant name:key=value[,key=value…]` into a name and `key=value` settings. A comma starts a
 * new setting only before `key=`, so values may hold commas ("[1,2]"). `name:` alone is the scenario
 * unchanged.
 */
export function parseVariant(text: string): { name: string; settings: string[] } {
  const colon = text.indexOf(':');
  const fail = (found: string): never => {
    throw new ScenarioError('--variant', [{ path: '', expected: 'name:key=value[,key=value…], such as cheap:platforms.0.takeRate=0.05', found }]);
  };
  if (colon <= 0) fail(`"${text}", which has no name before ":"`);
  const name = text.slice(0, colon).trim();
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) fail(`the name "${name}" (use letters, digits, _ . -)`);
  const rest = text.slice(colon + 1).trim();
  const settings = rest === '' ? [] : rest.split(/,(?=\s*[A-Za-z0-9_$][A-Za-z0-9_.$]*\s*=)/).map((s) => s.trim());
  for (const s of settings) {
    const eq = s.indexOf('=');
    if (eq <= 0) fail(`"${s}" in "${text}", which is no key=value`);
    splitPath(s.slice(0, eq).trim());
  }
  return { name, settings };
}

/** Checks that every metric compared is a summary column of every scenario (a misspelt one with a suggestion). */
export function checkMetrics(metrics: readonly string[], arms: readonly CompareArm[]): void {
  for (const arm of arms) {
    const names = arm.scenario.platforms.map((p) => p.name);
    const columns = [...summaryColumns(names), ...extraSummaryColumns(names, arm.scenario.customers.segments.map((g) => g.name), arm.scenario.experiments.map((e) => e.name))];
    for (const m of metrics) {
      if (columns.includes(m)) continue;
      const hint = suggest(m, columns);
      throw new ScenarioError('--metric', [
        {
          path: m,
          expected: `a column of the run summary of "${arm.name}", such as all.total.revenue or ${arm.scenario.platforms[0]!.name}.final.customers`,
          found: 'no such column',
          ...(hint === undefined ? {} : { hint }),
        },
      ]);
    }
  }
}

function checkNames(arms: readonly CompareArmInput[]): void {
  if (arms.length === 0) throw new ScenarioError('compare', [{ path: '', expected: 'at least one scenario', found: 'none' }]);
  const seen = new Set<string>();
  for (const a of arms) {
    if (seen.has(a.name)) throw new ScenarioError('compare', [{ path: a.name, expected: 'a different name for each scenario', found: `"${a.name}" twice` }]);
    seen.add(a.name);
  }
}

function valuesOf(records: readonly RunRecord[], metric: string): number[] {
  const out: number[] = [];
  for (const r of records) {
    const v = r.status === 'ok' ? r.summary?.[metric] : undefined;
    if (typeof v === 'number') out.push(v);
  }
  return out;
}

/** Runs every scenario `replications` times on common seeds and compares their summaries. */
export async function compare(options: CompareOptions): Promise<CompareResult> {
  checkNames(options.arms);
  const replications = checkCount('replications', options.replications, 1, 10);
  const workers = checkCount('workers', options.workers, 1, defaultWorkers());
  const metrics = [...(options.metrics ?? DEFAULT_COMPARE_METRICS)];
  const timeseries = options.timeseries === true;

  // Every scenario is read and checked before anything runs: bad input costs nothing.
  const raws: Record<string, unknown>[] = [];
  const arms: CompareArm[] = [];
  let seed = options.seed;
  for (const a of options.arms) {
    const file = a.file ?? (typeof a.scenario === 'string' ? a.scenario : '<object>');
    const settings = [...(a.settings ?? [])];
    const raw = await readRawScenario(a.scenario, file, settings);
    const scenario = resolveWithSeed(raw, file, seed);
    seed ??= scenario.seed; // the first scenario's seed, when none is given, is everyone's
    raws.push(raw);
    arms.push({ name: a.name, file, settings, scenario });
  }
  checkMetrics(metrics, arms);
  const base = seed!;
  const from = checkWarmup(options.from, Math.min(...arms.map((a) => a.scenario.ticks)), options.fromSource?.file, options.fromSource?.path);

  const tasks: RunTask[] = arms.flatMap((arm, i) => {
    const runs: RunSpec[] = Array.from({ length: replications }, (_, r) => ({ run: i * replications + r, point: i, replication: r, seed: commonSeed(base, r), values: {} }));
    return planBatches(runs, () => estimateRunMs(arm.scenario), workers).map((batch) => batchTask({ scenario: raws[i], label: arm.file, timeseries, from }, batch));
  });
  const total = arms.length * replications;
  const byRun: RunRecord[] = new Array<RunRecord>(total);
  let done = 0;
  let failed = 0;
  options.onProgress?.(0, total, 0);
  await runTasks(tasks, {
    workers,
    signal: options.signal,
    onRecords: (records) => {
      for (const r of records) {
        byRun[r.run] = r;
        done++;
        if (r.status === 'failed') failed++;
      }
      options.onProgress?.(done, total, failed);
    },
  });

  const recordsOf = (i: number) => byRun.slice(i * replications, (i + 1) * replications);
  const comparisons: MetricComparison[] = metrics.map((metric) => {
    const reference = valuesOf(recordsOf(0), metric);
    return {
      metric,
      arms: arms.map((arm, i) => {
        const values = valuesOf(recordsOf(i), metric);
        // The interval of the mean stays inside the metric's range (a revenue is never negative).
        const summary = summarizeInRange(values, metricRange(metric, arm.scenario.customers.count));
        const diff = i > 0 && values.length > 0 && reference.length > 0 ? welch(reference, values) : undefined;
        return diff === undefined ? { name: arm.name, ...summary } : { name: arm.name, ...summary, diff };
      }),
    };
  });
  const failures = failuresOf(byRun).map((f) => ({ ...f, scenario: arms[f.point]!.name }));
  const record = options.record === undefined ? {} : { record: [...options.record] };
  const result: CompareResult = { arms, replications, seed: base, from, ...record, metrics: comparisons, failed: failures };
  if (!timeseries) return result;
  const series = byRun
    .filter((r) => r.status === 'ok')
    .map((r) => ({ run: r.run, scenario: arms[r.point]!.name, replication: r.replication, rows: r.metrics ?? [] }));
  return { ...result, timeseries: series };
}
