// The Redis backend of a sweep (the coordinator's side): every batch still to do becomes a job of
// the queue, keyed by (sweep hash, batch), and finished jobs are collected into the journal, then
// removed. Delivery is at least once (a worker that loses its lock has its job run again), so a
// batch is recorded once whoever ran it, however often. The coordinator keeps nothing that Redis and
// the journal do not: one that dies resumes with --resume, collecting first what finished meanwhile.

import { Queue, QueueEvents, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { InputError } from '../../sim/inputError.js';
import { VERSION } from '../../version.js';
import type { BackendRun, ExecutionBackend } from '../backend.js';
import { planQueueBatches, type QueueBatch } from './batches.js';
import { checkReachable, lastingConnection, parseRedisUrl, type RedisTarget } from './connection.js';
import {
  FATAL_PREFIX,
  QUEUE_NAME,
  batchJobData,
  isBatchResult,
  isBatchResultRef,
  jobIdOf,
  jobPrefixOf,
  resultKeyOf,
  versionOfWorker,
  type BatchJobData,
  type BatchResultRef,
} from './protocol.js';

/** A batch that cannot be done through the queue (a result over the limit, a job a worker could not read). */
export class QueueJobError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'QueueJobError';
  }
}

/**
 * Finished jobs are removed by the coordinator once journaled; these bounds only keep Redis from
 * holding for ever the jobs of a sweep whose coordinator never comes back.
 */
const KEEP_FINISHED = { age: 7 * 24 * 3600 };
/** Events are a wake-up only (a job is read back whole): a short stream bounds what Redis holds. */
const EVENTS_MAX_LEN = 200;
/** Jobs added per request. */
const ADD_CHUNK = 500;
/** A batch that failed for another reason than a fatal one (it stalled too often) is run again, this many times. */
const RETRIES = 5;

export interface RedisBackendOptions {
  /** How often (ms) finished jobs are looked for beside the events, and live workers counted (default 1000). */
  readonly pollMs?: number;
}

type BatchQueue = Queue<BatchJobData, BatchResultRef>;
type BatchJob = Job<BatchJobData, BatchResultRef>;

/** Resolves on a wake-up, a timeout or an abort, whichever comes first. */
class Waker {
  private wake: (() => void) | undefined;
  private pending = false;

  notify(): void {
    this.pending = true;
    this.wake?.();
  }

  wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.pending || signal?.aborted) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wake = undefined;
        this.pending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }
}

/** A sweep's batches through Redis, one run of the backend at a time. */
export class RedisBackend implements ExecutionBackend {
  private constructor(
    readonly target: RedisTarget,
    private readonly options: RedisBackendOptions,
  ) {}

  /** Checks the URL and that Redis answers, so that a bad --redis fails before the sweep opens its journal. */
  static async connect(url: string | RedisTarget, options: RedisBackendOptions = {}): Promise<RedisBackend> {
    const target = typeof url === 'string' ? parseRedisUrl(url) : url;
    await checkReachable(target);
    return new RedisBackend(target, options);
  }

  async run(job: BackendRun): Promise<void> {
    const queue: BatchQueue = new Queue(QUEUE_NAME, { connection: lastingConnection(this.target), streams: { events: { maxLen: EVENTS_MAX_LEN } } });
    const events = new QueueEvents(QUEUE_NAME, { connection: lastingConnection(this.target) });
    const results = new Redis(lastingConnection(this.target));
    // While Redis is away they all reconnect on their own; the sweep waits for them.
    queue.on('error', () => undefined);
    events.on('error', () => undefined);
    results.on('error', () => undefined);
    try {
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
      await new Collection(queue, events, results, job, this.options.pollMs ?? 1000).run();
    } finally {
      results.disconnect();
      await Promise.allSettled([events.close(), queue.close()]);
    }
  }
}

/** One execution: the sweep's outstanding batches, until each is journaled. */
class Collection {
  private readonly prefix: string;
  /** Batches not journaled yet, by job id. */
  private readonly pending = new Map<string, QueueBatch>();
  private readonly notified = new Set<string>();
  private readonly retries = new Map<string, number>();
  private readonly waker = new Waker();
  private lastWorkers: number | undefined;
  /** Set when the connection to Redis came back: a Redis that lost its data lost the jobs too. */
  private reconnected = false;

  constructor(
    private readonly queue: BatchQueue,
    private readonly events: QueueEvents,
    private readonly results: Redis,
    private readonly job: BackendRun,
    private readonly pollMs: number,
  ) {
    this.prefix = jobPrefixOf(job.plan.hash);
    const todo = new Set(job.todo.map((s) => s.run));
    for (const batch of planQueueBatches(job.plan)) {
      if (batch.runs.some((s) => todo.has(s.run))) this.pending.set(jobIdOf(job.plan.hash, batch.index), batch);
    }
  }

