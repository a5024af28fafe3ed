// A parameter sweep, in three separate stages (as in Mesa's batch runner):
//   plan     scenario + parameters + design → points → runs, each with its derived seed
//   execute  runs on a worker pool, each finished run appended to the journal (resumable)
//   collect  runs.csv, points.csv, timeseries.csv and manifest.json, written atomically, in run order
// The files depend only on the plan: never on the number of workers, the order in which runs
// finish, or whether the sweep was interrupted and resumed.

import { ScenarioError, isScenarioError, type ScenarioProblem } from '../scenario/errors.js';
import { setPath } from '../scenario/keypath.js';
import { readRawScenario, resolveScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { lockOutputDir, type DirLock } from '../output/dirLock.js';
import { checkOutputOwnership } from '../output/resultDir.js';
import { sweepOutputFiles, writeResult } from '../output/sweepOutputs.js';
import { VERSION } from '../../version.js';
import { buildDesign } from './designs.js';
import { experimentHash, Journal, JournalError, type JournalHeader } from './journal.js';
import { defaultWorkers, estimateRunMs, planBatches, runTasks } from './pool.js';
import { deriveSeed } from './seeds.js';
import type { Design, DesignKind, ParamSpec, ParamValue } from './types.js';
import { runScenario, type RunRecord, type RunSpec, type RunTask } from './worker.js';

export { JournalError } from './journal.js';

/** Scenario data as a library user passes it: a file to read, or raw data (as parsed from YAML). */
export type ScenarioSource = string | Readonly<Record<string, unknown>>;

export interface SweepOptions {
  /** A scenario file (YAML or JSON), or raw scenario data. */
  readonly scenario: ScenarioSource;
  /** How the scenario is named in messages and the manifest (default: the file, or "<object>"). */
  readonly file?: string;
  /** `key.path=value` overrides applied to the scenario before the parameters, in order. */
  readonly settings?: readonly string[];
  readonly params: readonly ParamSpec[];
  /** Default "grid". */
  readonly design?: DesignKind;
  readonly samples?: number;
  readonly levels?: number;
  /** Runs per design point, each with its own seed (default 1). */
  readonly replications?: number;
  /** The base seed of the run seeds and of sampled designs (default: the scenario's seed). */
  readonly seed?: number;
  /** Threads (default: the cores available); 1 runs in this thread. */
  readonly workers?: number;
  /** The directory of the journal and of the outputs. */
  readonly out: string;
  /** Also write timeseries.csv, every run's per-tick metrics. */
  readonly timeseries?: boolean;
  /** Continue the sweep recorded in `<out>/journal.jsonl`. */
  readonly resume?: boolean;
  /** Write into `out` even when it holds files ecosim did not write (they are left alone). */
  readonly force?: boolean;
  /** Aborting stops the sweep (its journal is kept); the promise rejects with a SweepInterruptedError. */
  readonly signal?: AbortSignal;
  /** Runs done (those resumed included), of all, and how many of them failed. */
  readonly onProgress?: (done: number, total: number, failed: number) => void;
  /** The command named in the manifest (default "sweep"). */
  readonly command?: string;
}

/** A run that failed, with everything needed to repeat it. */
export interface RunFailure {
  readonly run: number;
  readonly point: number;
  readonly replication: number;
  readonly seed: number;
  readonly values: Readonly<Record<string, ParamValue>>;
  readonly error: string;
}

export interface SweepResult {
  readonly out: string;
  /** Files written into `out`, in the order they were moved into place. */
  readonly files: readonly string[];
  readonly design: Design;
  readonly runs: number;
  readonly ok: number;
  readonly failed: readonly RunFailure[];
  /** Runs read back from the journal of an interrupted sweep. */
  readonly resumed: number;
}

/** The sweep was stopped through its signal; the runs done so far are in the journal. */
export class SweepInterruptedError extends Error {
  constructor(readonly done: number, readonly total: number, readonly journal: string, options?: { cause: unknown }) {
    super(`sweep interrupted after ${done} of ${total} runs; they are kept in ${journal}`, options);
    this.name = 'SweepInterruptedError';
  }
}

// ---------------------------------------------------------------------------------------------
// Stage 1: the plan.

/** What a sweep will run, all decided before the first run. */
export interface SweepPlan {
  readonly label: string;
  readonly settings: readonly string[];
  /** The raw scenario with overrides and base seed applied: what each run starts from. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** The resolved base scenario (before parameters). */
  readonly base: Scenario;
  readonly design: Design;
  readonly replications: number;
  readonly seed: number;
  readonly timeseries: boolean;
  /** Every run, in run order: run = point × replications + replication. */
  readonly runs: readonly RunSpec[];
  /** Hash of everything that decides the results: a journal from other settings is refused. */
  readonly hash: string;
}

/** A whole-number option (replications, workers) or its default; bad input is a ScenarioError of "options". */
export function checkCount(name: string, value: number | undefined, min: number, fallback: number): number {
  const n = value ?? fallback;
  if (!Number.isSafeInteger(n) || n < min) throw new ScenarioError('options', [{ path: name, expected: `a whole number >= ${min}`, found: String(value) }]);
  return n;
}

/** Applies a base seed to raw data and resolves it: the seed is checked as any scenario key. */
export function resolveWithSeed(raw: Record<string, unknown>, label: string, seed: number | undefined): Scenario {
  if (seed !== undefined) setPath(raw, 'seed', seed);
  return resolveScenario(raw, label);
}

const isUnknownKey = (p: ScenarioProblem) => p.found.startsWith('unknown key');

/**
 * Checks that the parameters name scenario keys, with the first point: a misspelt path is bad input
 * for the whole sweep, while a value the schema rejects only fails the runs of its point.
 */
function checkParamPaths(raw: unknown, label: string, design: Design): void {
  for (const p of design.params) {
    if (p.path === 'seed') {
      throw new ScenarioError('--param', [{ path: 'seed', expected: 'a scenario key other than seed (each run gets its own seed from --seed; use --replications for more runs)', found: 'seed' }]);
    }
  }
  const first = design.points[0];
  if (first === undefined) return;
  try {
    runScenario(raw, label, { run: 0, point: 0, replication: 0, seed: 0, values: first.values });
  } catch (e) {
    if (!isScenarioError(e)) throw e;
    // setPath reports a path that cannot be set (a missing platform, a list index too far) as "--set".
    if (e.file === '--set') throw new ScenarioError('--param', e.problems);
    const unknown = e.problems.filter(isUnknownKey);
    if (unknown.length > 0) throw new ScenarioError('--param', unknown);
  }
}

/** Stage 1: reads the scenario, builds the design and lists every run. Bad input throws here. */
export async function planSweep(options: Omit<SweepOptions, 'out' | 'workers' | 'resume' | 'force' | 'signal' | 'onProgress' | 'command'>): Promise<SweepPlan> {
  const label = options.file ?? (typeof options.scenario === 'string' ? options.scenario : '<object>');
  const settings = [...(options.settings ?? [])];
  const replications = checkCount('replications', options.replications, 1, 1);
  const raw = await readRawScenario(options.scenario, label, settings);
  const base = resolveWithSeed(raw, label, options.seed);
  const seed = base.seed;
  const kind = options.design ?? 'grid';
  const design = buildDesign(kind, options.params, { seed, samples: options.samples, levels: options.levels });
  checkParamPaths(raw, label, design);
  const runs: RunSpec[] = [];
  for (const point of design.points) {
    for (let r = 0; r < replications; r++) {
      runs.push({ run: point.index * replications + r, point: point.index, replication: r, seed: deriveSeed(seed, point.index, r), values: point.values });
    }
  }
  const timeseries = options.timeseries === true;
  const hash = experimentHash({ version: VERSION, scenario: raw, design, replications, seed, timeseries });
  return { label, settings, raw, base, design, replications, seed, timeseries, runs, hash };
}

// ---------------------------------------------------------------------------------------------
// Stage 2: the runs.

export interface ExecuteOptions {
  readonly out: string;
  readonly workers?: number;
  readonly resume?: boolean;
  readonly force?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number, failed: number) => void;
}

