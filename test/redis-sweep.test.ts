// Sweeps through Redis end to end, as users type them: `ecosim worker` processes and `ecosim sweep
// --redis` against a real redis-server started here, checked byte for byte against local sweeps,
// through the failures the queue is there to survive (a worker or the coordinator killed with
// SIGKILL, Redis restarted), runs that throw, a worker of another version, and bad --redis input.

import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { JOURNAL_FILE } from '../src/experiment/journal.js';
import { QUEUE_NAME, batchJobData, jobIdOf } from '../src/experiment/queue/protocol.js';
import { VERSION } from '../src/version.js';
import { freePort } from './helpers.js';
import { RedisServer } from './redis-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = path.join(ROOT, 'src', 'cli', 'main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const args = (a: readonly string[]) => ['--import', TSX, ENTRY, ...a];

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-redis-sweep-'));
let redis: RedisServer;
beforeAll(async () => {
  redis = await RedisServer.start();
  const tiny = { name: 'tiny', ticks: 20, seed: 5, customers: { count: 500 }, partners: { count: 25 }, network: { type: 'meanfield' } };
  fs.writeFileSync(path.join(base, 'tiny.yaml'), YAML.stringify(tiny));
  // Runs of about a tenth of a second or more: a worker can be killed in the middle of one.
  fs.writeFileSync(path.join(base, 'slow.yaml'), YAML.stringify({ ...tiny, name: 'slow', ticks: 120, customers: { count: 3000 } }));
});
afterAll(async () => {
  await redis?.dispose();
  fs.rmSync(base, { recursive: true, force: true });
});

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function ecosim(a: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, args(a), { cwd: base, encoding: 'utf8' });
}

