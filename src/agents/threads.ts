import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { ShardRunner, SharedParts } from './ecosystem.js';
import { sharedParts } from './ecosystem.js';
import { tickMessage, type ShardContext, type ShardPhase } from './shardPhases.js';
import type { SearchArrays } from './ranking.js';
import type { EcosystemState, Shard } from './state.js';
import { DONE, drainShards, NEXT, PHASE, READY, SYNC_WORDS, type ShardQueue } from './shardQueue.js';
import { loadShard, saveShard, savedCount, shardRegisters } from './shardRegisters.js';
import { ShardTally } from './tally.js';

// One large run over several threads (docs/model.md section 1): the main thread and threads - 1
// workers. In each phase every thread takes shards one at a time from a shared queue, so a thread
// that goes slower (the machine's other work, the main thread's own part) takes fewer, and none
// waits long for another. A shard reads and writes only its own customers and records, and its
// stream is saved in shared registers after every phase and taken up by whichever thread runs it
// next, so its draws come in the same order as on one thread. Customers and the tick's need
// records live in shared memory. A phase is a message to every worker; the main thread does the
// partners' side of the phase (which reads nothing the customers' side writes), takes shards until
// none is left, then waits on a shared counter for the workers. Each thread leaves the tallies of
// the shards it ran in a shared array, which the main thread merges in shard order. Work that
// reads what the shards wrote, in shard order (the partners' side of settling), the main thread
// does between its own shards, following each shard's flag as it is done.

export interface WorkerSetup {
  readonly scenario: EcosystemState['scenario'];
  readonly replication: number;
  readonly shared: SharedParts;
  readonly search: readonly SearchArrays[];
  readonly queue: ShardQueue;
  readonly port: MessagePort;
}

/** A worker's message back: only when a phase failed (results travel through shared memory). */
export interface ShardFailure {
  readonly error: string;
}

let bundled: string | null = null;

/**
 * The worker's code. Built, it is the module beside this one. From sources (development, tests),
 * it is bundled once with esbuild into a script: a worker that loaded TypeScript through a loader
 * hook would wait on the main thread, which is blocked while the workers run a phase.
 */
