import { describe, expect, it } from 'vitest';
import { ConditionError, evaluateCondition, parseCondition } from '../src/sim/condition.js';

const names = new Set(['customers', 'matchRate', 'tick']);
const parse = (text: string) => parseCondition(text, (n) => names.has(n));
const values: Record<string, number> = { customers: 5000, matchRate: 0.92, tick: 10 };
const holds = (text: string) => evaluateCondition(parse(text), (n) => values[n]!);

describe('rule conditions', () => {
  it('evaluates comparisons joined by and / or, and binding tighter', () => {
    expect(holds('customers >= 5000 and matchRate > 0.9')).toBe(true);
    expect(holds('customers > 5000 and matchRate > 0.9')).toBe(false);
    expect(holds('customers > 5000 or matchRate > 0.9')).toBe(true);
    expect(holds('customers > 9000 and tick > 1 or matchRate < 0.95')).toBe(true);
    expect(holds('customers > 9000 and tick > 1 or matchRate < 0.5')).toBe(false);
    expect(holds('tick == 10')).toBe(true);
    expect(holds('tick != 10')).toBe(false);
    expect(holds('tick <= 10 and tick < 11')).toBe(true);
  });

  it('reads a number on the left the right way round', () => {
    expect(holds('4000 < customers')).toBe(true);
    expect(holds('6000 <= customers')).toBe(false);
    expect(holds('1e3 < customers')).toBe(true);
    expect(holds('-1 < tick')).toBe(true);
  });

  it('rejects what is not in the grammar, saying where', () => {
    const bad: [string, RegExp][] = [
      ['', /expected a comparison/],
      ['customers >', /expected a number/],
      ['customers 5', /expected a comparison/],
      ['customers >= 5 and', /expected a metric name or a number/],
      ['customers >= 5 xor tick > 1', /expected "and" or "or"/],
      ['customers >= tick', /expected a number/],
      ['process.exit(1)', /unexpected character|unknown metric/],
      ['custmers > 5', /unknown metric "custmers"/],
      ['(customers > 5)', /unexpected character "\(/],
    ];
    for (const [text, message] of bad) {
      let err: unknown;
      try {
        parse(text);
      } catch (e) {
        err = e;
      }
      expect(err, text).toBeInstanceOf(ConditionError);
      expect((err as Error).message, text).toMatch(message);
    }
    try {
      parse('customers >= 5 xor tick > 1');
    } catch (e) {
      expect((e as ConditionError).position).toBe(15);
    }
  });
});
