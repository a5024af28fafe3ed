import { describe, expect, it } from 'vitest';
import { simulate } from '../src/simulate.js';
import { mean, rowsOf, scenario, sum } from './helpers.js';

// MODEL section 5: schedules, rules, shocks, competing platforms, multi-homing and failure.
const small = { customers: { count: 4000 }, partners: { count: 200 }, network: { type: 'meanfield' } };

describe('policies over time', () => {
  it('a schedule changes a policy at its tick', () => {
    const r = simulate(scenario({ ...small, ticks: 30, schedule: [{ at: 10, set: { takeRate: 0.3, subscription: 0.05 } }] }));
    for (const row of rowsOf(r)) {
      expect(row.takeRate).toBe(row.tick < 10 ? 0.15 : 0.3);
      if (row.tick >= 10) expect(row.subscriptions).toBeCloseTo(0.05 * row.customers, 6);
      else expect(row.subscriptions).toBe(0);
    }
  });

  it("a rule fires on last tick's metrics, once", () => {
    const r = simulate(
      scenario({ ...small, ticks: 60, rules: [{ when: 'customers >= 1000 and matchRate > 0.5', set: { takeRate: 0.25 }, once: true }] }),
    );
    const rows = rowsOf(r);
    const first = rows.findIndex((x) => x.customers >= 1000 && x.matchRate > 0.5);
    expect(first).toBeGreaterThan(0);
    expect(rows[first]!.takeRate).toBe(0.15);
    expect(rows[first + 1]!.takeRate).toBe(0.25);
  });

  it('a rule that is not once keeps applying while its condition holds', () => {
    // Each tick the condition holds, the subsidy budget is topped up again.
    const r = simulate(
      scenario({ ...small, ticks: 40, platforms: [{ partnerSubsidy: 0.5, subsidyBudget: 0 }], rules: [{ when: 'tick >= 20', set: { subsidyBudget: 10 } }] }),
    );
    const rows = rowsOf(r);
    expect(sum(rows.filter((x) => x.tick < 20), 'subsidySpend')).toBe(0);
    for (const row of rows.filter((x) => x.tick >= 21)) expect(row.subsidySpend).toBeCloseTo(Math.min(10, 0.5 * (row.partners)), 0);
  });

  it('a demand shock multiplies needs while it lasts', () => {
    const base = rowsOf(simulate(scenario({ ...small, ticks: 80 })));
    const shocked = rowsOf(simulate(scenario({ ...small, ticks: 80, shocks: [{ type: 'demand', at: 60, duration: 10, factor: 2 }] })));
    const ratio = sum(shocked, 'needs', 60) / sum(base, 'needs', 60);
    expect(sum(shocked.slice(0, 60), 'needs')).toBe(sum(base.slice(0, 60), 'needs'));
    expect(ratio).toBeGreaterThan(1.3);
  });

  it('a partner outage shows as unmet needs, then recovers', () => {
    const rows = rowsOf(
      simulate(scenario({ ...small, ticks: 100, partners: { count: 150 }, shocks: [{ type: 'partnerOutage', at: 70, duration: 5, share: 0.6 }] })),
    );
    const before = mean(rows.filter((x) => x.tick >= 60 && x.tick < 70), 'matchRate');
    const during = mean(rows.filter((x) => x.tick >= 70 && x.tick < 75), 'matchRate');
    const after = mean(rows.filter((x) => x.tick >= 85), 'matchRate');
    expect(during).toBeLessThan(before - 0.1);
    expect(after).toBeGreaterThan(during + 0.1);
  });
});

describe('competition', () => {
  const duel = (multiHoming: boolean) =>
    simulate(
      scenario({
        ...small,
        ticks: 120,
        customers: { count: 4000, multiHoming, multiHomingCost: 0.01 },
        platforms: [{ name: 'incumbent' }, { name: 'entrant', takeRate: 0.05, u0: 0.3 }],
        shocks: [{ type: 'entrant', at: 40, platform: 'entrant' }],
      }),
    );

  it('an entrant has nobody before its launch and wins members after it', () => {
    const r = duel(true);
    const ent = rowsOf(r, 'entrant');
    expect(sum(ent.filter((x) => x.tick < 40), 'customers')).toBe(0);
    expect(ent[ent.length - 1]!.customers).toBeGreaterThan(500);
    expect(r.summary.platforms[1]!.name).toBe('entrant');
  });

  it('customers multi-home only when allowed', () => {
    expect(mean(rowsOf(duel(true), 'all'), 'multiHoming', 60)).toBeGreaterThan(0.05);
    expect(mean(rowsOf(duel(false), 'all'), 'multiHoming', 60)).toBe(0);
  });

  it('the "all" rows add the platforms up', () => {
    const r = duel(true);
    for (const key of ['matches', 'gmv', 'revenue', 'ecosystemValue', 'leaked'] as const) {
      const parts = sum(rowsOf(r, 'incumbent'), key) + sum(rowsOf(r, 'entrant'), key);
      expect(sum(rowsOf(r, 'all'), key)).toBeCloseTo(parts, 6);
    }
  });
});

describe('failure', () => {
  it('a platform whose cash falls below its credit line stops', () => {
    const r = simulate(scenario({ ...small, ticks: 60, platforms: [{ fixedCost: 200, creditLine: 1000 }] }));
    const pl = r.summary.platforms[0]!;
    expect(pl.failedAt).not.toBeNull();
    const rows = rowsOf(r);
    expect(rows[pl.failedAt! - 1]!.cash).toBeGreaterThanOrEqual(-1000);
    expect(rows[pl.failedAt!]!.cash).toBeLessThan(-1000);
    for (const row of rows.filter((x) => x.tick > pl.failedAt!)) expect(row.customers + row.partners + row.matches).toBe(0);
  });

  it('a platform with no credit line never fails', () => {
    expect(simulate(scenario({ ...small, ticks: 30, platforms: [{ fixedCost: 200 }] })).summary.platforms[0]!.failedAt).toBeNull();
  });
});
