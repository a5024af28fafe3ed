// One run of an experiment, and the task a worker thread executes: a batch of runs of one raw
// scenario. Each run applies its parameter values and seed to a copy of the raw scenario, resolves
// it (a point the schema rejects is a failed run with the message), simulates it and flattens its
// summary. Every error is caught here and returned as a failed run, so one bad run never stops a
// sweep. Nothing here depends on which thread runs it: results are keyed by run index.

import { METRIC_NAMES, type MetricRow } from '../sim/metrics.js';
import { resolveScenario } from '../sim/scenario/load.js';
import { setPath } from '../sim/scenario/keypath.js';
import type { Scenario } from '../sim/scenario/schema.js';
import { simulate, simulateAsync } from '../simulate.js';
import type { SimulationResult } from '../sim/result.js';
import { flattenSummary, type FlatSummary } from './flatten.js';
import type { ParamValue } from './types.js';

/** Which run to do: its place in the experiment, its seed and its parameter values by key path. */
export interface RunSpec {
  /** Index of the run in the experiment (point × replications + replication): the order of outputs. */
  readonly run: number;
  readonly point: number;
  readonly replication: number;
  readonly seed: number;
  readonly values: Readonly<Record<string, ParamValue>>;
}

/** A batch of runs of one raw scenario: the unit of work sent to a thread. */
export interface RunTask {
  /** Raw scenario data (parsed YAML or JSON, overrides applied), never a resolved scenario. */
  readonly scenario: unknown;
  /** How the scenario is named in messages (its file). */
  readonly label: string;
  /** Return the per-tick metric rows of each run as well as its summary. */
  readonly timeseries: boolean;
  /** The warm-up window: summaries count only ticks >= from (absent: every tick). */
  readonly from?: number;
  readonly runs: readonly RunSpec[];
}

/**
 * The task of a batch of runs: the one place a task is built (by sweeps, their backends and
 * comparisons), so every field of it reaches the threads and the remote workers that run it.
 */
export function batchTask(of: Omit<RunTask, 'runs'>, runs: readonly RunSpec[]): RunTask {
  return { scenario: of.scenario, label: of.label, timeseries: of.timeseries, ...(of.from ? { from: of.from } : {}), runs };
}

/** One per-tick metric row, compact: tick, platform, then every metric in METRIC_NAMES order (null when not finite). */
export type TickRow = readonly [number, string, ...(number | null)[]];

/** What one run produced. Numbers that are not finite are null, so a record survives JSON unchanged. */
export interface RunRecord extends RunSpec {
  readonly status: 'ok' | 'failed';
  /** Why the run failed (only when status is "failed"). */
  readonly error?: string;
  /** The flattened run summary (only when status is "ok"). */
  readonly summary?: FlatSummary;
  /** Per-tick rows (only when status is "ok" and the task asked for them). */
  readonly metrics?: readonly TickRow[];
}

/** A finite number as it is; -0 as 0; anything else as null (what JSON would make of it anyway). */
function clean(x: number | null): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  return x === 0 ? 0 : x;
}

function cleanSummary(s: FlatSummary): FlatSummary {
  const out: FlatSummary = {};
  for (const [k, v] of Object.entries(s)) out[k] = clean(v);
  return out;
}

function tickRow(row: MetricRow): TickRow {
  const values: (number | null)[] = [];
  for (const m of METRIC_NAMES) values.push(clean(row[m]));
  return [row.tick, row.platform, ...values];
}

/** The resolved scenario of one run: the raw scenario with the run's values and seed applied. */
export function runScenario(raw: unknown, label: string, spec: RunSpec): Scenario {
  const copy = structuredClone(raw);
  for (const [path, value] of Object.entries(spec.values)) setPath(copy, path, value);
  setPath(copy, 'seed', spec.seed);
  return resolveScenario(copy, label);
}

// The replications of a point follow one another in a batch and differ only in their seed: the
// point is resolved once and copied (a copy keeps the hidden classes of every run alike).
let lastPoint: { raw: unknown; point: number; scenario: Scenario } | null = null;

function scenarioOf(task: RunTask, spec: RunSpec): Scenario {
  if (lastPoint === null || lastPoint.raw !== task.scenario || lastPoint.point !== spec.point) {
    lastPoint = { raw: task.scenario, point: spec.point, scenario: runScenario(task.scenario, task.label, spec) };
  }
  const scenario = structuredClone(lastPoint.scenario);
  scenario.seed = spec.seed;
  return scenario;
}

function okRecord(spec: RunSpec, result: SimulationResult, timeseries: boolean): RunRecord {
  const summary = cleanSummary(flattenSummary(result.summary));
  return timeseries ? { ...spec, status: 'ok', summary, metrics: result.metrics.map(tickRow) } : { ...spec, status: 'ok', summary };
}

export function failedRecord(spec: RunSpec, e: unknown): RunRecord {
  const error = e instanceof Error ? e.message : String(e);
  return { ...spec, status: 'failed', error: error === '' ? 'failed without a message' : error };
}

// Each run uses replication 0 of its derived seed, so `ecosim run --seed <seed>` repeats it.
const REPLICATION = 0;

/** Does one run, synchronously; never throws. */
export function executeRun(task: RunTask, spec: RunSpec): RunRecord {
  try {
    const scenario = scenarioOf(task, spec);
    return okRecord(spec, simulate(scenario, { replication: REPLICATION, from: task.from }), task.timeseries);
  } catch (e) {
    return failedRecord(spec, e);
  }
}

/** Does one run handing the event loop turns (so Ctrl-C is heard); throws only when `signal` aborts. */
export async function executeRunAsync(task: RunTask, spec: RunSpec, signal?: AbortSignal): Promise<RunRecord> {
  let scenario: Scenario;
  try {
    scenario = scenarioOf(task, spec);
  } catch (e) {
    return failedRecord(spec, e);
  }
  try {
    const result = await simulateAsync(scenario, { replication: REPLICATION, signal, from: task.from });
    return okRecord(spec, result, task.timeseries);
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    return failedRecord(spec, e);
  }
}

/** The worker thread's task: every run of the batch, in order. */
export default function runBatch(task: RunTask): RunRecord[] {
  return task.runs.map((spec) => executeRun(task, spec));
}