/** A process spawned in the background, with what it prints gathered. */
interface Running {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function background(a: readonly string[]): Running {
  const child = spawn(process.execPath, args(a), { cwd: base, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => out, exited };
}

async function until(what: string, test: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** An `ecosim worker` on one thread, once it is taking jobs. */
async function worker(extra: readonly string[] = [], url = redis.url): Promise<Running> {
  const w = background(['worker', '--redis', url, '--workers', '1', ...extra]);
  await until('the worker to start', () => /taking jobs from/.test(w.output()) || w.child.exitCode !== null);
  return w;
}

const read = (...parts: string[]) => fs.readFileSync(path.join(base, ...parts), 'utf8');
const OUTPUTS = ['runs.csv', 'points.csv', 'manifest.json'];
const journalRuns = (out: string) => {
  const file = path.join(base, out, JOURNAL_FILE);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').length - 2 : 0;
};

/** The same sweep on the local pool, as the reference. */
function local(sweep: readonly string[], out: string): SpawnSyncReturns<string> {
  return ecosim([...sweep, '--out', out, '--workers', '2', '-q']);
}

function expectSame(a: string, b: string, files = OUTPUTS): void {
  for (const f of files) expect(read(a, f), f).toBe(read(b, f));
}

/** Jobs and results left in Redis (the queue's bookkeeping keys aside), and whether any event still holds records. */
async function jobsLeft(url = redis.url): Promise<number> {
  const queue = new Queue(QUEUE_NAME, { connection: { url } });
  const client = new Redis(url);
  try {
    const counts = await queue.getJobCounts();
    const results = await client.keys('ecosim:result:*');
    const events = await client.xrange(`bull:${QUEUE_NAME}:events`, '-', '+');
    const withRecords = events.filter(([, fields]) => fields.some((f) => f.includes('"summary"')));
    return Object.values(counts).reduce((a, n) => a + n, 0) + results.length + withRecords.length;
  } finally {
    client.disconnect();
    await queue.close();
  }
}

const TINY = (seed: number) => ['sweep', 'tiny.yaml', '--param', 'customers.q=0.2,0.4,0.6', '-r', '8', '--seed', String(seed), '--timeseries'];
const SLOW = (seed: number) => ['sweep', 'slow.yaml', '--param', 'platforms.0.takeRate=0.1,0.2,0.3,0.4', '-r', '4', '--seed', String(seed)];

describe('ecosim sweep --redis with ecosim worker', () => {
  it('through two workers writes files byte-identical to a local sweep, says how many workers, and leaves no job in Redis', async () => {
    const sweep = TINY(11);
    expect(local(sweep, 'local-a').status).toBe(0);
    await worker();
    await worker();
    const r = ecosim([...sweep, '--out', 'redis-a', '--redis', redis.url]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`wrote redis-a${path.sep} (runs.csv, points.csv, timeseries.csv, manifest.json): 3 points × 8 replications = 24 runs\n`);
    expect(r.stderr).toMatch(/sweep: 24\/24 runs, 2 workers, [\d.]+ runs\/s\n/);
    expectSame('redis-a', 'local-a', [...OUTPUTS, 'timeseries.csv']);
    expect(fs.readdirSync(path.join(base, 'redis-a')).sort()).toEqual([...OUTPUTS, 'timeseries.csv'].sort());
    expect(await jobsLeft()).toBe(0);
  });

  it('finishes the job of a worker killed with SIGKILL in the middle of it on the other worker, with identical files', async () => {
    const sweep = SLOW(12);
    expect(local(sweep, 'local-b').status).toBe(0);
    const lock = ['--lock-duration', '1500', '--stalled-interval', '500'];
    const doomed = await worker(lock);
    const coordinator = background([...sweep, '--out', 'redis-b', '--redis', redis.url, '-q']);
    await until('a job to start on the first worker', () => /batch \d+: runs \d+ to \d+ started/.test(doomed.output()));
    const taken = /batch (\d+): runs (\d+) to (\d+) started/.exec(doomed.output())!;
    doomed.child.kill('SIGKILL');
    expect((await doomed.exited).signal).toBe('SIGKILL');
    expect(doomed.output()).not.toMatch(new RegExp(`batch ${taken[1]}: \\d+ runs done`));
    const other = await worker(lock);
    const done = await coordinator.exited;
    expect(done.code, coordinator.output()).toBe(0);
    // The batch the killed worker held ran again, on the other.
    expect(other.output()).toContain(`batch ${taken[1]}: runs ${taken[2]} to ${taken[3]} started`);
    expectSame('redis-b', 'local-b');
    expect(await jobsLeft()).toBe(0);
  });

  it('killed with SIGKILL, the coordinator resumes with --resume to identical files, collecting what finished meanwhile', async () => {
    const sweep = SLOW(13);
    expect(local(sweep, 'local-c').status).toBe(0);
    const a = await worker();
    await worker();
    const coordinator = background([...sweep, '--out', 'redis-c', '--redis', redis.url, '-q']);
    await until('runs in the journal', () => journalRuns('redis-c') >= 3);
    coordinator.child.kill('SIGKILL');
    await coordinator.exited;
    const kept = journalRuns('redis-c');
    expect(kept).toBeLessThan(16);
    // The workers go on with the sweep's jobs while no coordinator listens.
    await until('more batches done', () => (a.output().match(/runs done/g) ?? []).length >= 4);
    const resumed = ecosim([...sweep, '--out', 'redis-c', '--redis', redis.url, '--resume']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`= 16 runs, ${kept} resumed from the journal`);
    expectSame('redis-c', 'local-c');
    expect(await jobsLeft()).toBe(0);
  });

  it('completes identically when Redis is restarted in the middle of the sweep, its data kept', async () => {
    const sweep = SLOW(14);
    expect(local(sweep, 'local-d').status).toBe(0);
    await worker();
    await worker();
    const coordinator = background([...sweep, '--out', 'redis-d', '--redis', redis.url, '-q']);
    await until('runs in the journal', () => journalRuns('redis-d') >= 2);
    await redis.restart(500);
    const done = await coordinator.exited;
    expect(done.code, coordinator.output()).toBe(0);
    expect(journalRuns('redis-d')).toBe(0);
    expectSame('redis-d', 'local-d');
    expect(await jobsLeft()).toBe(0);
  });

  it('reports runs that throw on a worker as failed runs, completes the others, and exits 3 as a local sweep does', async () => {
    const sweep = ['sweep', 'tiny.yaml', '--param', 'customers.count=100,-5', '-r', '2', '--seed', '15'];
    const here = local(sweep, 'local-e');
    expect(here.status).toBe(3);
    await worker();
    const r = ecosim([...sweep, '--out', 'redis-e', '--redis', redis.url]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('2 of 4 runs failed');
    expect(r.stderr).toContain('customers.count: expected a whole number >= 0, found -5');
    expectSame('redis-e', 'local-e');
  });
});

describe('ecosim worker', () => {
  it('refuses the jobs of a sweep started by another version, naming both, and leaves them in the queue', async () => {
    // A coordinator of another version, as it would enqueue a batch (database 1: the other tests' queue is left alone).
    const url = `${redis.url}/1`;
    const queue = new Queue(QUEUE_NAME, { connection: { url } });
    const sweepHash = 'ab'.repeat(32);
    const task = { scenario: { ticks: 5 }, label: 'old.yaml', timeseries: false, runs: [{ run: 0, point: 0, replication: 0, seed: 1, values: {} }] };
    await queue.add('batch', batchJobData('0.0.1-other', sweepHash, 0, task), { jobId: jobIdOf(sweepHash, 0) });
    try {
      const w = background(['worker', '--redis', url, '--workers', '1']);
      const { code } = await w.exited;
      expect(code, w.output()).toBe(2);
      expect(w.output()).toContain(`refusing the jobs of sweep ${sweepHash.slice(0, 12)}: it was started by ecosim 0.0.1-other, and this worker is ecosim ${VERSION}`);
      expect(w.output()).toContain('run "ecosim worker" of version 0.0.1-other');
      expect(await queue.getJobState(jobIdOf(sweepHash, 0))).toBe('waiting');
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('rejects a bad --redis URL or an unreachable Redis with exit 2 and a clear message, writing nothing', async () => {
    const closed = await freePort();
    const cases: [string, RegExp][] = [
      ['localhost:6379', /^--redis: expected a Redis URL such as redis:\/\/host:6379 .*, found "localhost:6379" \(the scheme is "localhost"\)\n$/],
      ['http://10.0.0.5:6379', /^--redis: expected a Redis URL .*, found "http:\/\/10\.0\.0\.5:6379" \(the scheme is "http"\)\n$/],
      ['redis://10.0.0.5:6379/x', /^--redis: expected a Redis URL .*\(the database "x" is not a number\)\n$/],
      ['not a url', /^--redis: expected a Redis URL .*, found "not a url"\n$/],
      [`redis://127.0.0.1:${closed}`, new RegExp(`^cannot reach Redis at redis://127\\.0\\.0\\.1:${closed}: .*ECONNREFUSED.*\\n$`)],
    ];
    for (const [i, [url, message]] of cases.entries()) {
      const s = ecosim([...TINY(16), '--out', 'bad', '--redis', url]);
      expect(s.status, url).toBe(2);
      expect(s.stderr, url).toMatch(message);
      // The worker checks URLs with the same code: a malformed one and an unreachable one suffice.
      if (i !== 0 && i !== cases.length - 1) continue;
      const w = ecosim(['worker', '--redis', url]);
      expect(w.status, url).toBe(2);
      expect(w.stderr, url).toMatch(message);
    }
    expect(fs.existsSync(path.join(base, 'bad'))).toBe(false);
    const none = ecosim(['worker']);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("required option '--redis <url>' not specified");
  });
});
