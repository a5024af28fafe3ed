// Sensitivity indices against functions whose indices are known: Ishigami for Sobol', linear
// functions for Morris and for an additive check of Sobol'.

import { describe, expect, it } from 'vitest';
import { buildDesign } from '../src/experiment/designs.js';
import { morrisIndices, sobolIndices } from '../src/experiment/sensitivity.js';
import type { Design, DesignPoint, ParamSpec } from '../src/experiment/types.js';

const range = (path: string, from: number, to: number): ParamSpec => ({ kind: 'range', path, from, to });
const x = (p: DesignPoint, path: string) => p.values[path] as number;

/** Ishigami and Homma (1990), a = 7, b = 0.1, over [-pi, pi]^3. */
const ishigami = (p: DesignPoint) => Math.sin(x(p, 'x1')) + 7 * Math.sin(x(p, 'x2')) ** 2 + 0.1 * x(p, 'x3') ** 4 * Math.sin(x(p, 'x1'));

// Analytic indices: V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2, V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8,
// V13 = b^2 pi^8 (1/18 - 1/50), V3 = 0 (Saltelli et al. 2008, Global Sensitivity Analysis: The Primer, 4.6).
const V = 49 / 8 + (0.1 * Math.PI ** 4) / 5 + (0.01 * Math.PI ** 8) / 18 + 0.5;
const V1 = (1 + (0.1 * Math.PI ** 4) / 5) ** 2 / 2;
const V2 = 49 / 8;
const V13 = 0.01 * Math.PI ** 8 * (1 / 18 - 1 / 50);
const S1 = [V1 / V, V2 / V, 0];
const ST = [(V1 + V13) / V, V2 / V, V13 / V];

describe('sobolIndices on the Ishigami function', () => {
  const params = ['x1', 'x2', 'x3'].map((p) => range(p, -Math.PI, Math.PI));
  const design = buildDesign('sobol', params, { samples: 10_000, seed: 1 });
  const outputs = design.points.map(ishigami);
  const indices = sobolIndices(design, outputs, { seed: 1 });

  it('has the analytic values 0.3139, 0.4424, 0 and 0.5576, 0.4424, 0.2437', () => {
    expect(S1.map((s) => s.toFixed(4))).toEqual(['0.3139', '0.4424', '0.0000']);
    expect(ST.map((s) => s.toFixed(4))).toEqual(['0.5576', '0.4424', '0.2437']);
  });

  it('estimates S1 and ST within 0.03 with N = 10 000', () => {
    expect(indices.map((i) => i.path)).toEqual(['x1', 'x2', 'x3']);
    indices.forEach((i, j) => {
      expect(Math.abs(i.S1 - S1[j]!)).toBeLessThan(0.03);
      expect(Math.abs(i.ST - ST[j]!)).toBeLessThan(0.03);
    });
  });

  it('gives bootstrap intervals around the estimates that mostly contain the analytic values', () => {
    let contained = 0;
    indices.forEach((i, j) => {
      expect(i.S1Low!).toBeLessThanOrEqual(i.S1);
      expect(i.S1High!).toBeGreaterThanOrEqual(i.S1);
      expect(i.STLow!).toBeLessThanOrEqual(i.ST);
      expect(i.STHigh!).toBeGreaterThanOrEqual(i.ST);
      expect(i.STHigh! - i.STLow!).toBeLessThan(0.1);
      if (i.S1Low! <= S1[j]! && S1[j]! <= i.S1High!) contained++;
      if (i.STLow! <= ST[j]! && ST[j]! <= i.STHigh!) contained++;
    });
    expect(contained).toBeGreaterThanOrEqual(5);
  });

  it('is determined by the seeds, and the bootstrap seed moves only the intervals', () => {
    expect(sobolIndices(design, outputs, { seed: 1 })).toEqual(indices);
    const other = sobolIndices(design, outputs, { seed: 2 });
    expect(other.map((i) => [i.S1, i.ST])).toEqual(indices.map((i) => [i.S1, i.ST]));
    expect(other.map((i) => i.S1Low)).not.toEqual(indices.map((i) => i.S1Low));
  });

  it('narrows the interval at a lower confidence; no intervals without resamples', () => {
    const narrow = sobolIndices(design, outputs, { seed: 1, confidence: 0.5, bootstrap: 200 });
    expect(narrow[0]!.STHigh! - narrow[0]!.STLow!).toBeLessThan(indices[0]!.STHigh! - indices[0]!.STLow!);
    const none = sobolIndices(design, outputs, { bootstrap: 0 });
    expect(none[1]).toMatchObject({ S1Low: null, S1High: null, STLow: null, STHigh: null });
    expect(none[1]!.S1).toBe(indices[1]!.S1);
  });
});

