import type { MetricRow } from '../sim/metrics.js';
import { orchestrationCostOf, revenueOf } from './orchestrator.js';
import { displayedRating } from './ranking.js';
import type { EcosystemState, PlatformState } from './state.js';
import { Tally } from './tally.js';

// The metrics of a tick (docs/model.md section 7), one row per platform and one for the whole
// ecosystem, computed from the tallies after accounting.

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/** What the rows read of the partners, per platform plus one slot for "all" at the end. */
interface PartnerStats {
  active: Float64Array;
  independent: Float64Array;
  rating: Float64Array;
  quality: Float64Array;
  profit: Float64Array;
  hhi: Float64Array;
}

function partnerStats(st: EcosystemState): PartnerStats {
  const p = st.partners;
  const P = st.platforms.length;
  const out: PartnerStats = {
    active: new Float64Array(P + 1),
    independent: new Float64Array(P + 1),
    rating: new Float64Array(P + 1),
    quality: new Float64Array(P + 1),
    profit: new Float64Array(P + 1),
    hhi: new Float64Array(P + 1),
  };
  const matches = new Float64Array(P + 1);
  for (const pl of st.platforms) matches[pl.index] = pl.tally.matches;
  for (let k = 0; k < P; k++) matches[P] += matches[k]!;
  const pol0 = st.platforms[0]!.policy;
  for (let j = 0; j < p.n; j++) {
    const m = p.member[j]!;
    let allSales = 0;
    for (let k = 0; k < P; k++) {
      const sales = p.sales[j * P + k]!;
      allSales += sales;
      if (matches[k]! > 0 && sales > 0) out.hhi[k] += (sales / matches[k]!) ** 2;
      if ((m & (1 << k)) === 0) continue;
      const pol = st.platforms[k]!.policy;
      out.active[k]++;
      out.rating[k] += displayedRating(p, j, pol.ratingPrior, pol.ratingPriorWeight);
      out.quality[k] += p.quality[j]!;
      if (p.owner[j]! < 0) {
        out.independent[k]++;
        out.profit[k] += p.income[j * P + k]!;
        out.profit[P] += p.income[j * P + k]!;
      }
    }
    if (P === 1) continue;
    if (matches[P]! > 0 && allSales > 0) out.hhi[P] += (allSales / matches[P]!) ** 2;
    if (m === 0) continue;
    out.active[P]++;
    out.rating[P] += displayedRating(p, j, pol0.ratingPrior, pol0.ratingPriorWeight);
    out.quality[P] += p.quality[j]!;
    if (p.owner[j]! < 0) out.independent[P]++;
  }
  // With one platform the whole ecosystem's sums are the platform's, added in the same order.
  if (P === 1) {
    out.active[1] = out.active[0]!;
    out.independent[1] = out.independent[0]!;
    out.rating[1] = out.rating[0]!;
    out.quality[1] = out.quality[0]!;
    out.hhi[1] = out.hhi[0]!;
  }
  return out;
}

function row(
  tick: number,
  name: string,
  t: Tally,
  members: number,
  n: number,
  aware: number,
  cash: number,
  takeRate: number,
  multiHomers: number,
  satisfactionSum: number,
  ps: PartnerStats,
  k: number,
): MetricRow {
  const revenue = revenueOf(t);
  const orchestrationCost = orchestrationCostOf(t);
  // One literal, not a spread of the values: every row then shares one hidden class.
  return {
    tick,
    platform: name,
    customers: members,
    customerShare: ratio(members, n),
    partners: ps.active[k]!,
    aware,
    joins: t.joins,
    churned: t.churned,
    partnerEntries: t.partnerEntries,
    partnerExits: t.partnerExits,
    multiHoming: ratio(multiHomers, members),
    needs: t.needs,
    matches: t.matches,
    unmet: t.unmet,
    declined: t.declined,
    matchRate: ratio(t.matches, t.matches + t.unmet),
    conversion: ratio(t.matches, t.matches + t.declined + t.unmet),
    leaked: t.leaked,
    leakageRate: ratio(t.leaked, t.leaked + t.matches),
    gmv: t.gmv,
    commission: t.commission,
    fees: t.fees,
    subscriptions: t.subscriptions,
    listingFees: t.listingFees,
    houseSales: t.houseSales,
    revenue,
    subsidySpend: t.partnerSubsidies + t.coupons,
    orchestrationCost,
    orchestratorProfit: revenue - orchestrationCost,
    cash,
    partnerValue: t.partnerNet,
    customerValue: t.customerNet,
    membershipValue: t.membershipValue,
    synergisticValue: t.customerNet + revenue,
    ecosystemValue: t.partnerNet + t.customerNet + revenue - orchestrationCost,
    avgRating: ratio(ps.rating[k]!, ps.active[k]!),
    avgQuality: ratio(ps.quality[k]!, ps.active[k]!),
    satisfaction: ratio(satisfactionSum, members),
    hhi: 10000 * ps.hhi[k]!,
    partnerProfit: ratio(ps.profit[k]!, ps.independent[k]!),
    clv: ratio(t.clvSum, t.clvCount),
    takeRate,
  };
}

/** The sum of every platform's tally, for the whole-ecosystem row. */
function totalTally(platforms: readonly PlatformState[]): Tally {
  const sum = new Tally();
  const into = sum as unknown as Record<string, number>;
  for (const pl of platforms) {
    const from = pl.tally as unknown as Record<string, number>;
    for (const key of Object.keys(from)) into[key] = (into[key] ?? 0) + from[key]!;
  }
  return sum;
}

export function metricRows(st: EcosystemState, tick: number): MetricRow[] {
  const ps = partnerStats(st);
  const n = st.customers.n;
  const P = st.platforms.length;
  const rows = st.platforms.map((pl) =>
    row(tick, pl.name, pl.tally, pl.customers, n, st.aware, pl.cash, pl.policy.takeRate, pl.tally.multiHomers, pl.tally.satisfactionSum, ps, pl.index),
  );
  const all = totalTally(st.platforms);
  const gmv = all.gmv;
  const takeRate = gmv > 0 ? st.platforms.reduce((a, pl) => a + pl.policy.takeRate * pl.tally.gmv, 0) / gmv : st.platforms[0]!.policy.takeRate;
  const cash = st.platforms.reduce((a, pl) => a + pl.cash, 0);
  rows.push(row(tick, 'all', all, st.tick.members, n, st.aware, cash, takeRate, st.tick.multiHomers, st.tick.satisfactionSum, ps, P));
  return rows;
}
