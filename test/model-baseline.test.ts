import { describe, expect, it } from 'vitest';
import { simulate } from '../src/simulate.js';
import { mean, rowsOf, scenario, sum } from './helpers.js';

// MODEL section 8, "a healthy baseline": the defaults, after launch, on three seeds.
describe('healthy baseline with the default scenario', () => {
  for (const seed of [42, 7, 2024]) {
    it(`meets every stated range (seed ${seed})`, () => {
      let present52: Uint8Array | null = null;
      let retention = NaN;
      const r = simulate(scenario({ seed }), {
        onTick: (tick, _rows, st) => {
          const p = st.partners;
          if (tick === 52) present52 = p.member.slice(0, p.independent);
          if (tick === 104) {
            let was = 0;
            let still = 0;
            present52!.forEach((m, j) => {
              if (m === 0) return;
              was++;
              if (p.member[j] !== 0) still++;
            });
            retention = still / was;
          }
        },
      });
      const rows = rowsOf(r);
      const after = 52; // after launch: the first year is the launch transient
      expect(mean(rows, 'partnerProfit', after)).toBeGreaterThan(0);
      expect(sum(rows, 'customerValue', after)).toBeGreaterThan(0);
      const margin = sum(rows, 'orchestratorProfit', after) / sum(rows, 'revenue', after);
      expect(margin).toBeGreaterThanOrEqual(0.1);
      expect(margin).toBeLessThanOrEqual(0.4);
      const leaked = sum(rows, 'leaked', after);
      const leakage = leaked / (leaked + sum(rows, 'matches', after));
      expect(leakage).toBeGreaterThanOrEqual(0.05);
      expect(leakage).toBeLessThanOrEqual(0.25);
      const matches = sum(rows, 'matches', after);
      expect(matches / (matches + sum(rows, 'unmet', after))).toBeGreaterThanOrEqual(0.95);
      expect(retention).toBeGreaterThanOrEqual(0.4);
      expect(retention).toBeLessThanOrEqual(0.7);
      // The summary agrees with the rows it was made from.
      expect(r.summary.platforms[0]!.total.matches).toBe(sum(rows, 'matches'));
      expect(r.summary.platforms[0]!.final.customers).toBe(rows[rows.length - 1]!.customers);
    });
  }
});
