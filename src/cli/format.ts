import { sparkline } from '../viz/sparkline.js';
import type { MetricRow } from '../sim/metrics.js';
import type { PlatformSummary, RunSummary } from '../sim/result.js';

// The compact summary table a run prints for people. Numbers are formatted the same way on every
// machine (en-US grouping), whatever the locale.

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const small = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function formatCount(x: number): string {
  return Number.isFinite(x) ? integer.format(x) : String(x);
}

export function formatMoney(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 100 ? integer.format(x) : small.format(x);
}

export function formatRate(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : String(x);
}

const tickOrDash = (t: number | null): string => (t === null ? '-' : String(t));

interface Column {
  readonly title: string;
  readonly value: (p: PlatformSummary) => string;
  readonly left?: boolean;
}

export const SUMMARY_COLUMNS: readonly Column[] = [
  { title: 'platform', value: (p) => p.name, left: true },
  { title: 'customers', value: (p) => formatCount(p.final.customers) },
  { title: 'partners', value: (p) => formatCount(p.final.partners) },
  { title: 'match rate', value: (p) => formatRate(p.total.matchRate) },
  { title: 'leakage', value: (p) => formatRate(p.total.leakageRate) },
  { title: 'revenue', value: (p) => formatMoney(p.total.revenue) },
  { title: 'orch. profit', value: (p) => formatMoney(p.total.orchestratorProfit) },
  { title: 'eco. value', value: (p) => formatMoney(p.total.ecosystemValue) },
  { title: 'tipped at', value: (p) => tickOrDash(p.tippedAt) },
  { title: 'failed at', value: (p) => tickOrDash(p.failedAt) },
];

/** Lines of a table: a title row, then one row per record; text columns left, numbers right. */
export function table(columns: readonly Column[], records: readonly PlatformSummary[]): string[] {
  const cells = records.map((r) => columns.map((c) => c.value(r)));
  const widths = columns.map((c, j) => Math.max(c.title.length, ...cells.map((row) => row[j]!.length)));
  const line = (row: readonly string[]) =>
    row
      .map((text, j) => (columns[j]!.left ? text.padEnd(widths[j]!) : text.padStart(widths[j]!)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.title)), ...cells.map(line)];
}

/**
 * The run summary for people: a heading, then per platform and for the whole ecosystem ("all"):
 * final customers and partners, the run's match and leakage rates, revenue, orchestrator profit and
 * ecosystem value summed over the run, and the ticks at which a platform tipped or failed.
 */
export function formatSummary(summary: RunSummary): string {
  const heading = `${summary.name}: ${summary.ticks} ticks, seed ${summary.seed}, replication ${summary.replication}`;
  return [heading, ...table(SUMMARY_COLUMNS, [...summary.platforms, summary.all])].join('\n');
}

const TRENDS = ['customers', 'partners', 'matchRate', 'leakageRate', 'orchestratorProfit'] as const;

/** The shape of the whole run for the ecosystem, one sparkline a metric, with its first and last values. */
export function formatTrends(metrics: readonly MetricRow[], width = 48): string {
  const all = metrics.filter((r) => r.platform === 'all');
  if (all.length === 0) return '';
  const label = Math.max(...TRENDS.map((m) => m.length));
  return TRENDS.map((m) => {
    const series = all.map((r) => r[m]);
    const ends = `${formatValue(series[0]!)} → ${formatValue(series[series.length - 1]!)}`;
    return `${m.padEnd(label)}  ${sparkline(series, width)}  ${ends}`;
  }).join('\n');
}

function formatValue(x: number): string {
  return Math.abs(x) < 1 && x !== 0 ? x.toFixed(3) : formatCount(Math.round(x));
}
