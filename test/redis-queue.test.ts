// The queue's parts without the command line: --redis URLs, the batches of a sweep (fixed by the
// plan alone, bounded by the rows they return), job ids and worker names; and, with a real Redis,
// the library's sweep() through a QueueWorker of this process, a result over the limit failing
// clearly, and a re-added batch being one job.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunProgress } from '../src/cli/progress.js';
import { parseParam } from '../src/experiment/params.js';
import { MAX_BATCH_ROWS, MIN_JOBS, planQueueBatches, rowsOfRun } from '../src/experiment/queue/batches.js';
import { parseRedisUrl, RedisConnectionError } from '../src/experiment/queue/connection.js';
import { QueueWorker } from '../src/experiment/queue/consumer.js';
import { QueueJobError, RedisBackend } from '../src/experiment/queue/coordinator.js';
import { QUEUE_NAME, batchJobData, isBatchResult, jobIdOf, versionOfWorker, workerName } from '../src/experiment/queue/protocol.js';
import { planSweep, sweep, type SweepOptions } from '../src/experiment/sweep.js';
import { RedisServer } from './redis-server.js';

const TINY = { name: 'tiny', ticks: 20, seed: 5, customers: { count: 300 }, partners: { count: 20 }, network: { type: 'meanfield' } };
const GRID = [parseParam('customers.q=0.2,0.4,0.6')];

describe('--redis URLs', () => {
  it('default to port 6379, carry a database, a user and a password (masked in messages), and TLS with rediss', () => {
    expect(parseRedisUrl('redis://10.0.0.5')).toEqual({ label: 'redis://10.0.0.5', options: { host: '10.0.0.5', port: 6379 } });
    const full = parseRedisUrl('rediss://ops:s%40cret@queue.example.org:6380/2');
    expect(full.options).toEqual({ host: 'queue.example.org', port: 6380, db: 2, username: 'ops', password: 's@cret', tls: { servername: 'queue.example.org' } });
    expect(full.label).toBe('rediss://ops:***@queue.example.org:6380/2');
    expect(parseRedisUrl('redis://[::1]:7000').options).toEqual({ host: '::1', port: 7000 });
  });

  it('reject what is no Redis URL, saying what was expected and found', () => {
    for (const bad of ['10.0.0.5:6379', 'http://h:1', 'redis://h:1/db', 'redis://h:1/?x=1', '']) {
      expect(() => parseRedisUrl(bad), bad).toThrow(RedisConnectionError);
      expect(() => parseRedisUrl(bad), bad).toThrow(`--redis: expected a Redis URL such as redis://host:6379`);
    }
  });
});

describe('queue batches', () => {
  it('cover every run once, in order, and depend on the plan alone', async () => {
    const plan = await planSweep({ scenario: TINY, params: GRID, replications: 50, seed: 3 });
    const batches = planQueueBatches(plan);
    expect(batches.flatMap((b) => b.runs.map((r) => r.run))).toEqual(plan.runs.map((r) => r.run));
    expect(batches.map((b) => b.index)).toEqual(batches.map((_, i) => i));
    // Enough jobs for many workers (tiny runs: the cap on runs per job decides), none empty.
    expect(Math.max(...batches.map((b) => b.runs.length))).toBe(Math.ceil(150 / MIN_JOBS));
    expect(batches.every((b) => b.runs.length > 0)).toBe(true);
    expect(planQueueBatches(await planSweep({ scenario: TINY, params: GRID, replications: 50, seed: 3 }))).toEqual(batches);
  });

  it('bound the per-tick rows a job returns with --timeseries', async () => {
    const plan = await planSweep({ scenario: { ...TINY, ticks: 3000 }, params: GRID, replications: 20, timeseries: true });
    const rows = rowsOfRun(plan, plan.runs[0]!);
    expect(rows).toBe(3000 * plan.base.platforms.length);
    for (const b of planQueueBatches(plan)) expect(b.runs.length * rows).toBeLessThanOrEqual(Math.max(MAX_BATCH_ROWS, rows));
  });
});

