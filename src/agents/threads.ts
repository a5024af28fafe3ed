import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { ShardRunner, SharedParts } from './ecosystem.js';
import { sharedParts } from './ecosystem.js';
import { tickMessage, type ShardContext, type ShardPhase } from './shardPhases.js';
import type { SearchArrays } from './ranking.js';
import type { EcosystemState } from './state.js';
import type { ShardTally } from './tally.js';

// One large run over several threads (docs/model.md section 1). Worker w runs the shards s with
// s mod threads = w, for the whole run, so each shard's random stream stays on one thread and is
// drawn in the same order as on one thread. Membership and the tick's need records live in shared
// memory, each worker's customers in its own; a phase is a message to every worker and a wait on a
// shared counter, and each worker answers with its shards' tallies and need counts, which the main
// thread merges in shard order.

export interface WorkerSetup {
  readonly scenario: EcosystemState['scenario'];
  readonly replication: number;
  readonly shared: SharedParts;
  readonly search: readonly SearchArrays[];
  readonly shards: readonly number[];
  readonly done: Int32Array;
  readonly port: MessagePort;
}

export interface ShardReply {
  readonly shards: readonly { index: number; count: number; tally: ShardTally }[];
  readonly error?: string;
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
  private failure: Error | null = null;

  constructor(st: EcosystemState, threads: number, search: readonly SearchArrays[]) {
    const count = Math.max(1, Math.min(threads, st.shards.length));
    const code = workerCode();
    for (let w = 0; w < count; w++) {
      const { port1, port2 } = new MessageChannel();
      const setup: WorkerSetup = {
        scenario: st.scenario,
        replication: st.replication,
        shared: sharedParts(st),
        search,
        shards: st.shards.filter((s) => s.index % count === w).map((s) => s.index),
        done: this.done,
        port: port2,
      };
      const worker = new Worker(code.code, { eval: code.eval, workerData: setup, transferList: [port2] });
      worker.on('error', (e) => (this.failure = e instanceof Error ? e : new Error(String(e))));
      worker.unref();
      this.workers.push(worker);
      this.ports.push(port1);
    }
  }

  run(st: EcosystemState, phase: ShardPhase, ctx: ShardContext): void {
    Atomics.store(this.done, 0, 0);
    const message = tickMessage(st, phase, ctx);
    for (const port of this.ports) port.postMessage(message);
    // Block until every worker has answered: the engine's tick is synchronous.
    for (let got = Atomics.load(this.done, 0); got < this.ports.length; got = Atomics.load(this.done, 0)) {
      if (this.failure) throw this.failure;
      Atomics.wait(this.done, 0, got, 1000);
    }
    for (const port of this.ports) {
      const reply = receiveMessageOnPort(port)?.message as ShardReply | undefined;
      if (!reply) throw new Error(`a worker thread did not answer phase ${phase}`);
      if (reply.error) throw new Error(`a worker thread failed in phase ${phase}: ${reply.error}`);
      for (const r of reply.shards) {
        const shard = st.shards[r.index]!;
        shard.count = r.count;
        copyTally(r.tally, shard.tally);
      }
    }
  }

  close(): void {
    for (const port of this.ports) port.close();
    for (const w of this.workers) void w.terminate();
  }
}

/** A tally that came through a message (fields only, no class) into the shard's own. */
function copyTally(from: ShardTally, into: ShardTally): void {
  from.platforms.forEach((t, k) => Object.assign(into.platforms[k]!, t));
  into.customers.set(from.customers);
  into.members = from.members;
  into.satisfactionSum = from.satisfactionSum;
  into.multiHomers = from.multiHomers;
  into.aware = from.aware;
}
