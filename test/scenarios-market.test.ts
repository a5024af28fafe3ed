import { describe, expect, it } from 'vitest';
import { about, at, run, tipped, windowMean } from './scenarios-shared.js';

// The figures quoted in baseline, disintermediation, curation, ranking-and-promotion,
// platform-failure and supply-shock (seed 42 as shipped, weekly means over the windows the
// comments name; rounded figures within 10% unless the comment states another band).
const FROM = 52;
const TO = 259;

describe('baseline.yaml', () => {
  const r = run('baseline');
  const m = (k: Parameters<typeof windowMean>[1]) => windowMean(r, k, FROM, TO);
  it('tips around week 18 and keeps about 0.86 of aware customers', () => {
    expect(tipped(r)).toBeGreaterThanOrEqual(15);
    expect(tipped(r)).toBeLessThanOrEqual(21);
    about(m('customers') / m('aware'), 0.86);
  });
  it('has healthy liquidity, some declined needs and some leakage', () => {
    about(m('partners'), 200);
    about(m('matchRate'), 0.92);
    about(m('conversion'), 0.83);
    about(m('leakageRate'), 0.16);
  });
  it('everyone gains: the platform keeps about a quarter of its revenue', () => {
    about(m('revenue'), 207);
    about(m('orchestratorProfit'), 52);
    about(m('orchestratorProfit') / m('revenue'), 0.25);
    about(m('partnerProfit'), 1.17);
    expect(m('customerValue')).toBeGreaterThan(0);
  });
  it('disintermediation.yaml and ranking-and-promotion.yaml differ from it as their comments say', () => {
    const d = run('disintermediation');
    const dm = (k: Parameters<typeof windowMean>[1]) => windowMean(d, k, FROM, TO);
    about(dm('leakageRate'), 0.2);
    about(dm('revenue'), 330);
    about(dm('orchestratorProfit'), 180);
    about(dm('conversion'), 0.79);
    expect(dm('conversion')).toBeLessThan(m('conversion'));
    expect(dm('leakageRate')).toBeGreaterThan(m('leakageRate'));
    const p = run('ranking-and-promotion');
    const pm = (k: Parameters<typeof windowMean>[1]) => windowMean(p, k, FROM, TO);
    about(pm('fees'), 95);
    about(pm('orchestratorProfit'), 150);
    about(pm('partnerProfit'), 0.67);
    expect(pm('orchestratorProfit')).toBeGreaterThan(2.5 * m('orchestratorProfit'));
    expect(m('fees')).toBe(0);
  });
});

describe('curation.yaml', () => {
  it('fewer, better, more profitable partners than without curation', () => {
    const c = run('curation');
    const n = run('curation', 'platforms.0.qualityThreshold=0', 'platforms.0.minRating=0');
    const cm = (k: Parameters<typeof windowMean>[1]) => windowMean(c, k, FROM, TO);
    const nm = (k: Parameters<typeof windowMean>[1]) => windowMean(n, k, FROM, TO);
    about(nm('partners'), 540);
    about(cm('partners'), 320);
    about(nm('avgQuality'), 0.71);
    about(cm('avgQuality'), 0.81);
    about(nm('partnerProfit'), 0.14, 0.15);
    about(cm('partnerProfit'), 0.59);
    about(nm('orchestratorProfit'), 25, 0.15);
    about(cm('orchestratorProfit'), 37, 0.15);
    about(nm('satisfaction'), 0.79, 0.03);
    about(cm('satisfaction'), 0.79, 0.03);
  });
});

describe('platform-failure.yaml', () => {
  it('loses about 90 a week and fails around week 66', () => {
    const r = run('platform-failure');
    const failed = r.summary.platforms[0]!.failedAt!;
    expect(failed).toBeGreaterThanOrEqual(61);
    expect(failed).toBeLessThanOrEqual(71);
    about(-windowMean(r, 'orchestratorProfit', 26, 51), 90, 0.15);
    expect(at(r, 'customers', failed + 1)).toBe(0);
  });
});

describe('supply-shock.yaml', () => {
  it('the outage shows in unmet needs, match rate, leakage and revenue, and members stay', () => {
    const r = run('supply-shock');
    const before = (k: Parameters<typeof windowMean>[1]) => windowMean(r, k, 90, 99);
    const during = (k: Parameters<typeof windowMean>[1]) => windowMean(r, k, 100, 107);
    about(before('unmet'), 200);
    about(during('unmet'), 1020);
    about(before('matchRate'), 0.9);
    about(during('matchRate'), 0.54);
    about(before('leaked'), 340);
    about(during('leaked'), 146);
    about(before('revenue'), 205);
    about(during('revenue'), 133);
    about(before('customers'), 8500, 0.05);
    about(windowMean(r, 'customers', 108, 140), 8500, 0.05);
  });
});
