import { describe, expect, it } from 'vitest';
import { simulate } from '../src/simulate.js';
import { scenario } from './helpers.js';

// MODEL section 8, "Chicken and egg": with no stand-alone value and costly partners the platform
// fails to launch; a large enough partner subsidy or house supply tips it, and the share of
// replications that tip rises with the subsidy.
const SEEDS = [1, 2, 3, 4, 5, 6];

function tippedAt(policy: Record<string, unknown>, seed: number): number | null {
  const s = scenario({
    seed,
    ticks: 260,
    customers: { count: 5000, temperature: 0.02 },
    partners: { count: 250, fixedCost: 2 },
    platforms: [{ u0: 0, subscription: 0.3, subsidyBudget: null, ...policy }],
  });
  return simulate(s).summary.platforms[0]!.tippedAt;
}

const tipped = (policy: Record<string, unknown>) => SEEDS.map((seed) => tippedAt(policy, seed));
const share = (ticks: (number | null)[]) => ticks.filter((t) => t !== null).length / ticks.length;
const meanTick = (ticks: (number | null)[]) => ticks.reduce<number>((a, t) => a + (t ?? Infinity), 0) / ticks.length;

describe('cold start', () => {
  const none = tipped({});
  const small = tipped({ partnerSubsidy: 0.5 });
  const one = tipped({ partnerSubsidy: 1 });
  const two = tipped({ partnerSubsidy: 2 });

  it('without a subsidy the platform never launches', () => {
    expect(none).toEqual(SEEDS.map(() => null));
  });

  it('the share of replications that tip rises with the subsidy, and tipping comes sooner', () => {
    const shares = [none, small, one, two].map(share);
    for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeGreaterThanOrEqual(shares[i - 1]!);
    expect(shares[3]).toBe(1);
    expect(meanTick(two)).toBeLessThan(meanTick(one));
    // As in the reference: a launch near tick 60 with a subsidy of 1, before tick 40 with 2.
    expect(meanTick(one)).toBeGreaterThan(40);
    expect(meanTick(one)).toBeLessThan(120);
    expect(Math.max(...two.map((t) => t!))).toBeLessThan(40);
  });

  it('house supply tips the platform on its own', () => {
    expect(share(tipped({ houseSupply: 20 }))).toBe(1);
  });
});
