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

  it('a once rule fires exactly once, however long its condition holds', () => {
    // The rule raises the take rate once its condition holds; a schedule lowers it again at tick 30
    // while the condition still holds. Fired once, the rule leaves it there; fired every tick, it would not.
    const rates = (once: boolean) =>
      rowsOf(
        simulate(
          scenario({
            ...small,
            ticks: 60,
            schedule: [{ at: 30, set: { takeRate: 0.1 } }],
            rules: [{ when: 'tick >= 10', set: { takeRate: 0.25 }, once }],
          }),
        ),
      ).map((x) => x.takeRate);
    const fired = rates(true);
    const raised = fired.filter((x, t) => x === 0.25 && (t === 0 || fired[t - 1] !== 0.25)).length;
    expect(raised).toBe(1);
    expect(fired.slice(0, 10).every((x) => x === 0.15)).toBe(true);
    expect(fired.slice(12, 30).every((x) => x === 0.25)).toBe(true);
    expect(fired.slice(30).every((x) => x === 0.1)).toBe(true);
    expect(rates(false).slice(31).every((x) => x === 0.25)).toBe(true);
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

  it('a shock ends when it says', () => {
    const outaged: number[] = [];
    const rows = rowsOf(
      simulate(
        scenario({
          ...small,
          ticks: 90,
          shocks: [
            { type: 'demand', at: 60, duration: 10, factor: 2 },
            { type: 'partnerOutage', at: 70, duration: 5, share: 0.5 },
          ],
        }),
        { onTick: (_tick, _rows, st) => outaged.push(st.partners.outage.reduce((a, x) => a + (x !== 0 ? 1 : 0), 0)) },
      ),
    );
    // Needs per member: 0.3 a tick, 0.6 while demand is doubled, from tick 60 to tick 69.
    const perMember = rows.map((x) => x.needs / x.customers);
    for (let t = 50; t < 90; t++) {
      if (t >= 60 && t < 70) expect(perMember[t]).toBeGreaterThan(0.5);
      else expect(perMember[t]).toBeLessThan(0.4);
    }
    // Partners are out of service in ticks 70 to 74 only.
    outaged.forEach((n, t) => {
      if (t >= 70 && t < 75) expect(n).toBeGreaterThan(30);
      else expect(n).toBe(0);
    });
  });

  it('crisis response: a rule that adds house supply when the match rate falls keeps it higher during an outage, at a visible cost', () => {
    // Measured (seeds 1-3): match rate during the outage 0.46-0.61 without the rule, 0.53-0.66 with it;
    // orchestration cost during the outage about 70 a tick without, 126-132 with.
    for (const seed of [1, 2, 3]) {
      const run = (rules: unknown[]) => {
        const rows = rowsOf(
          simulate(scenario({ ...small, seed, ticks: 115, shocks: [{ type: 'partnerOutage', at: 100, duration: 10, share: 0.5 }], rules })),
        );
        const during = rows.filter((x) => x.tick >= 100 && x.tick < 110);
        const before = rows.filter((x) => x.tick >= 90 && x.tick < 100);
        return { before: mean(before, 'matchRate'), during: mean(during, 'matchRate'), cost: mean(during, 'orchestrationCost'), costBefore: mean(before, 'orchestrationCost') };
      };
      const without = run([]);
      const withRule = run([{ when: 'matchRate < 0.8 and tick >= 100', set: { houseSupply: 60 } }]);
      expect(without.during).toBeLessThan(without.before - 0.2);
      // Identical until the rule fires.
      expect(withRule.before).toBe(without.before);
      expect(withRule.during).toBeGreaterThan(without.during + 0.03);
      expect(withRule.cost).toBeGreaterThan(without.cost + 30);
      expect(withRule.costBefore).toBe(without.costBefore);
    }
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
