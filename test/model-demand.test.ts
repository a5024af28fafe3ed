import { describe, expect, it } from 'vitest';
import { simulate } from '../src/simulate.js';
import { mean, rowsOf, scenario, sum } from './helpers.js';

// MODEL section 8, "Demand responds to price (v2)": the defaults on a mean field, 10 000 customers,
// ticks 52-259 as in the reference, one policy changed at a time. Measured here (seeds 1-2), next to
// the reference: member share of aware customers 0.863, 0.820, 0.526, 0.130, 0.044 at a subscription
// of 0, 0.05, 0.1, 0.2, 0.3 (ref 0.86, 0.82, 0.53, 0.13, 0.04); matches -8.5% and -20% at a customer
// fee of 0.1 and 0.3 (ref -9%, -21%), -19% and -58% at a markup of 1 and 2 (ref -20%, -57%); matches
// 2 050, 1 984, 1 902, 1 820, 1 663, 1 250 at a take rate of 0.05 … 0.5 (ref 2 080 … 1 320).
const FROM = 52;

interface Figures {
  memberShare: number;
  matches: number;
  declined: number;
  revenue: number;
}

const cache = new Map<string, Figures>();
function run(platform: Record<string, unknown> = {}, partners: Record<string, unknown> = {}): Figures {
  const key = JSON.stringify([platform, partners]);
  const hit = cache.get(key);
  if (hit) return hit;
  const rows = rowsOf(simulate(scenario({ seed: 1, network: { type: 'meanfield' }, partners, platforms: [platform] })));
  const f = {
    memberShare: sum(rows, 'customers', FROM) / sum(rows, 'aware', FROM),
    matches: mean(rows, 'matches', FROM),
    declined: mean(rows, 'declined', FROM),
    revenue: mean(rows, 'revenue', FROM),
  };
  cache.set(key, f);
  return f;
}

const falling = (xs: number[]) => xs.every((x, i) => i === 0 || x < xs[i - 1]!);
const rising = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]!);

describe('demand responds to price', () => {
  it('the member share of aware customers falls with the subscription, near the reference', () => {
    const subs = [0, 0.05, 0.1, 0.2, 0.3];
    const ref = [0.86, 0.82, 0.53, 0.13, 0.04];
    const shares = subs.map((subscription) => run({ subscription }).memberShare);
    expect(falling(shares)).toBe(true);
    shares.forEach((x, i) => {
      // Within 0.08 where most customers join; within a factor 1.6 where few do.
      if (ref[i]! >= 0.5) expect(Math.abs(x - ref[i]!)).toBeLessThan(0.08);
      else {
        expect(x / ref[i]!).toBeGreaterThan(1 / 1.6);
        expect(x / ref[i]!).toBeLessThan(1.6);
      }
    });
  });

  it('matches fall and declined needs rise with the customer fee', () => {
    const runs = [0, 0.1, 0.3].map((customerFee) => run({ customerFee }));
    expect(falling(runs.map((f) => f.matches))).toBe(true);
    expect(rising(runs.map((f) => f.declined))).toBe(true);
    // ref -9% and -21%.
    expect(runs[1]!.matches / runs[0]!.matches).toBeLessThan(0.97);
    expect(runs[2]!.matches / runs[0]!.matches).toBeGreaterThan(0.7);
    expect(runs[2]!.matches / runs[0]!.matches).toBeLessThan(0.88);
  });

  it('matches fall and declined needs rise with the markup', () => {
    const runs = [0.5, 1, 2].map((markup) => run({}, { markup }));
    expect(falling(runs.map((f) => f.matches))).toBe(true);
    expect(rising(runs.map((f) => f.declined))).toBe(true);
    // ref -20% and -57%.
    expect(runs[1]!.matches / runs[0]!.matches).toBeGreaterThan(0.7);
    expect(runs[1]!.matches / runs[0]!.matches).toBeLessThan(0.9);
    expect(runs[2]!.matches / runs[0]!.matches).toBeGreaterThan(0.3);
    expect(runs[2]!.matches / runs[0]!.matches).toBeLessThan(0.55);
  });

  it('matches fall and declined needs rise with the take rate, through pass-through, while revenue rises', () => {
    const rates = [0.05, 0.1, 0.15, 0.2, 0.3, 0.5];
    const ref = [2080, 2000, 1920, 1840, 1670, 1320];
    const runs = rates.map((takeRate) => run({ takeRate }));
    const ends = [0, 2, 4, 5].map((i) => runs[i]!);
    expect(falling(ends.map((f) => f.matches))).toBe(true);
    expect(rising(ends.map((f) => f.declined))).toBe(true);
    expect(rising(runs.map((f) => f.revenue))).toBe(true);
    runs.forEach((f, i) => expect(Math.abs(f.matches / ref[i]! - 1)).toBeLessThan(0.12));
    // From 0.05 to 0.5 matches fall by about a third (ref 37%).
    expect(runs[5]!.matches / runs[0]!.matches).toBeLessThan(0.7);
  });
});

describe('pass-through (section 2)', () => {
  // Every on-platform sale at tick t is at p_j times the factor; GMV adds them up.
  function factorsSeen(passThrough: number, takeRate: number): number[] {
    const seen: number[] = [];
    simulate(scenario({ ticks: 50, customers: { count: 3000 }, partners: { count: 150, passThrough }, network: { type: 'meanfield' }, platforms: [{ takeRate }] }), {
      onTick: (_tick, rows, st) => {
        const p = st.partners;
        let base = 0;
        for (let j = 0; j < p.n; j++) base += p.sales[j]! * p.price[j]!;
        if (base > 0) seen.push(rows[0]!.gmv / base);
      },
    });
    return seen;
  }

  it('partners pass passThrough of the commission into the price customers pay', () => {
    for (const takeRate of [0.05, 0.25]) {
      const seen = factorsSeen(0.5, takeRate);
      expect(seen.length).toBeGreaterThan(30);
      for (const f of seen) expect(f).toBeCloseTo(1 + (0.5 * takeRate) / (1 - takeRate), 9);
    }
  });

  it('with passThrough 0 the take rate changes no price customers see', () => {
    for (const takeRate of [0.05, 0.25]) {
      const seen = factorsSeen(0, takeRate);
      expect(seen.length).toBeGreaterThan(30);
      for (const f of seen) expect(f).toBeCloseTo(1, 9);
    }
  });
});
