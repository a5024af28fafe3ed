import { describe, expect, it } from 'vitest';
import { compare } from '../src/experiment/compare.js';

// `ecosim compare` varies segment and experiment keys like any other, and compares their columns
// (segment.<platform>.<segment>.<field>, experiment.<name>.<field>).
const SCENARIO = {
  name: 'market',
  ticks: 40,
  customers: { count: 2000, segments: [{ name: 'consumers', share: 0.7 }, { name: 'business', share: 0.3, valueMean: 3 }] },
  partners: { count: 100 },
  network: { type: 'meanfield' },
  platforms: [{ name: 'p', subsidyBudget: null }],
  experiments: [{ name: 'coupon', start: 20, duration: 10, set: { couponValue: 0.3 }, metric: 'matches' }],
};

describe('compare over segments and experiments', () => {
  it('a business subscription drives business customers away, and the coupon test reports in both arms', async () => {
    const result = await compare({
      arms: [
        { name: 'flat', scenario: SCENARIO },
        { name: 'tiered', scenario: SCENARIO, settings: ['platforms.p.segmentPolicies.business.subscription=0.5', 'experiments.coupon.share=0.3'] },
      ],
      replications: 3,
      workers: 1,
      metrics: ['segment.p.business.customers', 'segment.p.consumers.customers', 'experiment.coupon.estimate', 'experiment.coupon.trueEffect'],
    });
    expect(result.failed).toEqual([]);
    const at = (metric: string, arm: number) => result.metrics.find((m) => m.metric === metric)!.arms[arm]!;
    // Priced out: the tiered arm keeps fewer business customers, significantly; consumers are not charged.
    expect(at('segment.p.business.customers', 1).mean!).toBeLessThan(at('segment.p.business.customers', 0).mean! * 0.8);
    expect(at('segment.p.business.customers', 1).diff!.p).toBeLessThan(0.05);
    expect(at('segment.p.consumers.customers', 1).mean!).toBeGreaterThan(at('segment.p.consumers.customers', 0).mean! * 0.9);
    // The experiment's columns are there for both arms, with a positive true effect of a coupon.
    for (const arm of [0, 1]) expect(at('experiment.coupon.trueEffect', arm).mean!).toBeGreaterThan(0);
    expect(at('experiment.coupon.estimate', 0).n).toBe(3);
  });
});
