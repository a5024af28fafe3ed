// The money and utility of the model's decisions, each formula in one place (docs/model.md
// sections 2, 3.3, 3.5 and 3.6). Small enough that the optimizer inlines them into the hot loops.

/** p_jk / p_j: partners pass `passThrough` of the commission into their price (section 2). */
export function priceFactor(passThrough: number, takeRate: number): number {
  return 1 + (passThrough * takeRate) / (1 - takeRate);
}

/** What the partner keeps of a sale on the platform (section 3.6). */
export function partnerMargin(price: number, takeRate: number, unitCost: number): number {
  return price * (1 - takeRate) - unitCost;
}

/** What the platform earns on a sale: the take rate on the partner and the fee on the customer (section 3.6). */
export function commission(price: number, takeRate: number, customerFee: number): number {
  return price * (takeRate + customerFee);
}

/** The customer's surplus of a deal of realized quality r (section 3.6); off the platform fee and coupon are 0. */
export function customerSurplus(value: number, quality: number, price: number, customerFee: number, coupon: number): number {
  return value * quality - price * (1 + customerFee) + coupon;
}

/** Risk premium, as a share of the price, of dealing with a partner on a platform of this trust (section 3.3). */
export function riskPremium(riskAversion: number, trust: number): number {
  return riskAversion * (1 - trust);
}

/**
 * The certainty-equivalent surplus of a deal as the customer sees it before buying, quality judged
 * by the displayed rating (section 3.5): `priceWeight` is 1 + customerFee + risk premium. A deal is
 * worth taking when this is at least 0.
 */
export function expectedDealSurplus(value: number, rating: number, price: number, priceWeight: number, coupon: number): number {
  return value * rating - price * priceWeight + coupon;
}

/**
 * The surplus per need a non-member expects from a platform (section 3.3): availability times the
 * certainty-equivalent surplus of an average deal, never below not buying. `dealCost` is the mean
 * price times (1 + customerFee + risk premium), less the coupon.
 */
export function publicSurplus(availability: number, value: number, meanRating: number, dealCost: number): number {
  const s = value * meanRating - dealCost;
  return s > 0 ? availability * s : 0;
}

/**
 * Membership utility per tick (section 3.3): v (u0 + βss x) + βcs λ S - subscription - taste cost;
 * `base` is u0 + βss x, `crossValue` is βcs λ S. Join costs and multi-homing costs are the caller's.
 */
export function membershipUtility(value: number, base: number, crossValue: number, subscription: number, tasteCost: number): number {
  return value * base + crossValue - subscription - tasteCost;
}

/** A customer's experience after a need: an exponential average of the surplus per need (section 3.6). */
export function nextExperience(experience: number, memory: number, surplus: number): number {
  return (1 - memory) * experience + memory * surplus;
}
