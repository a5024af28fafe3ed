// Intervals of the mean that respect the metric's range: shares in [0, 1], counts and revenues at
// or above 0, customers at most the population; far from a bound, the t interval.

import { describe, expect, it } from 'vitest';
import { metricRange, summarizeInRange, UNBOUNDED } from '../src/experiment/bounds.js';
import { summarize } from '../src/sim/stats.js';
import { timeseriesChart } from '../src/viz/timeseries.js';

describe('metricRange', () => {
  it('reads the range from the metric and the population', () => {
    expect(metricRange('all.total.leakageRate')).toEqual({ low: 0, high: 1 });
    expect(metricRange('customerShare')).toEqual({ low: 0, high: 1 });
    expect(metricRange('all.final.customers', 10_000)).toEqual({ low: 0, high: 10_000 });
    expect(metricRange('customers', 10_000)).toEqual({ low: 0, high: 10_000 });
    expect(metricRange('all.total.joins', 10_000)).toEqual({ low: 0, high: Infinity });
    expect(metricRange('orchestrator.total.revenue')).toEqual({ low: 0, high: Infinity });
    expect(metricRange('all.total.orchestratorProfit')).toEqual(UNBOUNDED);
    expect(metricRange('all.total.ecosystemValue')).toEqual(UNBOUNDED);
  });
});

describe('summarizeInRange', () => {
  it('keeps the interval of a share near 0 inside [0, 1], where the t interval goes below 0', () => {
    const values = [0, 0, 0.01, 0, 0.08];
    expect(summarize(values).ciLow!).toBeLessThan(0);
    const s = summarizeInRange(values, { low: 0, high: 1 });
    expect(s.ciLow!).toBeGreaterThan(0);
    expect(s.ciHigh!).toBeLessThan(1);
    expect(s.ciLow!).toBeLessThan(s.mean!);
    expect(s.ciHigh!).toBeGreaterThan(s.mean!);
    expect(s.mean).toBe(summarize(values).mean);
  });

  it('keeps customers between 0 and the population, where the t interval spans -2k to 12k', () => {
    const values = [10_000, 9_990, 200, 9_995, 10_000];
    const t = summarize(values);
    expect(t.ciHigh!).toBeGreaterThan(10_000);
    const s = summarizeInRange(values, metricRange('customers', 10_000));
    expect(s.ciLow!).toBeGreaterThanOrEqual(0);
    expect(s.ciHigh!).toBeLessThanOrEqual(10_000);
  });

  it('keeps a revenue interval at or above 0', () => {
    const s = summarizeInRange([0, 0, 0, 50], metricRange('all.total.revenue'));
    expect(s.ciLow!).toBeGreaterThan(0);
    expect(summarize([0, 0, 0, 50]).ciLow!).toBeLessThan(0);
  });

  it('is the t interval, near enough, far from the bounds, and the plain t interval without bounds', () => {
    const values = [0.5, 0.51, 0.49, 0.5, 0.52, 0.48];
    const s = summarizeInRange(values, { low: 0, high: 1 });
    const t = summarize(values);
    expect(s.ciLow!).toBeCloseTo(t.ciLow!, 3);
    expect(s.ciHigh!).toBeCloseTo(t.ciHigh!, 3);
    expect(summarizeInRange([1, -5, 9], UNBOUNDED)).toEqual(summarize([1, -5, 9]));
  });

  it('gives a point for values all equal, also at a bound, and the t interval for values outside the range given', () => {
    expect(summarizeInRange([0, 0, 0], { low: 0, high: 1 })).toMatchObject({ mean: 0, ciLow: 0, ciHigh: 0 });
    expect(summarizeInRange([1, 1], { low: 0, high: 1 })).toMatchObject({ ciLow: 1, ciHigh: 1 });
    expect(summarizeInRange([-1, 2], { low: 0, high: Infinity })).toEqual(summarize([-1, 2]));
  });
});

describe('the band of a time series', () => {
  it('says in the legend what it is', () => {
    const svg = timeseriesChart({ series: [{ label: 'takeRate=0.1', points: [0, 1, 2].map((x) => ({ x, y: x, low: x - 0.5, high: x + 0.5 })) }], name: 'customers', band: '95% CI of the mean of 5 runs' });
    expect(svg).toContain('band: 95% CI of the mean of 5 runs');
  });
});
