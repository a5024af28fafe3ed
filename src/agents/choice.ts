// Discrete-choice helpers shared by the decision rules (docs/model.md section 3).

export function logistic(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/**
 * Probability of acting under utility `u`: logit with the given temperature, the step rule
 * `u >= 0` at zero temperature.
 */
export function choiceProbability(u: number, temperature: number): number {
  if (temperature === 0) return u >= 0 ? 1 : 0;
  return logistic(u / temperature);
}

/**
 * A per-tick probability stated for ticks of length 1, for ticks of length `dt`: the event's
 * rate is kept, so results converge as dt shrinks (docs/model.md section 1).
 */
export function perTick(prob: number, dt: number): number {
  if (dt === 1 || prob <= 0) return prob;
  if (prob >= 1) return 1;
  return 1 - Math.pow(1 - prob, dt);
}

/** Probability of an event with the given hazard within one tick of length `dt`. */
export function hazardProbability(hazard: number, dt: number): number {
  const x = hazard * dt;
  if (x <= 0) return 0;
  // For the small hazards of churn, a series that is exact to 1e-12 and far cheaper than exp.
  if (x < 0.05) return x * (1 - x * (1 / 2 - x * (1 / 6 - x * (1 / 24 - x * (1 / 120 - x / 720)))));
  return 1 - Math.exp(-x);
}

/**
 * The least hazard x dt from which hazardBound can stand in for hazardProbability: from there on
 * the probability is far above the rounding of 1 - p, so an event is possible (p > 0 and 1 - p < 1).
 */
export const BOUNDED_HAZARD = 2 ** -50;

/**
 * An upper bound of hazardProbability(hazard, dt) that costs no series and no exponential:
 * 1 - e^-x <= x, and both ways of working it out above round no higher than x. A uniform at or
 * above it is at or above the probability, which then need not be worked out.
 */
export function hazardBound(hazard: number, dt: number): number {
  return hazard * dt;
}
