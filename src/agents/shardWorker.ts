import { workerData } from 'node:worker_threads';
import { Memory } from '../sim/memory.js';
import { UtilityTerms } from './customer.js';
import { createState } from './ecosystem.js';
import { SearchIndex, SLOT } from './ranking.js';
import { applyTickMessage, runShardPhase, type ShardContext, type TickMessage } from './shardPhases.js';
import { ShardTally } from './tally.js';
import type { ShardFailure, WorkerSetup } from './threads.js';

// A worker thread of a run split over threads (see threads.ts): membership and need records shared
// with the main thread, its own shards' customers and streams, and the shard phases on request.

const setup = workerData as WorkerSetup;
const st = createState(setup.scenario, setup.replication, new Memory(true), setup.shared);
const ctx: ShardContext = {
  terms: new UtilityTerms(st.platforms.length),
  // Private copies of the main thread's search indexes, refreshed before each search.
  search: setup.search.map((a) => new SearchIndex(a.slots.length / SLOT)),
};
const mine = setup.shards.map((s) => st.shards[s]!);

const size = ShardTally.size(st.platforms.length);

setup.port.on('message', (m: TickMessage) => {
  try {
    applyTickMessage(st, m, ctx, setup.search);
    for (const shard of mine) {
      runShardPhase(st, shard, m.phase, ctx);
      setup.counts[shard.index] = shard.count;
      shard.tally.store(setup.tallies, shard.index * size);
      shard.tally.reset();
    }
  } catch (e) {
    const failure: ShardFailure = { error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    setup.port.postMessage(failure);
  }
  Atomics.add(setup.done, 0, 1);
  Atomics.notify(setup.done, 0);
});
