import { METRICS } from '../sim/metrics.js';
import { DEFAULT_CONFIDENCE, summarize, tQuantile, type Summary } from '../sim/stats.js';

// Confidence intervals that respect a metric's range. A share lies in [0, 1], a count or a revenue
// is never negative, customers never exceed the population; the t interval of a mean ignores that
// and, with few replications or values near a bound, reaches past it (a band of customers from
// -2,000 to 12,000 for 10,000 people). Here the interval is computed on a scale where the range is
// the whole line (logit of the position in [low, high]; log above `low` when only that bound is
// finite), by the delta method, and mapped back: it stays inside the range, and far from a bound
// it is the t interval.

export interface Range {
  readonly low: number;
  readonly high: number;
}

export const UNBOUNDED: Range = { low: -Infinity, high: Infinity };

const UNITS = new Map<string, string>(METRICS.map((m) => [m.name, m.unit]));
/** Money flows that are sums of payments, so never negative (profits and values can be). */
const NON_NEGATIVE_MONEY = new Set(['gmv', 'commission', 'fees', 'subscriptions', 'listingFees', 'houseSales', 'revenue', 'subsidySpend', 'orchestrationCost']);
const COUNT_UNITS = new Set(['customers', 'partners', 'needs', 'transactions']);
/** Metrics that count members of the customer population (so at most customers.count). */
const OF_POPULATION = new Set(['customers', 'aware', 'peakCustomers']);

/**
 * The range of a metric (such as "customers") or of a summary column (such as "all.final.customers"
 * or "orchestrator.total.leakageRate"): by its unit, and for counts of the population by the
 * customer pool when it is known. Run totals of flows of customers are sums over ticks: no upper bound.
 */
export function metricRange(column: string, customerPool?: number): Range {
  const parts = column.split('.');
  const name = parts[parts.length - 1] ?? column;
  const total = parts.includes('total');
  if (name === 'tippedAt' || name === 'failedAt' || name === 'peakCustomersTick') return { low: 0, high: Infinity };
  if (name === 'peakCustomers') return { low: 0, high: customerPool ?? Infinity };
  const unit = UNITS.get(name);
  if (unit === undefined) return UNBOUNDED;
  if (unit === 'share') return { low: 0, high: 1 };
  if (unit === 'index 0-10000') return { low: 0, high: 10000 };
  if (COUNT_UNITS.has(unit)) return { low: 0, high: !total && OF_POPULATION.has(name) && customerPool !== undefined ? customerPool : Infinity };
  if (unit === 'money' && NON_NEGATIVE_MONEY.has(name)) return { low: 0, high: Infinity };
  return UNBOUNDED;
}

const logit = (p: number) => Math.log(p / (1 - p));
const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Mean, sd and a confidence interval of the mean inside `range` (see the file's comment). Values
 * outside the range (a range that does not fit the data) give the plain t interval.
 */
export function summarizeInRange(values: readonly number[], range: Range, confidence = DEFAULT_CONFIDENCE): Summary {
  const s = summarize(values, confidence);
  const { low, high } = range;
  if (s.mean === null || s.sd === null || s.ciLow === null || s.ciHigh === null) return s;
  if (low === -Infinity && high === Infinity) return s;
  if (values.some((v) => v < low || v > high)) return s;
  const m = s.mean;
  if (s.sd === 0 || m <= low || m >= high) return { ...s, ciLow: m, ciHigh: m }; // every value the same (at a bound, or not)
  const se = s.sd / Math.sqrt(s.n);
  const t = tQuantile(1 - (1 - confidence) / 2, s.n - 1);
  if (high === Infinity) {
    const half = (t * se) / (m - low);
    return { ...s, ciLow: low + (m - low) * Math.exp(-half), ciHigh: low + (m - low) * Math.exp(half) };
  }
  if (low === -Infinity) {
    const half = (t * se) / (high - m);
    return { ...s, ciLow: high - (high - m) * Math.exp(half), ciHigh: high - (high - m) * Math.exp(-half) };
  }
  const width = high - low;
  const p = (m - low) / width;
  const half = (t * se) / width / (p * (1 - p));
  return { ...s, ciLow: low + width * logistic(logit(p) - half), ciHigh: low + width * logistic(logit(p) + half) };
}