export interface Execution {
  /** Every run's record (without per-tick rows), in run order. */
  readonly records: readonly RunRecord[];
  readonly resumed: number;
  /** The open journal: per-tick rows are read back from it. */
  readonly journal: Journal;
  /** The lock of the output directory, held until the outputs are written. */
  readonly lock: DirLock;
  readonly force: boolean;
}

function checkResumed(plan: SweepPlan, records: readonly RunRecord[], file: string): void {
  for (const r of records) {
    const spec = plan.runs[r.run];
    if (spec === undefined || spec.seed !== r.seed || spec.point !== r.point || spec.replication !== r.replication) {
      throw new JournalError(`${file}: the record of run ${r.run} does not match this sweep; the journal is damaged (remove it to start afresh)`);
    }
  }
}

/**
 * Stage 2: runs what the journal does not hold yet, appending each finished batch to it. Holds the
 * lock of the output directory from here until collectSweep has written the outputs.
 */
export async function executeSweep(plan: SweepPlan, options: ExecuteOptions): Promise<Execution> {
  const workers = checkCount('workers', options.workers, 1, defaultWorkers());
  const total = plan.runs.length;
  const header: JournalHeader = { format: 'ecosim-sweep-journal', formatVersion: 1, hash: plan.hash, runs: total };
  const force = options.force === true;
  const lock = lockOutputDir(options.out, 'sweep');
  let opened: ReturnType<typeof Journal.open>;
  try {
    checkOutputOwnership(options.out, force);
    opened = Journal.open(options.out, header, options.resume === true);
  } catch (e) {
    lock.release();
    throw e;
  }
  const { journal, records: earlier } = opened;
  try {
    checkResumed(plan, earlier, journal.file);
    const byRun = new Map<number, RunRecord>();
    let failed = 0;
    const keep = (r: RunRecord) => {
      byRun.set(r.run, r);
      if (r.status === 'failed') failed++;
    };
    earlier.forEach(keep);
    const resumed = byRun.size;
    options.onProgress?.(byRun.size, total, failed);
    const todo = plan.runs.filter((spec) => !byRun.has(spec.run));
    const batches = planBatches(todo, (spec) => estimateRunMs(plan.base, spec.values), workers);
    const tasks: RunTask[] = batches.map((runs) => ({ scenario: plan.raw, label: plan.label, timeseries: plan.timeseries, runs }));
    try {
      await runTasks(tasks, {
        workers,
        signal: options.signal,
        onRecords: (records) => {
          journal.append(records).forEach(keep);
          options.onProgress?.(byRun.size, total, failed);
        },
      });
    } catch (e) {
      if (options.signal?.aborted) throw new SweepInterruptedError(byRun.size, total, journal.file, { cause: e });
      throw e;
    }
    return { records: plan.runs.map((spec) => byRun.get(spec.run)!), resumed, journal, lock, force };
  } catch (e) {
    journal.close();
    lock.release();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Stage 3: the outputs.

export function failuresOf(records: readonly RunRecord[]): RunFailure[] {
  return records
    .filter((r) => r.status === 'failed')
    .map((r) => ({ run: r.run, point: r.point, replication: r.replication, seed: r.seed, values: r.values, error: r.error ?? '' }));
}

/**
 * Stage 3: writes the outputs as one result (see writeResultDir), replacing the directory with the
 * journal in it; when that fails, the directory and its journal are left as they were, to resume.
 */
export function collectSweep(plan: SweepPlan, execution: Execution, out: string, command = 'sweep'): SweepResult {
  const { records, journal } = execution;
  try {
    const outputs = sweepOutputFiles({
      version: VERSION,
      command,
      plan,
      records,
      readTimeseries: (run) => journal.read(run)?.metrics ?? [],
    });
    const { names } = writeResult(out, outputs, { force: execution.force });
    journal.remove();
    const failed = failuresOf(records);
    return { out, files: names, design: plan.design, runs: records.length, ok: records.length - failed.length, failed, resumed: execution.resumed };
  } finally {
    journal.close();
    execution.lock.release();
  }
}

/**
 * Runs a parameter sweep: every point of the design, `replications` times, on a pool of workers,
 * and writes runs.csv, points.csv, (timeseries.csv) and manifest.json into `out`. Bad input throws a
 * ScenarioError (or a JournalError for a journal that cannot be resumed) before anything runs.
 */
export async function sweep(options: SweepOptions): Promise<SweepResult> {
  const plan = await planSweep(options);
  const execution = await executeSweep(plan, options);
  return collectSweep(plan, execution, options.out, options.command);
}
