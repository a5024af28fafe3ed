import type { Shard } from './state.js';

// What a shard carries from one phase to the next besides its customers and need records, in
// shared memory, so that on threads any worker can take up any shard (docs/model.md section 1):
// where its random stream stands, its need count and its customers not yet aware.

const WORDS = 8;
const RNG = 0;
const COUNT = 4;
const UNAWARE = 5;

/** Registers for `shards` shards, in shared memory. */
export function shardRegisters(shards: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * WORDS * shards));
}

export function saveShard(regs: Int32Array, shard: Shard): void {
  const at = WORDS * shard.index;
  shard.rng.save(regs, at + RNG);
  regs[at + COUNT] = shard.count;
  regs[at + UNAWARE] = shard.unaware;
}

export function loadShard(regs: Int32Array, shard: Shard): void {
  const at = WORDS * shard.index;
  shard.rng.load(regs, at + RNG);
  shard.count = regs[at + COUNT]!;
  shard.unaware = regs[at + UNAWARE]!;
}

/** The need count that a shard's last phase left. */
export function savedCount(regs: Int32Array, shard: Shard): number {
  return regs[WORDS * shard.index + COUNT]!;
}
