import { z } from 'zod';

// The scenario file's shape and every default (docs/model.md section 9). A scenario is plain data:
// this schema turns a raw file into a fully resolved object, and also yields the JSON Schema
// that editors use to complete and check scenario files.

const share = z.number().min(0).max(1);
const nonNegative = z.number().min(0);
const positive = z.number().gt(0);
const count = z.number().int().min(0);
const tick = z.number().int().min(0);

/** Policies a platform may change while running (schedule, rules). */
export const policyShape = {
  takeRate: z.number().min(0).lt(1).default(0.15).describe('commission on the partner price, share of price (below 1)'),
  customerFee: nonNegative.default(0).describe('fee charged to the customer, share of price'),
  subscription: nonNegative.default(0).describe('customer fee per tick of membership'),
  listingFee: nonNegative.default(0).describe('partner fee per tick of membership'),
  partnerSubsidy: nonNegative.default(0).describe('paid to each active partner per tick while the subsidy budget lasts'),
  couponValue: nonNegative.default(0).describe('paid to the customer per on-platform transaction while the budget lasts'),
  subsidyBudget: nonNegative
    .nullable()
    .default(0)
    .describe('what is left to spend on subsidies and coupons; null = unlimited'),
  houseSupply: count.default(0).describe('platform-owned partners, at its cost; schedules and rules may raise or lower it'),
  trust: share.default(0.5).describe('trust and safety (verification, informative reviews): lowers the customers\' risk premium'),
  trustPortability: share.default(0.5).describe('share of the trust that tied pairs carry off the platform'),
  trustCost: nonNegative.default(0).describe('cost per tick of trust services at trust 1, linear in trust'),
  qualityThreshold: share.default(0).describe('curation: minimum screened quality to admit a partner'),
  screeningNoise: nonNegative.default(0.1).describe('sd of the noise in the platform quality screen'),
  screeningCost: nonNegative.default(0).describe('cost per screened application'),
  ranking: z.enum(['random', 'rating', 'promoted']).default('rating').describe('how search results are weighted'),
  rankingTemperature: positive.default(0.1).describe('rating ranking weight is exp(rating / rankingTemperature)'),
  promotionFee: nonNegative.default(0.5).describe('per tick, paid by partners who buy promotion under promoted ranking'),
  promotionBoost: nonNegative.default(1).describe('promoted partners get their ranking weight times 1 + promotionBoost'),
  minRating: share.default(0).describe('deactivate partners whose rating falls below this'),
  minRatings: z.number().int().min(1).default(10).describe('ratings needed before deactivation applies'),
  ratingPrior: share.default(0.5).describe('prior mean of the displayed Bayesian rating'),
  ratingPriorWeight: nonNegative.default(5).describe('weight of the prior, in ratings'),
  valueAdd: nonNegative.default(0.15).describe('worth of trust services (escrow, insurance, disputes) as a share of price'),
  valueAddCostShare: nonNegative.default(0.3).describe('cost of trust services as a share of their worth'),
  detection: share.default(0).describe('probability that a leaked transaction is detected'),
  penalty: nonNegative.default(0).describe('fine paid by a detected leaker'),
  suspensionTicks: count.max(1_000_000).default(10).describe('ticks a detected leaker is suspended'),
  enforcementCost: nonNegative.default(0).describe('cost per tick of anti-leakage enforcement while detection > 0'),
  entryCost: z.number().default(0).describe('hurdle for partners to join (openness lowers it)'),
  u0: z.number().default(0.02).describe('stand-alone value of the platform to a customer'),
  learningGain: nonNegative.default(0).describe('data network effect: the most u0 can grow'),
  learningScale: positive.default(10000).describe('cumulative matches at which learning reaches 63% of its gain'),
  fixedCost: nonNegative.default(30).describe('orchestration cost per tick'),
  costPerCustomer: nonNegative.default(0.005).describe('orchestration cost per member customer per tick'),
  costPerPartner: nonNegative.default(0.1).describe('orchestration cost per member partner per tick'),
};

export const policySchema = z.strictObject(policyShape);

/** Policies that a platform may set per customer segment (price discrimination, section 10.1). */
export const SEGMENT_POLICY_KEYS = ['customerFee', 'subscription', 'couponValue'] as const;
export type SegmentPolicyKey = (typeof SEGMENT_POLICY_KEYS)[number];
/** Policies an in-market experiment may set for treated partners (section 10.2). */
export const PARTNER_TEST_KEYS = ['takeRate', 'listingFee', 'partnerSubsidy', 'promotionBoost'] as const;
export type PartnerTestKey = (typeof PARTNER_TEST_KEYS)[number];

