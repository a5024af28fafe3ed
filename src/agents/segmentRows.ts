import type { SegmentRow } from '../sim/segmentMetrics.js';
import type { EcosystemState } from './state.js';

// The rows of segments.csv for one tick (docs/model.md section 10.1), from the tallies that the
// shards keep per (segment, platform). Revenue is what the platform earned from the segment:
// commission and fees on its deals, and its subscriptions.

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

export function segmentRows(st: EcosystemState, tick: number): SegmentRow[] {
  const P = st.platforms.length;
  const rows: SegmentRow[] = [];
  for (const pl of st.platforms) {
    for (let g = 0; g < st.segments.count; g++) {
      const cell = g * P + pl.index;
      const t = st.segmentTallies[cell]!;
      const customers = st.segmentCustomers[cell]!;
      rows.push({
        tick,
        platform: pl.name,
        segment: st.segments.names[g]!,
        customers,
        joins: t.joins,
        churned: t.churned,
        needs: t.needs,
        matches: t.matches,
        declined: t.declined,
        unmet: t.unmet,
        leaked: t.leaked,
        gmv: t.gmv,
        revenue: t.commission + t.fees + t.subscriptions,
        customerValue: t.customerNet,
        satisfaction: ratio(t.satisfactionSum, customers),
        clv: ratio(t.clvSum, t.clvCount),
      });
    }
  }
  return rows;
}
