import { workerData } from 'node:worker_threads';
import { Memory } from '../sim/memory.js';
import { createState } from './ecosystem.js';
import { SearchIndex, SLOT } from './ranking.js';
import { PlatformSignals } from './signals.js';
import { applyTickMessage, type ShardContext, type TickMessage } from './shardPhases.js';
import { DONE, drainShards, READY } from './shardQueue.js';
import type { ShardFailure, WorkerSetup } from './threads.js';

// A worker thread of a run split over threads (see threads.ts): customers and need records shared
// with the main thread and the other workers, and the shard phases on request, a shard at a time.

const setup = workerData as WorkerSetup;
const st = createState(setup.scenario, setup.replication, new Memory(true), setup.shared);
const ctx: ShardContext = {
  signals: new PlatformSignals(st.platforms.length, st.groups.customerGroups, st.groups.partnerGroups),
  tick: 0,
  // Private copies of the main thread's search indexes, refreshed before each search.
  search: setup.search.map((a) => new SearchIndex(a.slots.length / SLOT)),
};

setup.port.on('message', (m: TickMessage) => {
  try {
    applyTickMessage(st, m, ctx, setup.search);
    drainShards(st, m.phase, ctx, setup.queue);
  } catch (e) {
    const failure: ShardFailure = { error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    setup.port.postMessage(failure);
  }
  Atomics.add(setup.queue.sync, DONE, 1);
  Atomics.notify(setup.queue.sync, DONE);
});
// Started: the main thread, blocked while it waits for a phase, could not hear of a worker that failed to.
Atomics.add(setup.queue.sync, READY, 1);
Atomics.notify(setup.queue.sync, DONE);