const optionalPolicy = <K extends keyof typeof policyShape>(k: K) => policyShape[k].unwrap().optional() as z.ZodOptional<ReturnType<(typeof policyShape)[K]['unwrap']>>;

export const segmentPolicySchema = z.strictObject({
  customerFee: optionalPolicy('customerFee'),
  subscription: optionalPolicy('subscription'),
  couponValue: optionalPolicy('couponValue'),
});
/** Per segment name, the customer-facing policies that differ from the platform's own. */
export const segmentPoliciesSchema = z
  .record(z.string().min(1), segmentPolicySchema)
  .describe('customer-facing policies per customer segment: { enterprise: { subscription: 2 } }');

/** Policy values a schedule or rule may set: any subset of the policy keys, and of the segments' policies. */
export const policyPatchSchema = z
  .strictObject({
    ...(Object.fromEntries(Object.entries(policyShape).map(([k, v]) => [k, v.unwrap().optional()])) as {
      [K in keyof typeof policyShape]: z.ZodOptional<ReturnType<(typeof policyShape)[K]['unwrap']>>;
    }),
    segmentPolicies: segmentPoliciesSchema.optional(),
  })
  .refine((o) => Object.keys(o).length > 0, { message: 'set at least one policy key' });

export const platformSchema = z.strictObject({
  name: z.string().min(1).regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'a name of letters, digits, _ and -, not starting with a digit').optional(),
  launchTick: tick.default(0).describe('tick at which the platform opens (an entrant launches later)'),
  position: share.optional().describe('place on the customers\' taste line; default 0.5 with one platform, k/(K-1) with K'),
  initialShare: share.default(0).describe('share of customers that start as members of this platform'),
  cash: z.number().default(0).describe('cash at launch'),
  creditLine: nonNegative.nullable().default(null).describe('the platform fails when cash falls below -creditLine; null = never'),
  ...policyShape,
  segmentPolicies: segmentPoliciesSchema.default({}),
});

const platformRef = z.union([z.string().min(1), z.number().int().min(0)]);

export const scheduleEntrySchema = z.strictObject({
  at: tick.describe('tick at which the change applies'),
  platform: platformRef.default(0),
  set: policyPatchSchema,
});

export const ruleSchema = z.strictObject({
  when: z.string().min(1).describe('condition on last tick\'s metrics, e.g. "customers >= 5000 and matchRate > 0.9"'),
  platform: platformRef.default(0),
  set: policyPatchSchema,
  once: z.boolean().default(false),
});

export const shockSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('partnerOutage'),
    at: tick,
    duration: z.number().int().min(1),
    share: share.describe('share of partners who cannot serve'),
  }),
  z.strictObject({
    type: z.literal('demand'),
    at: tick,
    duration: z.number().int().min(1),
    factor: nonNegative.describe('needs are multiplied by this factor'),
  }),
  z.strictObject({
    type: z.literal('entrant'),
    at: tick,
    platform: platformRef,
  }),
]);

/**
 * The per-customer keys a segment may override (section 10.1): what it does not set comes from
 * `customers`. Their schemas are those of `customers`, optional here.
 */
const segmentKeyShape = {
  valueDistribution: z.enum(['lognormal', 'uniform']).optional(),
  valueMean: positive.optional(),
  valueSigma: nonNegative.optional(),
  valueMin: nonNegative.optional(),
  valueMax: nonNegative.optional(),
  needRate: share.optional(),
  riskAversion: nonNegative.optional(),
  churnBase: nonNegative.optional(),
  churnDissatisfaction: nonNegative.optional(),
  p: nonNegative.optional(),
  q: nonNegative.optional(),
  joinCost: nonNegative.optional(),
  differentiation: nonNegative.optional(),
  switchRate: nonNegative.optional(),
  switchingCost: nonNegative.optional(),
  reentryDelay: count.max(1_000_000).optional(),
};
export const SEGMENT_KEYS = Object.keys(segmentKeyShape) as (keyof typeof segmentKeyShape)[];
export type SegmentKey = (typeof SEGMENT_KEYS)[number];

const itemName = z.string().min(1).regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'a name of letters, digits, _ and -, not starting with a digit');

export const segmentSchema = z.strictObject({
  name: itemName,
  share: share.describe('share of the customers in the segment; the shares add up to 1'),
  ...segmentKeyShape,
});

