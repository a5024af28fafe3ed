import type { Scenario } from '../sim/scenario/schema.js';
import { riskPremium } from './economics.js';
import type { PlatformState } from './state.js';

// The public signals of one tick, per platform (docs/model.md sections 1 and 3.3): frozen at the
// start of the tick, read by every customer decision, and sent once a tick to worker threads.

export class PlatformSignals {
  /** 1 while the platform is launched and has not failed. */
  readonly open: Float64Array;
  /** u0 + βss x: multiplied by the customer's valuation. */
  readonly base: Float64Array;
  /** A = n_p / (n_p + halfSaturation). */
  readonly availability: Float64Array;
  /** Last tick's mean displayed rating of the listed partners. */
  readonly meanRating: Float64Array;
  /** Last tick's mean price times (1 + customerFee + risk premium), less the coupon. */
  readonly dealCost: Float64Array;
  /** 1 + customerFee + risk premium: how a customer weighs a price when judging a deal. */
  readonly priceWeight: Float64Array;
  readonly coupon: Float64Array;
  readonly subscription: Float64Array;
  readonly position: Float64Array;
  /** p_jk / p_j. */
  readonly priceFactor: Float64Array;

  constructor(platforms: number) {
    this.open = new Float64Array(platforms);
    this.base = new Float64Array(platforms);
    this.availability = new Float64Array(platforms);
    this.meanRating = new Float64Array(platforms);
    this.dealCost = new Float64Array(platforms);
    this.priceWeight = new Float64Array(platforms);
    this.coupon = new Float64Array(platforms);
    this.subscription = new Float64Array(platforms);
    this.position = new Float64Array(platforms);
    this.priceFactor = new Float64Array(platforms);
  }

  update(platforms: readonly PlatformState[], s: Scenario): void {
    for (const pl of platforms) {
      const k = pl.index;
      const pol = pl.policy;
      const weight = 1 + pol.customerFee + riskPremium(s.customers.riskAversion, pol.trust);
      this.open[k] = pl.open ? 1 : 0;
      this.base[k] = pl.u0 + s.effects.sameSide * pl.share;
      this.availability[k] = pl.availability;
      this.meanRating[k] = pl.listedRating;
      this.dealCost[k] = pl.listedPrice * weight - pl.coupon;
      this.priceWeight[k] = weight;
      this.coupon[k] = pl.coupon;
      this.subscription[k] = pol.subscription;
      this.position[k] = pl.position;
      this.priceFactor[k] = pl.priceFactor;
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
