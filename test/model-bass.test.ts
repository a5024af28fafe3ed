import { describe, expect, it } from 'vitest';
import { simulate } from '../src/simulate.js';
import { rowsOf, scenario } from './helpers.js';

// MODEL section 8, "Bass limit": with a mean field, a high stand-alone value and no fees, churn or
// supply limit, the member share follows the Bass curve as dt shrinks.
const p = 0.03;
const q = 0.38;
const F = (t: number) => (1 - Math.exp(-(p + q) * t)) / (1 + (q / p) * Math.exp(-(p + q) * t));

function bassRun(dt: number, customers: number) {
  const s = scenario({
    ticks: Math.round(25 / dt),
    dt,
    customers: { count: customers, p, q, needRate: 0, churnBase: 0, churnDissatisfaction: 0, temperature: 0.05 },
    partners: { count: 0 },
    network: { type: 'meanfield' },
    effects: { sameSide: 0, crossSide: 0 },
    platforms: [{ u0: 5, fixedCost: 0, costPerCustomer: 0 }],
  });
  const rows = rowsOf(simulate(s));
  // Row n closes tick n, so it stands at time (n + 1) dt.
  const errors = rows.map((r) => Math.abs(r.customerShare - F((r.tick + 1) * dt)));
  let peak = 0;
  let peakAt = 0;
  for (const r of rows) if (r.joins > peak) [peak, peakAt] = [r.joins, (r.tick + 0.5) * dt];
  return { maxError: Math.max(...errors), peakAt };
}

describe('Bass limit', () => {
  it('follows F(t) within 0.02 over the whole curve at dt = 0.05 with 100 000 customers', () => {
    const { maxError, peakAt } = bassRun(0.05, 100_000);
    expect(maxError).toBeLessThan(0.02);
    // The peak of adoptions falls near t* = ln(q/p)/(p+q) ≈ 6.19.
    expect(Math.abs(peakAt - Math.log(q / p) / (p + q))).toBeLessThan(0.4);
  });

  it('imitation follows the member share, not the aware share', () => {
    // Valuations U(0, 1) and a subscription of half the stand-alone value: only the aware customers
    // with v >= 1/2, a share φ of them, join. Word of mouth driven by members gives the awareness
    // hazard p + q φ a, so the member share is φ F(t; p, φ q); driven by the aware share it would be
    // φ F(t; p, q), which lies up to 0.15 above.
    const dt = 0.05;
    const s = scenario({
      ticks: Math.round(25 / dt),
      dt,
      customers: {
        count: 20_000,
        p,
        q,
        needRate: 0,
        churnBase: 0,
        churnDissatisfaction: 0,
        temperature: 0,
        valueDistribution: 'uniform',
        valueMin: 0,
        valueMax: 1,
      },
      partners: { count: 0 },
      network: { type: 'meanfield' },
      effects: { sameSide: 0, crossSide: 0 },
      platforms: [{ u0: 1, subscription: 0.5, fixedCost: 0, costPerCustomer: 0 }],
    });
    const rows = rowsOf(simulate(s));
    const last = rows[rows.length - 1]!;
    const phi = last.customers / last.aware;
    expect(Math.abs(phi - 0.5)).toBeLessThan(0.03);
    const Fq = (t: number, qq: number) => (1 - Math.exp(-(p + qq) * t)) / (1 + (qq / p) * Math.exp(-(p + qq) * t));
    const members = Math.max(...rows.map((r) => Math.abs(r.customerShare - phi * Fq((r.tick + 1) * dt, phi * q))));
    const aware = Math.max(...rows.map((r) => Math.abs(r.customerShare - phi * Fq((r.tick + 1) * dt, q))));
    expect(members).toBeLessThan(0.01);
    expect(aware).toBeGreaterThan(0.1);
  });

  it('converges as dt shrinks', () => {
    const coarse = bassRun(1, 20_000).maxError;
    const fine = bassRun(0.1, 20_000).maxError;
    expect(coarse).toBeGreaterThan(0.02);
    expect(fine).toBeLessThan(coarse / 2);
  });
});