  async run(): Promise<void> {
    const { signal } = this.job;
    const heard = ({ jobId }: { jobId: string }) => {
      if (!jobId.startsWith(this.prefix)) return;
      this.notified.add(jobId);
      this.waker.notify();
    };
    this.events.on('completed', heard);
    this.events.on('failed', heard);
    let connections = 0;
    const ready = () => {
      if (++connections > 1) {
        this.reconnected = true;
        this.waker.notify();
      }
    };
    this.results.on('ready', ready);
    if (this.results.status === 'ready') connections++;
    try {
      // What finished while no coordinator listened (this one crashed) is collected first; what
      // failed is removed, to be added afresh.
      await this.countWorkers();
      await this.scan(true);
      await this.addMissing();
      let lastScan = Date.now();
      while (this.pending.size > 0) {
        signal?.throwIfAborted();
        await this.waker.wait(this.pollMs, signal);
        signal?.throwIfAborted();
        const ids = [...this.notified];
        this.notified.clear();
        for (const id of ids) await this.collect(id);
        if (this.reconnected) {
          // Adding a job that exists is a no-op: only the jobs a Redis without its data lost are added again.
          this.reconnected = false;
          await this.addMissing();
        }
        if (Date.now() - lastScan >= this.pollMs) {
          // Events are missed while Redis restarts, or trimmed: the finished sets are the truth.
          await this.scan(false);
          await this.countWorkers();
          lastScan = Date.now();
        }
      }
    } finally {
      this.events.off('completed', heard);
      this.events.off('failed', heard);
      this.results.off('ready', ready);
    }
  }

  /** Adds every pending batch that has no job (a no-op for those that have one). */
  private async addMissing(): Promise<void> {
    const { plan, taskOf } = this.job;
    const entries = [...this.pending];
    for (let i = 0; i < entries.length; i += ADD_CHUNK) {
      const chunk = entries.slice(i, i + ADD_CHUNK);
      await this.queue.addBulk(
        chunk.map(([jobId, batch]) => ({
          name: 'batch',
          data: batchJobData(VERSION, plan.hash, batch.index, taskOf(batch.runs)),
          opts: { jobId, removeOnComplete: KEEP_FINISHED, removeOnFail: KEEP_FINISHED },
        })),
      );
    }
  }

  /** Collects the sweep's completed jobs and handles its failed ones; at the start, failed ones are removed to be re-added. */
  private async scan(starting: boolean): Promise<void> {
    const page = 500;
    for (const state of ['completed', 'failed'] as const) {
      const ids: string[] = [];
      for (let start = 0; ; start += page) {
        const jobs = await this.queue.getJobs([state], start, start + page - 1, true);
        for (const j of jobs) if (j?.id !== undefined && j.id.startsWith(this.prefix)) ids.push(j.id);
        if (jobs.length < page) break;
      }
      for (const id of ids) {
        if (starting && state === 'failed') await this.queue.remove(id);
        else await this.collect(id);
      }
    }
  }

  /** Journals a completed job (or handles a failed one) and removes it. */
  private async collect(id: string): Promise<void> {
    const job = (await this.queue.getJob(id)) as BatchJob | undefined;
    if (job === undefined) return;
    const state = await job.getState();
    const batch = this.pending.get(id);
    if (state === 'completed') {
      const key = resultKeyOf(id);
      if (batch !== undefined) {
        const text = isBatchResultRef(job.returnvalue) ? await this.results.get(key) : null;
        if (text === null) {
          // Its records are gone (expired while no coordinator came): the batch runs again.
          await job.remove();
          await this.addMissing();
          return;
        }
        const records: unknown = JSON.parse(text);
        const task = this.job.taskOf(batch.runs);
        if (!isBatchResult(records, task)) throw new QueueJobError(`batch ${batch.index} came back from the queue without the records of its runs: the worker that ran it is not this version of ecosim`);
        this.job.onRecords(records);
        this.pending.delete(id);
      }
      // Removed only once journaled: a crash in between leaves them for the next coordinator.
      await this.results.del(key);
      await job.remove();
    } else if (state === 'failed') {
      const reason = job.failedReason ?? 'no reason given';
      if (batch === undefined) return void (await job.remove());
      if (reason.startsWith(FATAL_PREFIX)) throw new QueueJobError(`batch ${batch.index} (runs ${batch.runs[0]!.run} to ${batch.runs.at(-1)!.run}) failed on a worker: ${reason.slice(FATAL_PREFIX.length)}`);
      const tries = (this.retries.get(id) ?? 0) + 1;
      if (tries > RETRIES) throw new QueueJobError(`batch ${batch.index} failed ${tries} times on workers, lastly: ${reason}`);
      this.retries.set(id, tries);
      await job.retry('failed');
    }
  }

  private async countWorkers(): Promise<void> {
    const clients = await this.queue.getWorkers();
    const names = new Set(clients.map((c) => c['rawname'] ?? c['name']).filter((n) => versionOfWorker(n) === VERSION));
    if (names.size !== this.lastWorkers) {
      this.lastWorkers = names.size;
      this.job.onWorkers?.(names.size);
    }
  }
}
