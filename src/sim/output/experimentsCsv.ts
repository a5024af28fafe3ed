import { EXPERIMENT_COLUMNS, type ExperimentResult } from '../experimentResult.js';
import { csvField, formatNumber } from './csv.js';

// experiments.csv (docs/model.md section 10.2): one row per in-market experiment, the platform's
// estimate beside the true effect. A value that cannot be worked out (an interval without spread)
// is an empty field.

export const EXPERIMENTS_FILE = 'experiments.csv';

function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return formatNumber(value) ?? '';
  return csvField(String(value));
}

export function experimentsCsv(results: readonly ExperimentResult[]): string {
  const lines = [EXPERIMENT_COLUMNS.join(',')];
  for (const r of results) lines.push(EXPERIMENT_COLUMNS.map((c) => field(r[c])).join(','));
  return `${lines.join('\n')}\n`;
}
