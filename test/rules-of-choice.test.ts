import { describe, expect, it } from 'vitest';
import { choiceProbability, hazardProbability, perTick } from '../src/agents/choice.js';
import { familiarity, leakProbability } from '../src/agents/disintermediation.js';
import { scenario } from './helpers.js';

const policy = scenario().platforms[0]!;

describe('decision rules', () => {
  it('logit choice tends to the step rule as the temperature goes to zero', () => {
    expect(choiceProbability(0.01, 0)).toBe(1);
    expect(choiceProbability(-0.01, 0)).toBe(0);
    expect(choiceProbability(0, 0)).toBe(1);
    expect(choiceProbability(0, 0.1)).toBeCloseTo(0.5, 12);
    expect(choiceProbability(1, 0.1)).toBeGreaterThan(0.9999);
  });

  it('per-tick probabilities keep their rate when ticks shrink', () => {
    // Ten ticks of length 0.1 compound to the probability of one tick of length 1.
    for (const p of [0.01, 0.3, 0.9]) {
      expect(1 - (1 - perTick(p, 0.1)) ** 10).toBeCloseTo(p, 12);
      expect(1 - (1 - hazardProbability(p, 0.1)) ** 10).toBeCloseTo(hazardProbability(p, 1), 10);
    }
    // The series used for small hazards agrees with the exponential.
    for (let x = 1e-6; x < 0.06; x *= 1.3) expect(Math.abs(hazardProbability(x, 1) - -Math.expm1(-x))).toBeLessThan(1e-12);
    expect(perTick(0.3, 1)).toBe(0.3);
  });

  it('leakage rises with familiarity and the take rate, falls with value added and deterrence', () => {
    const at = (over: Partial<typeof policy>, h = 3) => {
      const pol = { ...policy, ...over };
      return leakProbability(0.5, 1, pol, h, 5, 0.1, pol.takeRate, pol.customerFee);
    };
    expect(familiarity(0, 5, 0)).toBe(0);
    expect(familiarity(5, 5, 0)).toBe(0.5);
    // Portable trust stands in for the pair's own history (section 4): half of it halves the rest.
    expect(familiarity(0, 5, 0.5)).toBe(0.5);
    expect(familiarity(5, 5, 0.5)).toBe(0.75);
    expect(at({ trust: 1, trustPortability: 1 }, 0)).toBeGreaterThan(at({ trust: 0 }, 0));
    expect(at({}, 10)).toBeGreaterThan(at({}, 1));
    expect(at({ takeRate: 0.3 })).toBeGreaterThan(at({ takeRate: 0.1 }));
    expect(at({ valueAdd: 0.4 })).toBeLessThan(at({ valueAdd: 0.1 }));
    expect(at({ detection: 0.5, penalty: 0.5 })).toBeLessThan(at({}));
    // The propensity bounds it.
    expect(at({ takeRate: 0.99 })).toBeLessThanOrEqual(0.5);
  });
});
