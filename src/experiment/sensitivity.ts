import { stream, type Rng } from '../sim/random.js';
import { DEFAULT_CONFIDENCE } from '../sim/stats.js';
import type { Design, ParamSpec } from './types.js';

// Sensitivity indices from the outputs of a design's points (one number a point, in point order).
//   Sobol': first-order S1 by the estimator of Saltelli et al. (2010, table 2, b), total ST by Jansen's
//   (1999), both over the variance of f(A) and f(B); confidence intervals by the bootstrap
//   percentile method, resampling the N rows of A, B and every A_B^(i) together (as SALib does).
//   Morris: elementary effects (Morris 1991) along each trajectory, scaled by the parameter's range,
//   so that a linear term c x gives c (to - from); mu* is the mean absolute effect (Campolongo,
//   Cariboni and Saltelli 2007), sigma their standard deviation.

export interface SobolIndex {
  readonly path: string;
  readonly S1: number;
  /** Bootstrap percentile interval; null without resamples (bootstrap: 0). */
  readonly S1Low: number | null;
  readonly S1High: number | null;
  readonly ST: number;
  readonly STLow: number | null;
  readonly STHigh: number | null;
}

export interface SobolOptions {
  /** Bootstrap resamples of the N rows (default 1000; 0 for no intervals). */
  bootstrap?: number;
  /** Seed of the resampling stream (default 0). */
  seed?: number;
  /** Level of the intervals (default 0.95). */
  confidence?: number;
}

export interface MorrisIndex {
  readonly path: string;
  /** Mean elementary effect: its sign tells the direction, but effects of opposite sign cancel. */
  readonly mu: number;
  /** Mean absolute elementary effect (Campolongo et al. 2007): the factor's overall importance. */
  readonly muStar: number;
  /** Standard deviation of the effects (n - 1): nonlinearity or interactions; null with one trajectory. */
  readonly sigma: number | null;
}

export const DEFAULT_BOOTSTRAP = 1000;

function checkOutputs(design: Design, outputs: readonly number[]): void {
  if (outputs.length !== design.points.length) {
    throw new RangeError(`expected one output for each of the ${design.points.length} points of the design, found ${outputs.length}`);
  }
  const bad = outputs.findIndex((y) => !Number.isFinite(y));
  if (bad >= 0) throw new RangeError(`output of point ${bad} is ${outputs[bad]}, not a finite number`);
}

/** Sample size N of a Saltelli design of k parameters: points = N (k + 2). */
function sobolSize(design: Design): number {
  if (design.kind !== 'sobol') throw new RangeError(`Sobol' indices need a sobol design, found ${design.kind}`);
  const k = design.params.length;
  const n = design.samples ?? design.points.length / (k + 2);
  if (!Number.isInteger(n) || n < 2 || n * (k + 2) !== design.points.length) {
    throw new RangeError(`a sobol design of ${k} parameters and N = ${n} has N (k + 2) points, found ${design.points.length}`);
  }
  return n;
}

/** The outputs laid out as columns: f(A), f(B), then f(A_B^(i)) for each i, centred on the mean of f(A) and f(B). */
interface SaltelliColumns {
  readonly n: number;
  readonly fA: Float64Array;
  readonly fB: Float64Array;
  readonly fAB: readonly Float64Array[];
}

function saltelliColumns(outputs: readonly number[], n: number, k: number): SaltelliColumns {
  let centre = 0;
  for (let r = 0; r < 2 * n; r++) centre += outputs[r]!;
  centre /= 2 * n;
  // Centring leaves the estimators' expectations unchanged and keeps products of large outputs from losing digits (Sobol' 2001).
  const column = (block: number) => Float64Array.from({ length: n }, (_, r) => outputs[block * n + r]! - centre);
  return { n, fA: column(0), fB: column(1), fAB: Array.from({ length: k }, (_, i) => column(2 + i)) };
}

/** S1 and ST of every parameter from the rows `rows` of the columns (all rows, or a bootstrap resample). */
function estimate(c: SaltelliColumns, rows: Int32Array): { s1: number[]; st: number[] } {
  const n = rows.length;
  let sum = 0;
  let sumSq = 0;
  for (const r of rows) {
    sum += c.fA[r]! + c.fB[r]!;
    sumSq += c.fA[r]! ** 2 + c.fB[r]! ** 2;
  }
  // V(Y) over f(A) and f(B) together; a resample of equal values has none (NaN indices, left out).
  const variance = Math.max(0, sumSq / (2 * n) - (sum / (2 * n)) ** 2) || NaN;
  const s1: number[] = [];
  const st: number[] = [];
  for (const fABi of c.fAB) {
    let first = 0;
    let total = 0;
    for (const r of rows) {
      const a = c.fA[r]!;
      const ab = fABi[r]!;
      first += c.fB[r]! * (ab - a); // Saltelli et al. 2010: V_i ≈ mean of f(B) (f(A_B^i) - f(A))
      total += (a - ab) ** 2; // Jansen 1999: V_Ti ≈ mean of (f(A) - f(A_B^i))^2 / 2
    }
    s1.push(first / n / variance);
    st.push(total / (2 * n) / variance);
  }
  return { s1, st };
}

