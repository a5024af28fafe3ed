// A parameter sweep, in three separate stages (as in Mesa's batch runner):
//   plan     scenario + parameters + design → points → runs, each with its derived seed
//   execute  runs on a backend (the local worker pool, or a Redis queue of `ecosim worker`s: backend.ts),
//            each finished batch appended to the journal (resumable)
//   collect  runs.csv, points.csv, timeseries.csv and manifest.json, written atomically, in run order
// The files depend only on the plan: never on the number of workers, the order in which runs
// finish, or whether the sweep was interrupted and resumed. A shard (shard.ts) executes one slice
// of the runs and collects it as a sweep part (sweepPart.ts), which merge.ts puts together.

import { lockOutputDir, type DirLock } from '../sim/output/dirLock.js';
import { ScenarioError } from '../sim/scenario/errors.js';
import { checkOutputOwnership } from '../sim/output/resultDir.js';
import { VERSION } from '../version.js';
import { Journal, JournalError, type JournalHeader } from './journal.js';
import { checkCount, failuresOf, planSweep, type PlanOptions, type RunFailure, type SweepPlan } from './plan.js';
import { localBackend, type ExecutionBackend } from './backend.js';
import { defaultWorkers } from './pool.js';
import { checkShard, journalHash, shardItems, shardSlice, type Shard, type ShardSlice } from './shard.js';
import { sweepOutputFiles, writeResult, type ResultOutputs } from './sweepOutputs.js';
import { sweepPartFiles } from './sweepPart.js';
import type { Design } from './types.js';
import { batchTask, type RunRecord, type RunSpec, type RunTask } from './worker.js';

export { JournalError } from './journal.js';
export { localBackend, type BackendRun, type ExecutionBackend } from './backend.js';
export { planSweep, checkCount, failuresOf, resolveWithSeed, type PlanOptions, type RunFailure, type ScenarioSource, type SweepPlan } from './plan.js';

export interface SweepOptions extends PlanOptions {
  /** Threads (default: the cores available); 1 runs in this thread. */
  readonly workers?: number;
  /** The directory of the journal and of the outputs. */
  readonly out: string;
  /** Continue the sweep recorded in `<out>/journal.jsonl`. */
  readonly resume?: boolean;
  /** Write into `out` even when it holds files ecosim did not write (they are left alone). */
  readonly force?: boolean;
  /** Aborting stops the sweep (its journal is kept); the promise rejects with a SweepInterruptedError. */
  readonly signal?: AbortSignal;
  /** Runs done (those resumed included), of all, how many of them failed, and the live workers of a distributed backend. */
  readonly onProgress?: (done: number, total: number, failed: number, workers?: number) => void;
  /** Where the runs execute (default: the local pool of `workers` threads). */
  readonly backend?: ExecutionBackend;
  /** The command named in the manifest (default "sweep"). */
  readonly command?: string;
  /** Run only this slice of the runs and write it as a sweep part, for `ecosim merge` (see shard.ts). */
  readonly shard?: Shard;
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
  /** A shard's runs (`runs` counts them), when the sweep ran as a shard and wrote a part. */
  readonly shard?: ShardSlice;
}

/** The sweep was stopped through its signal; the runs done so far are in the journal. */
export class SweepInterruptedError extends Error {
  constructor(readonly done: number, readonly total: number, readonly journal: string, options?: { cause: unknown }) {
    super(`sweep interrupted after ${done} of ${total} runs; they are kept in ${journal}`, options);
    this.name = 'SweepInterruptedError';
  }
}

// ---------------------------------------------------------------------------------------------
// Stage 2: the runs.

export interface ExecuteOptions {
  readonly out: string;
  readonly workers?: number;
  readonly resume?: boolean;
  readonly force?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number, failed: number, workers?: number) => void;
  /** Run only this slice of the plan's runs, with a journal of its own. */
  readonly shard?: Shard;
  readonly backend?: ExecutionBackend;
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
  /** The shard run, when only a slice of the plan was (records holds its runs only). */
  readonly shard?: Shard;
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
  const shard = options.shard === undefined ? undefined : checkShard(options.shard);
  if (shard !== undefined && options.backend !== undefined) {
    throw new ScenarioError('options', [{ path: 'shard', expected: 'a shard run on the local pool, or the whole sweep on a backend (not both)', found: 'shard and backend' }]);
  }
  const selected = shardItems(plan.runs, shard);
  const total = selected.length;
  const header: JournalHeader = { format: 'ecosim-sweep-journal', formatVersion: 1, hash: journalHash(plan.hash, shard), runs: plan.runs.length };
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
    const todo = selected.filter((spec) => !byRun.has(spec.run));
    const taskOf = (runs: readonly RunSpec[]): RunTask => batchTask({ scenario: plan.raw, label: plan.label, timeseries: plan.timeseries, from: plan.from }, runs);
    const backend = options.backend ?? localBackend(workers);
    let live: number | undefined;
    try {
      await backend.run({
        plan,
        todo,
        taskOf,
        signal: options.signal,
        onRecords: (records) => {
          // A backend that delivers at least once may hand back a run twice: it is recorded once.
          const fresh = records.filter((r) => !byRun.has(r.run));
          if (fresh.length > 0) journal.append(fresh).forEach(keep);
          options.onProgress?.(byRun.size, total, failed, live);
        },
        onWorkers: (n) => {
          live = n;
          options.onProgress?.(byRun.size, total, failed, live);
        },
      });
    } catch (e) {
      if (options.signal?.aborted) throw new SweepInterruptedError(byRun.size, total, journal.file, { cause: e });
      throw e;
    }
    return { records: selected.map((spec) => byRun.get(spec.run)!), resumed, journal, lock, force, ...(shard === undefined ? {} : { shard }) };
  } catch (e) {
    journal.close();
    lock.release();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Stage 3: the outputs.

/**
 * Stage 3: writes the outputs as one result (see writeResultDir), replacing the directory with the
 * journal in it; when that fails, the directory and its journal are left as they were, to resume.
 */
export function collectSweep(plan: SweepPlan, execution: Execution, out: string, command = 'sweep'): SweepResult {
  const { records, journal } = execution;
  try {
    const input = { version: VERSION, command, plan, records, readTimeseries: (run: number) => journal.read(run)?.metrics ?? [] };
    const shard = execution.shard === undefined ? undefined : shardSlice(plan.runs.length, execution.shard);
    const outputs: ResultOutputs<object> = shard === undefined ? sweepOutputFiles(input) : sweepPartFiles(input, shard, (run) => journal.read(run));
    const { names } = writeResult(out, outputs, { force: execution.force });
    journal.remove();
    const failed = failuresOf(records);
    const result = { out, files: names, design: plan.design, runs: records.length, ok: records.length - failed.length, failed, resumed: execution.resumed };
    return shard === undefined ? result : { ...result, shard };
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
