import { describe, expect, it } from 'vitest';
import { simulate } from '../src/simulate.js';
import { rowsOf, scenario } from './helpers.js';

// MODEL section 8, "Critical mass (Katz-Shapiro)": U = v x - P with v ~ U(0, 1) and P = 0.16 has
// equilibria 0, 0.2 (unstable) and 0.8.
function run(initialShare: number, seed: number) {
  const s = scenario({
    seed,
    ticks: 60,
    customers: {
      count: 20_000,
      initialAware: 1,
      initialShare,
      valueDistribution: 'uniform',
      valueMin: 0,
      valueMax: 1,
      temperature: 0,
      churnBase: 0,
      churnDissatisfaction: 0,
      needRate: 0,
      differentiation: 0,
    },
    partners: { count: 0 },
    network: { type: 'meanfield' },
    effects: { sameSide: 1, crossSide: 0 },
    platforms: [{ u0: 0, subscription: 0.16 }],
  });
  const rows = rowsOf(simulate(s));
  return rows[rows.length - 1]!.customerShare;
}

describe('Katz-Shapiro critical mass', () => {
  for (const seed of [1, 2, 3]) {
    it(`a share a little below 0.2 collapses and a little above grows to 0.8 (seed ${seed})`, () => {
      expect(run(0.18, seed)).toBe(0);
      expect(run(0.19, seed)).toBe(0);
      expect(Math.abs(run(0.21, seed) - 0.8)).toBeLessThan(0.01);
      expect(Math.abs(run(0.22, seed) - 0.8)).toBeLessThan(0.01);
    });
  }

  it('the high equilibrium is stable from above too', () => {
    expect(Math.abs(run(0.95, 4) - 0.8)).toBeLessThan(0.01);
  });
});
