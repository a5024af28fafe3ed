// Running batches of runs: on a piscina pool of worker threads, or in this thread with one worker.
// Results are handed back batch by batch as they finish, keyed by run index, so whatever consumes
// them can order them; nothing here depends on completion order.

import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { Scenario } from '../sim/scenario/schema.js';
import { executeRunAsync, failedRecord, type RunRecord, type RunSpec, type RunTask } from './worker.js';

/** The default number of workers: one per core the process may use. */
export function defaultWorkers(): number {
  return os.availableParallelism();
}

// Measured on a laptop core (Node 20): a tick costs about 20 µs, plus 0.17 µs per customer and 0.1 µs
// per partner. Only used to size batches, so rough is fine.
const MS_PER_TICK = 0.02;
const MS_PER_CUSTOMER_TICK = 0.00017;
const MS_PER_PARTNER_TICK = 0.0001;

/** Estimated milliseconds of one run of a scenario, with the run's values of the sizes that matter. */
export function estimateRunMs(base: Scenario, values: Readonly<Record<string, unknown>> = {}): number {
  const num = (path: string, fallback: number) => {
    const v = values[path];
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;
  };
  const ticks = num('ticks', base.ticks);
  const customers = num('customers.count', base.customers.count);
  const partners = num('partners.count', base.partners.count);
  return ticks * (MS_PER_TICK + customers * MS_PER_CUSTOMER_TICK + partners * MS_PER_PARTNER_TICK);
}

/**
 * Work per batch worth sending to a thread: the round trip (measured: about 1.3 ms between one
 * batch and the next in a thread) stays about 1% of it.
 */
export const TARGET_BATCH_MS = 100;
/** Batches per worker at least (when there are enough runs), so that threads finish close together. */
export const BATCHES_PER_WORKER = 4;

/**
 * Splits runs (in order) into batches of consecutive runs: each about TARGET_BATCH_MS of estimated
 * work, but small enough that every worker gets BATCHES_PER_WORKER of them.
 */
export function planBatches(runs: readonly RunSpec[], costMs: (spec: RunSpec) => number, workers: number): RunSpec[][] {
  const balanceCap = Math.max(1, Math.ceil(runs.length / (BATCHES_PER_WORKER * Math.max(1, workers))));
  const batches: RunSpec[][] = [];
  let current: RunSpec[] = [];
  let cost = 0;
  for (const spec of runs) {
    current.push(spec);
    cost += Math.max(0, costMs(spec));
    if (cost >= TARGET_BATCH_MS || current.length >= balanceCap) {
      batches.push(current);
      current = [];
      cost = 0;
    }
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export interface PoolOptions {
  /** Threads to use; 1 runs everything in this thread, one run at a time. */
  readonly workers: number;
  /** Stops dispatching and aborts the tasks under way; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called with the records of each batch (or part of a batch) as it finishes. */
  readonly onRecords: (records: readonly RunRecord[]) => void;
}

/** The worker module: worker.ts under tsx (development, tests), worker.js in the built package. */
function workerFile(): { filename: string; execArgv?: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const filename = fileURLToPath(new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url));
  if (!fromSource) return { filename };
  // A thread does not inherit a test runner's loader: load tsx (found from here, not from the cwd) itself.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { filename, execArgv: ['--import', tsx] };
}

/** Runs every task; resolves when all have finished, rejects with the signal's reason when aborted. */
export async function runTasks(tasks: readonly RunTask[], options: PoolOptions): Promise<void> {
  options.signal?.throwIfAborted();
  if (tasks.length === 0) return;
  if (options.workers <= 1) return runInProcess(tasks, options);
  return runOnThreads(tasks, options);
}

async function runInProcess(tasks: readonly RunTask[], { signal, onRecords }: PoolOptions): Promise<void> {
  for (const task of tasks) {
    const done: RunRecord[] = [];
    try {
      for (const spec of task.runs) {
        signal?.throwIfAborted();
        done.push(await executeRunAsync(task, spec, signal));
      }
    } finally {
      // The runs of a batch that finished before Ctrl-C are kept too.
      if (done.length > 0) onRecords(done);
    }
  }
}

/**
 * A pool of `threads` worker threads running batches (runBatch), kept until destroyed: a sweep's
 * pool lives for one sweep, a queue worker's for as long as the worker takes jobs.
 */
export function openBatchPool(threads: number): Piscina<RunTask, RunRecord[]> {
  const { filename, execArgv } = workerFile();
  const pool = new Piscina<RunTask, RunRecord[]>({
    filename,
    minThreads: threads,
    maxThreads: threads,
    // A second batch waits in each thread, so a thread never idles while this one writes the journal.
    concurrentTasksPerWorker: 2,
    // With Atomics a thread runs its waiting batch before the first one's result is posted, so this
    // thread hears of both at once and the worker idles until new batches arrive: measured 5% slower.
    atomics: 'disabled',
    // minThreads keeps every thread alive between batches; only extra ones would idle out.
    idleTimeout: 1000,
    ...(execArgv === undefined ? {} : { execArgv }),
  });
  // The pool's 'error' events come from a thread that has no task: the result of a batch posted as
  // its thread was being stopped (its task already rejected), or a throw while idle, which runBatch,
  // being synchronous, cannot make. Unheard, an EventEmitter would throw them where nothing catches.
  pool.on('error', () => {});
  return pool;
}

async function runOnThreads(tasks: readonly RunTask[], { workers, signal, onRecords }: PoolOptions): Promise<void> {
  const pool = openBatchPool(Math.min(workers, tasks.length));
  const local = new AbortController();
  // Stopping destroys the pool, which rejects every task still queued or running. The tasks get no
  // abort signal of their own: piscina terminates a thread whose abortable task is aborted, and the
  // result of the other batch waiting in that thread then reaches the pool as an unexpected message,
  // thrown where nothing can catch it (piscina issue 934).
  let destroyed: Promise<void> | null = null;
  const destroy = () => (destroyed ??= pool.destroy());
  const onAbort = () => {
    local.abort(signal?.reason);
    void destroy();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.all(
      tasks.map(async (task) => {
        let records: RunRecord[];
        try {
          records = await pool.run(task);
        } catch (e) {
          if (local.signal.aborted) return;
          // The thread itself failed (it could not load, or ran out of memory): its runs failed.
          records = task.runs.map((spec) => failedRecord(spec, new Error(`worker thread failed: ${e instanceof Error ? e.message : String(e)}`)));
        }
        if (!local.signal.aborted) onRecords(records);
      }),
    );
  } catch (e) {
    // A consumer failed (the journal could not be written): record nothing more.
    local.abort();
    throw e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await destroy();
  }
  if (signal?.aborted) throw signal.reason;
}
