import { describe, expect, it } from 'vitest';
import { about, run, windowMean } from './scenarios-shared.js';

// The figures quoted in pricing, trust-paradox and crisis-response (seed 42 as shipped; rounded
// figures within 10% unless stated).

describe('pricing.yaml', () => {
  const variants = {
    take: run('pricing'),
    fee: run('pricing', 'platforms.0.takeRate=0', 'platforms.0.customerFee=0.15'),
    subscription: run('pricing', 'platforms.0.takeRate=0', 'platforms.0.subscription=0.03'),
  };
  const m = (v: keyof typeof variants, k: Parameters<typeof windowMean>[1]) => windowMean(variants[v], k, 52, 155);
  const quoted = {
    take: { revenue: 205, partnerProfit: 1.1, customers: 8570, matches: 1840, leakageRate: 0.16 },
    fee: { revenue: 187, partnerProfit: 1.5, customers: 8520, matches: 1840, leakageRate: 0.15 },
    subscription: { revenue: 256, partnerProfit: 1.72, customers: 8540, matches: 2050, leakageRate: 0.09 },
  } as const;
  for (const v of ['take', 'fee', 'subscription'] as const) {
    it(`the ${v} variant earns, pays and keeps what the comment says`, () => {
      for (const [k, q] of Object.entries(quoted[v])) about(m(v, k as keyof (typeof quoted)['take']), q, k === 'leakageRate' ? 0.15 : 0.1);
    });
  }
  it('partners earn most when customers pay; the subscription earns the platform most and leaks least', () => {
    expect(m('fee', 'partnerProfit')).toBeGreaterThan(m('take', 'partnerProfit'));
    expect(m('subscription', 'revenue')).toBeGreaterThan(m('take', 'revenue'));
    expect(m('subscription', 'leakageRate')).toBeLessThan(m('fee', 'leakageRate'));
  });
});

describe('trust-paradox.yaml', () => {
  const levels = [0, 0.2, 0.4, 0.5] as const;
  const runs = levels.map((t) => run('trust-paradox', `platforms.0.trust=${t}`));
  const m = (i: number, k: Parameters<typeof windowMean>[1]) => windowMean(runs[i]!, k, 52, 155);
  it('leakage jumps between trust 0.2 and 0.4', () => {
    expect(m(0, 'leakageRate')).toBeLessThan(0.01);
    about(m(1, 'leakageRate'), 0.033, 0.2);
    about(m(2, 'leakageRate'), 0.32);
    about(m(3, 'leakageRate'), 0.4);
  });
  it('on-platform matches and revenue rise, then fall, while all transactions keep rising', () => {
    [1280, 1475, 1270, 1210].forEach((q, i) => about(m(i, 'matches'), q));
    [122, 144, 130, 126].forEach((q, i) => about(m(i, 'revenue'), q));
    const peak = m(1, 'matches');
    expect(peak).toBeGreaterThan(m(0, 'matches'));
    expect(peak).toBeGreaterThan(m(2, 'matches'));
    const all = levels.map((_, i) => m(i, 'matches') + m(i, 'leaked'));
    for (let i = 1; i < all.length; i++) expect(all[i]).toBeGreaterThan(all[i - 1]!);
  });
});

describe('crisis-response.yaml', () => {
  it('emergency house supply keeps the match rate higher during the outage, at a cost', () => {
    const withRule = run('crisis-response');
    const without = run('crisis-response', 'rules=[]');
    const w = (k: Parameters<typeof windowMean>[1]) => windowMean(withRule, k, 101, 107);
    const o = (k: Parameters<typeof windowMean>[1]) => windowMean(without, k, 101, 107);
    about(w('matchRate'), 0.61);
    about(o('matchRate'), 0.54);
    about(w('unmet'), 830);
    about(o('unmet'), 1020);
    about(w('orchestrationCost'), 390);
    about(o('orchestrationCost'), 134);
    expect(w('matchRate')).toBeGreaterThan(o('matchRate') + 0.03);
    expect(w('houseSales')).toBeGreaterThan(0);
    // The house partners are retired once the outage is over.
    expect(windowMean(withRule, 'houseSales', 130, 139)).toBe(0);
  });
});
