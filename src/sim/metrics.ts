// The catalogue of per-tick metrics (docs/model.md section 7): the output contract shared by the
// engine, the agents that compute the values, the rule grammar that reads them and the charts.

export type MetricKind = 'count' | 'flow' | 'ratio' | 'stock';

export interface MetricInfo {
  readonly name: string;
  readonly kind: MetricKind;
  readonly unit: string;
  readonly description: string;
}

const m = <N extends string, K extends MetricKind>(name: N, kind: K, unit: string, description: string) =>
  ({ name, kind, unit, description }) as const;

export const METRICS = [
  m('customers', 'count', 'customers', 'member customers at the end of the tick'),
  m('customerShare', 'ratio', 'share', 'member customers as a share of all customers'),
  m('partners', 'count', 'partners', 'active member partners (house supply included)'),
  m('aware', 'count', 'customers', 'customers aware of the platforms'),
  m('joins', 'flow', 'customers', 'customers who joined in the tick'),
  m('churned', 'flow', 'customers', 'customers who left in the tick'),
  m('partnerEntries', 'flow', 'partners', 'partners admitted in the tick'),
  m('partnerExits', 'flow', 'partners', 'partners who left or were deactivated in the tick'),
  m('multiHoming', 'ratio', 'share', 'share of member customers with two or more memberships'),
  m('needs', 'flow', 'needs', 'needs of member customers'),
  m('matches', 'flow', 'transactions', 'needs served on the platform'),
  m('unmet', 'flow', 'needs', 'needs that found no candidate with spare capacity'),
  m('declined', 'flow', 'needs', 'needs with candidates of spare capacity, none worth taking (prices, fees or distrust)'),
  m('matchRate', 'ratio', 'share', 'matches / (matches + unmet): liquidity'),
  m('conversion', 'ratio', 'share', 'matches / (matches + declined + unmet)'),
  m('leaked', 'flow', 'transactions', 'transactions taken off the platform by tied pairs'),
  m('leakageRate', 'ratio', 'share', 'leaked / (leaked + matches)'),
  m('gmv', 'flow', 'money', 'sum of prices of on-platform transactions'),
  m('commission', 'flow', 'money', 'take rate and customer fee on on-platform transactions'),
  m('fees', 'flow', 'money', 'promotion fees and leakage penalties'),
  m('subscriptions', 'flow', 'money', 'customer subscriptions'),
  m('listingFees', 'flow', 'money', 'partner listing fees'),
  m('houseSales', 'flow', 'money', 'sales of house supply net of the commission'),
  m('revenue', 'flow', 'money', 'commission + fees + subscriptions + listing fees + house sales'),
  m('subsidySpend', 'flow', 'money', 'partner subsidies and customer coupons paid'),
  m('orchestrationCost', 'flow', 'money', 'fixed, per member, subsidies, screening, enforcement, trust services and programme, house supply'),
  m('orchestratorProfit', 'flow', 'money', 'revenue - orchestrationCost'),
  m('cash', 'stock', 'money', 'the platform\'s cash at the end of the tick'),
  m('partnerValue', 'flow', 'money', 'partner margins on and off platform - fixed costs - fees + subsidies'),
  m('customerValue', 'flow', 'money', 'customer surplus + membership value - subscriptions and membership costs'),
  m('membershipValue', 'flow', 'money', 'stand-alone and same-side value of membership, v (u0 + βss x), over members'),
  m('synergisticValue', 'flow', 'money', 'customerValue + revenue'),
  m('ecosystemValue', 'flow', 'money', 'partnerValue + synergisticValue - orchestrationCost: total welfare'),
  m('avgRating', 'ratio', 'rating', 'mean displayed rating of active partners'),
  m('avgQuality', 'ratio', 'quality', 'mean true quality of active partners'),
  m('satisfaction', 'ratio', 'share', 'mean satisfaction of member customers'),
  m('hhi', 'ratio', 'index 0-10000', 'Herfindahl-Hirschman index of partner shares of matches'),
  m('partnerProfit', 'ratio', 'money', 'mean profit per active independent partner'),
  m('clv', 'ratio', 'money', 'mean realized revenue per customer who churned in the tick'),
  m('takeRate', 'ratio', 'share', 'the take rate in force'),
] as const satisfies readonly MetricInfo[];

export type MetricName = (typeof METRICS)[number]['name'];
export const METRIC_NAMES: readonly MetricName[] = METRICS.map((x) => x.name);
const NAME_SET = new Set<string>(METRIC_NAMES);

export function isMetricName(name: string): name is MetricName {
  return NAME_SET.has(name);
}

/** One row of the per-tick output: a tick, a platform (or "all"), and every metric. */
export type MetricRow = { tick: number; platform: string } & Record<MetricName, number>;

type FlowName = Extract<(typeof METRICS)[number], { kind: 'flow' }>['name'];
/** Metrics whose run total is meaningful: the flows, and the two rates recomputed from their sums. */
export type TotalName = FlowName | 'matchRate' | 'leakageRate' | 'conversion';
export const FLOW_METRICS = METRICS.filter((x) => x.kind === 'flow').map((x) => x.name) as FlowName[];
export const TOTAL_METRICS: readonly TotalName[] = [...FLOW_METRICS, 'matchRate', 'leakageRate', 'conversion'];
