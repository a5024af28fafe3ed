// Customers are split into shards of a fixed size, each with its own random stream, so that a run
// gives the same result on any number of threads: the split depends on the population alone.

export const SHARD_SIZE = 8192;

export interface ShardRange {
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

export function shardRanges(n: number, size = SHARD_SIZE): ShardRange[] {
  const out: ShardRange[] = [];
  for (let start = 0, index = 0; start < n; start += size, index++) {
    out.push({ index, start, end: Math.min(n, start + size) });
  }
  return out;
}