export const customersSchema = z.strictObject({
  count: count.default(10000),
  p: nonNegative.default(0.01).describe('Bass innovation hazard (marketing)'),
  q: nonNegative.default(0.3).describe('Bass imitation hazard (word of mouth)'),
  valueDistribution: z.enum(['lognormal', 'uniform']).default('lognormal'),
  valueMean: positive.default(2.0),
  valueSigma: nonNegative.default(0.3),
  valueMin: nonNegative.default(0),
  valueMax: nonNegative.default(1),
  needRate: share.default(0.3).describe('probability of a need per tick while a member'),
  temperature: nonNegative.default(0.1).describe('noise in join and leave decisions; 0 = the step rule'),
  churnBase: nonNegative.default(0.005),
  churnDissatisfaction: nonNegative.default(0.02),
  initialShare: share.default(0).describe('share that starts as members of the first platform'),
  initialAware: share.default(0).describe('share that starts aware'),
  initialSatisfaction: share.default(0.7),
  satisfactionMemory: share.default(0.1),
  joinCost: nonNegative.default(0).describe('one-off cost of joining a platform'),
  riskAversion: nonNegative.default(0.5).describe('risk premium, share of price, of dealing with a partner at trust 0'),
  reentryDelay: count.max(1_000_000).default(13).describe('ticks a customer who left waits before it considers joining again'),
  differentiation: nonNegative.default(0.1).describe('taste cost per tick per unit of distance to a platform\'s position'),
  switchRate: nonNegative.default(0.05).describe('hazard of reviewing one\'s platform (single-homing)'),
  switchingCost: nonNegative.default(0.05).describe('utility given up by moving to another platform'),
  multiHoming: z.boolean().default(false).describe('may a customer hold several memberships'),
  multiHomingCost: nonNegative.default(0).describe('per tick, for each membership while holding two or more'),
  qualityWeightMin: nonNegative.default(0.5),
  qualityWeightMax: nonNegative.default(1.5),
  searchDepth: z.number().int().min(1).max(32).default(5),
  choiceNoise: nonNegative.default(0.1).describe('scale of the Gumbel noise in the choice among candidates'),
  ratingProbability: share.default(0.3),
  ratingNoise: nonNegative.default(0.1),
  tieProbability: share.default(0.3).describe('chance that a match forms an off-platform relationship'),
  segments: z.array(segmentSchema).max(16).default([]).describe('customer segments with their shares and overrides; none = one segment, "all"'),
});

export const partnersSchema = z.strictObject({
  count: count.default(500),
  p: nonNegative.default(0.02),
  q: nonNegative.default(0.2),
  qualityAlpha: positive.default(4),
  qualityBeta: positive.default(2),
  costMin: nonNegative.default(0.3),
  costMax: nonNegative.default(0.9),
  markup: nonNegative.default(0.5),
  passThrough: share.default(0.5).describe('share of the commission partners pass into their price'),
  capacity: z.number().int().min(1).default(20).describe('needs served per tick'),
  fixedCost: nonNegative.default(0.5).describe('per tick while on a platform'),
  temperature: positive.default(0.2).describe('noise in the entry decision'),
  entryRate: share.default(0.1).describe('most an aware partner applies per tick'),
  profitMemory: share.default(0.2),
  exitThreshold: z.number().default(0),
  patience: z.number().int().min(1).max(1_000_000).default(10),
  churnBase: nonNegative.default(0.005).describe('hazard of leaving a platform for reasons outside the model (life events, other work)'),
  reentryDelay: count.max(1_000_000).default(26).describe('ticks a partner who left waits before it applies again'),
  serviceNoise: nonNegative.default(0.1),
  leakPropensityMean: z.number().min(0).max(0.5).default(0.3),
  leakTemperature: positive.default(0.1),
  familiarityScale: positive.default(5),
  initialShare: share.default(0),
  initialAware: share.default(0),
  multiHoming: z.boolean().default(true).describe('may a partner join several platforms'),
});

export const networkSchema = z.strictObject({
  type: z.enum(['meanfield', 'smallworld', 'scalefree']).default('smallworld'),
  degree: z.number().int().min(2).default(10).describe('small-world: neighbours per customer (even)'),
  rewire: share.default(0.1).describe('small-world: rewiring probability'),
  m: z.number().int().min(1).default(3).describe('scale-free: links per new customer'),
});

export const effectsSchema = z.strictObject({
  sameSide: z.number().default(0.05).describe('βss: weight of the member share in utility'),
  crossSide: z.number().default(1.0).describe('βcs: weight of the cross-side benefit in utility'),
  halfSaturation: positive.default(50).describe('partners at which the public cross-side signal is one half'),
});

export const EXPERIMENT_METRICS = ['matches', 'gmv', 'revenue', 'customerValue', 'partnerValue', 'retained'] as const;
export type ExperimentMetric = (typeof EXPERIMENT_METRICS)[number];

