import { gammaln } from 'simple-statistics';

// Statistics of replications: a mean with its t confidence interval, Welch's two-sample t test, and
// the Student t distribution behind both. Undefined quantities (the sd of one value, a test between
// constant samples) are null, never NaN, so JSON has null and CSV an empty field.
//
// The t distribution is computed here rather than taken from npm: @stdlib's t-quantile and t-cdf
// packages pull in 233 packages (27 MB), and jstat ships no TypeScript types. P(T > x) is half the
// regularized incomplete beta I_{v/(v+x^2)}(v/2, 1/2) (Abramowitz and Stegun 26.7.1), evaluated by
// its continued fraction (Numerical Recipes, 3rd ed., section 6.4); the quantile inverts it by
// bisection. Tests compare against scipy.stats.t.

export interface Summary {
  readonly n: number;
  readonly mean: number | null;
  /** Sample standard deviation (n - 1 in the denominator); null below two values. */
  readonly sd: number | null;
  /** Confidence interval of the mean from the t distribution with n - 1 degrees of freedom; null below two values. */
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
}

export interface WelchResult {
  /** Difference of means, mean(b) - mean(a). */
  readonly diff: number;
  /** Confidence interval of the difference; null when undefined (fewer than two values in a sample, or both constant). */
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  readonly t: number | null;
  /** Welch-Satterthwaite degrees of freedom. */
  readonly df: number | null;
  /** Two-sided p-value. */
  readonly p: number | null;
}

export const DEFAULT_CONFIDENCE = 0.95;

const EPS = 1e-16;
const FPMIN = 1e-300;
const MAX_ITERATIONS = 100_000;
/** Above this many degrees of freedom the continued fraction loses digits, and the normal with Fisher's correction is closer. */
const NORMAL_DF = 1e7;
const LN_SQRT_PI = 0.5 * Math.log(Math.PI);

// Indexed loops, not for-of: a test's estimate runs these once over every unit, too few times for
// the optimizer, and the interpreter spends on an iterator several times what it spends on an index.

function checkFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (!Number.isFinite(x)) throw new RangeError(`${what}: expected finite numbers, found ${x}`);
  }
}

