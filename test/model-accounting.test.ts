import { describe, expect, it } from 'vitest';
import { simulate } from '../src/simulate.js';
import { scenario } from './helpers.js';

// MODEL section 7 and 8, "Conservation": the accounting identity holds every tick, ecosystem value
// equals total welfare (value created less real resources used, with every transfer cancelling),
// and GMV is the sum of on-platform prices.
const everything = scenario({
  ticks: 80,
  customers: { count: 4000, multiHoming: true, multiHomingCost: 0.02, joinCost: 0.1 },
  partners: { count: 200 },
  platforms: [
    {
      name: 'incumbent',
      subscription: 0.01,
      listingFee: 0.05,
      partnerSubsidy: 0.3,
      couponValue: 0.05,
      subsidyBudget: 400,
      houseSupply: 5,
      ranking: 'promoted',
      qualityThreshold: 0.4,
      screeningCost: 0.2,
      detection: 0.3,
      penalty: 1,
      enforcementCost: 2,
      minRating: 0.45,
      customerFee: 0.02,
    },
    { name: 'entrant', launchTick: 20, takeRate: 0.08, houseSupply: 3, couponValue: 0.1, subsidyBudget: null },
  ],
  schedule: [{ at: 40, platform: 'incumbent', set: { takeRate: 0.25 } }],
  shocks: [
    { type: 'demand', at: 50, duration: 5, factor: 1.5 },
    { type: 'partnerOutage', at: 60, duration: 3, share: 0.3 },
  ],
});

describe('accounting', () => {
  it('ecosystem value equals welfare and the identity holds every tick, per platform and in all', () => {
    let checked = 0;
    simulate(everything, {
      onTick: (_tick, rows, st) => {
        let welfare = 0;
        for (const pl of st.platforms) {
          const row = rows.find((r) => r.platform === pl.name)!;
          const w = pl.tally.grossValue - pl.tally.realCost;
          welfare += w;
          expect(row.ecosystemValue).toBeCloseTo(w, 6);
          expect(row.ecosystemValue).toBeCloseTo(row.partnerValue + row.customerValue + row.orchestratorProfit, 9);
          expect(row.synergisticValue).toBeCloseTo(row.customerValue + row.revenue, 9);
          expect(row.revenue).toBeCloseTo(row.commission + row.fees + row.subscriptions + row.listingFees + row.houseSales, 9);
          // GMV is the sum of the prices of the partners' on-platform sales, at their price on the platform.
          let gmv = 0;
          for (let j = 0; j < st.partners.n; j++) gmv += st.partners.sales[j * st.platforms.length + pl.index]! * st.partners.price[j]! * pl.priceFactor;
          expect(row.gmv).toBeCloseTo(gmv, 9);
          checked++;
        }
        const all = rows.find((r) => r.platform === 'all')!;
        expect(all.ecosystemValue).toBeCloseTo(welfare, 6);
      },
    });
    expect(checked).toBe(160);
  });

  it('every policy in the scenario leaves a trace in the money', () => {
    const r = simulate(everything);
    const inc = r.summary.platforms[0]!.total;
    const ent = r.summary.platforms[1]!.total;
    for (const key of ['subscriptions', 'listingFees', 'houseSales', 'fees', 'subsidySpend', 'commission'] as const) {
      expect(inc[key], key).toBeGreaterThan(0);
    }
    expect(ent.houseSales).toBeGreaterThan(0);
    // The budget caps what the incumbent spends on subsidies and coupons.
    expect(inc.subsidySpend).toBeLessThanOrEqual(400 + 1e-6);
    expect(inc.subsidySpend).toBeGreaterThan(399);
    // Commission is the take rate (and customer fee) on GMV before and after the scheduled change.
    const rows = r.metrics.filter((x) => x.platform === 'incumbent');
    for (const row of rows) {
      const rate = row.tick < 40 ? 0.15 + 0.02 : 0.25 + 0.02;
      expect(row.commission).toBeCloseTo(rate * row.gmv, 9);
      expect(row.takeRate).toBe(row.tick < 40 ? 0.15 : 0.25);
    }
    // Before its launch the entrant has no members and books nothing.
    for (const row of r.metrics.filter((x) => x.platform === 'entrant' && x.tick < 20)) {
      expect(row.customers + row.partners + row.revenue + row.orchestrationCost).toBe(0);
    }
  });
});
