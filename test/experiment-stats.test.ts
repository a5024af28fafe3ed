// Statistics of replications: the t distribution against published and scipy values, the CI of a
// mean by hand, and Welch's test on a textbook example.

import { describe, expect, it } from 'vitest';
import { summarize, tCdf, tQuantile, welch, welchOf } from '../src/sim/stats.js';

/** |actual - expected| <= tol * |expected|. */
function close(actual: number | null, expected: number, tol = 1e-12): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
}

describe('t distribution', () => {
  it('gives the quantiles of the printed tables', () => {
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.7062, 4);
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.2281, 4);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.0423, 4);
    expect(tCdf(2, 5)).toBeCloseTo(0.94903, 5);
  });

  it('matches scipy.stats.t.ppf to 1e-12', () => {
    // scipy 1.17.1
    const cases: [number, number, number][] = [
      [0.975, 1, 12.706204736174694],
      [0.975, 2, 4.302652729749462],
      [0.995, 5, 4.032142983555228],
      [0.9, 3, 1.637744353696209],
      [0.6, 7, 0.2631668613520229],
      [0.975, 1000, 1.9623390808264083],
      [0.999999, 4, 41.5778541501515],
      [0.975, 0.5, 164.55767348048818],
      [0.975, 1e4, 1.960201239890626],
      [0.975, 1e8, 1.9599640082627663],
    ];
    for (const [p, df, q] of cases) {
      close(tQuantile(p, df), q, 1e-12);
      close(tQuantile(1 - p, df), -q, 1e-9); // 1 - p loses digits of p, not of the method
    }
  });

  it('matches scipy.stats.t.cdf, far into the tails', () => {
    const cases: [number, number, number][] = [
      [2, 5, 0.9490302605850708],
      [-1.5, 3, 0.11529193262241147],
      [10, 2, 0.9950737714883372],
      [-40, 3, 1.7190340394579253e-5],
      [0.3, 100, 0.6176000598498482],
      [3, 1, 0.8975836176504333],
      [-3, 1e6, 0.0013499312707109],
      [-3, 1e11, 0.0013498980319624815],
    ];
    for (const [x, df, p] of cases) close(tCdf(x, df), p, 1e-10);
    expect(tCdf(0, 9)).toBe(0.5);
    expect(tCdf(Infinity, 3)).toBe(1);
    expect(tCdf(-Infinity, 3)).toBe(0);
  });

  it('is the standard normal for infinite df', () => {
    close(tQuantile(0.975, Infinity), 1.959963984540054, 1e-14);
    close(tCdf(-3, Infinity), 0.0013498980316300933, 1e-13);
  });

  it('inverts itself, and refuses bad arguments', () => {
    for (const df of [0.7, 1, 4, 29.5, 300]) for (const p of [0.001, 0.2, 0.5, 0.8, 0.999]) expect(tCdf(tQuantile(p, df), df)).toBeCloseTo(p, 12);
    expect(tQuantile(0, 3)).toBe(-Infinity);
    expect(tQuantile(1, 3)).toBe(Infinity);
    expect(() => tQuantile(1.5, 3)).toThrow(RangeError);
    expect(() => tCdf(1, 0)).toThrow(RangeError);
    expect(() => tCdf(1, NaN)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('gives the mean, the sample sd and the t interval, as by hand', () => {
    // mean 4, sd sqrt(50 / 4) = 3.5355, half-width t(0.975, 4) sd / sqrt(5) = 2.7764 × 1.5811 = 4.3899
    const s = summarize([1, 2, 3, 4, 10]);
    expect(s.n).toBe(5);
    expect(s.mean).toBe(4);
    close(s.sd, Math.sqrt(12.5));
    close(s.ciLow, 4 - 4.389945165425414, 1e-12);
    close(s.ciHigh, 4 + 4.389945165425414, 1e-12);
  });

  it('takes another confidence level', () => {
    const s = summarize([1, 2, 3, 4, 10], 0.9);
    close(s.ciHigh! - s.mean!, 2.13184678632665 * (Math.sqrt(12.5) / Math.sqrt(5)), 1e-12); // t(0.95, 4)
  });

  it('gives null, not NaN, where one value or none leaves a quantity undefined', () => {
    expect(summarize([7])).toEqual({ n: 1, mean: 7, sd: null, ciLow: null, ciHigh: null });
    expect(summarize([])).toEqual({ n: 0, mean: null, sd: null, ciLow: null, ciHigh: null });
    expect(JSON.stringify(summarize([7]))).toBe('{"n":1,"mean":7,"sd":null,"ciLow":null,"ciHigh":null}');
  });

  it('gives a zero-width interval for equal values, and refuses values that are not finite', () => {
    expect(summarize([2, 2, 2])).toEqual({ n: 3, mean: 2, sd: 0, ciLow: 2, ciHigh: 2 });
    expect(() => summarize([1, NaN])).toThrow(RangeError);
  });

  it('keeps its digits for large values', () => {
    const s = summarize([1e9 + 1, 1e9 + 2, 1e9 + 3]);
    expect(s.sd).toBe(1);
  });
});

describe('welch', () => {
  // Welch's t-test, Wikipedia, example 1; scipy.stats.ttest_ind(b, a, equal_var=False): t 2.455356398286006,
  // df 24.988529290231416, p 0.021378001462866992, 95% CI (0.3492370661924069, 3.984096267140929).
  const a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
  const b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];

  it('matches the textbook example', () => {
    const w = welch(a, b);
    close(w.diff, 2.1666666666666714, 1e-12);
    close(w.t, 2.455356398286006, 1e-12);
    close(w.df, 24.988529290231416, 1e-12);
    close(w.p, 0.021378001462866992, 1e-10);
    close(w.ciLow, 0.3492370661924069, 1e-10);
    close(w.ciHigh, 3.984096267140929, 1e-10);
  });

  it('from the samples\' moments (n, mean, squared deviations) gives the same numbers, bit for bit', () => {
    // What an in-market test's estimate uses, with no list of outcomes (experimentRun.ts).
    const moments = (x: number[]) => {
      const mean = x.reduce((s, v) => s + v, 0) / x.length;
      return { n: x.length, mean, squaredDeviations: x.reduce((s, v) => s + (v - mean) * (v - mean), 0) };
    };
    expect(welchOf(moments(a), moments(b))).toEqual(welch(a, b));
    expect(welchOf(moments([1]), moments([2, 3]))).toEqual(welch([1], [2, 3]));
    expect(() => welchOf({ n: 2, mean: Number.NaN, squaredDeviations: 0 }, moments(b))).toThrow(/finite/);
  });

  it('is antisymmetric', () => {
    const w = welch(b, a);
    close(w.t, -2.455356398286006, 1e-12);
    close(w.p, 0.021378001462866992, 1e-10);
  });

  it('uses Welch-Satterthwaite df for unequal sizes and variances', () => {
    // By hand: variances 1 and 50, so va = 1 / 3 and vb = 50 / 5 = 10; df = (31/3)^2 / ((1/3)^2 / 2 + 10^2 / 4) = 4.2616...
    const w = welch([1, 2, 3], [10, 20, 10, 0, 10]);
    const va = 1 / 3;
    const vb = 10;
    close(w.df, 4.261640798226164, 1e-12); // scipy: 4.261640798226164
    close(w.df, (va + vb) ** 2 / (va ** 2 / 2 + vb ** 2 / 4), 1e-12);
    close(w.t, 8 / Math.sqrt(va + vb), 1e-12);
    close(w.p, 0.06376242763948857, 1e-10); // scipy.stats.ttest_ind(b, a, equal_var=False), at a fractional df
  });

  it('gives nulls where the test is undefined', () => {
    expect(welch([1], [2, 3])).toEqual({ diff: 1.5, ciLow: null, ciHigh: null, t: null, df: null, p: null });
    expect(welch([1, 1], [2, 2])).toEqual({ diff: 1, ciLow: null, ciHigh: null, t: null, df: null, p: null });
    expect(() => welch([], [1])).toThrow(RangeError);
  });
});
