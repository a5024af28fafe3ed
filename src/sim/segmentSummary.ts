import type { SegmentSummary } from './result.js';
import { SEGMENT_FLOWS, type SegmentRow } from './segmentMetrics.js';

// The summary of each (platform, segment) of a run (docs/model.md section 10.1): flows summed
// over the run (from the warm-up's end), member count and satisfaction at the last tick.

export function summarizeSegments(rows: readonly SegmentRow[], from = 0): SegmentSummary[] {
  const out = new Map<string, Record<string, number | string>>();
  for (const r of rows) {
    const key = `${r.platform}\u0000${r.segment}`;
    let s = out.get(key);
    if (!s) {
      s = { platform: r.platform, segment: r.segment, customers: 0, satisfaction: 0, ...Object.fromEntries(SEGMENT_FLOWS.map((m) => [m, 0])) };
      out.set(key, s);
    }
    if (r.tick >= from) for (const m of SEGMENT_FLOWS) (s[m] as number) += r[m];
    s['customers'] = r.customers;
    s['satisfaction'] = r.satisfaction;
  }
  return [...out.values()].map((s) => ({
    platform: s['platform'] as string,
    segment: s['segment'] as string,
    customers: s['customers'] as number,
    joins: s['joins'] as number,
    churned: s['churned'] as number,
    needs: s['needs'] as number,
    matches: s['matches'] as number,
    declined: s['declined'] as number,
    unmet: s['unmet'] as number,
    leaked: s['leaked'] as number,
    gmv: s['gmv'] as number,
    revenue: s['revenue'] as number,
    customerValue: s['customerValue'] as number,
    satisfaction: s['satisfaction'] as number,
  }));
}
