import { describe, expect, it } from 'vitest';
import { expectedProfit } from '../src/agents/partner.js';
import { SearchIndex } from '../src/agents/ranking.js';
import { PlatformSignals } from '../src/agents/signals.js';
import type { EcosystemState } from '../src/agents/state.js';
import { Simulation } from '../src/simulate.js';
import { scenario } from './helpers.js';

// In the run's first ticks (src/agents/warmTicks.ts) the partners' phases take the paths of
// treated partners with every partner in group 0, whose terms are the platform's, so that those
// paths are compiled before a test needs them. They must give the numbers of the platform's path.

/** A market run a few ticks into the launch, with a partner test declared (it starts later). */
function market(platform: Record<string, unknown>): { sim: Simulation; st: EcosystemState } {
  const sim = new Simulation(
    scenario({
      ticks: 40,
      customers: { count: 6000 },
      partners: { count: 300 },
      network: { type: 'meanfield' },
      platforms: [{ ranking: 'promoted', promotionFee: 0.05, promotionBoost: 0.5, ...platform }],
      experiments: [{ name: 'take', unit: 'partners', start: 30, duration: 5, set: { takeRate: 0.05 }, metric: 'matches' }],
    }),
  );
  for (let t = 0; t < 12; t++) sim.step();
  return { sim, st: sim.engine.state as EcosystemState };
}

const policies: Record<string, Record<string, unknown>> = {
  'a subsidy and a listing fee, funded': { takeRate: 0.2, partnerSubsidy: 0.3, listingFee: 0.05, subsidyBudget: 1e6 },
  'a subsidy whose budget is spent': { takeRate: 0.12, partnerSubsidy: 0.3, listingFee: 0.02, subsidyBudget: 0 },
};

describe('the warm-up ticks', () => {
  for (const [name, platform] of Object.entries(policies)) {
    it(`a partner's expected profit by its group's terms is the platform's: ${name}`, () => {
      const { sim, st } = market(platform);
      try {
        const pl = st.platforms[0]!;
        let compared = 0;
        for (let j = 0; j < st.partners.independent; j++) {
          for (const demand of [0.5, 3.7, 40]) {
            expect(expectedProfit(st, j, pl, demand, true)).toBe(expectedProfit(st, j, pl, demand, false));
            compared++;
          }
        }
        expect(compared).toBeGreaterThan(100);
      } finally {
        sim.close();
      }
    });
  }

  it("the search index built at each partner's group's price is the one built at the platform's", () => {
    const { sim, st } = market(policies['a subsidy and a listing fee, funded']!);
    try {
      const pl = st.platforms[0]!;
      const P = st.platforms.length;
      const signals = new PlatformSignals(P, st.groups.customerGroups, st.groups.partnerGroups);
      signals.update(st.platforms, st.scenario, st.groups);
      const flat = new SearchIndex(st.partners.n);
      const grouped = new SearchIndex(st.partners.n);
      flat.build(st.partners, pl, P, 12);
      const listed = pl.listed;
      grouped.build(st.partners, pl, P, 12, signals.priceFactor, signals.promotionBoost);
      expect(listed).toBeGreaterThan(20);
      expect(grouped.size).toBe(flat.size);
      expect(Array.from(grouped.slots)).toEqual(Array.from(flat.slots));
    } finally {
      sim.close();
    }
  });
});

describe('the subsidy budget', () => {
  // In the warm-up ticks every served deal goes through the coupon's payment, of nothing when
  // there is none: the budget must not move for it.
  const budgetAfterEachTick = (platform: Record<string, unknown>) => {
    const sim = new Simulation(scenario({ ticks: 4, customers: { count: 20000 }, partners: { count: 1000 }, network: { type: 'meanfield' }, platforms: [{ subsidyBudget: 50, ...platform }] }));
    const out: { budget: number; spent: number; matches: number }[] = [];
    let spent = 0;
    try {
      while (!sim.done) {
        const row = sim.step().find((x) => x.platform === 'orchestrator')!;
        spent += row.subsidySpend;
        out.push({ budget: sim.engine.state.platforms[0]!.budget, spent, matches: row.matches });
      }
    } finally {
      sim.close();
    }
    return out;
  };

  it('is not drawn down without coupons or subsidies, from the first tick', () => {
    const ticks = budgetAfterEachTick({ couponValue: 0, partnerSubsidy: 0 });
    // Deals in the first ticks (the second is one of them).
    expect(ticks[1]!.matches).toBeGreaterThan(0);
    for (const t of ticks) expect(t.budget).toBe(50);
  });

  it('is drawn down by exactly the coupons paid, from the first tick', () => {
    const ticks = budgetAfterEachTick({ couponValue: 0.05, partnerSubsidy: 0 });
    expect(ticks[1]!.spent).toBeGreaterThan(0);
    for (const t of ticks) expect(t.budget).toBeCloseTo(50 - t.spent, 9);
  });
});
