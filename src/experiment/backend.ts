// Where the runs of a sweep are executed: the seam between executeSweep (journal, resume, progress)
// and what runs batches. The local pool runs them on this machine's threads; the Redis queue
// (queue/coordinator.ts) hands them to `ecosim worker` processes on any machine. Either takes the
// runs still to do and hands back records batch by batch, in any order; executeSweep journals them.

import { estimateRunMs, planBatches, runTasks } from './pool.js';
import type { SweepPlan } from './plan.js';
import type { RunRecord, RunSpec, RunTask } from './worker.js';

export interface BackendRun {
  readonly plan: SweepPlan;
  /** The runs the journal does not hold yet, in run order. */
  readonly todo: readonly RunSpec[];
  /** The task of a batch of runs: the one place a task is built, so every field of it travels. */
  readonly taskOf: (runs: readonly RunSpec[]) => RunTask;
  /** Stops the execution; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called with the records of each batch as it finishes; records of runs already journaled are skipped by the caller. */
  readonly onRecords: (records: readonly RunRecord[]) => void;
  /** Called when the number of processes working on the sweep changes (backends that have several). */
  readonly onWorkers?: (live: number) => void;
}

export interface ExecutionBackend {
  /** Runs the batches of `todo`; resolves once every record has been handed to onRecords. */
  run(job: BackendRun): Promise<void>;
}

/** The local pool: `workers` threads of this process (1: this thread). */
export function localBackend(workers: number): ExecutionBackend {
  return {
    async run({ plan, todo, taskOf, signal, onRecords }) {
      const batches = planBatches(todo, (spec) => estimateRunMs(plan.base, spec.values), workers);
      await runTasks(batches.map(taskOf), { workers, signal, onRecords });
    },
  };
}
