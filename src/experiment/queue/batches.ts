// The batches of a sweep sent through the queue. Unlike the local pool's, they depend on the plan
// alone (not on the workers, which come and go, nor on what a journal holds): batch k of a sweep is
// the same runs whenever it is planned, so a coordinator that resumes re-adds the same jobs, with
// the same ids. Each is about QUEUE_BATCH_MS of work (a job costs a few Redis round trips, more
// than a thread's hand-over), and bounded by the per-tick rows it returns, which Redis holds.

import { estimateRunMs } from '../pool.js';
import type { SweepPlan } from '../plan.js';
import type { RunSpec } from '../worker.js';

/**
 * Estimated work per job (the estimate is of a laptop core; a loaded machine takes longer): a job's
 * round trips to Redis (a few ms on a LAN) stay about 1% of it, while the last jobs, which decide
 * when the sweep ends, stay short. Measured: 400 ms made the sweep's tail a tenth of a 1 500-run bench.
 */
export const QUEUE_BATCH_MS = 150;
/** At least this many jobs when the sweep has enough runs, so that several workers share it evenly. */
export const MIN_JOBS = 64;
/** Per-tick rows a job returns at most (each about 500 bytes of JSON): a few MB per result in Redis. */
export const MAX_BATCH_ROWS = 20_000;

export interface QueueBatch {
  readonly index: number;
  readonly runs: readonly RunSpec[];
}

function ticksOf(plan: SweepPlan, spec: RunSpec): number {
  const v = spec.values['ticks'];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : plan.base.ticks;
}

/** Rows of timeseries one run returns: one per tick and platform (none without --timeseries). */
export function rowsOfRun(plan: SweepPlan, spec: RunSpec): number {
  return plan.timeseries ? ticksOf(plan, spec) * Math.max(1, plan.base.platforms.length) : 0;
}

/** Splits every run of the plan, in order, into the sweep's batches. */
export function planQueueBatches(plan: SweepPlan): QueueBatch[] {
  const cap = Math.max(1, Math.ceil(plan.runs.length / MIN_JOBS));
  const batches: QueueBatch[] = [];
  let current: RunSpec[] = [];
  let cost = 0;
  let rows = 0;
  const close = () => {
    if (current.length > 0) batches.push({ index: batches.length, runs: current });
    current = [];
    cost = 0;
    rows = 0;
  };
  for (const spec of plan.runs) {
    const r = rowsOfRun(plan, spec);
    if (current.length > 0 && rows + r > MAX_BATCH_ROWS) close();
    current.push(spec);
    cost += Math.max(0, estimateRunMs(plan.base, spec.values));
    rows += r;
    if (cost >= QUEUE_BATCH_MS || current.length >= cap) close();
  }
  close();
  return batches;
}
