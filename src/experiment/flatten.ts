import { METRIC_NAMES, TOTAL_METRICS } from '../sim/metrics.js';
import type { PlatformSummary, RunSummary } from '../sim/result.js';

// A run summary as one flat row of named numbers, the columns of runs.csv and the outputs that
// statistics and sensitivity analysis read: `<platform>.<final|total|mean>.<metric>` and
// `<platform>.<peakCustomers|tippedAt|failedAt>`, for every platform and for "all".

export type FlatSummary = Record<string, number | null>;

function platformColumns(p: PlatformSummary, into: FlatSummary): void {
  for (const m of METRIC_NAMES) into[`${p.name}.final.${m}`] = p.final[m];
  for (const m of TOTAL_METRICS) into[`${p.name}.total.${m}`] = p.total[m];
  for (const m of METRIC_NAMES) into[`${p.name}.mean.${m}`] = p.mean[m];
  into[`${p.name}.peakCustomers`] = p.peakCustomers;
  into[`${p.name}.tippedAt`] = p.tippedAt;
  into[`${p.name}.failedAt`] = p.failedAt;
}

/** Per experiment (section 10.2): what a sweep over it compares. */
export const EXPERIMENT_SUMMARY_FIELDS = ['estimate', 'ciLow', 'ciHigh', 'pValue', 'trueEffect', 'bias'] as const;
/** Per platform and segment (section 10.1). */
export const SEGMENT_SUMMARY_FIELDS = ['customers', 'matches', 'gmv', 'revenue', 'customerValue'] as const;

export function flattenSummary(s: RunSummary): FlatSummary {
  const out: FlatSummary = {};
  for (const p of s.platforms) platformColumns(p, out);
  platformColumns(s.all, out);
  for (const g of s.segments ?? []) for (const f of SEGMENT_SUMMARY_FIELDS) out[`segment.${g.platform}.${g.segment}.${f}`] = g[f];
  for (const e of s.experiments ?? []) {
    for (const f of EXPERIMENT_SUMMARY_FIELDS) out[`experiment.${e.name}.${f}`] = e[f];
    out[`experiment.${e.name}.adopted`] = e.adopted ? 1 : 0;
  }
  return out;
}

/** Columns of the segments and experiments of a scenario: `segment.<platform>.<segment>.<field>`, `experiment.<name>.<field>`. */
export function extraSummaryColumns(platformNames: readonly string[], segmentNames: readonly string[], experimentNames: readonly string[]): string[] {
  const cols: string[] = [];
  for (const p of platformNames) for (const g of segmentNames) for (const f of SEGMENT_SUMMARY_FIELDS) cols.push(`segment.${p}.${g}.${f}`);
  for (const e of experimentNames) cols.push(...EXPERIMENT_SUMMARY_FIELDS.map((f) => `experiment.${e}.${f}`), `experiment.${e}.adopted`);
  return cols;
}

/** The column names of a flattened summary, in order, for a scenario with these platforms. */
export function summaryColumns(platformNames: readonly string[]): string[] {
  const cols: string[] = [];
  for (const name of [...platformNames, 'all']) {
    for (const m of METRIC_NAMES) cols.push(`${name}.final.${m}`);
    for (const m of TOTAL_METRICS) cols.push(`${name}.total.${m}`);
    for (const m of METRIC_NAMES) cols.push(`${name}.mean.${m}`);
    cols.push(`${name}.peakCustomers`, `${name}.tippedAt`, `${name}.failedAt`);
  }
  return cols;
}
