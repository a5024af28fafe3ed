import type { Policy } from '../sim/scenario/schema.js';
import { logistic } from './choice.js';
import { commission } from './economics.js';

// Disintermediation (docs/model.md section 4): a tied pair weighs the fee it would save against
// what the platform's trust services are still worth to it and the expected penalty.

/**
 * Familiarity of a pair that has shared `h` transactions, on a platform whose trust it carries off
 * in part (`portableTrust` = trustPortability * trust): the platform protects them less as it grows.
 */
export function familiarity(h: number, scale: number, portableTrust: number): number {
  return 1 - (1 - h / (h + scale)) * (1 - portableTrust);
}

/**
 * Probability that a tied pair with a new need takes it off the platform; `price` is the price on
 * the platform, `takeRate` and `customerFee` those the pair would pay there (their groups', section 10).
 */
export function leakProbability(
  propensity: number,
  price: number,
  policy: Policy,
  shared: number,
  familiarityScale: number,
  temperature: number,
  takeRate: number,
  customerFee: number,
): number {
  const saving = commission(price, takeRate, customerFee);
  const protection = policy.valueAdd * price * (1 - familiarity(shared, familiarityScale, policy.trustPortability * policy.trust));
  const deterrence = policy.detection * policy.penalty;
  return propensity * logistic((saving - protection - deterrence) / temperature);
}
