// The worker's side of the queue (`ecosim worker`): a BullMQ Worker whose processor hands each batch
// to a pool of threads kept for the worker's life, so that this thread's event loop only talks to
// Redis and renews the locks of the jobs under way (a CPU-bound processor would starve the renewal
// and have its jobs taken as stalled). Runs that throw are failed records, as on the local pool. A
// job planned by another version of ecosim is given back untouched, and the worker says why.

import { Worker, UnrecoverableError, WaitingError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { hostname } from 'node:os';
import { VERSION } from '../../version.js';
import { openBatchPool } from '../pool.js';
import { failedRecord, type RunRecord } from '../worker.js';
import { lastingConnection, type RedisTarget } from './connection.js';
import {
  FATAL_PREFIX,
  MAX_RESULT_BYTES,
  QUEUE_NAME,
  RESULT_TTL_SECONDS,
  isBatchJobData,
  jobIdOf,
  resultKeyOf,
  versionMismatch,
  workerName,
  type BatchJobData,
  type BatchResultRef,
} from './protocol.js';

export interface QueueWorkerOptions {
  /** Threads running batches. */
  readonly threads: number;
  /** Jobs held at once per thread: more than one keeps a thread busy while a result travels (default 2). */
  readonly jobsPerThread?: number;
  /** How long (ms) a job's lock lasts without renewal: after it, the job of a dead worker is taken again (default 30 000). */
  readonly lockDurationMs?: number;
  /** How often (ms) this worker looks for jobs whose worker died (default 15 000). */
  readonly stalledIntervalMs?: number;
  /** The largest result (bytes of JSON) a job may hand back (default MAX_RESULT_BYTES). */
  readonly maxResultBytes?: number;
  /** What the worker does, for a log. */
  readonly onEvent?: (event: QueueWorkerEvent) => void;
}

export type QueueWorkerEvent =
  | { readonly kind: 'started'; readonly sweep: string; readonly batch: number; readonly runs: number; readonly first: number; readonly last: number }
  | { readonly kind: 'finished'; readonly sweep: string; readonly batch: number; readonly runs: number; readonly failed: number; readonly ms: number }
  | { readonly kind: 'error'; readonly message: string };

/** A stalled job is taken again up to this many times before it fails (a worker killed, Redis away). */
const MAX_STALLED = 10;

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${bytes} bytes`);

export class QueueWorker {
  private refusal: ((message: string) => void) | undefined;
  /** Resolves with the reason when the worker refuses the queue's jobs (they belong to another version). */
  readonly refused: Promise<string>;
  readonly name: string;

  private constructor(
    private readonly worker: Worker<BatchJobData, BatchResultRef>,
    private readonly pool: ReturnType<typeof openBatchPool>,
    private readonly results: Redis,
    name: string,
    refused: Promise<string>,
    resolveRefusal: (message: string) => void,
  ) {
    this.name = name;
    this.refused = refused;
    this.refusal = resolveRefusal;
  }

  /** Starts taking jobs; resolves once connected. */
  static async start(target: RedisTarget, options: QueueWorkerOptions): Promise<QueueWorker> {
    const threads = options.threads;
    // Threads stay up between jobs (minThreads): one that went would start cold on the next sweep.
    const pool = openBatchPool(threads);
    const emit = options.onEvent ?? (() => undefined);
    let refuse: (message: string) => void = () => undefined;
    const refused = new Promise<string>((resolve) => (refuse = resolve));
    const name = workerName(VERSION, hostname(), process.pid);
    const maxResultBytes = options.maxResultBytes ?? MAX_RESULT_BYTES;
    let self: QueueWorker | undefined;

    const processor = async (job: Job<BatchJobData, BatchResultRef>, token?: string): Promise<BatchResultRef> => {
      const data: unknown = job.data;
      const version = (data as { version?: unknown } | null)?.version;
      if (typeof version === 'string' && version !== VERSION && isBatchJobData(data)) {
        // Given back at once for a worker of its version; this one stops taking jobs.
        await job.moveToWait(token);
        self?.refuse(versionMismatch(data, VERSION));
        throw new WaitingError();
      }
      if (!isBatchJobData(data)) throw new UnrecoverableError(`${FATAL_PREFIX}job ${job.id ?? '?'} of queue ${QUEUE_NAME} is no batch of an ecosim sweep`);
      const { task } = data;
      const runs = task.runs;
      const t0 = performance.now();
      emit({ kind: 'started', sweep: data.sweep, batch: data.batch, runs: runs.length, first: runs[0]?.run ?? 0, last: runs.at(-1)?.run ?? 0 });
      let records: RunRecord[];
      try {
        records = await pool.run(task);
      } catch (e) {
        // The thread itself failed (it ran out of memory): its runs failed, as on the local pool.
        records = runs.map((spec) => failedRecord(spec, new Error(`worker thread failed: ${e instanceof Error ? e.message : String(e)}`)));
      }
      const text = JSON.stringify(records);
      const bytes = Buffer.byteLength(text);
      if (bytes > maxResultBytes) {
        throw new UnrecoverableError(
          `${FATAL_PREFIX}its result is ${size(bytes)} of JSON, over the ${size(maxResultBytes)} a job may hand back through Redis ` +
            '(runs with so many ticks and platforms cannot go through the queue with --timeseries: run the sweep without --redis, or without --timeseries)',
        );
      }
      // Written before the job completes: a worker killed in between has its job run again, which
      // writes the same records.
      const key = resultKeyOf(job.id ?? jobIdOf(data.sweep, data.batch));
      await results.set(key, text, 'EX', RESULT_TTL_SECONDS);
      emit({ kind: 'finished', sweep: data.sweep, batch: data.batch, runs: runs.length, failed: records.filter((r) => r.status === 'failed').length, ms: performance.now() - t0 });
      return { result: key, runs: records.length };
    };

    const results = new Redis(lastingConnection(target));
    results.on('error', () => undefined);
    const lockDuration = options.lockDurationMs ?? 30_000;
    const worker = new Worker<BatchJobData, BatchResultRef>(QUEUE_NAME, processor, {
      connection: lastingConnection(target),
      name,
      concurrency: threads * (options.jobsPerThread ?? 2),
      lockDuration,
      stalledInterval: options.stalledIntervalMs ?? Math.max(1000, lockDuration / 2),
      maxStalledCount: MAX_STALLED,
      autorun: false,
    });
    // Connection errors repeat while Redis is away; the worker reconnects by itself.
    let lastError = '';
    worker.on('error', (e: Error) => {
      if (e.message === lastError) return;
      lastError = e.message;
      emit({ kind: 'error', message: e.message });
    });
    self = new QueueWorker(worker, pool, results, name, refused, refuse);
    void worker.run().catch((e: unknown) => emit({ kind: 'error', message: e instanceof Error ? e.message : String(e) }));
    await worker.waitUntilReady();
    return self;
  }

  private refuse(message: string): void {
    this.refusal?.(message);
    this.refusal = undefined;
  }

  /**
   * Stops taking jobs. Gracefully, the jobs under way finish first; with `force`, they are dropped
   * (their locks lapse and other workers take them again).
   */
  async close(force = false): Promise<void> {
    try {
      await this.worker.close(force);
    } finally {
      this.results.disconnect();
      await this.pool.destroy();
    }
  }
}
