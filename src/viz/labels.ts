import { METRICS, type MetricName } from '../sim/metrics.js';

// What a reader sees instead of a key: a metric's label and unit, a summary column such as
// "all.total.revenue" as "revenue, run total", a parameter path as words. The units come from the
// metric catalogue (src/sim/metrics.ts); the labels live here because they are wording for charts.
// A Record over every MetricName, so a metric added to the catalogue without a label fails to compile.

const LABELS: Readonly<Record<MetricName, string>> = {
  customers: 'customers',
  customerShare: 'customer share',
  partners: 'partners',
  aware: 'aware customers',
  joins: 'joins',
  churned: 'churned customers',
  partnerEntries: 'partner entries',
  partnerExits: 'partner exits',
  multiHoming: 'multi-homing',
  needs: 'needs',
  matches: 'matches',
  unmet: 'unmet needs',
  declined: 'declined needs',
  matchRate: 'match rate',
  conversion: 'conversion',
  leaked: 'leaked transactions',
  leakageRate: 'leakage rate',
  gmv: 'GMV',
  commission: 'commission',
  fees: 'fees',
  subscriptions: 'subscriptions',
  listingFees: 'listing fees',
  houseSales: 'house sales',
  revenue: 'revenue',
  subsidySpend: 'subsidy spend',
  orchestrationCost: 'orchestration cost',
  orchestratorProfit: 'orchestrator profit',
  cash: 'cash',
  partnerValue: 'partner value',
  customerValue: 'customer value',
  membershipValue: 'membership value',
  synergisticValue: 'synergistic value',
  ecosystemValue: 'ecosystem value',
  avgRating: 'mean rating',
  avgQuality: 'mean quality',
  satisfaction: 'satisfaction',
  hhi: 'HHI',
  partnerProfit: 'profit per partner',
  clv: 'customer lifetime value',
  takeRate: 'take rate',
};

const UNITS = new Map<string, string>(METRICS.map((m) => [m.name, m.unit]));

/** The unit a tick axis shows: the model reads a tick as a week. */
export const TICK_UNIT = 'weeks';

/** Summary quantities that are not catalogue metrics, by their last key. */
const EXTRA: Readonly<Record<string, { label: string; unit: string }>> = {
  tippedAt: { label: 'tipping week', unit: TICK_UNIT },
  failedAt: { label: 'failure week', unit: TICK_UNIT },
  peakCustomersTick: { label: 'week of peak customers', unit: TICK_UNIT },
  peakCustomers: { label: 'peak customers', unit: 'customers' },
};

const STATS: Readonly<Record<string, string>> = { total: 'run total', final: 'at the end', mean: 'mean per week', max: 'peak', min: 'lowest' };

/** Words from a camelCase key: "partnerSubsidy" → "partner subsidy"; an acronym stays. */
export function words(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').toLowerCase().replace(/\bgmv\b/g, 'GMV').replace(/\bhhi\b/g, 'HHI');
}

/** The label of a metric or of a summary column ("all.total.gmv" → "GMV, run total"; "orchestrator.final.customers" → "customers at the end, orchestrator"). */
export function metricLabel(column: string): string {
  const parts = column.split('.');
  const last = parts[parts.length - 1]!;
  const base = (LABELS as Record<string, string>)[last] ?? EXTRA[last]?.label ?? words(last);
  if (parts.length === 1) return base;
  const stat = parts.length >= 3 ? STATS[parts[parts.length - 2]!] : undefined;
  const platform = parts[0]!;
  const withStat = stat === undefined ? base : stat === 'at the end' ? `${base} at the end` : `${base}, ${stat}`;
  return platform === 'all' || platform === '' ? withStat : `${withStat}, ${platform}`;
}

/** The catalogue unit of a metric or summary column (the unit of its last key), or undefined. */
export function metricUnitOf(column: string): string | undefined {
  const last = column.split('.').pop() ?? column;
  return EXTRA[last]?.unit ?? UNITS.get(last);
}

/** The label of a scenario parameter path: "platforms.0.takeRate" → "take rate (platform 0)"; "customers.count" → "customers count". */
export function paramLabel(path: string): string {
  const parts = path.split('.');
  const out: string[] = [];
  let where = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const next = parts[i + 1];
    if (next !== undefined && /^\d+$/.test(next)) {
      where = `${p.replace(/s$/, '')} ${next}`;
      i++;
    } else out.push(words(p));
  }
  const label = out.join(' ');
  return where === '' ? label : `${label} (${where})`;
}

/** A short label of one parameter value for a legend: "take rate = 0.1". */
export function paramValueLabel(path: string, value: number | string): string {
  return `${paramLabel(path)} = ${value}`;
}