function workerCode(): { code: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith('.ts')) return { code: new URL('./shardWorker.js', import.meta.url), eval: false };
  if (bundled === null) {
    const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
    const out = esbuild.buildSync({
      entryPoints: [fileURLToPath(new URL('./shardWorker.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    });
    bundled = out.outputFiles[0]!.text;
  }
  return { code: bundled, eval: true };
}

export interface ShardThreadsOptions {
  /**
   * How long a worker may take to start, in ms (default 60 000). One that fails to load cannot be
   * heard while this thread waits on a phase; past this, the phase fails instead of waiting for ever.
   */
  readonly startupMs?: number;
  /** The workers' code as a script, in place of the shard worker (for tests). */
  readonly code?: string;
}

export class ShardThreads implements ShardRunner {
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly queue: ShardQueue;
  private readonly tallySize: number;
  private failure: Error | null = null;
  /** The phase started last, and what it reads. */
  private phase: ShardPhase = 'init';
  private ctx: ShardContext | null = null;
  /** The serving buffer the workers hold: need buffers are sent again only when reallocated. */
  private sentNeeds: Int32Array | null = null;
  /** When the workers must have started by (performance.now()). */
  private readonly startBy: number;

  constructor(st: EcosystemState, threads: number, search: readonly SearchArrays[], options: ShardThreadsOptions = {}) {
    const workers = Math.max(1, Math.min(threads, st.shards.length) - 1);
    const code = options.code === undefined ? workerCode() : { code: options.code, eval: true };
    this.startBy = performance.now() + (options.startupMs ?? 60_000);
    this.tallySize = ShardTally.size(st.segments.count * st.platforms.length);
    this.queue = {
      sync: new Int32Array(new SharedArrayBuffer(4 * SYNC_WORDS)),
      done: new Int32Array(new SharedArrayBuffer(4 * st.shards.length)),
      registers: shardRegisters(st.shards.length),
      tallies: new Float64Array(new SharedArrayBuffer(8 * this.tallySize * st.shards.length)),
    };
    for (const shard of st.shards) saveShard(this.queue.registers, shard);
    for (let w = 0; w < workers; w++) {
      const { port1, port2 } = new MessageChannel();
      const setup: WorkerSetup = {
        scenario: st.scenario,
        replication: st.replication,
        shared: sharedParts(st),
        search,
        queue: this.queue,
        port: port2,
      };
      const worker = new Worker(code.code, { eval: code.eval, workerData: setup, transferList: [port2] });
      worker.on('error', (e) => (this.failure = e instanceof Error ? e : new Error(String(e))));
      worker.unref();
      this.workers.push(worker);
      this.ports.push(port1);
    }
  }

  start(st: EcosystemState, phase: ShardPhase, ctx: ShardContext): void {
    Atomics.store(this.queue.sync, DONE, 0);
    Atomics.store(this.queue.sync, NEXT, 0);
    Atomics.add(this.queue.sync, PHASE, 1);
    const message = tickMessage(st, phase, ctx, this.sentNeeds);
    for (const port of this.ports) port.postMessage(message);
    if (message.needs) this.sentNeeds = message.needs.serve;
    this.phase = phase;
    this.ctx = ctx;
  }

  finish(st: EcosystemState, each?: (shard: Shard) => void): void {
    const phase = this.phase;
    const { sync, registers, tallies, done } = this.queue;
    // The shards followed so far by `each`.
    let next = st.shards.length;
    if (!each) drainShards(st, phase, this.ctx!, this.queue);
    else {
      // Between its own shards, this thread follows every shard the phase is done with, in order.
      const number = Atomics.load(sync, PHASE);
      next = 0;
      const follow = () => {
        for (; next < st.shards.length && Atomics.load(done, next) === number; next++) {
          const shard = st.shards[next]!;
          shard.count = savedCount(registers, shard);
          each(shard);
        }
      };
      drainShards(st, phase, this.ctx!, this.queue, follow);
      while (next < st.shards.length) {
        const seen = Atomics.load(done, next);
        if (seen === number) follow();
        // A worker that failed leaves its shard undone: once all have answered, say why below.
        else if (Atomics.load(sync, DONE) === this.ports.length) {
          if (Atomics.load(done, next) !== number) break;
        } else this.wait(done, next, seen);
      }
    }
    // Block until every worker has answered: the engine's tick is synchronous.
    for (let got = Atomics.load(sync, DONE); got < this.ports.length; got = Atomics.load(sync, DONE)) this.wait(sync, DONE, got);
    for (const port of this.ports) {
      const failure = receiveMessageOnPort(port)?.message as ShardFailure | undefined;
      if (failure) throw new Error(`a worker thread failed in phase ${phase}: ${failure.error}`);
    }
    if (next < st.shards.length) throw new Error(`shard ${next} was not done with phase ${phase}, and no worker thread said why`);
    for (const shard of st.shards) {
      shard.count = savedCount(registers, shard);
      shard.tally.load(tallies, shard.index * this.tallySize);
    }
  }

  /** The shards' streams, as the last phase left them in the registers: for a copy of the state (section 10.2). */
  sync(st: EcosystemState): void {
    for (const shard of st.shards) loadShard(this.queue.registers, shard);
  }

  /** Waits until a[index] may no longer be `seen`, or a second has passed; throws if a worker is known to have failed. */
  private wait(a: Int32Array, index: number, seen: number): void {
    if (this.failure) throw this.failure;
    const starting = this.ports.length - Atomics.load(this.queue.sync, READY);
    const left = this.startBy - performance.now();
    if (starting > 0 && left <= 0) throw new Error(`${starting} worker thread(s) did not start in time: they may have failed to load`);
    Atomics.wait(a, index, seen, starting > 0 ? Math.min(1000, left) : 1000);
  }

  close(): void {
    for (const port of this.ports) port.close();
    for (const w of this.workers) void w.terminate();
  }
}
