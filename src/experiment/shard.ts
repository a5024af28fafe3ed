// A shard of a sweep: the i-th of n deterministic slices of its run list, for schedulers that start
// n copies of one command (Slurm job arrays, Kubernetes indexed jobs) and give each its index. Every
// shard builds the same plan (same hash); the runs are cut into n contiguous blocks in run order,
// whose sizes differ by at most one (the first blocks take the remainder), so which runs a shard
// holds follows from (i, n) and the number of runs alone. `ecosim merge` puts the parts together.

import { ScenarioError } from '../sim/scenario/errors.js';
import { experimentHash } from './journal.js';

/** Shard `index` (1-based, as Slurm's $SLURM_ARRAY_TASK_ID with --array=1-n) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The runs a shard holds: `runs` runs from run index `first`, of the sweep's `total`. */
export interface ShardSlice extends Shard {
  readonly first: number;
  readonly runs: number;
  readonly total: number;
}

export const SHARD_RULE =
  'the runs, in run order, cut into count contiguous blocks whose sizes differ by at most one, the first (total mod count) blocks one run longer; shard index (1-based) holds block index';

const EXPECTED = 'i/n, whole numbers with 1 <= i <= n, such as 2/8';

/** Parses "i/n"; bad text throws a ScenarioError of "options" (key "shard"). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const shard = m === null ? undefined : { index: Number(m[1]), count: Number(m[2]) };
  if (shard === undefined) throw new ScenarioError('options', [{ path: 'shard', expected: EXPECTED, found: JSON.stringify(text) }]);
  return checkShard(shard);
}

/** Checks a shard given to the library: whole numbers with 1 <= index <= count. */
export function checkShard(shard: Shard): Shard {
  const { index, count } = shard;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new ScenarioError('options', [{ path: 'shard', expected: EXPECTED, found: `${String(index)}/${String(count)}` }]);
  }
  return { index, count };
}

/** The slice of `total` runs that shard `shard` holds (see SHARD_RULE). */
export function shardSlice(total: number, shard: Shard): ShardSlice {
  const { index, count } = shard;
  const size = Math.floor(total / count);
  const longer = total % count;
  const before = index - 1;
  const first = before * size + Math.min(before, longer);
  return { index, count, first, runs: size + (before < longer ? 1 : 0), total };
}

/** The items of a run list (in run order) that a shard holds; all of them without a shard. */
export function shardItems<T>(items: readonly T[], shard: Shard | undefined): readonly T[] {
  if (shard === undefined) return items;
  const s = shardSlice(items.length, shard);
  return items.slice(s.first, s.first + s.runs);
}

/** "runs 4–7", "run 4" or "no runs", for messages. */
export function runsText(slice: Pick<ShardSlice, 'first' | 'runs'>): string {
  if (slice.runs === 0) return 'no runs';
  if (slice.runs === 1) return `run ${slice.first}`;
  return `runs ${slice.first}–${slice.first + slice.runs - 1}`;
}

/** "2/8" */
export function shardText(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/**
 * The hash in the journal header of a sweep or of one of its shards: the plan's hash for a whole
 * sweep; for a shard, a hash of the plan's and of (i, n), so a shard resumes only as itself.
 */
export function journalHash(planHash: string, shard: Shard | undefined): string {
  return shard === undefined ? planHash : experimentHash({ sweep: planHash, shard: { index: shard.index, count: shard.count } });
}
