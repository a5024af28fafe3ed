import type { Memory } from '../sim/memory.js';
import type { Rng } from '../sim/random.js';
import type { Condition } from '../sim/condition.js';
import type { MetricRow } from '../sim/metrics.js';
import type { SegmentRow } from '../sim/segmentMetrics.js';
import type { Policy, Scenario, SegmentPolicies } from '../sim/scenario/schema.js';
import type { ShardRange } from '../sim/shards.js';
import type { ExperimentRun } from './experimentState.js';
import type { CustomerLedger } from './ledger.js';
import type { Graph } from './network.js';
import type { PricingGroups } from './pricingGroups.js';
import type { SegmentTable } from './segments.js';
import type { ShardTally, Tally } from './tally.js';

// The whole state of one run in one object (docs/model.md section 2). Populations are structs of
// typed arrays: a million customers fit in a few tens of megabytes and the hot loops allocate nothing.

export interface Customers {
  readonly n: number;
  readonly value: Float64Array;
  readonly theta: Float32Array;
  readonly satisfaction: Float64Array;
  /** Bit k set: member of platform k. */
  readonly member: Uint8Array;
  readonly aware: Uint8Array;
  /** The membership searched for a need: the best by expected utility. */
  readonly best: Uint8Array;
  /** Partner with whom the customer has an off-platform relationship, or -1. */
  readonly tie: Int32Array;
  /** Transactions shared with the tied partner (familiarity). */
  readonly tieCount: Uint16Array;
  /** Revenue the platforms have realized from the customer since joining (for CLV). */
  readonly revenue: Float32Array;
  /** (i, k) at i * platforms + k: the surplus per need the customer has experienced on k (section 3.6). */
  readonly experience: Float64Array;
  /** The tick before which a customer who left its last platform does not consider joining (section 3.3). */
  readonly lapsedUntil: Int32Array;
  /** Where the customer stands on the line of tastes, in [0, 1) (section 2). */
  readonly taste: Float32Array;
  /** The customer's segment: its row in the segment tables (section 10.1). */
  readonly segment: Uint8Array;
  /** The customer's pricing group: its segment and the experiments treating it (see pricingGroups.ts). */
  readonly group: Uint8Array;
}

/** Per-partner arrays; those marked (j, k) hold one slot per platform at j * platforms + k. */
export interface Partners {
  readonly n: number;
  /** Partners 0 … independent-1 are independent; the rest are house supply. */
  readonly independent: number;
  readonly quality: Float64Array;
  readonly cost: Float64Array;
  readonly price: Float64Array;
  readonly leak: Float64Array;
  /** Owning platform of a house partner, -1 for an independent one. */
  readonly owner: Int8Array;
  readonly member: Uint8Array;
  readonly aware: Uint8Array;
  /** Bit k set: deactivated by platform k for good. */
  readonly banned: Uint8Array;
  readonly outage: Uint8Array;
  readonly ratingCount: Int32Array;
  readonly ratingSum: Float64Array;
  /** Remaining capacity this tick. */
  readonly spare: Int32Array;
  /** (j, k) */
  readonly profitEma: Float64Array;
  readonly lowTicks: Int32Array;
  readonly blockedUntil: Int32Array;
  readonly suspendedUntil: Int32Array;
  readonly promoted: Uint8Array;
  readonly sales: Int32Array;
  /** This tick's profit on the platform, before fixed costs and fees are charged. */
  readonly income: Float64Array;
  /** (j, k): the partner's pricing group on k, the partner experiments treating it (see pricingGroups.ts). */
  readonly group: Uint8Array;
}

export interface PlatformState {
  readonly index: number;
  readonly name: string;
  readonly launchTick: number;
  readonly creditLine: number | null;
  /** Place on the customers' taste line (section 5). */
  readonly position: number;
  /** House partners of the platform are partners houseStart … houseStart + houseSlots - 1 (section 3.4). */
  readonly houseStart: number;
  readonly houseSlots: number;
  /** House partners admitted now. */
  houseActive: number;
  policy: Policy;
  /** Customer-facing policies per segment name, where they differ from `policy` (section 10.1). */
  segmentPolicies: SegmentPolicies;
  /** What is left of the subsidy budget; Infinity when unlimited. */
  budget: number;
  cash: number;
  open: boolean;
  failedAt: number | null;
  cumulativeMatches: number;
  customers: number;
  partners: number;
  /** Needs that reached the platform last tick: the demand partners expect. */
  lastDemand: number;
  readonly tally: Tally;
  // Public signals, fixed at the start of the tick so that decisions are synchronous.
  share: number;
  /** Availability A = n_p / (n_p + halfSaturation) (section 3.3). */
  availability: number;
  u0: number;
  coupon: number;
  subsidy: number;
  /** p_jk / p_j: the share of the commission passed into partners' prices (section 2). */
  priceFactor: number;
  /** Mean displayed rating and mean price of the partners listed at the last build of the search (section 3.3). */
  listedRating: number;
  listedPrice: number;
  listed: number;
}

