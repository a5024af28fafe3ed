import type { SegmentRow } from '../segmentMetrics.js';
import { SEGMENT_METRICS } from '../segmentMetrics.js';
import { csvField, formatNumber } from './csv.js';

// segments.csv (docs/model.md section 10.1): one row per tick, platform and customer segment,
// numbers by the same rule as metrics.csv.

export const SEGMENTS_FILE = 'segments.csv';
export const SEGMENTS_CSV_COLUMNS: readonly string[] = ['tick', 'platform', 'segment', ...SEGMENT_METRICS];

const ROWS_PER_CHUNK = 512;

export function* segmentsCsvChunks(rows: readonly SegmentRow[]): Generator<string> {
  yield `${SEGMENTS_CSV_COLUMNS.join(',')}\n`;
  let chunk = '';
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    chunk += `${r.tick},${csvField(r.platform)},${csvField(r.segment)}`;
    for (const m of SEGMENT_METRICS) chunk += `,${formatNumber(r[m]) ?? ''}`;
    chunk += '\n';
    if ((i + 1) % ROWS_PER_CHUNK === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}
