import { describe, expect, it } from 'vitest';
import { simulate } from '../src/simulate.js';
import { mean, rowsOf, scenario, sum } from './helpers.js';

// MODEL section 8, "Competition and differentiation (v2)": Hotelling with network effects
// (Armstrong 2006). Two identical platforms at 0 and 1, valuations 1, no cross-side term, a
// stand-alone value high enough that every aware customer joins one, zero temperature,
// single-homing, free switching, a 0.6 / 0.4 start. The customer at loc prefers the first iff
// loc <= 1/2 + (βss/differentiation)(x_1 - 1/2): the split returns to 1/2 below the threshold
// βss = differentiation and tips above it.
function hotelling(sameSide: number, differentiation: number, seed: number) {
  const s = scenario({
    seed,
    ticks: 150,
    customers: {
      count: 5000,
      initialAware: 1,
      valueDistribution: 'uniform',
      valueMin: 1,
      valueMax: 1,
      temperature: 0,
      switchRate: 0.2,
      switchingCost: 0,
      churnBase: 0,
      churnDissatisfaction: 0,
      needRate: 0,
      differentiation,
    },
    partners: { count: 0 },
    network: { type: 'meanfield' },
    effects: { sameSide, crossSide: 0 },
    platforms: [
      { name: 'first', u0: 1, initialShare: 0.6 },
      { name: 'second', u0: 1, initialShare: 0.4 },
    ],
  });
  const r = simulate(s);
  const first = rowsOf(r, 'first');
  const second = rowsOf(r, 'second');
  const split = (t: number) => first[t]!.customers / (first[t]!.customers + second[t]!.customers);
  return { start: split(0), end: split(149), members: first[149]!.customers + second[149]!.customers };
}

describe('Hotelling with network effects', () => {
  for (const seed of [1, 2]) {
    it(`the split returns to one half when sameSide < differentiation (ratio 0.5, seed ${seed})`, () => {
      const h = hotelling(0.05, 0.1, seed);
      expect(h.start).toBeGreaterThan(0.55);
      expect(Math.abs(h.end - 0.5)).toBeLessThan(0.04);
      expect(h.members).toBe(5000);
    });

    it(`the market tips to the larger platform when sameSide > differentiation (ratio 2, seed ${seed})`, () => {
      const h = hotelling(0.2, 0.1, seed);
      expect(h.end).toBeGreaterThan(0.99);
      expect(h.members).toBe(5000);
    });
  }

  it('the threshold is the ratio, not the levels', () => {
    // The same ratios with ten times the taste cost.
    expect(Math.abs(hotelling(0.5, 1, 3).end - 0.5)).toBeLessThan(0.04);
    expect(hotelling(2, 1, 3).end).toBeGreaterThan(0.99);
  });
});

describe('entry', () => {
  const small = { partners: { count: 200 }, network: { type: 'meanfield' } };
  // An entrant like the incumbent in everything but its take rate, launched at tick 40.
  const duel = (seed: number, multiHoming: boolean, sameSide = 0.05) =>
    simulate(
      scenario({
        ...small,
        seed,
        ticks: 200,
        customers: { count: 4000, multiHoming },
        effects: { sameSide },
        platforms: [{ name: 'incumbent' }, { name: 'entrant', takeRate: 0.05 }],
        shocks: [{ type: 'entrant', at: 40, platform: 'entrant' }],
      }),
    );
  const matchShare = (r: ReturnType<typeof duel>, from: number, to: number) => {
    const window = (name: string) => sum(rowsOf(r, name).filter((x) => x.tick >= from && x.tick < to), 'matches');
    return window('entrant') / window('all');
  };

  for (const seed of [1, 2]) {
    it(`a cheaper entrant gains share of matches when customers multi-home (seed ${seed})`, () => {
      const r = duel(seed, true);
      const ent = rowsOf(r, 'entrant');
      expect(sum(ent.filter((x) => x.tick < 40), 'customers')).toBe(0);
      // Measured: 0.02-0.03 of matches in its first 20 ticks, 0.07-0.09 in ticks 150-199.
      const early = matchShare(r, 40, 60);
      const late = matchShare(r, 150, 200);
      expect(late).toBeGreaterThan(early + 0.03);
      expect(late).toBeGreaterThan(0.05);
      expect(mean(rowsOf(r, 'all'), 'multiHoming', 60)).toBeGreaterThan(0.5);
    });

    it(`with single-homing and strong network effects the incumbent keeps the market (seed ${seed})`, () => {
      const r = duel(seed, false, 0.5);
      const last = (name: string) => rowsOf(r, name)[199]!;
      expect(last('entrant').customers).toBeLessThan(0.01 * last('all').customers);
      expect(matchShare(r, 100, 200)).toBeLessThan(0.01);
      // With weak network effects the same entrant wins a real share: the head start is what strong effects protect.
      const weak = duel(seed, false, 0.05);
      expect(matchShare(weak, 150, 200)).toBeGreaterThan(0.2);
      expect(mean(rowsOf(weak, 'all'), 'multiHoming', 60)).toBe(0);
    });
  }

  it('the "all" rows add the platforms up', () => {
    const r = duel(1, true);
    for (const key of ['matches', 'gmv', 'revenue', 'ecosystemValue', 'leaked', 'declined'] as const) {
      const parts = sum(rowsOf(r, 'incumbent'), key) + sum(rowsOf(r, 'entrant'), key);
      expect(sum(rowsOf(r, 'all'), key)).toBeCloseTo(parts, 6);
    }
  });
});
