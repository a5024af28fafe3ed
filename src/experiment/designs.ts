import { stream, type Rng } from '../sim/random.js';
import { ScenarioError, shorten } from '../sim/scenario/errors.js';
import { formatParam, listedValues, round12 } from './params.js';
import type { Design, DesignKind, DesignPoint, ParamSpec, ParamValue } from './types.js';

// Experiment designs: the points a sweep runs, as pure functions of the parameters, the options and
// a seed. Building points is separate from running them (types.ts). Sampled designs draw from the
// stream (seed, replication 0, "design"), so the same seed gives the same points on any machine.
//   grid    full factorial of grids and lists, first parameter slowest
//   lhs     Latin hypercube (McKay, Beckman and Conover 1979): each of n strata hit once per parameter
//   random  independent uniform draws
//   sobol   Saltelli's scheme (Saltelli 2002; Saltelli et al. 2010): A, B, then A_B^(i) for each i
//   morris  one-at-a-time trajectories on a p-level grid (Morris 1991)

export interface DesignOptions {
  /** lhs, random: points; sobol: the base sample size N (a power of two balances the sequence best); morris: trajectories r. */
  samples?: number;
  /** Seed of the design's random stream (default 0). */
  seed?: number;
  /** morris: levels p of the grid, even (default 4). */
  levels?: number;
}

/** The most points a design may hold: more would not fit in memory, let alone run. */
export const MAX_POINTS = 1_000_000;
export const DEFAULT_MORRIS_LEVELS = 4;

type Values = Record<string, ParamValue>;

function designError(kind: DesignKind, path: string, expected: string, found: string): never {
  throw new ScenarioError(`--design ${kind}`, [{ path, expected, found }]);
}

function paramError(path: string, expected: string, found: string): never {
  throw new ScenarioError('--param', [{ path, expected, found }]);
}

function checkParams(kind: DesignKind, params: readonly ParamSpec[]): void {
  if (params.length === 0 && kind !== 'grid') designError(kind, 'params', 'at least one --param to vary', 'none');
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.path)) paramError(p.path, 'each parameter given once', 'it twice');
    seen.add(p.path);
  }
}

function checkCount(kind: DesignKind, count: number): void {
  if (count > MAX_POINTS) designError(kind, 'points', `at most ${MAX_POINTS.toLocaleString('en-US')} points`, `${count.toLocaleString('en-US')} points`);
}

function wholeOption(kind: DesignKind, name: string, value: number | undefined, min: number, what: string): number {
  if (value === undefined || !Number.isSafeInteger(value) || value < min) {
    designError(kind, name, `a whole number >= ${min} (${what})`, value === undefined ? 'nothing' : String(value));
  }
  return value;
}

const points = (rows: readonly Values[]): DesignPoint[] => rows.map((values, index) => ({ index, values }));

// ---------------------------------------------------------------------------------------------
// Full factorial.

function gridDesign(params: readonly ParamSpec[]): Design {
  const lists = params.map((p) => listedValues(p));
  checkCount('grid', lists.reduce((n, l) => n * l.length, 1));
  let rows: Values[] = [{}];
  // Each parameter multiplies the rows so far: the first parameter ends up varying slowest.
  for (let j = 0; j < params.length; j++) {
    const path = params[j]!.path;
    rows = rows.flatMap((row) => lists[j]!.map((v) => ({ ...row, [path]: v })));
  }
  return { kind: 'grid', params, points: points(rows) };
}

// ---------------------------------------------------------------------------------------------
// Sampled designs: a unit coordinate u in [0, 1) becomes a value of each parameter.

/** A value for u in [0, 1): a range (a grid counts as its range) maps linearly, a list picks item floor(u m). */
function valueAt(spec: ParamSpec, u: number): ParamValue {
  if (spec.kind === 'list') return spec.values[Math.min(spec.values.length - 1, Math.floor(u * spec.values.length))]!;
  return spec.from + (spec.to - spec.from) * u;
}

