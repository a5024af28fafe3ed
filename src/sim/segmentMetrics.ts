// The per-segment metrics of a tick (docs/model.md section 10.1): one row per tick, platform and
// customer segment, the customers' side of the platform's row split by segment.

export const SEGMENT_METRICS = [
  'customers', 'joins', 'churned', 'needs', 'matches', 'declined', 'unmet', 'leaked',
  'gmv', 'revenue', 'customerValue', 'satisfaction', 'clv',
] as const;
export type SegmentMetric = (typeof SEGMENT_METRICS)[number];
/** Metrics whose sums over segments are the platform's (satisfaction and clv are means). */
export const SEGMENT_FLOWS: readonly SegmentMetric[] = ['joins', 'churned', 'needs', 'matches', 'declined', 'unmet', 'leaked', 'gmv', 'revenue', 'customerValue'];

export type SegmentRow = { tick: number; platform: string; segment: string } & Record<SegmentMetric, number>;
