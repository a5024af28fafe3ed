import { describe, expect, it } from 'vitest';
import { about, at, rows, run, tipped, windowMean } from './scenarios-shared.js';

// The figures quoted in bass-diffusion, critical-mass, the cold-start trio,
// subsidize-then-monetize, entrant-multihoming and competition.

describe('bass-diffusion.yaml', () => {
  it('crosses 0.46 in ticks 61-62, tips at 65-66 and stays within 0.025 of F(t)', () => {
    for (const seed of [42, 1, 2]) {
      const r = run('bass-diffusion', `seed=${seed}`);
      const rs = rows(r);
      const cross = rs.find((x) => x.customerShare >= 0.46)!.tick;
      expect(cross).toBeGreaterThanOrEqual(61);
      expect(cross).toBeLessThanOrEqual(62);
      expect(tipped(r)).toBeGreaterThanOrEqual(65);
      expect(tipped(r)).toBeLessThanOrEqual(66);
      const p = 0.03, q = 0.38;
      for (const x of rs) {
        const t = (x.tick + 1) * 0.1;
        const F = (1 - Math.exp(-(p + q) * t)) / (1 + (q / p) * Math.exp(-(p + q) * t));
        expect(Math.abs(x.customerShare - F)).toBeLessThan(0.025);
      }
    }
  });
});

describe('critical-mass.yaml', () => {
  it('from 0.22 tips at tick 2-3, reaches 0.64 within 8 ticks and ends at 0.80; from 0.18 collapses', () => {
    for (const seed of [42, 1]) {
      const r = run('critical-mass', `seed=${seed}`);
      expect(tipped(r)).toBeGreaterThanOrEqual(2);
      expect(tipped(r)).toBeLessThanOrEqual(3);
      about(at(r, 'customerShare', 7), 0.64, 0.03);
      about(at(r, 'customerShare', 39), 0.8, 0.02);
    }
    const low = run('critical-mass', 'customers.initialShare=0.18');
    about(at(low, 'customerShare', 0), 0.1, 0.15);
    for (const x of rows(low).filter((x) => x.tick >= 1)) expect(x.customerShare).toBe(0);
  });
});

describe('the cold-start trio', () => {
  it('cold-start-no-subsidy.yaml never launches and loses about 7 800', () => {
    for (const seed of [42, 1]) {
      const r = run('cold-start-no-subsidy', `seed=${seed}`);
      expect(tipped(r)).toBeNull();
      expect(Math.max(...rows(r).map((x) => x.customers))).toBeLessThan(20);
      if (seed === 42) about(at(r, 'cash', 259), -7800, 0.05);
    }
  });
  it('cold-start-subsidy.yaml waits, then tips around week 146 and ends near 6 500 members', () => {
    const r = run('cold-start-subsidy');
    expect(at(r, 'partners', 50)).toBeLessThanOrEqual(10);
    expect(at(r, 'partners', 100)).toBeLessThanOrEqual(15);
    expect(Math.abs(tipped(r)! - 146)).toBeLessThanOrEqual(20);
    about(at(r, 'customers', 259), 6500);
    about(r.summary.platforms[0]!.total.subsidySpend, 27000, 0.15);
  });
  it('cold-start-house-supply.yaml starts at once but stays below half the customers', () => {
    const r = run('cold-start-house-supply');
    about(at(r, 'customers', 50), 450, 0.15);
    about(at(r, 'customers', 100), 1750, 0.15);
    about(at(r, 'partners', 50), 30, 0.15);
    about(at(r, 'partners', 100), 70, 0.15);
    about(at(r, 'customers', 259), 4500, 0.15);
    expect(tipped(r)).toBeNull();
    expect(r.summary.platforms[0]!.total.subsidySpend).toBe(0);
  });
});

describe('subsidize-then-monetize.yaml', () => {
  it('tips around week 86; rule 2 never fires; the rise to 20% adds revenue and thins supply', () => {
    const r = run('subsidize-then-monetize');
    expect(windowMean(r, 'takeRate', 104, 155)).toBeCloseTo(0.05, 10);
    expect(Math.abs(tipped(r)! - 86)).toBeLessThanOrEqual(15);
    const a = (k: Parameters<typeof windowMean>[1]) => windowMean(r, k, 104, 155);
    const b = (k: Parameters<typeof windowMean>[1]) => windowMean(r, k, 182, 259);
    about(a('partners'), 176);
    about(b('partners'), 146);
    about(a('revenue'), 410);
    about(b('revenue'), 590);
    about(a('partnerProfit'), 0.53, 0.15);
    expect(b('partnerProfit')).toBeLessThan(0.05);
    about(a('customers'), 6750);
    about(b('customers'), 6300);
  });
});

describe('entrant-multihoming.yaml', () => {
  it('multi-homing moves membership, single-homing moves traffic', () => {
    const multi = run('entrant-multihoming');
    const single = run('entrant-multihoming', 'customers.multiHoming=false');
    const m = (r: typeof multi, k: Parameters<typeof windowMean>[1], p: string) => windowMean(r, k, 130, 259, p);
    about(m(multi, 'matches', 'incumbent'), 1590);
    about(m(multi, 'matches', 'entrant'), 560);
    about(m(multi, 'customers', 'entrant'), 9600);
    about(m(single, 'matches', 'incumbent'), 56, 0.3);
    about(m(single, 'matches', 'entrant'), 1970);
    about(m(single, 'customers', 'entrant'), 8400);
  });
});

describe('competition.yaml', () => {
  it('tastes stronger than the network effect: the split returns to one half', () => {
    const r = run('competition');
    about(at(r, 'customers', 0, 'alpha'), 5900, 0.03);
    about(at(r, 'customers', 40, 'alpha'), 5000, 0.03);
    for (const x of rows(r, 'alpha').filter((x) => x.tick >= 40)) {
      expect(x.customerShare).toBeGreaterThanOrEqual(0.48);
      expect(x.customerShare).toBeLessThanOrEqual(0.52);
    }
  });
  it('the network effect stronger than tastes: the market tips to the larger platform', () => {
    const r = run('competition', 'effects.sameSide=0.2');
    about(at(r, 'customers', 20, 'alpha'), 9150, 0.03);
    expect(at(r, 'customers', 59, 'alpha')).toBeGreaterThan(9950);
  });
});
