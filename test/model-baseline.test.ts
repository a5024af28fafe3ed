import { describe, expect, it } from 'vitest';
import { simulate } from '../src/simulate.js';
import { mean, rowsOf, scenario, sum } from './helpers.js';

// MODEL section 8, "a healthy baseline": the defaults on a mean field (as the reference measures
// them), after launch (ticks 52-259), for seeds 1-3 as in the reference, each bound checked on the
// mean of the three replications (and the signs on each one), as a property of the model rather
// than of one random history. Measured here (seeds 1-3): partner profit 1.13, margin 0.26, leakage
// 0.16, match rate 0.913, conversion 0.84, member share of aware customers 0.86, retention 0.64.
const SEEDS = [1, 2, 3];
const FROM = 52;

interface Figures {
  partnerProfit: number;
  customerValue: number;
  margin: number;
  leakage: number;
  matchRate: number;
  conversion: number;
  declined: number;
  memberShare: number;
  retention: number;
}

function baselineFigures(seed: number): Figures {
  let present52: Uint8Array | null = null;
  let retention = NaN;
  const r = simulate(scenario({ seed, network: { type: 'meanfield' } }), {
    onTick: (tick, _rows, st) => {
      const p = st.partners;
      if (tick === 52) present52 = p.member.slice(0, p.independent);
      if (tick !== 104) return;
      let was = 0;
      let still = 0;
      present52!.forEach((m, j) => {
        if (m === 0) return;
        was++;
        if (p.member[j] !== 0) still++;
      });
      retention = still / was;
    },
  });
  const rows = rowsOf(r);
  const leaked = sum(rows, 'leaked', FROM);
  const matches = sum(rows, 'matches', FROM);
  const unmet = sum(rows, 'unmet', FROM);
  const declined = sum(rows, 'declined', FROM);
  // The summary agrees with the rows it was made from.
  expect(r.summary.platforms[0]!.total.matches).toBe(sum(rows, 'matches'));
  expect(r.summary.platforms[0]!.final.customers).toBe(rows[rows.length - 1]!.customers);
  return {
    partnerProfit: mean(rows, 'partnerProfit', FROM),
    customerValue: sum(rows, 'customerValue', FROM),
    margin: sum(rows, 'orchestratorProfit', FROM) / sum(rows, 'revenue', FROM),
    leakage: leaked / (leaked + matches),
    matchRate: matches / (matches + unmet),
    conversion: matches / (matches + declined + unmet),
    declined,
    memberShare: sum(rows, 'customers', FROM) / sum(rows, 'aware', FROM),
    retention,
  };
}

describe('healthy baseline with the default scenario (mean field)', () => {
  const runs = SEEDS.map(baselineFigures);
  const avg = (key: keyof Figures) => runs.reduce((a, f) => a + f[key], 0) / runs.length;

  it('partners earn and customers gain, in every replication', () => {
    for (const f of runs) {
      expect(f.partnerProfit).toBeGreaterThan(0.5);
      expect(f.customerValue).toBeGreaterThan(0);
    }
    // The reference's 1.45 a tick, in order of magnitude.
    expect(avg('partnerProfit')).toBeGreaterThan(0.9);
    expect(avg('partnerProfit')).toBeLessThan(2);
  });

  it('the orchestrator keeps 10% to 40% of its revenue', () => {
    expect(avg('margin')).toBeGreaterThanOrEqual(0.1);
    expect(avg('margin')).toBeLessThanOrEqual(0.4);
  });

  it('5% to 25% of transactions leak', () => {
    expect(avg('leakage')).toBeGreaterThanOrEqual(0.05);
    expect(avg('leakage')).toBeLessThanOrEqual(0.25);
  });

  it('the match rate is at least 0.9', () => {
    // Measured 0.913 (0.905 to 0.925): this implementation sits just above the bound.
    expect(avg('matchRate')).toBeGreaterThanOrEqual(0.9);
    for (const f of runs) expect(f.matchRate).toBeGreaterThan(0.89);
  });

  it('some needs are declined: conversion below the match rate, and well above one half', () => {
    for (const f of runs) {
      expect(f.declined).toBeGreaterThan(0);
      expect(f.conversion).toBeLessThan(f.matchRate - 0.03);
    }
    expect(avg('conversion')).toBeGreaterThan(0.7);
    expect(avg('conversion')).toBeLessThan(0.9);
  });

  it('0.6 to 0.97 of aware customers are members: churners lapse', () => {
    expect(avg('memberShare')).toBeGreaterThanOrEqual(0.6);
    expect(avg('memberShare')).toBeLessThanOrEqual(0.97);
  });

  it('40% to 70% of the partners present at tick 52 are still there at tick 104', () => {
    expect(avg('retention')).toBeGreaterThanOrEqual(0.4);
    expect(avg('retention')).toBeLessThanOrEqual(0.7);
  });
});

describe('the metrics of section 7', () => {
  const rows = rowsOf(simulate(scenario({ ticks: 80, customers: { count: 3000 }, partners: { count: 150 }, network: { type: 'meanfield' } })));

  it('every need is matched, unmet, declined or leaked; conversion and match rate as defined', () => {
    let withNeeds = 0;
    for (const r of rows) {
      expect(r.needs).toBe(r.matches + r.unmet + r.declined + r.leaked);
      const searched = r.matches + r.declined + r.unmet;
      if (searched === 0) continue;
      withNeeds++;
      expect(r.conversion).toBeCloseTo(r.matches / searched, 12);
      expect(r.matchRate).toBeCloseTo(r.matches / (r.matches + r.unmet), 12);
      if (r.leaked + r.matches > 0) expect(r.leakageRate).toBeCloseTo(r.leaked / (r.leaked + r.matches), 12);
    }
    expect(withNeeds).toBeGreaterThan(60);
    expect(sum(rows, 'declined')).toBeGreaterThan(0);
  });
});

describe('lapsing (section 3.3)', () => {
  // Each customer's last exit from every platform, and how long it waits before it joins again.
  function waits(reentryDelay: number): number[] {
    const leftAt = new Int32Array(3000).fill(-1);
    const was = new Uint8Array(3000);
    const gaps: number[] = [];
    simulate(scenario({ ticks: 120, customers: { count: 3000, reentryDelay, churnBase: 0.03 }, partners: { count: 150 }, network: { type: 'meanfield' } }), {
      onTick: (tick, _rows, st) => {
        const m = st.customers.member;
        for (let i = 0; i < m.length; i++) {
          if (was[i] !== 0 && m[i] === 0) leftAt[i] = tick;
          if (was[i] === 0 && m[i] !== 0 && leftAt[i]! >= 0) gaps.push(tick - leftAt[i]!);
          was[i] = m[i]!;
        }
      },
    });
    return gaps;
  }

  it('a customer who leaves waits reentryDelay ticks before it joins again', () => {
    const gaps = waits(13);
    expect(gaps.length).toBeGreaterThan(100);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(14);
    // Without the delay, many come back at once: the test can see a rejoin.
    const quick = waits(0);
    expect(quick.filter((g) => g <= 2).length).toBeGreaterThan(50);
  });
});
