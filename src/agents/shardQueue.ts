import { loadShard, saveShard } from './shardRegisters.js';
import { runShardPhase, type ShardContext, type ShardPhase } from './shardPhases.js';
import type { EcosystemState } from './state.js';
import { ShardTally } from './tally.js';

// The shards of a phase as a queue that every thread of a run draws from (see threads.ts): the
// main thread and the workers each take the next shard until none is left, so the work splits
// itself by how fast each thread goes, whatever else the machine or the main thread has to do.

/** Words of a run's shared `sync` array. */
export const DONE = 0;
export const NEXT = 1;
/** The number of the phase under way, counted from the first: what `done` holds for a shard done with it. */
export const PHASE = 2;
/** Workers that have started and listen for phases. */
export const READY = 3;
export const SYNC_WORDS = 4;

/** What the threads of a run share to run a phase (all in shared memory). */
export interface ShardQueue {
  /** [workers done with the phase, next shard to take, the phase's number, workers started]. */
  readonly sync: Int32Array;
  /** Per shard, the number of the last phase it is done with: the main thread follows the shards in order. */
  readonly done: Int32Array;
  /** Each shard's stream and counts between phases (see shardRegisters.ts). */
  readonly registers: Int32Array;
  /** Where a thread leaves the tally of each shard it ran in a phase. */
  readonly tallies: Float64Array;
}

/** Runs `phase` on shards taken from the queue until it is empty, calling `after` after each. */
export function drainShards(st: EcosystemState, phase: ShardPhase, ctx: ShardContext, q: ShardQueue, after?: () => void): void {
  const size = ShardTally.size(st.segments.count * st.platforms.length);
  const number = Atomics.load(q.sync, PHASE);
  for (let s = Atomics.add(q.sync, NEXT, 1); s < st.shards.length; s = Atomics.add(q.sync, NEXT, 1)) {
    const shard = st.shards[s]!;
    loadShard(q.registers, shard);
    runShardPhase(st, shard, phase, ctx);
    saveShard(q.registers, shard);
    shard.tally.store(q.tallies, shard.index * size);
    shard.tally.reset();
    Atomics.store(q.done, s, number);
    Atomics.notify(q.done, s);
    after?.();
  }
}