function fisherYates(rng: Rng, n: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** One column of a Latin hypercube: a random permutation of n strata, a uniform point inside each. */
function lhsColumn(rng: Rng, spec: ParamSpec, n: number): ParamValue[] {
  const strata = fisherYates(rng, n);
  if (spec.kind === 'list') {
    // Stratified by item: stratum s picks item floor(s m / n), so each item gets floor or ceil of n / m.
    return strata.map((s) => spec.values[Math.floor((s * spec.values.length) / n)]!);
  }
  return strata.map((s) => valueAt(spec, (s + rng.next()) / n));
}

function lhsDesign(params: readonly ParamSpec[], n: number, rng: Rng): Design {
  const columns = params.map((p) => lhsColumn(rng, p, n));
  const rows = Array.from({ length: n }, (_, i) => Object.fromEntries(params.map((p, j) => [p.path, columns[j]![i]!])));
  return { kind: 'lhs', params, points: points(rows), samples: n };
}

function randomDesign(params: readonly ParamSpec[], n: number, rng: Rng): Design {
  const rows = Array.from({ length: n }, () => Object.fromEntries(params.map((p) => [p.path, valueAt(p, rng.next())])));
  return { kind: 'random', params, points: points(rows), samples: n };
}

// ---------------------------------------------------------------------------------------------
// Sobol' sequence (Sobol' 1967; Bratley and Fox 1988), direction numbers of Joe and Kuo (2008),
// file new-joe-kuo-6.21201, dimensions 2 to 40: rows "s a m_1 … m_s" (degree, polynomial, initial m).
// Checked against scipy.stats.qmc.Sobol(scramble=False), which uses the same table.

const JOE_KUO =
  '1 0 1|2 1 1 3|3 1 1 3 1|3 2 1 1 1|4 1 1 1 3 3|4 4 1 3 5 13|5 2 1 1 5 5 17|5 4 1 1 5 5 5|5 7 1 1 7 11 19|' +
  '5 11 1 1 5 1 1|5 13 1 1 1 3 11|5 14 1 3 5 5 31|6 1 1 3 3 9 7 49|6 13 1 1 1 15 21 21|6 16 1 3 1 13 27 49|' +
  '6 19 1 1 1 15 7 5|6 22 1 3 1 15 13 25|6 25 1 1 5 5 19 61|7 1 1 3 7 11 23 15 103|7 4 1 3 7 13 13 15 69|' +
  '7 7 1 1 3 13 7 35 63|7 8 1 3 5 9 1 25 53|7 14 1 3 1 13 9 35 107|7 19 1 3 1 5 27 61 31|7 21 1 1 5 11 19 41 61|' +
  '7 28 1 3 5 3 3 13 69|7 31 1 1 7 13 1 19 1|7 32 1 3 7 5 13 19 59|7 37 1 1 3 9 25 29 41|7 41 1 3 5 13 23 1 55|' +
  '7 42 1 3 7 3 13 59 17|7 50 1 3 1 3 5 53 69|7 55 1 1 5 5 23 33 13|7 56 1 1 7 7 1 61 123|7 59 1 1 7 9 13 61 49|' +
  '7 62 1 3 3 5 3 55 33|8 14 1 3 1 15 31 13 49 245|8 21 1 3 5 15 31 59 63 97|8 22 1 3 1 11 11 11 77 249';

const BITS = 32;

/** Direction numbers v_1 … v_32 of one dimension, as 32-bit integers (v_j = m_j 2^(32 - j)). */
function directions(row: string | undefined): Uint32Array {
  const v = new Uint32Array(BITS);
  if (row === undefined) {
    for (let j = 0; j < BITS; j++) v[j] = 2 ** (BITS - 1 - j); // dimension 1: van der Corput
    return v;
  }
  const [s, a, ...m] = row.split(' ').map(Number) as [number, number, ...number[]];
  for (let j = 0; j < BITS; j++) {
    if (j < s) {
      v[j] = m[j]! * 2 ** (BITS - 1 - j);
      continue;
    }
    // Bratley and Fox's recurrence: v_j = a_1 v_{j-1} ^ … ^ a_{s-1} v_{j-s+1} ^ v_{j-s} ^ (v_{j-s} >> s).
    let x = v[j - s]! ^ (v[j - s]! >>> s);
    for (let k = 1; k < s; k++) if ((a >>> (s - 1 - k)) & 1) x ^= v[j - k]!;
    v[j] = x >>> 0;
  }
  return v;
}

const DIRECTIONS: readonly Uint32Array[] = [directions(undefined), ...JOE_KUO.split('|').map(directions)];
export const SOBOL_MAX_DIMS = DIRECTIONS.length;

/**
 * The first `count` points of the Sobol' sequence in `dims` dimensions, in Gray-code order (as
 * scipy and Joe and Kuo), starting with the origin. With `rng`, each dimension is XORed with a
 * random 32-bit shift: a random digital shift keeps every (t, m, s)-net property of the sequence
 * (Owen 2003) while making the design depend on the seed and the origin no special point.
 */
export function sobolSequence(count: number, dims: number, rng?: Pick<Rng, 'next'>): number[][] {
  if (dims > SOBOL_MAX_DIMS) throw new RangeError(`the Sobol' sequence here has at most ${SOBOL_MAX_DIMS} dimensions, ${dims} asked`);
  const shift = Array.from({ length: dims }, () => (rng === undefined ? 0 : Math.floor(rng.next() * 2 ** BITS) >>> 0));
  const x = new Uint32Array(dims);
  const out: number[][] = [];
  for (let i = 0; i < count; i++) {
    if (i > 0) {
      const c = 31 - Math.clz32(i & -i); // Gray code: point i flips bit ctz(i), the lowest set bit of i
      for (let d = 0; d < dims; d++) x[d] = x[d]! ^ DIRECTIONS[d]![c]!;
    }
    out.push(Array.from(x, (xd, d) => ((xd ^ shift[d]!) >>> 0) / 2 ** BITS));
  }
  return out;
}

function numericOnly(kind: DesignKind, params: readonly ParamSpec[]): void {
  const list = params.find((p) => p.kind === 'list');
  if (list !== undefined) {
    paramError(list.path, `a range from:to or a grid from:to:step (a ${kind} design varies numbers over an interval)`, `the list "${shorten(formatParam(list))}"`);
  }
}

/** Saltelli's scheme: rows of A, rows of B, then for each i the rows of A with column i from B. */
function sobolDesign(params: readonly ParamSpec[], n: number, rng: Rng): Design {
  const k = params.length;
  if (2 * k > SOBOL_MAX_DIMS) designError('sobol', 'params', `at most ${SOBOL_MAX_DIMS / 2} parameters`, `${k}`);
  checkCount('sobol', n * (k + 2));
  // One 2k-dimensional sequence gives A (first k coordinates) and B (last k), as Saltelli et al. 2010 advise.
  const seq = sobolSequence(n, 2 * k, rng);
  const A = seq.map((row) => row.slice(0, k));
  const B = seq.map((row) => row.slice(k));
  const AB = params.map((_, i) => A.map((row, r) => row.map((u, j) => (j === i ? B[r]![j]! : u))));
  const toValues = (u: readonly number[]): Values => Object.fromEntries(params.map((p, j) => [p.path, valueAt(p, u[j]!)]));
  const rows = [...A, ...B, ...AB.flat()].map(toValues);
  return { kind: 'sobol', params, points: points(rows), samples: n };
}

// ---------------------------------------------------------------------------------------------
// Morris (1991) trajectories. Levels are integers 0 … p-1 (value from + (to - from) L / (p - 1)) and
// the step is p/2 levels, that is delta = p / (2 (p - 1)) of the range, Morris's recommended choice.

/** One trajectory of k + 1 points, as levels: a random base, random directions, a random order. */
function morrisTrajectory(rng: Rng, k: number, p: number): number[][] {
  const half = p / 2;
  const base = Array.from({ length: k }, () => Math.floor(rng.next() * half)); // x* with x* + delta inside the grid
  const up = Array.from({ length: k }, () => rng.next() < 0.5); // D*: +delta or -delta
  const order = fisherYates(rng, k); // P*: which factor moves at which step
  let levels = base.map((b, i) => (up[i] ? b : b + half));
  const rows = [levels];
  for (const i of order) {
    levels = levels.map((l, j) => (j === i ? (up[i] ? l + half : l - half) : l));
    rows.push(levels);
  }
  return rows;
}

function morrisDesign(params: readonly ParamSpec[], r: number, p: number, rng: Rng): Design {
  const k = params.length;
  checkCount('morris', r * (k + 1));
  const toValues = (levels: readonly number[]): Values =>
    Object.fromEntries(params.map((spec, j) => [spec.path, round12(valueAt(spec, levels[j]! / (p - 1)) as number)]));
  const rows = Array.from({ length: r }, () => morrisTrajectory(rng, k, p)).flat().map(toValues);
  return { kind: 'morris', params, points: points(rows), samples: r, levels: p };
}

// ---------------------------------------------------------------------------------------------

/** The points of a design of `kind` over `params` (see the top of this file for each kind). */
export function buildDesign(kind: DesignKind, params: readonly ParamSpec[], options: DesignOptions = {}): Design {
  checkParams(kind, params);
  if (kind === 'grid') return gridDesign(params);
  const rng = stream({ seed: options.seed ?? 0, replication: 0, name: 'design' });
  if (kind === 'lhs' || kind === 'random') {
    const n = wholeOption(kind, 'samples', options.samples, 1, 'the number of points');
    checkCount(kind, n);
    return kind === 'lhs' ? lhsDesign(params, n, rng) : randomDesign(params, n, rng);
  }
  numericOnly(kind, params);
  if (kind === 'sobol') return sobolDesign(params, wholeOption(kind, 'samples', options.samples, 2, 'the base sample size N'), rng);
  const r = wholeOption(kind, 'samples', options.samples, 1, 'the number of trajectories r');
  const p = wholeOption(kind, 'levels', options.levels ?? DEFAULT_MORRIS_LEVELS, 2, 'the levels p, even');
  if (p % 2 !== 0) designError(kind, 'levels', 'an even number of levels, such as 4 (a step of p/2 levels stays on the grid)', String(p));
  return morrisDesign(params, r, p, rng);
}
