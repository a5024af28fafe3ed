import type { Scenario } from '../sim/scenario/schema.js';
import { priceFactor, riskPremium } from './economics.js';
import type { PricingGroups } from './pricingGroups.js';
import type { PlatformState } from './state.js';

// The public signals of one tick, per platform (docs/model.md sections 1 and 3.3): frozen at the
// start of the tick, read by every customer decision, and sent once a tick to worker threads.
// What a customer pays depends on its group (its segment, and whether an experiment treats it,
// section 10): those signals are per (group, platform), at group * platforms + platform; what a
// partner is charged, per (partner group, platform) likewise. Without segments and experiments
// there is one group of each, and index k is platform k.

export class PlatformSignals {
  /** 1 while the platform is launched and has not failed. */
  readonly open: Float64Array;
  /** u0 + βss x: multiplied by the customer's valuation. */
  readonly base: Float64Array;
  /** A = n_p / (n_p + halfSaturation). */
  readonly availability: Float64Array;
  /** Last tick's mean displayed rating of the listed partners. */
  readonly meanRating: Float64Array;
  /** (group, platform): last tick's mean price times (1 + customerFee + risk premium), less the coupon. */
  readonly dealCost: Float64Array;
  /** (group, platform): 1 + customerFee + risk premium: how a customer weighs a price when judging a deal. */
  readonly priceWeight: Float64Array;
  /** (group, platform): the coupon paid while the budget lasts (0 when it is spent). */
  readonly coupon: Float64Array;
  /** (group, platform) */
  readonly subscription: Float64Array;
  /** (group, platform) */
  readonly customerFee: Float64Array;
  readonly position: Float64Array;
  /** (partner group, platform): p_jk / p_j. */
  readonly priceFactor: Float64Array;
  /** (partner group, platform) */
  readonly takeRate: Float64Array;
  /** (partner group, platform) */
  readonly promotionBoost: Float64Array;

  constructor(platforms: number, groups = 1, partnerGroups = 1) {
    const perGroup = groups * platforms;
    const perPartnerGroup = partnerGroups * platforms;
    this.open = new Float64Array(platforms);
    this.base = new Float64Array(platforms);
    this.availability = new Float64Array(platforms);
    this.meanRating = new Float64Array(platforms);
    this.dealCost = new Float64Array(perGroup);
    this.priceWeight = new Float64Array(perGroup);
    this.coupon = new Float64Array(perGroup);
    this.subscription = new Float64Array(perGroup);
    this.customerFee = new Float64Array(perGroup);
    this.position = new Float64Array(platforms);
    this.priceFactor = new Float64Array(perPartnerGroup);
    this.takeRate = new Float64Array(perPartnerGroup);
    this.promotionBoost = new Float64Array(perPartnerGroup);
  }

  update(platforms: readonly PlatformState[], s: Scenario, groups: PricingGroups): void {
    const P = platforms.length;
    for (const pl of platforms) {
      const k = pl.index;
      const pol = pl.policy;
      this.open[k] = pl.open ? 1 : 0;
      this.base[k] = pl.u0 + s.effects.sameSide * pl.share;
      this.availability[k] = pl.availability;
      this.meanRating[k] = pl.listedRating;
      this.position[k] = pl.position;
      const funded = pl.budget > 0;
      for (let g = 0; g < groups.customerGroups; g++) {
        const c = groups.customerPolicy(pl, g);
        const weight = 1 + c.customerFee + riskPremium(groups.riskAversion(g), pol.trust);
        const at = g * P + k;
        this.dealCost[at] = pl.listedPrice * weight - (funded ? c.couponValue : 0);
        this.priceWeight[at] = weight;
        this.coupon[at] = funded ? c.couponValue : 0;
        this.subscription[at] = c.subscription;
        this.customerFee[at] = c.customerFee;
      }
      for (let h = 0; h < groups.partnerGroups; h++) {
        const terms = groups.partnerPolicy(pl, h);
        const take = terms.takeRate;
        this.takeRate[h * P + k] = take;
        this.promotionBoost[h * P + k] = terms.promotionBoost;
        this.priceFactor[h * P + k] = h === 0 ? pl.priceFactor : priceFactor(s.partners.passThrough, take);
      }
    }
  }

  /** Takes the values of another thread's signals (see shardPhases.ts). */
  copyFrom(o: PlatformSignalArrays): void {
    for (const key of SIGNAL_KEYS) this[key].set(o[key]);
  }

  arrays(): PlatformSignalArrays {
    const out = {} as Record<SignalKey, Float64Array>;
    for (const key of SIGNAL_KEYS) out[key] = this[key];
    return out;
  }
}

type SignalKey = { [K in keyof PlatformSignals]: PlatformSignals[K] extends Float64Array ? K : never }[keyof PlatformSignals];
export type PlatformSignalArrays = Readonly<Record<SignalKey, Float64Array>>;
const SIGNAL_KEYS = Object.keys(new PlatformSignals(0)) as SignalKey[];
