import { describe, expect, it } from 'vitest';
import { ShardTally, Tally } from '../src/agents/tally.js';

// A tally's reset and add name every field one by one (for speed): a field left out of either
// would carry one tick's numbers into the next, or drop a shard's part of a platform's sum.

const names = Object.keys(new Tally()) as (keyof Tally & string)[];
const asNumbers = (t: Tally) => t as unknown as Record<string, number>;

function filled(offset: number): Tally {
  const t = new Tally();
  names.forEach((k, i) => (asNumbers(t)[k] = offset + i + 0.5));
  return t;
}

describe('tallies', () => {
  it('add sums every field', () => {
    const t = filled(1);
    t.add(filled(100));
    for (const [i, k] of names.entries()) expect(asNumbers(t)[k], k).toBe(1 + i + 0.5 + 100 + i + 0.5);
  });

  it('reset zeroes every field', () => {
    const t = filled(1);
    t.reset();
    for (const k of names) expect(asNumbers(t)[k], k).toBe(0);
  });

  it('a shard tally goes through its array and back bit for bit', () => {
    const from = new ShardTally(2);
    from.platforms[0]!.add(filled(0.1));
    from.platforms[1]!.add(filled(7.3));
    from.customers[1] = -4;
    from.members = 12;
    const a = new Float64Array(ShardTally.size(2));
    from.store(a, 0);
    const to = new ShardTally(2);
    to.load(a, 0);
    expect(to).toEqual(from);
  });
});
