import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { ShardRunner, SharedParts } from './ecosystem.js';
import { sharedParts } from './ecosystem.js';
import { tickMessage, type ShardContext, type ShardPhase } from './shardPhases.js';
import type { SearchArrays } from './ranking.js';
import type { EcosystemState } from './state.js';
import { ShardTally } from './tally.js';

// One large run over several threads (docs/model.md section 1). Worker w runs the shards s with
// s mod threads = w, for the whole run, so each shard's random stream stays on one thread and is
// drawn in the same order as on one thread. Membership and the tick's need records live in shared
// memory, each worker's customers in its own; a phase is a message to every worker and a wait on a
// shared counter, and each worker leaves its shards' tallies and need counts in shared arrays,
// which the main thread merges in shard order. Between the message and the wait, the main thread
// does the partners' side of the phase, which reads nothing the customers' side writes.

export interface WorkerSetup {
  readonly scenario: EcosystemState['scenario'];
  readonly replication: number;
  readonly shared: SharedParts;
  readonly search: readonly SearchArrays[];
  readonly shards: readonly number[];
  readonly done: Int32Array;
  /** Where a worker leaves each of its shards' tally and need count after a phase. */
  readonly tallies: Float64Array;
  readonly counts: Int32Array;
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

export class ShardThreads implements ShardRunner {
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly done = new Int32Array(new SharedArrayBuffer(4));
  private readonly tallies: Float64Array;
  private readonly counts: Int32Array;
  private readonly tallySize: number;
  private failure: Error | null = null;
  /** The phase started last, for messages. */
  private phase: ShardPhase = 'init';
  /** The serving buffer the workers hold: need buffers are sent again only when reallocated. */
  private sentNeeds: Int32Array | null = null;

  constructor(st: EcosystemState, threads: number, search: readonly SearchArrays[]) {
    const count = Math.max(1, Math.min(threads, st.shards.length));
    const code = workerCode();
    this.tallySize = ShardTally.size(st.platforms.length);
    this.tallies = new Float64Array(new SharedArrayBuffer(8 * this.tallySize * st.shards.length));
    this.counts = new Int32Array(new SharedArrayBuffer(4 * st.shards.length));
    for (let w = 0; w < count; w++) {
      const { port1, port2 } = new MessageChannel();
      const setup: WorkerSetup = {
        scenario: st.scenario,
        replication: st.replication,
        shared: sharedParts(st),
        search,
        shards: st.shards.filter((s) => s.index % count === w).map((s) => s.index),
        done: this.done,
        tallies: this.tallies,
        counts: this.counts,
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
    Atomics.store(this.done, 0, 0);
    const message = tickMessage(st, phase, ctx, this.sentNeeds);
    for (const port of this.ports) port.postMessage(message);
    if (message.needs) this.sentNeeds = message.needs.serve;
    this.phase = phase;
  }

  finish(st: EcosystemState): void {
    const phase = this.phase;
    // Block until every worker has answered: the engine's tick is synchronous.
    for (let got = Atomics.load(this.done, 0); got < this.ports.length; got = Atomics.load(this.done, 0)) {
      if (this.failure) throw this.failure;
      Atomics.wait(this.done, 0, got, 1000);
    }
    for (const port of this.ports) {
      const failure = receiveMessageOnPort(port)?.message as ShardFailure | undefined;
      if (failure) throw new Error(`a worker thread failed in phase ${phase}: ${failure.error}`);
    }
    for (const shard of st.shards) {
      shard.count = this.counts[shard.index]!;
      shard.tally.load(this.tallies, shard.index * this.tallySize);
    }
  }

  close(): void {
    for (const port of this.ports) port.close();
    for (const w of this.workers) void w.terminate();
  }
}