function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1, found ${confidence}`);
}

function meanOf(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s / values.length;
}

/** Sum of squared deviations from the mean, in two passes (one pass loses digits when the mean is large). */
function squaredDeviations(values: ArrayLike<number>, mean: number): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i]! - mean;
    s += d * d;
  }
  return s;
}

/** Mean, sample sd and t confidence interval of the mean (null where fewer than two values leave them undefined). */
export function summarize(values: ArrayLike<number>, confidence = DEFAULT_CONFIDENCE): Summary {
  checkFinite(values, 'summarize');
  checkConfidence(confidence);
  const n = values.length;
  if (n === 0) return { n, mean: null, sd: null, ciLow: null, ciHigh: null };
  const mean = meanOf(values);
  if (n === 1) return { n, mean, sd: null, ciLow: null, ciHigh: null };
  const sd = Math.sqrt(squaredDeviations(values, mean) / (n - 1));
  const half = tQuantile(1 - (1 - confidence) / 2, n - 1) * (sd / Math.sqrt(n));
  return { n, mean, sd, ciLow: mean - half, ciHigh: mean + half };
}

/** What Welch's test needs of a sample: its size, its mean, and the sum of squared deviations from that mean. */
export interface Moments {
  readonly n: number;
  readonly mean: number;
  readonly squaredDeviations: number;
}

/** The moments of a sample, in two passes over it in order (as summarize and welch take them). */
export function momentsOf(values: ArrayLike<number>): Moments {
  const mean = meanOf(values);
  return { n: values.length, mean, squaredDeviations: squaredDeviations(values, mean) };
}

/** Welch's t test of mean(b) - mean(a), without assuming equal variances (Welch 1947; Satterthwaite 1946). */
export function welch(a: ArrayLike<number>, b: ArrayLike<number>, confidence = DEFAULT_CONFIDENCE): WelchResult {
  checkFinite(a, 'welch');
  checkFinite(b, 'welch');
  checkConfidence(confidence);
  if (a.length === 0 || b.length === 0) throw new RangeError('welch: both samples need at least one value');
  return welchOf(momentsOf(a), momentsOf(b), confidence);
}

/** welch from the samples' moments, for a caller that has them without the samples (finite, both non-empty). */
export function welchOf(a: Moments, b: Moments, confidence = DEFAULT_CONFIDENCE): WelchResult {
  checkConfidence(confidence);
  if (a.n === 0 || b.n === 0) throw new RangeError('welch: both samples need at least one value');
  if (!Number.isFinite(a.mean) || !Number.isFinite(b.mean)) throw new RangeError(`welch: expected finite numbers, found a mean of ${Number.isFinite(a.mean) ? b.mean : a.mean}`);
  const diff = b.mean - a.mean;
  const none = { diff, ciLow: null, ciHigh: null, t: null, df: null, p: null };
  if (a.n < 2 || b.n < 2) return none;
  const va = a.squaredDeviations / (a.n - 1) / a.n;
  const vb = b.squaredDeviations / (b.n - 1) / b.n;
  const se = Math.sqrt(va + vb);
  if (se === 0) return none; // two constant samples: no spread to test against
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const t = diff / se;
  const half = tQuantile(1 - (1 - confidence) / 2, df) * se;
  return { diff, ciLow: diff - half, ciHigh: diff + half, t, df, p: Math.min(1, 2 * upperTail(Math.abs(t), df)) };
}

// ---------------------------------------------------------------------------------------------
// The t distribution.

/** ln B(a, 1/2) = ln Γ(a) + ln Γ(1/2) - ln Γ(a + 1/2); for large a by the expansion of Γ(a + 1/2) / Γ(a), where the differences of ln Γ lose digits. */
function lnBetaHalf(a: number): number {
  if (a < 1e4) return gammaln(a) + LN_SQRT_PI - gammaln(a + 0.5);
  // ln Γ(a + 1/2) - ln Γ(a) = ln(a) / 2 - 1 / (8a) + 1 / (192 a^3) + O(a^-5)
  return LN_SQRT_PI - (0.5 * Math.log(a) - 1 / (8 * a) + 1 / (192 * a ** 3));
}

/** The continued fraction of the incomplete beta function (Numerical Recipes betacf, modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = (v: number) => (Math.abs(v) < FPMIN ? FPMIN : v);
  const qab = a + b;
  let c = 1;
  let d = 1 / tiny(1 - (qab * x) / (a + 1));
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 / tiny(1 + aa * d);
    c = tiny(1 + aa / c);
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 / tiny(1 + aa * d);
    c = tiny(1 + aa / c);
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < EPS) return h;
  }
  throw new Error(`incomplete beta: no convergence for a=${a}, b=${b}, x=${x}`);
}

/**
 * I_x(a, b) with y = 1 - x, both given with their logarithms so that neither loses digits near 0 or 1.
 * The fraction converges fast for x < (a + 1) / (a + b + 2); beyond it, I_x(a, b) = 1 - I_y(b, a).
 */
function incompleteBeta(a: number, b: number, x: number, y: number, lnX: number, lnY: number, lnBeta: number): number {
  const front = Math.exp(a * lnX + b * lnY - lnBeta);
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(a, b, x)) / a;
  return 1 - (front * betaFraction(b, a, y)) / b;
}

/** Q(1/2, s) = P(chi-square_1 > 2s), by the series or the continued fraction of the incomplete gamma function (Numerical Recipes 6.2). */
function gammaQHalf(s: number): number {
  const a = 0.5;
  const front = Math.exp(-s + a * Math.log(s) - LN_SQRT_PI);
  if (s < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n <= MAX_ITERATIONS && Math.abs(term) >= Math.abs(sum) * EPS; n++) {
      term *= s / (a + n);
      sum += term;
    }
    return 1 - sum * front;
  }
  let b = s + 1 - a;
  let c = 1 / FPMIN;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = 1 / (Math.abs(d) < FPMIN ? FPMIN : d);
    c = b + an / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < EPS) break;
  }
  return front * h;
}

/**
 * P(T > x) for large df: P(Z > x) = Q(1/2, x^2/2) / 2, plus the first term of Fisher's (1925)
 * expansion in 1/df, phi(x) (x^3 + x) / (4 df); relative error below 1e-9 for df > 1e7 and x < 6.
 */
function normalTail(x: number, df: number): number {
  const phi = Math.exp(-(x * x) / 2) / Math.sqrt(2 * Math.PI);
  return 0.5 * gammaQHalf((x * x) / 2) + (df === Infinity ? 0 : (phi * (x ** 3 + x)) / (4 * df));
}

/** P(T > x) for x >= 0. */
function upperTail(x: number, df: number): number {
  if (x === 0) return 0.5;
  if (x === Infinity) return 0;
  if (df > NORMAL_DF) return normalTail(x, df);
  const z = x / Math.sqrt(df);
  const a = df / 2;
  if (z > 1e150) return 0.5 * incompleteBeta(a, 0.5, Math.exp(-2 * Math.log(z)), 1, -2 * Math.log(z), 0, lnBetaHalf(a));
  const z2 = z * z;
  // x = v / (v + t^2) = 1 / (1 + z^2) and y = 1 - x = z^2 / (1 + z^2), each computed directly.
  return 0.5 * incompleteBeta(a, 0.5, 1 / (1 + z2), z2 / (1 + z2), -Math.log1p(z2), -Math.log1p(1 / z2), lnBetaHalf(a));
}

function checkDf(df: number): void {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, found ${df}`);
}

/** P(T <= x) for Student's t with `df` degrees of freedom (any real df > 0; df = Infinity is the normal). */
export function tCdf(x: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(x)) throw new RangeError('tCdf: x is NaN');
  return x >= 0 ? 1 - upperTail(x, df) : upperTail(-x, df);
}

// A sweep asks for the same few quantiles (its confidence, its replications) once per point and
// metric; each costs some hundred evaluations of the tail, so they are kept.
const quantiles = new Map<string, number>();

/** The p-quantile of Student's t with `df` degrees of freedom: x with P(T <= x) = p. */
export function tQuantile(p: number, df: number): number {
  checkDf(df);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`tQuantile: p must be between 0 and 1, found ${p}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  if (p === 1) return Infinity;
  const key = `${p}/${df}`;
  let x = quantiles.get(key);
  if (x === undefined) {
    if (quantiles.size >= 1024) quantiles.clear();
    x = searchQuantile(1 - p, df);
    quantiles.set(key, x);
  }
  return x;
}

/** x with P(T > x) = q, for q < 0.5. */
function searchQuantile(q: number, df: number): number {
  // Bracket x by doubling, then bisect: the tail is monotone, and 1 100 steps reach any double.
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 1100 && upperTail(hi, df) > q; i++) [lo, hi] = [hi, hi * 2];
  for (let i = 0; i < 1100 && hi - lo > 4 * Number.EPSILON * hi; i++) {
    const mid = (lo + hi) / 2;
    if (upperTail(mid, df) > q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
