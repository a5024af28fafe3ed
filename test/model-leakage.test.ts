import { describe, expect, it } from 'vitest';
import { simulate } from '../src/simulate.js';
import { leakage, rowsOf, scenario } from './helpers.js';

// MODEL section 8, "Leakage": rises with the take rate and with price; falls with detection times
// penalty and with the value the platform adds; rises with portable trust. Runs share seeds, so only
// the policy differs. Measured (mean of seeds 1-3, leakage from tick 30): take rate 0.05, 0.15, 0.3:
// 0.104, 0.151, 0.204; detection 0.5 x penalty 0.5 without suspensions: 0.151 -> 0.026; valueAdd 0 -> 0.4:
// 0.179 -> 0.088; trust 0 -> 0.8 with trustPortability 1: 0.141 -> 0.189.
const SEEDS = [1, 2, 3];

const cache = new Map<string, number>();
function leakageWith(raw: { platforms?: Record<string, unknown>; partners?: Record<string, unknown>; customers?: Record<string, unknown> }): number {
  const key = JSON.stringify(raw);
  if (cache.has(key)) return cache.get(key)!;
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
  cache.set(key, total / SEEDS.length);
  return total / SEEDS.length;
}

describe('disintermediation', () => {
  it('rises with the take rate', () => {
    const low = leakageWith({ platforms: { takeRate: 0.05 } });
    const mid = leakageWith({ platforms: { takeRate: 0.15 } });
    const high = leakageWith({ platforms: { takeRate: 0.3 } });
    expect(mid).toBeGreaterThan(low + 0.02);
    expect(high).toBeGreaterThan(mid + 0.02);
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

  it('falls with detection times penalty through the decision itself, without suspensions', () => {
    // No suspension: a detected leaker keeps serving; only the expected fine deters the pair.
    const none = leakageWith({ platforms: { suspensionTicks: 0 } });
    const mild = leakageWith({ platforms: { detection: 0.2, penalty: 0.25, suspensionTicks: 0 } });
    const harsh = leakageWith({ platforms: { detection: 0.5, penalty: 0.5, suspensionTicks: 0 } });
    expect(mild).toBeLessThan(none * 0.9);
    expect(harsh).toBeLessThan(mild * 0.5);
  });

  it('rises with trust when trust is portable, and not when it stays on the platform', () => {
    const portable = (trust: number) => leakageWith({ platforms: { trust, trustPortability: 1 } });
    expect(portable(0.8)).toBeGreaterThan(portable(0) + 0.03);
    // With trustPortability 0, trust still raises conversion but leaves the pairs' familiarity alone.
    const local = (trust: number) => leakageWith({ platforms: { trust, trustPortability: 0 } });
    expect(Math.abs(local(0.8) - local(0))).toBeLessThan(0.03);
  });

  it('falls with the value the platform adds', () => {
    expect(leakageWith({ platforms: { valueAdd: 0.4 } })).toBeLessThan(leakageWith({ platforms: { valueAdd: 0 } }));
  });

  it('is zero when nobody forms a tie', () => {
    const r = simulate(scenario({ ticks: 40, customers: { count: 2000, tieProbability: 0 }, partners: { count: 100 } }));
    expect(r.summary.all.total.leaked).toBe(0);
  });
});
