import { describe, expect, it } from 'vitest';
import { simulate } from '../src/simulate.js';
import { mean, rowsOf, scenario } from './helpers.js';

// MODEL section 8, "Curation": a higher quality threshold raises average quality and satisfaction
// and lowers the partner count; deactivation removes poorly rated partners.
function run(platform: Record<string, unknown>, seed: number, partners = 500) {
  const rows = rowsOf(
    simulate(scenario({ seed, ticks: 156, customers: { count: 5000 }, partners: { count: partners }, network: { type: 'meanfield' }, platforms: [platform] })),
  );
  const at = (key: 'avgQuality' | 'satisfaction' | 'partners' | 'avgRating' | 'matchRate') => mean(rows, key, 52);
  return { quality: at('avgQuality'), satisfaction: at('satisfaction'), partners: at('partners'), rating: at('avgRating'), matchRate: at('matchRate') };
}

describe('curation', () => {
  for (const ranking of ['rating', 'random']) {
    for (const seed of [1, 2]) {
      it(`a quality threshold raises quality and satisfaction and lowers the partner count (${ranking} ranking, seed ${seed})`, () => {
        const open = run({ qualityThreshold: 0, ranking }, seed);
        const curated = run({ qualityThreshold: 0.6, ranking }, seed);
        expect(curated.quality).toBeGreaterThan(open.quality + 0.04);
        expect(curated.satisfaction).toBeGreaterThan(open.satisfaction);
        expect(curated.partners).toBeLessThan(open.partners * 0.85);
      });
    }
  }

  for (const seed of [1, 2, 3]) {
    it(`strict curation of scarce supply costs liquidity (seed ${seed})`, () => {
      const open = run({ qualityThreshold: 0 }, seed, 200);
      const strict = run({ qualityThreshold: 0.75 }, seed, 200);
      expect(strict.matchRate).toBeLessThan(open.matchRate - 0.05);
    });
  }

  it('deactivation lifts the average rating of those who remain', () => {
    const open = run({}, 3);
    const strict = run({ minRating: 0.65, minRatings: 5 }, 3);
    expect(strict.rating).toBeGreaterThan(open.rating);
    expect(strict.quality).toBeGreaterThan(open.quality);
  });
});
