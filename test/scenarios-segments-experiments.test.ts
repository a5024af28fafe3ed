import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { simulate } from '../src/simulate.js';
import { loadScenarioSync } from '../src/sim/scenario/load.js';
import { rowsOf } from './helpers.js';

// What the comments of the four scenarios of MODEL section 10 promise.

const file = (name: string) => fileURLToPath(new URL(`../scenarios/${name}.yaml`, import.meta.url));
const run = (name: string, settings: string[] = [], replication = 0) => simulate(loadScenarioSync(file(name), settings), { replication });

describe('scenarios/segments.yaml', () => {
  it('a subscription for businesses keeps most of them, leaves consumers as they were and raises revenue; the same price for all drives consumers away', () => {
    const r = run('segments');
    const at = (segment: string, tick: number) => r.segments!.find((x) => x.segment === segment && x.tick === tick)!;
    expect(at('business', 155).customers).toBeGreaterThan(0.8 * at('business', 51).customers);
    expect(Math.abs(at('consumers', 155).customers / at('consumers', 51).customers - 1)).toBeLessThan(0.05);
    const revenue = (from: number, to: number) => rowsOf(r).filter((x) => x.tick >= from && x.tick < to).reduce((a, x) => a + x.revenue, 0) / (to - from);
    expect(revenue(104, 156)).toBeGreaterThan(2 * revenue(26, 52));
    const everyone = run('segments', ['schedule.0.set.subscription=0.5']);
    const consumers = everyone.segments!.find((x) => x.segment === 'consumers' && x.tick === 155)!.customers;
    expect(consumers).toBeLessThan(0.1 * at('consumers', 155).customers);
  });
});

describe('scenarios/ab-test-coupon.yaml and ab-test-take-rate.yaml', () => {
  const REPS = 5;
  const mean = (name: string, settings: string[] = []) => {
    let estimate = 0;
    let truth = 0;
    for (let rep = 0; rep < REPS; rep++) {
      const e = run(name, settings, rep).summary.experiments![0]!;
      estimate += e.estimate / REPS;
      truth += e.trueEffect / REPS;
    }
    return { estimate, truth };
  };

  it('the coupon test overestimates about threefold with scarce capacity, and is nearly unbiased with abundant capacity', () => {
    const scarce = mean('ab-test-coupon');
    expect(scarce.estimate / scarce.truth).toBeGreaterThan(2);
    const abundant = mean('ab-test-coupon', ['partners.count=400', 'partners.capacity=40']);
    expect(Math.abs(abundant.estimate / abundant.truth - 1)).toBeLessThan(0.25);
  }, 60_000);

  it('the take-rate test overestimates with abundant capacity, and underestimates with scarce capacity', () => {
    const abundant = mean('ab-test-take-rate');
    expect(abundant.estimate / abundant.truth).toBeGreaterThan(1.5);
    const scarce = mean('ab-test-take-rate', ['partners.count=30', 'partners.capacity=10']);
    expect(scarce.estimate).toBeLessThan(scarce.truth);
  }, 60_000);
});

describe('scenarios/experiment-portfolio.yaml', () => {
  it('runs three tests at once: the coupon adopted, the fee rolled back, the listing fee observed', () => {
    const r = run('experiment-portfolio');
    const [coupon, fee, listing] = r.summary.experiments!;
    expect(coupon!.ciLow).toBeGreaterThan(0);
    expect(coupon!.adopted).toBe(true);
    expect(fee!.ciHigh).toBeLessThan(0);
    expect(fee!.adopted).toBe(false);
    expect(listing!.decision).toBe('none');
    expect(listing!.adopted).toBe(false);
    // The coupon for everyone from week 80: subsidy spend jumps, and no customer fee is charged.
    const rows = rowsOf(r);
    const spend = (t: number) => rows.find((x) => x.tick === t)!.subsidySpend;
    expect(spend(85)).toBeGreaterThan(1.5 * spend(75));
  });
});
