import { METRIC_NAMES, TOTAL_METRICS, type MetricName } from '../sim/metrics.js';

// The metrics an experiment records (its `metrics:`): the summary columns of other metrics
// (<platform>.<final|total|mean>.<metric>) and their timeseries rows are left out of its files.
// Columns that are no metric of the catalogue (peakCustomers, tippedAt, failedAt, segments,
// experiments) are always kept.

const SUMMARY_NAMES = new Set<string>([...METRIC_NAMES, ...TOTAL_METRICS]);
// Platform names hold no dots (the scenario schema), so the last two parts say what a column is.
const METRIC_COLUMN = /^[^.]+\.(?:final|total|mean)\.([^.]+)$/;

/** Whether a summary column belongs in the files of an experiment recording `record` (undefined: all). */
export function keepsColumn(column: string, record: readonly MetricName[] | undefined): boolean {
  if (record === undefined) return true;
  const m = METRIC_COLUMN.exec(column);
  if (m === null || !SUMMARY_NAMES.has(m[1]!)) return true;
  return (record as readonly string[]).includes(m[1]!);
}

/** The indices (in METRIC_NAMES order) of the per-tick metrics recorded. */
export function recordedIndices(record: readonly MetricName[] | undefined): number[] {
  return METRIC_NAMES.flatMap((m, i) => (record === undefined || record.includes(m) ? [i] : []));
}