export const experimentSchema = z.strictObject({
  name: itemName,
  platform: z.union([z.string().min(1), z.number().int().min(0)]).default(0),
  start: tick.describe('first tick of the test'),
  duration: z.number().int().min(1).describe('ticks the test runs'),
  unit: z.enum(['customers', 'partners']).default('customers').describe('what is randomized'),
  share: z.number().gt(0).lt(1).default(0.5).describe('probability that a unit is treated, in (0, 1)'),
  set: z
    .strictObject({
      customerFee: optionalPolicy('customerFee'),
      subscription: optionalPolicy('subscription'),
      couponValue: optionalPolicy('couponValue'),
      takeRate: optionalPolicy('takeRate'),
      listingFee: optionalPolicy('listingFee'),
      partnerSubsidy: optionalPolicy('partnerSubsidy'),
      promotionBoost: optionalPolicy('promotionBoost'),
    })
    .refine((o) => Object.keys(o).length > 0, { message: 'set at least one policy key' })
    .describe('the treated policy: customerFee, subscription, couponValue for customers; takeRate, listingFee, partnerSubsidy, promotionBoost for partners'),
  metric: z.enum(EXPERIMENT_METRICS).default('matches').describe('per-unit outcome summed over the test'),
  segment: z.string().min(1).optional().describe('limits a customer test to one segment'),
  decision: z.enum(['none', 'adopt', 'adoptIfBetter']).default('none'),
  direction: z.enum(['raise', 'lower']).default('raise').describe('for adoptIfBetter: is the metric one to raise or to lower'),
});

export const MAX_PLATFORMS = 8;

export const scenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1).default('scenario'),
  description: z.string().default(''),
  ticks: z.number().int().min(1).max(1_000_000).default(260),
  dt: z.number().gt(0).max(10).default(1).describe('length of a tick in the unit of the hazards'),
  seed: z.number().int().min(0).max(4294967295).default(42),
  tipShare: z.number().gt(0).max(1).default(0.5).describe('customer share that counts as tipped'),
  customers: customersSchema.prefault({}),
  partners: partnersSchema.prefault({}),
  network: networkSchema.prefault({}),
  effects: effectsSchema.prefault({}),
  platforms: z.array(platformSchema).min(1).max(MAX_PLATFORMS).prefault([{}]),
  schedule: z.array(scheduleEntrySchema).default([]),
  rules: z.array(ruleSchema).default([]),
  shocks: z.array(shockSchema).default([]),
  experiments: z.array(experimentSchema).default([]).describe('in-market A/B tests of the platforms (section 10.2)'),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
type Parsed = z.output<typeof scenarioSchema>;
export type Policy = z.output<typeof policySchema>;
export type SegmentPolicy = z.output<typeof segmentPolicySchema>;
/** Segment name → the customer-facing policies that differ from the platform's. */
export type SegmentPolicies = Record<string, SegmentPolicy>;
export type PolicyPatch = Partial<Policy> & { segmentPolicies?: SegmentPolicies };
export type SegmentConfig = z.output<typeof segmentSchema>;
export type PolicyKey = keyof Policy;
export type Shock = z.output<typeof shockSchema>;
export type CustomersConfig = Parsed['customers'];
export type PartnersConfig = Parsed['partners'];
export type NetworkConfig = Parsed['network'];
export type EffectsConfig = Parsed['effects'];

/** A platform with its name and position filled in. */
export type PlatformConfig = Omit<Parsed['platforms'][number], 'name' | 'position'> & { name: string; position: number };
export interface ScheduleEntry { at: number; platform: number; set: PolicyPatch }
/** An in-market experiment with its platform resolved to an index and its set validated for its unit. */
export interface ExperimentConfig {
  name: string;
  platform: number;
  start: number;
  duration: number;
  unit: 'customers' | 'partners';
  share: number;
  set: Partial<Record<SegmentPolicyKey | PartnerTestKey, number>>;
  metric: ExperimentMetric;
  /** The segment a customer test is limited to, or null for every customer. */
  segment: string | null;
  decision: 'none' | 'adopt' | 'adoptIfBetter';
  direction: 'raise' | 'lower';
}
export interface Rule { when: string; platform: number; set: PolicyPatch; once: boolean }

/** A fully resolved scenario: every default filled in, platform references turned into indices. */
export interface Scenario extends Omit<Parsed, 'platforms' | 'schedule' | 'rules' | 'shocks' | 'experiments' | '$schema'> {
  platforms: PlatformConfig[];
  schedule: ScheduleEntry[];
  rules: Rule[];
  shocks: ResolvedShock[];
  experiments: ExperimentConfig[];
}

export type ResolvedShock =
  | { type: 'partnerOutage'; at: number; duration: number; share: number }
  | { type: 'demand'; at: number; duration: number; factor: number }
  | { type: 'entrant'; at: number; platform: number };

export const POLICY_KEYS = Object.keys(policyShape) as PolicyKey[];
