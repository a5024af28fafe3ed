import type { EcosystemState } from './state.js';

// Memory held by a run's state, by part: what `npm run bench` reports as bytes per customer.

export interface Footprint {
  /** Per-customer arrays, the per-tick need records and the serving order. */
  readonly customers: number;
  /** What in-market experiments keep per customer: the outcome ledger and each test's assignment and sums (section 10.2). */
  readonly experiments: number;
  readonly partners: number;
  readonly graph: number;
}

const bytesOf = (o: object): number =>
  Object.values(o).reduce((a: number, v) => a + (ArrayBuffer.isView(v) ? v.byteLength : 0), 0);

export function footprint(st: EcosystemState): Footprint {
  const b = st.needs;
  let records = b.serve.byteLength + b.outcome.byteLength + b.coupon.byteLength + b.place.byteLength;
  for (const sh of st.shards) records += sh.customer.byteLength + sh.flags.byteLength + sh.noise.byteLength;
  return {
    customers: bytesOf(st.customers) + records,
    experiments:
      (st.ledger ? bytesOf(st.ledger) : 0) +
      st.experiments.reduce((a, r) => a + (r.unit?.byteLength ?? 0) + (r.treated?.byteLength ?? 0) + (r.sums?.byteLength ?? 0), 0),
    partners: bytesOf(st.partners),
    graph: st.graph ? st.graph.offsets.byteLength + st.graph.neighbors.byteLength : 0,
  };
}