export interface CompiledRule {
  readonly platform: number;
  readonly condition: Condition;
  readonly set: Partial<Policy>;
  readonly once: boolean;
  fired: boolean;
}

/** One shard's stream and its needs of the tick, in customer order. */
export interface Shard extends ShardRange {
  readonly rng: Rng;
  /** The customer of each need. */
  customer: Int32Array;
  /** The platform searched (low byte) and the flags of each need. */
  flags: Int32Array;
  /** Service and rating noise of each need (standard normals). */
  noise: Float32Array;
  /**
   * What settling a need on the customers' side works out for the partner's side, two per need:
   * the partner's margin (0 for house supply) and the rating given (when rated).
   */
  partnerSide: Float64Array;
  count: number;
  /** Index of the shard's first need among all needs of the tick. */
  offset: number;
  /** What the shard's customers added up in the current phase. */
  readonly tally: ShardTally;
  /** Customers of the shard not yet aware of the platforms. */
  unaware: number;
}

/** The tick's needs in serving order (see matching.ts for the record layout). */
export interface NeedBuffers {
  /** Serving records, one cache line each, in serving order; ints and floats share the buffer. */
  serve: Int32Array;
  serveF: Float32Array;
  /** Per need in customer order: the partner who served it, or UNMET, DECLINED or a leak (see matching.ts). */
  outcome: Int32Array;
  /** Per need in customer order: the coupon paid. */
  coupon: Float32Array;
  /** Per need in customer order: its place in the serving order. */
  place: Int32Array;
  total: number;
}

export interface EcosystemState {
  readonly scenario: Scenario;
  /** Where the arrays that threads share live. */
  readonly memory: Memory;
  readonly replication: number;
  readonly customers: Customers;
  readonly partners: Partners;
  readonly platforms: PlatformState[];
  readonly graph: Graph | null;
  readonly shards: Shard[];
  readonly partnerRng: Rng;
  readonly platformRng: Rng;
  readonly orderRng: Rng;
  readonly rules: CompiledRule[];
  /** Metrics of the last tick, per platform, read by rules. */
  lastRows: MetricRow[];
  demandFactor: number;
  /** Customers who are members of at least one platform, at the start of the tick. */
  members: number;
  aware: number;
  /** Whole-ecosystem tallies of the tick that cannot be summed over platforms. */
  readonly tick: { members: number; satisfactionSum: number; multiHomers: number };
  /** Ints in one serving record. */
  readonly recordStride: number;
  readonly needs: NeedBuffers;
  /** Per-need scratch of the search, reused. */
  readonly scratch: { readonly scores: Float64Array; readonly draws: Int32Array };
  /** Per-segment customer keys (section 10.1). */
  readonly segments: SegmentTable;
  /** Who pays what: the customer and partner groups of segments and experiments (section 10). */
  readonly groups: PricingGroups;
  /** What each segment's customers did on each platform this tick, at segment * platforms + k. */
  readonly segmentTallies: Tally[];
  /** Member customers of each segment on each platform, at segment * platforms + k. */
  readonly segmentCustomers: Int32Array;
  /** The in-market experiments, in scenario order (section 10.2). */
  readonly experiments: ExperimentRun[];
  /** Per-customer outcomes that customer experiments measure, or null without any. */
  readonly ledger: CustomerLedger | null;
  /** One platform, without multi-homing: adoption then takes a loop made for it (same draws, same results). */
  readonly onePlatform: boolean;
  /** Whether this run forks the copies that measure experiments' true effects (the copies themselves do not). */
  readonly forks: boolean;
  /** The rows of segments.csv so far (with segments only). */
  readonly segmentRows: SegmentRow[];
  /** Partners hit by each partner outage in force, by shock index. */
  readonly outages: Map<number, Int32Array>;
}
