import { describe, expect, it } from 'vitest';
import { simulate } from '../src/simulate.js';
import { mean, rowsOf, scenario, sum } from './helpers.js';

// MODEL section 8, "a healthy baseline": the defaults, after launch (from tick 52, past the launch
// transient), each figure averaged over three replications, as a property of the model rather than
// of one random history.
const SEEDS = [42, 7, 2024];

interface Figures {
  partnerProfit: number;
  customerValue: number;
  margin: number;
  leakage: number;
  matchRate: number;
  retention: number;
}

function baselineFigures(seed: number): Figures {
  let present52: Uint8Array | null = null;
  let retention = NaN;
  const r = simulate(scenario({ seed }), {
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
  const after = 52;
  const leaked = sum(rows, 'leaked', after);
  const matches = sum(rows, 'matches', after);
  // The summary agrees with the rows it was made from.
  expect(r.summary.platforms[0]!.total.matches).toBe(sum(rows, 'matches'));
  expect(r.summary.platforms[0]!.final.customers).toBe(rows[rows.length - 1]!.customers);
  return {
    partnerProfit: mean(rows, 'partnerProfit', after),
    customerValue: sum(rows, 'customerValue', after),
    margin: sum(rows, 'orchestratorProfit', after) / sum(rows, 'revenue', after),
    leakage: leaked / (leaked + matches),
    matchRate: matches / (matches + sum(rows, 'unmet', after)),
    retention,
  };
}

describe('healthy baseline with the default scenario', () => {
  const runs = SEEDS.map(baselineFigures);
  const avg = (key: keyof Figures) => runs.reduce((a, f) => a + f[key], 0) / runs.length;

  it('partners earn and customers gain, in every replication', () => {
    for (const f of runs) {
      expect(f.partnerProfit).toBeGreaterThan(0);
      expect(f.customerValue).toBeGreaterThan(0);
    }
  });

  it('the orchestrator keeps 10% to 40% of its revenue', () => {
    expect(avg('margin')).toBeGreaterThanOrEqual(0.1);
    expect(avg('margin')).toBeLessThanOrEqual(0.4);
  });

  it('5% to 25% of transactions leak', () => {
    expect(avg('leakage')).toBeGreaterThanOrEqual(0.05);
    expect(avg('leakage')).toBeLessThanOrEqual(0.25);
  });

  it('the match rate is at least 0.95', () => {
    expect(avg('matchRate')).toBeGreaterThanOrEqual(0.95);
    for (const f of runs) expect(f.matchRate).toBeGreaterThan(0.93);
  });

  it('40% to 70% of the partners present at tick 52 are still there at tick 104', () => {
    expect(avg('retention')).toBeGreaterThanOrEqual(0.4);
    expect(avg('retention')).toBeLessThanOrEqual(0.7);
  });
});
