// Experiment designs: sizes, bounds, stratification, determinism by seed, and the Sobol' sequence
// checked against scipy.

import { describe, expect, it } from 'vitest';
import { DEFAULT_MORRIS_LEVELS, SOBOL_MAX_DIMS, buildDesign, sobolSequence } from '../src/experiment/designs.js';
import { parseParam } from '../src/experiment/params.js';
import type { Design, ParamSpec } from '../src/experiment/types.js';
import { ScenarioError } from '../src/sim/scenario/errors.js';

const range = (path: string, from: number, to: number): ParamSpec => ({ kind: 'range', path, from, to });
const RANGES = [range('a', 0, 1), range('b', -5, 5), range('c', 100, 200)];

const column = (d: Design, path: string) => d.points.map((p) => p.values[path] as number);

function problemOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return { file: (e as ScenarioError).file, ...(e as ScenarioError).problems[0]! };
  }
  throw new Error('expected an error');
}

describe('grid', () => {
  it('is the full factorial of grids and lists, first parameter slowest', () => {
    const d = buildDesign('grid', [parseParam('x=0:0.2:0.1'), parseParam('y=a,b')], {});
    expect(d.kind).toBe('grid');
    expect(d.points.map((p) => p.values)).toEqual([
      { x: 0, y: 'a' },
      { x: 0, y: 'b' },
      { x: 0.1, y: 'a' },
      { x: 0.1, y: 'b' },
      { x: 0.2, y: 'a' },
      { x: 0.2, y: 'b' },
    ]);
    expect(d.points.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('with no parameters is one point', () => {
    expect(buildDesign('grid', [], {}).points).toEqual([{ index: 0, values: {} }]);
  });

  it('refuses a range: use a grid or a list', () => {
    const p = problemOf(() => buildDesign('grid', [range('x', 0, 1)], {}));
    expect(p).toMatchObject({ file: '--param', path: 'x', found: 'the range "0:1"' });
    expect(p.expected).toMatch(/a grid from:to:step or a list/);
  });

  it('refuses a parameter given twice, and more than a million points', () => {
    expect(problemOf(() => buildDesign('grid', [parseParam('x=1,2'), parseParam('x=3,4')], {})).expected).toBe('each parameter given once');
    const big = [parseParam('x=0:9999:1'), parseParam('y=0:999:1')];
    expect(problemOf(() => buildDesign('grid', big, {})).expected).toMatch(/at most 1,000,000 points/);
  });
});

describe('lhs', () => {
  const n = 50;
  const d = buildDesign('lhs', RANGES, { samples: n, seed: 7 });

  it('has `samples` points inside the bounds', () => {
    expect(d.points).toHaveLength(n);
    expect(d.samples).toBe(n);
    for (const p of RANGES) {
      if (p.kind !== 'range') continue;
      for (const x of column(d, p.path)) expect(x >= p.from && x < p.to).toBe(true);
    }
  });

  it('hits each of the n strata exactly once per dimension', () => {
    for (const p of RANGES) {
      if (p.kind !== 'range') continue;
      const strata = column(d, p.path).map((x) => Math.floor(((x - p.from) / (p.to - p.from)) * n));
      expect([...strata].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it('treats a grid as its range and stratifies a list by item', () => {
    const e = buildDesign('lhs', [parseParam('g=0:1:0.5'), parseParam('l=a,b,c')], { samples: 10, seed: 1 });
    const g = column(e, 'g');
    expect(new Set(g.map((x) => Math.floor(x * 10))).size).toBe(10); // continuous, not snapped to 0, 0.5, 1
    const counts = { a: 0, b: 0, c: 0 } as Record<string, number>;
    for (const p of e.points) counts[p.values['l'] as string]!++;
    expect(Object.values(counts).sort()).toEqual([3, 3, 4]);
  });

  it('is determined by the seed', () => {
    expect(buildDesign('lhs', RANGES, { samples: n, seed: 7 })).toEqual(d);
    expect(buildDesign('lhs', RANGES, { samples: n, seed: 8 }).points).not.toEqual(d.points);
  });

  it('needs a number of samples', () => {
    expect(problemOf(() => buildDesign('lhs', RANGES, {}))).toMatchObject({ file: '--design lhs', path: 'samples', found: 'nothing' });
    expect(problemOf(() => buildDesign('lhs', RANGES, { samples: 2.5 })).found).toBe('2.5');
    expect(problemOf(() => buildDesign('lhs', [], { samples: 3 })).expected).toMatch(/at least one --param/);
  });
});

describe('random', () => {
  it('draws uniform points inside the bounds, determined by the seed', () => {
    const d = buildDesign('random', [...RANGES, parseParam('l=x,y')], { samples: 2000, seed: 3 });
    expect(d.points).toHaveLength(2000);
    const a = column(d, 'a');
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(a.reduce((s, x) => s + x, 0) / a.length).toBeCloseTo(0.5, 1);
    expect(new Set(d.points.map((p) => p.values['l']))).toEqual(new Set(['x', 'y']));
    expect(buildDesign('random', [...RANGES, parseParam('l=x,y')], { samples: 2000, seed: 3 })).toEqual(d);
  });
});

describe('sobol sequence', () => {
  it('matches scipy.stats.qmc.Sobol(d, scramble=False) (Joe-Kuo new-joe-kuo-6.21201) in all 40 dimensions', () => {
    // Reference rows from scipy 1.17.1: Sobol(d=40, scramble=False).random(1024), rows 7 (× 8) and 1023 (× 1024).
    const row7 = [1, 5, 3, 1, 1, 3, 5, 5, 5, 7, 5, 1, 5, 3, 1, 1, 1, 1, 5, 7, 7, 3, 5, 1, 1, 5, 5, 7, 7, 3, 5, 7, 1, 5, 7, 7, 3, 1, 5, 1];
    const row1023 = [
      1, 771, 627, 149, 191, 449, 143, 633, 353, 871, 695, 37, 133, 681, 371, 475, 321, 897, 599, 327, 887, 19, 813, 201, 245, 385, 521, 779, 861,
      445, 951, 629, 463, 895, 341, 885, 965, 1011, 923, 715,
    ];
    const seq = sobolSequence(1024, SOBOL_MAX_DIMS);
    expect(SOBOL_MAX_DIMS).toBe(40);
    expect(seq[7]!.map((x) => x * 8)).toEqual(row7);
    expect(seq[1023]!.map((x) => x * 1024)).toEqual(row1023);
    expect(sobolSequence(8, 3)).toEqual([
      [0, 0, 0],
      [0.5, 0.5, 0.5],
      [0.75, 0.25, 0.25],
      [0.25, 0.75, 0.75],
      [0.375, 0.375, 0.625],
      [0.875, 0.875, 0.125],
      [0.625, 0.125, 0.875],
      [0.125, 0.625, 0.375],
    ]);
  });

  it('stratifies 2^m points in every dimension, also after a random digital shift', () => {
    const m = 8;
    const n = 2 ** m;
    const seq = sobolSequence(n, SOBOL_MAX_DIMS, { next: () => 0.6180339887 });
    for (let d = 0; d < SOBOL_MAX_DIMS; d++) {
      const cells = new Set(seq.map((x) => Math.floor(x[d]! * n)));
      expect(cells.size).toBe(n);
    }
    // Dimensions 1 and 2 form a (0, m, 2)-net: each elementary box of area 1/n holds one point.
    for (let j = 0; j <= m; j++) {
      const boxes = new Set(seq.map((x) => `${Math.floor(x[0]! * 2 ** j)},${Math.floor(x[1]! * 2 ** (m - j))}`));
      expect(boxes.size).toBe(n);
    }
  });
});

describe('sobol design', () => {
  const N = 64;
  const d = buildDesign('sobol', RANGES, { samples: N, seed: 5 });
  const k = RANGES.length;
  const rows = (block: number) => d.points.slice(block * N, (block + 1) * N).map((p) => p.values);

  it('has N (k + 2) points: A, B, then A with column i from B', () => {
    expect(d.points).toHaveLength(N * (k + 2));
    expect(d.samples).toBe(N);
    const A = rows(0);
    const B = rows(1);
    RANGES.forEach((p, i) => {
      const ABi = rows(2 + i);
      for (let r = 0; r < N; r++) {
        for (const q of RANGES) expect(ABi[r]![q.path]).toBe(q.path === p.path ? B[r]![q.path] : A[r]![q.path]);
      }
    });
  });

  it('stays inside the bounds and balances A and B (N a power of two)', () => {
    for (const p of RANGES) {
      if (p.kind !== 'range') continue;
      for (const block of [0, 1]) {
        const strata = rows(block).map((v) => Math.floor((((v[p.path] as number) - p.from) / (p.to - p.from)) * N));
        expect(new Set(strata).size).toBe(N);
      }
    }
  });

  it('is determined by the seed', () => {
    expect(buildDesign('sobol', RANGES, { samples: N, seed: 5 })).toEqual(d);
    expect(buildDesign('sobol', RANGES, { samples: N, seed: 6 }).points).not.toEqual(d.points);
  });

  it('takes ranges and grids, not lists; N >= 2; at most 20 parameters', () => {
    expect(buildDesign('sobol', [parseParam('g=0:1:0.5')], { samples: 4 }).points).toHaveLength(12);
    expect(problemOf(() => buildDesign('sobol', [parseParam('l=a,b')], { samples: 4 }))).toMatchObject({ file: '--param', path: 'l' });
    expect(problemOf(() => buildDesign('sobol', RANGES, { samples: 1 })).path).toBe('samples');
    const many = Array.from({ length: 21 }, (_, i) => range(`p${i}`, 0, 1));
    expect(problemOf(() => buildDesign('sobol', many, { samples: 4 })).expected).toBe('at most 20 parameters');
  });
});

describe('morris design', () => {
  const r = 20;
  const k = RANGES.length;
  const d = buildDesign('morris', RANGES, { samples: r, seed: 9 });

  it('has r trajectories of k + 1 points on the p-level grid', () => {
    expect(d.points).toHaveLength(r * (k + 1));
    expect(d).toMatchObject({ kind: 'morris', samples: r, levels: DEFAULT_MORRIS_LEVELS });
    for (const p of RANGES) {
      if (p.kind !== 'range') continue;
      const levels = new Set(column(d, p.path).map((x) => Math.round(((x - p.from) / (p.to - p.from)) * 3)));
      for (const x of column(d, p.path)) expect(((x - p.from) / (p.to - p.from)) * 3).toBeCloseTo(Math.round(((x - p.from) / (p.to - p.from)) * 3), 9);
      expect([...levels].every((l) => l >= 0 && l <= 3)).toBe(true);
    }
  });

  it('moves exactly one factor by ±delta = p / (2 (p - 1)) of its range at each step, each factor once a trajectory', () => {
    const delta = 4 / (2 * 3);
    for (let t = 0; t < r; t++) {
      const moved: string[] = [];
      for (let j = 0; j < k; j++) {
        const a = d.points[t * (k + 1) + j]!.values;
        const b = d.points[t * (k + 1) + j + 1]!.values;
        const changed = RANGES.filter((p) => a[p.path] !== b[p.path]);
        expect(changed).toHaveLength(1);
        const p = changed[0]!;
        if (p.kind !== 'range') continue;
        expect(Math.abs(((b[p.path] as number) - (a[p.path] as number)) / (p.to - p.from))).toBeCloseTo(delta, 10);
        moved.push(p.path);
      }
      expect(moved.sort()).toEqual(['a', 'b', 'c']);
    }
  });

  it('steps both up and down, and is determined by the seed', () => {
    const a0 = column(d, 'a');
    const signs = new Set<number>();
    for (let i = 1; i < a0.length; i++) if (i % (k + 1) !== 0 && a0[i] !== a0[i - 1]) signs.add(Math.sign(a0[i]! - a0[i - 1]!));
    expect(signs).toEqual(new Set([1, -1]));
    expect(buildDesign('morris', RANGES, { samples: r, seed: 9 })).toEqual(d);
    expect(buildDesign('morris', RANGES, { samples: r, seed: 10 }).points).not.toEqual(d.points);
  });

  it('takes other even numbers of levels, and refuses odd ones and lists', () => {
    const six = buildDesign('morris', [range('x', 0, 5)], { samples: 30, levels: 6, seed: 1 });
    const xs = new Set(column(six, 'x'));
    expect([...xs].every((x) => Number.isInteger(x) && x >= 0 && x <= 5)).toBe(true);
    for (let t = 0; t < 30; t++) expect(Math.abs(column(six, 'x')[2 * t + 1]! - column(six, 'x')[2 * t]!)).toBe(3); // delta = 6/10 of 5
    expect(problemOf(() => buildDesign('morris', RANGES, { samples: 2, levels: 5 })).path).toBe('levels');
    expect(problemOf(() => buildDesign('morris', [parseParam('l=a,b')], { samples: 2 })).path).toBe('l');
  });
});
