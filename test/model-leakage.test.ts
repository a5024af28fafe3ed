import { describe, expect, it } from 'vitest';
import { simulate } from '../src/simulate.js';
import { leakage, rowsOf, scenario } from './helpers.js';

// MODEL section 8, "Leakage": rises with the take rate and with price; falls with detection times
// penalty and with the value the platform adds. Runs share seeds, so only the policy differs.
const SEEDS = [1, 2, 3];

function leakageWith(raw: { platforms?: Record<string, unknown>; partners?: Record<string, unknown>; customers?: Record<string, unknown> }): number {
  let total = 0;
  for (const seed of SEEDS) {
    const s = scenario({
      seed,
      ticks: 120,
      customers: { count: 4000, ...raw.customers },
      partners: { count: 200, ...raw.partners },
      network: { type: 'meanfield' },
      platforms: [{ ...raw.platforms }],
    });
    total += leakage(rowsOf(simulate(s)), 30);
  }
  return total / SEEDS.length;
}

describe('disintermediation', () => {
  it('rises with the take rate', () => {
    const low = leakageWith({ platforms: { takeRate: 0.05 } });
    const mid = leakageWith({ platforms: { takeRate: 0.15 } });
    const high = leakageWith({ platforms: { takeRate: 0.3 } });
    expect(mid).toBeGreaterThan(low);
    expect(high).toBeGreaterThan(mid);
  });

  it('rises with price', () => {
    // Price levels three times apart, with valuations scaled alike so that the platform is as viable.
    const cheap = leakageWith({ partners: { costMin: 0.1, costMax: 0.3 }, customers: { valueMean: 2 * (0.4 / 1.2) } });
    const dear = leakageWith({ partners: { costMin: 1, costMax: 2 }, customers: { valueMean: 2 * (3 / 1.2) } });
    expect(dear).toBeGreaterThan(cheap * 1.2);
    // A higher markup alone raises it too.
    expect(leakageWith({ partners: { markup: 1.2 } })).toBeGreaterThan(leakageWith({ partners: { markup: 0.5 } }));
  });

  it('falls with detection times penalty', () => {
    const none = leakageWith({});
    const enforced = leakageWith({ platforms: { detection: 0.5, penalty: 0.5 } });
    expect(enforced).toBeLessThan(none * 0.8);
  });

  it('falls with the value the platform adds', () => {
    expect(leakageWith({ platforms: { valueAdd: 0.4 } })).toBeLessThan(leakageWith({ platforms: { valueAdd: 0 } }));
  });

  it('is zero when nobody forms a tie', () => {
    const r = simulate(scenario({ ticks: 40, customers: { count: 2000, tieProbability: 0 }, partners: { count: 100 } }));
    expect(r.summary.all.total.leaked).toBe(0);
  });
});