/** The q-quantile of sorted values, interpolating linearly between order statistics (Hyndman and Fan type 7). */
function quantileSorted(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function resample(rng: Rng, n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let r = 0; r < n; r++) rows[r] = Math.floor(rng.next() * n);
  return rows;
}

type Interval = readonly [number, number] | null;

/** Bootstrap percentile intervals of S1 and ST for each parameter. */
function bootstrapIntervals(c: SaltelliColumns, k: number, options: SobolOptions): { s1: Interval[]; st: Interval[] } {
  const count = options.bootstrap ?? DEFAULT_BOOTSTRAP;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`bootstrap must be a whole number >= 0, found ${count}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1, found ${confidence}`);
  if (count === 0) return { s1: Array<Interval>(k).fill(null), st: Array<Interval>(k).fill(null) };
  const rng = stream({ seed: options.seed ?? 0, replication: 0, name: 'bootstrap' });
  const s1 = Array.from({ length: k }, (): number[] => []);
  const st = Array.from({ length: k }, (): number[] => []);
  for (let b = 0; b < count; b++) {
    const e = estimate(c, resample(rng, c.n));
    // A resample with no spread (possible for tiny N) has no indices: it is left out.
    for (let i = 0; i < k; i++) if (Number.isFinite(e.s1[i]!) && Number.isFinite(e.st[i]!)) (s1[i]!.push(e.s1[i]!), st[i]!.push(e.st[i]!));
  }
  const alpha = (1 - confidence) / 2;
  const interval = (values: number[]): Interval => {
    if (values.length === 0) return null;
    values.sort((x, y) => x - y);
    return [quantileSorted(values, alpha), quantileSorted(values, 1 - alpha)];
  };
  return { s1: s1.map(interval), st: st.map(interval) };
}

function isConstant(values: readonly number[]): boolean {
  return values.every((y) => y === values[0]);
}

/** First-order and total Sobol' indices of each parameter of a sobol design (see the top of this file). */
export function sobolIndices(design: Design, outputs: readonly number[], options: SobolOptions = {}): SobolIndex[] {
  const n = sobolSize(design);
  checkOutputs(design, outputs);
  const k = design.params.length;
  const columns = saltelliColumns(outputs, n, k);
  const all = Int32Array.from({ length: n }, (_, r) => r);
  if (isConstant(outputs.slice(0, 2 * n))) throw new RangeError('the output is the same at every point of A and B: there is no variance to apportion');
  const point = estimate(columns, all);
  const ci = bootstrapIntervals(columns, k, options);
  return design.params.map((p, i) => ({
    path: p.path,
    S1: point.s1[i]!,
    S1Low: ci.s1[i]?.[0] ?? null,
    S1High: ci.s1[i]?.[1] ?? null,
    ST: point.st[i]!,
    STLow: ci.st[i]?.[0] ?? null,
    STHigh: ci.st[i]?.[1] ?? null,
  }));
}

// ---------------------------------------------------------------------------------------------
// Morris.

function rangeOf(spec: ParamSpec): number {
  if (spec.kind === 'list') throw new RangeError(`Morris effects need numeric parameters, found the list ${spec.path}`);
  return spec.to - spec.from;
}

/** The one parameter that moves between two consecutive points of a trajectory, and by how much (as a fraction of its range). */
function moved(design: Design, a: number, b: number): { index: number; step: number } {
  const from = design.points[a]!.values;
  const to = design.points[b]!.values;
  const changed = design.params.flatMap((p, i) => (from[p.path] === to[p.path] ? [] : [i]));
  if (changed.length !== 1) throw new RangeError(`points ${a} and ${b} differ in ${changed.length} parameters; a Morris trajectory moves exactly one at a time`);
  const p = design.params[changed[0]!]!;
  return { index: changed[0]!, step: ((to[p.path] as number) - (from[p.path] as number)) / rangeOf(p) };
}

/** Elementary effects of every parameter: one per trajectory, (y' - y) / (step as a fraction of the range). */
function elementaryEffects(design: Design, outputs: readonly number[]): number[][] {
  if (design.kind !== 'morris') throw new RangeError(`Morris indices need a morris design, found ${design.kind}`);
  const k = design.params.length;
  const r = design.points.length / (k + 1);
  if (!Number.isInteger(r) || r < 1) throw new RangeError(`a morris design of ${k} parameters has r (k + 1) points, found ${design.points.length}`);
  const effects = design.params.map((): number[] => []);
  for (let t = 0; t < r; t++) {
    for (let j = 0; j < k; j++) {
      const a = t * (k + 1) + j;
      const { index, step } = moved(design, a, a + 1);
      effects[index]!.push((outputs[a + 1]! - outputs[a]!) / step);
    }
  }
  return effects;
}

/** Morris's mu, Campolongo's mu* and sigma of each parameter of a morris design (see the top of this file). */
export function morrisIndices(design: Design, outputs: readonly number[]): MorrisIndex[] {
  checkOutputs(design, outputs);
  const effects = elementaryEffects(design, outputs);
  return design.params.map((p, i) => {
    const e = effects[i]!;
    const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const mu = mean(e);
    const sigma = e.length < 2 ? null : Math.sqrt(e.reduce((s, x) => s + (x - mu) ** 2, 0) / (e.length - 1));
    return { path: p.path, mu, muStar: mean(e.map(Math.abs)), sigma };
  });
}
