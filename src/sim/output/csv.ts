import { METRIC_NAMES, type MetricName, type MetricRow } from '../metrics.js';

// Tidy CSV of per-tick metric rows (one row per tick and platform, one column per metric), for
// pandas, R and spreadsheets. Numbers are written by one fixed rule, so equal runs give equal bytes.

/** The header: tick, platform, then every metric in catalogue order. */
export const METRICS_CSV_COLUMNS: readonly string[] = ['tick', 'platform', ...METRIC_NAMES];

/** A metric value that is not a finite number: written as an empty field, and a bug to report. */
export interface NonFiniteValue {
  readonly tick: number;
  readonly platform: string;
  readonly metric: string;
  readonly value: number;
}

/**
 * A number as CSV text: integers as they are, other numbers rounded to 10 significant digits
 * (`Number(x.toPrecision(10)).toString()`), so the text does not depend on noise in the last bits
 * of a computation's order; -0 is written as 0. Not-finite numbers give undefined.
 */
export function formatNumber(x: number): string | undefined {
  if (!Number.isFinite(x)) return undefined;
  if (Object.is(x, -0)) return '0';
  if (Number.isInteger(x)) return String(x);
  return Number(x.toPrecision(10)).toString();
}

/** A text field quoted as RFC 4180 asks: only when it holds a comma, a quote or a line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const ROWS_PER_CHUNK = 512;

/**
 * The CSV text of metric rows, in chunks of lines (header first, "\n" line ends), so that a long run
 * is written without building one huge string. Values that are not finite numbers are written as
 * empty fields and pushed to `nonFinite` when it is given.
 */
export function* metricsCsvChunks(rows: readonly MetricRow[], nonFinite?: NonFiniteValue[]): Generator<string> {
  yield `${METRICS_CSV_COLUMNS.map(csvField).join(',')}\n`;
  let chunk = '';
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    chunk += `${cell(row, 'tick', row.tick, nonFinite)},${csvField(String(row.platform))}`;
    for (const m of METRIC_NAMES) chunk += `,${cell(row, m, row[m], nonFinite)}`;
    chunk += '\n';
    if ((i + 1) % ROWS_PER_CHUNK === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

function cell(row: MetricRow, metric: MetricName | 'tick', value: number, nonFinite: NonFiniteValue[] | undefined): string {
  const text = typeof value === 'number' ? formatNumber(value) : undefined;
  if (text !== undefined) return text;
  nonFinite?.push({ tick: row.tick, platform: row.platform, metric, value });
  return '';
}

/** The whole CSV text of metric rows (see metricsCsvChunks). */
export function metricsCsv(rows: readonly MetricRow[], nonFinite?: NonFiniteValue[]): string {
  return [...metricsCsvChunks(rows, nonFinite)].join('');
}
