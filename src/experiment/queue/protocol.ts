// What a coordinator and a worker agree on through Redis: the queue's name, a job's id and data,
// and how a worker names itself. A job is one batch of one sweep; its data carries the whole task
// (whatever fields a RunTask has travel with it) and the version of ecosim that planned it, since
// results are only identical when the same version runs every batch.

import type { RunRecord, RunTask } from '../worker.js';

/** One queue for every sweep: workers need not know a sweep to take its jobs. */
export const QUEUE_NAME = 'ecosim-sweeps';
/** The shape of a job's data; a change that older workers could misread increments it. */
export const PROTOCOL = 1;
const FORMAT = 'ecosim-batch';

/**
 * The largest result a job may hand back (its JSON, in bytes): Redis keeps it until the coordinator
 * has journaled it. Batches are sized far below it (queue/batches.ts); a batch over it fails clearly.
 */
export const MAX_RESULT_BYTES = 64 * 1024 * 1024;

/**
 * How a worker marks the failure of a job that running again would not mend (a result over the
 * limit, data it cannot read): the coordinator stops the sweep with it instead of retrying.
 */
export const FATAL_PREFIX = 'ecosim: ';

export interface BatchJobData {
  readonly format: typeof FORMAT;
  readonly protocol: number;
  /** The ecosim version of the coordinator. */
  readonly version: string;
  /** The sweep's plan hash (the journal's). */
  readonly sweep: string;
  /** The batch's index in the sweep's batches (queue/batches.ts). */
  readonly batch: number;
  readonly task: RunTask;
}

export function batchJobData(version: string, sweep: string, batch: number, task: RunTask): BatchJobData {
  return { format: FORMAT, protocol: PROTOCOL, version, sweep, batch, task };
}

/**
 * A job's id: the same batch of the same sweep always gets the same id, so adding it again (a
 * coordinator resumed after a crash) is a no-op, and a batch run twice is one job. BullMQ refuses
 * ":" in custom ids.
 */
export function jobIdOf(sweep: string, batch: number): string {
  return `${sweep}.${batch}`;
}

/** The prefix of every job id of a sweep. */
export function jobPrefixOf(sweep: string): string {
  return `${sweep}.`;
}

/**
 * Where a job's records wait for the coordinator: a key of their own, not the job's return value,
 * which BullMQ also copies into its stream of events (kept there after the job is gone). The job
 * returns a BatchResultRef; the key is deleted once the records are journaled, and expires anyway.
 */
export function resultKeyOf(jobId: string): string {
  return `ecosim:result:${jobId}`;
}

/** How long a result waits for a coordinator that does not come back. */
export const RESULT_TTL_SECONDS = 7 * 24 * 3600;

/** What a job returns: where its records are, and how many. */
export interface BatchResultRef {
  readonly result: string;
  readonly runs: number;
}

export function isBatchResultRef(x: unknown): x is BatchResultRef {
  const r = x as Partial<BatchResultRef> | null;
  return r !== null && typeof r === 'object' && typeof r.result === 'string' && typeof r.runs === 'number';
}

export function isBatchJobData(x: unknown): x is BatchJobData {
  const d = x as Partial<BatchJobData> | null;
  return (
    d !== null && typeof d === 'object' && d.format === FORMAT && typeof d.protocol === 'number' && typeof d.version === 'string' &&
    typeof d.sweep === 'string' && Number.isInteger(d.batch) && d.task !== null && typeof d.task === 'object' && Array.isArray(d.task.runs)
  );
}

/** A job's result: the batch's records, checked as the coordinator reads them back. */
export function isBatchResult(x: unknown, task: RunTask): x is RunRecord[] {
  if (!Array.isArray(x) || x.length !== task.runs.length) return false;
  return x.every((r: Partial<RunRecord> | null, i) => r !== null && typeof r === 'object' && r.run === task.runs[i]!.run && (r.status === 'ok' || r.status === 'failed'));
}

/** The name a worker registers with (visible in CLIENT LIST): its version, host and process. */
export function workerName(version: string, host: string, pid: number): string {
  return `ecosim@${version}@${host.replace(/[^\w.-]/g, '_')}@${pid}`;
}

/** The version in a worker's name, or undefined for a client that is no ecosim worker. */
export function versionOfWorker(name: string | undefined): string | undefined {
  const m = /(?:^|:)ecosim@([^@]+)@/.exec(name ?? '');
  return m?.[1];
}

/** Why a worker refuses a job: it was planned by another version, whose results would differ. */
export function versionMismatch(data: BatchJobData, mine: string): string {
  return (
    `refusing the jobs of sweep ${data.sweep.slice(0, 12)}: it was started by ecosim ${data.version}, and this worker is ecosim ${mine}; ` +
    `results are identical only when one version runs every batch: run "ecosim worker" of version ${data.version} (the jobs are left in the queue for it)`
  );
}
