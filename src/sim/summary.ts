import { FLOW_METRICS, METRIC_NAMES, type MetricName, type MetricRow, type TotalName } from './metrics.js';
import type { PlatformSummary } from './result.js';

// The run summary of one platform (docs/model.md section 7), read from its per-tick rows alone.

export interface SummaryInput {
  readonly name: string;
  readonly rows: readonly MetricRow[];
  readonly launchTick: number;
  readonly tipShare: number;
  readonly failedAt: number | null;
  /** The warm-up window: means and totals count only ticks >= from (default 0, every tick). */
  readonly from?: number;
}

export function summarizePlatform(input: SummaryInput): PlatformSummary {
  const { rows, launchTick, tipShare } = input;
  const from = input.from ?? 0;
  const zero = (): Record<MetricName, number> => Object.fromEntries(METRIC_NAMES.map((m) => [m, 0])) as Record<MetricName, number>;
  const last = rows[rows.length - 1];
  const final = zero();
  const mean = zero();
  if (last) for (const m of METRIC_NAMES) final[m] = last[m];
  const sums = Object.fromEntries(FLOW_METRICS.map((m) => [m, 0])) as Record<TotalName, number>;
  let peakCustomers = 0;
  let peakCustomersTick = 0;
  let tippedAt: number | null = null;
  let live = 0;
  for (const r of rows) {
    // Peaks and events are of the whole run; the warm-up only keeps its ticks out of totals and means.
    if (r.customers > peakCustomers) {
      peakCustomers = r.customers;
      peakCustomersTick = r.tick;
    }
    if (tippedAt === null && r.customerShare >= tipShare) tippedAt = r.tick;
    if (r.tick < from) continue;
    for (const m of FLOW_METRICS) sums[m] += r[m];
    if (r.tick < launchTick) continue;
    live++;
    for (const m of METRIC_NAMES) mean[m] += r[m];
  }
  if (live > 0) for (const m of METRIC_NAMES) mean[m] /= live;
  const served = sums.matches + sums.unmet;
  sums.matchRate = served > 0 ? sums.matches / served : 0;
  const transactions = sums.leaked + sums.matches;
  sums.leakageRate = transactions > 0 ? sums.leaked / transactions : 0;
  const needs = sums.matches + sums.declined + sums.unmet;
  sums.conversion = needs > 0 ? sums.matches / needs : 0;
  return { name: input.name, final, total: sums, mean, peakCustomers, peakCustomersTick, tippedAt, failedAt: input.failedAt };
}