describe('sobolIndices on an additive function', () => {
  it('gives S1 = ST = each term variance share', () => {
    // y = 2a + b with a ~ U(0, 1), b ~ U(-5, 5): V(2a) = 4/12, V(b) = 100/12, so S = 4/104 and 100/104.
    const d = buildDesign('sobol', [range('a', 0, 1), range('b', -5, 5), range('c', 0, 1)], { samples: 1024, seed: 3 });
    const y = d.points.map((p) => 2 * x(p, 'a') + x(p, 'b') + 1e6); // a large offset must not cost digits
    const r = sobolIndices(d, y, { bootstrap: 100 });
    expect(r[0]!.S1).toBeCloseTo(4 / 104, 2);
    expect(r[0]!.ST).toBeCloseTo(4 / 104, 2);
    expect(r[1]!.S1).toBeCloseTo(100 / 104, 2);
    expect(r[1]!.ST).toBeCloseTo(100 / 104, 2);
    expect(r[2]!.S1).toBe(0);
    expect(r[2]!.ST).toBe(0);
  });
});

describe('sobolIndices refuses what it cannot use', () => {
  const d = buildDesign('sobol', [range('a', 0, 1), range('b', 0, 1)], { samples: 8, seed: 1 });
  it('a design of another kind, outputs of the wrong length or not finite, a constant output', () => {
    expect(() => sobolIndices(buildDesign('lhs', [range('a', 0, 1)], { samples: 4 }), [1, 2, 3, 4])).toThrow(/need a sobol design/);
    expect(() => sobolIndices(d, [1, 2, 3])).toThrow(/one output for each of the 32 points/);
    expect(() => sobolIndices(d, d.points.map((_, i) => (i === 5 ? NaN : i)))).toThrow(/point 5 is NaN/);
    expect(() => sobolIndices(d, d.points.map(() => 3))).toThrow(/no variance/);
    const broken: Design = { ...d, points: d.points.slice(1) };
    expect(() => sobolIndices(broken, broken.points.map((_, i) => i))).toThrow(/N \(k \+ 2\) points/);
  });
});

describe('morrisIndices', () => {
  const params = [range('a', 0, 1), range('b', -5, 5), range('c', 100, 200)];

  it('gives mu* = |coefficient| × range and sigma 0 for a linear function', () => {
    const d = buildDesign('morris', params, { samples: 10, seed: 4 });
    const r = morrisIndices(d, d.points.map((p) => 2 * x(p, 'a') - 3 * x(p, 'b') + 7));
    expect(r.map((i) => i.path)).toEqual(['a', 'b', 'c']);
    expect(r[0]!.mu).toBeCloseTo(2, 10);
    expect(r[0]!.muStar).toBeCloseTo(2, 10);
    expect(r[0]!.sigma!).toBeCloseTo(0, 10);
    expect(r[1]!.mu).toBeCloseTo(-30, 10);
    expect(r[1]!.muStar).toBeCloseTo(30, 10);
    expect(r[1]!.sigma!).toBeCloseTo(0, 10);
    expect(r[2]).toEqual({ path: 'c', mu: 0, muStar: 0, sigma: 0 });
  });

  it('shows nonlinearity in sigma, and effects of both signs in mu < mu*', () => {
    // y = (a - 0.5)^2: on 4 levels the effects are ±(1/3 ... ) of both signs, so mu* > |mu| and sigma > 0.
    const d = buildDesign('morris', [range('a', 0, 1)], { samples: 40, seed: 5 });
    const [r] = morrisIndices(d, d.points.map((p) => (x(p, 'a') - 0.5) ** 2));
    expect(r!.muStar).toBeGreaterThan(Math.abs(r!.mu));
    expect(r!.sigma!).toBeGreaterThan(0);
  });

  it('is deterministic, has no sigma for one trajectory, and refuses other designs', () => {
    const d = buildDesign('morris', params, { samples: 1, seed: 6 });
    const y = d.points.map((p) => x(p, 'a') * x(p, 'b'));
    expect(morrisIndices(d, y)).toEqual(morrisIndices(d, y));
    expect(morrisIndices(d, y).every((i) => i.sigma === null)).toBe(true);
    expect(() => morrisIndices(buildDesign('sobol', params, { samples: 4 }), new Array(20).fill(0))).toThrow(/need a morris design/);
    const scrambled: Design = { ...d, points: [...d.points].reverse().map((p, index) => ({ ...p, index })) };
    expect(() => morrisIndices(scrambled, y)).not.toThrow(); // a reversed trajectory is still one
    const swapped: Design = { ...d, points: [d.points[0]!, d.points[2]!, d.points[1]!, d.points[3]!] };
    expect(() => morrisIndices(swapped, y)).toThrow(/differ in 2 parameters/);
  });
});