describe('the protocol', () => {
  it('gives job ids BullMQ accepts, one per (sweep, batch), and worker names that carry the version', () => {
    expect(jobIdOf('ab12', 7)).toBe('ab12.7');
    expect(jobIdOf('ab12', 7)).not.toContain(':');
    expect(jobIdOf('ab12', 7)).not.toBe(jobIdOf('ab12', 70));
    const name = workerName('1.2.3-rc.1', 'lab host:1', 42);
    expect(versionOfWorker(name)).toBe('1.2.3-rc.1');
    expect(versionOfWorker(`bull:ZWNvc2lt:w:${name}`)).toBe('1.2.3-rc.1');
    expect(versionOfWorker('bull:ZWNvc2lt:w:someone-else')).toBeUndefined();
  });

  it('accepts a result only with one record per run of the batch, in order', () => {
    const runs = [0, 1].map((run) => ({ run, point: 0, replication: run, seed: run, values: {} }));
    const task = { scenario: {}, label: 'x', timeseries: false, runs };
    expect(isBatchResult(runs.map((r) => ({ ...r, status: 'ok' })), task)).toBe(true);
    expect(isBatchResult([{ ...runs[0], status: 'ok' }], task)).toBe(false);
    expect(isBatchResult([{ ...runs[1], status: 'ok' }, { ...runs[0], status: 'ok' }], task)).toBe(false);
    expect(isBatchResult('done', task)).toBe(false);
  });
});

describe('progress of a sweep through a queue', () => {
  it('names the live workers, and only for a backend that has them', () => {
    let t = 0;
    const progress = new RunProgress({ write: () => true }, 'sweep', true, () => t);
    progress.update(0, 10, 0, 2);
    t = 2000;
    expect(progress.line(4, 10, 1, 3)).toBe('sweep: 4/10 runs, 3 workers, 1 failed, 2.0 runs/s, 3 s left');
    expect(progress.line(4, 10, 0, 1)).toBe('sweep: 4/10 runs, 1 worker, 2.0 runs/s, 3 s left');
    expect(progress.line(4, 10, 0)).toBe('sweep: 4/10 runs, 2.0 runs/s, 3 s left');
  });
});

describe('sweep() through a Redis', () => {
  let redis: RedisServer;
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-redis-queue-'));
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    await redis?.dispose();
    fs.rmSync(base, { recursive: true, force: true });
  });

  const options = (out: string, extra: Partial<SweepOptions> = {}): SweepOptions => ({ scenario: TINY, file: 'tiny.yaml', params: GRID, replications: 4, seed: 21, out: path.join(base, out), ...extra });

  it('gives the files of the local pool, with the live workers in its progress', async () => {
    await sweep({ ...options('local'), workers: 2 });
    const worker = await QueueWorker.start(parseRedisUrl(redis.url), { threads: 1 });
    try {
      const seen: (number | undefined)[] = [];
      const backend = await RedisBackend.connect(redis.url);
      const r = await sweep({ ...options('queued'), backend, onProgress: (_d, _t, _f, workers) => seen.push(workers) });
      expect(r.ok).toBe(12);
      expect(seen).toContain(1);
      for (const f of ['runs.csv', 'points.csv', 'manifest.json']) expect(fs.readFileSync(path.join(base, 'queued', f), 'utf8')).toBe(fs.readFileSync(path.join(base, 'local', f), 'utf8'));
    } finally {
      await worker.close();
    }
  });

  it('stops with a clear error when a batch\'s result would exceed the limit, keeping the journal', async () => {
    const worker = await QueueWorker.start(parseRedisUrl(redis.url), { threads: 1, maxResultBytes: 1000 });
    try {
      const e = await sweep({ ...options('big', { seed: 22 }), backend: await RedisBackend.connect(redis.url) }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(QueueJobError);
      expect((e as Error).message).toMatch(/^batch 0 \(runs 0 to 0\) failed on a worker: its result is \d+ bytes of JSON, over the 1000 bytes a job may hand back through Redis/);
      expect(fs.readdirSync(path.join(base, 'big'))).toEqual(['journal.jsonl']);
    } finally {
      await worker.close();
      const queue = new Queue(QUEUE_NAME, { connection: { url: redis.url } });
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('keeps one job for a batch added twice', async () => {
    const queue = new Queue(QUEUE_NAME, { connection: { url: redis.url } });
    try {
      const task = { scenario: TINY, label: 'tiny.yaml', timeseries: false, runs: [{ run: 0, point: 0, replication: 0, seed: 1, values: {} }] };
      const data = batchJobData('0.0.0', 'cd'.repeat(32), 0, task);
      await queue.add('batch', data, { jobId: jobIdOf('cd'.repeat(32), 0) });
      await queue.add('batch', data, { jobId: jobIdOf('cd'.repeat(32), 0) });
      expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
