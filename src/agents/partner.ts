import { beta, normal, type Rng } from '../sim/random.js';
import type { Scenario } from '../sim/scenario/schema.js';
import { choiceProbability, hazardProbability, perTick } from './choice.js';
import { partnerMargin, priceFactor } from './economics.js';
import type { EcosystemState, Partners, PlatformState } from './state.js';
import { WARM_TICKS } from './warmTicks.js';

// Partners: their state, awareness, entry, exit and promotion (docs/model.md sections 2, 3.2, 3.4).

/** `group` lives in `memory`: worker threads price deals by it (section 10.2). */
export function createPartners(independent: number, house: number, platforms: number, group?: Uint8Array): Partners {
  const n = independent + house;
  const slots = n * platforms;
  return {
    n,
    independent,
    quality: new Float64Array(n),
    cost: new Float64Array(n),
    price: new Float64Array(n),
    leak: new Float64Array(n),
    owner: new Int8Array(n).fill(-1),
    member: new Uint8Array(n),
    aware: new Uint8Array(n),
    banned: new Uint8Array(n),
    outage: new Uint8Array(n),
    ratingCount: new Int32Array(n),
    ratingSum: new Float64Array(n),
    spare: new Int32Array(n),
    profitEma: new Float64Array(slots),
    lowTicks: new Int32Array(slots),
    blockedUntil: new Int32Array(slots),
    suspendedUntil: new Int32Array(slots),
    promoted: new Uint8Array(slots),
    sales: new Int32Array(slots),
    income: new Float64Array(slots),
    group: group ?? new Uint8Array(slots),
  };
}

/**
 * Draws qualities, costs and leak propensities; seeds aware and member partners; marks house
 * supply, `house[k]` partners for platform k after the independent ones (section 2).
 */
export function initPartners(p: Partners, s: Scenario, house: readonly number[], rng: Rng): void {
  const cfg = s.partners;
  const seedMembers = s.platforms[0]!.launchTick === 0;
  let owner = 0;
  let ownerLeft = house[0] ?? 0;
  for (let j = 0; j < p.n; j++) {
    p.quality[j] = beta(rng, cfg.qualityAlpha, cfg.qualityBeta);
    p.cost[j] = cfg.costMin + (cfg.costMax - cfg.costMin) * rng.next();
    p.price[j] = p.cost[j]! * (1 + cfg.markup);
    if (j < p.independent) {
      p.leak[j] = 2 * cfg.leakPropensityMean * rng.next();
      if (rng.next() < cfg.initialAware) p.aware[j] = 1;
      if (seedMembers && rng.next() < cfg.initialShare) {
        p.aware[j] = 1;
        p.member[j] = 1;
      }
      continue;
    }
    // House supply never leaks: the platform owns it.
    while (ownerLeft === 0) ownerLeft = house[++owner]!;
    p.owner[j] = owner;
    p.aware[j] = 1;
    ownerLeft--;
  }
}

/** Bass awareness among partners: p + q * (share of aware partners who are members) (section 3.2). */
export function partnerAwarenessPhase(st: EcosystemState): void {
  const p = st.partners;
  const { p: pp, q } = st.scenario.partners;
  let aware = 0;
  let members = 0;
  for (let j = 0; j < p.independent; j++) {
    if (p.aware[j] === 0) continue;
    aware++;
    if (p.member[j] !== 0) members++;
  }
  const prob = hazardProbability(pp + q * (aware > 0 ? members / aware : 0), st.scenario.dt);
  const rng = st.partnerRng;
  for (let j = 0; j < p.independent; j++) {
    if (p.aware[j] === 0 && rng.next() < prob) p.aware[j] = 1;
  }
}

/**
 * Expected profit of partner j on a platform (section 3.4), at its price on the platform:
 * min(κ, D / max(1, n_p)) * (p_jk (1 - takeRate) - c) - f - listingFee + partnerSubsidy.
 * `warm` (the warm-up ticks, warmTicks.ts): by the group's terms even in group 0, whose terms are
 * the platform's, so that the way a treated partner weighs its own is compiled from the start.
 */
export function expectedProfit(st: EcosystemState, j: number, pl: PlatformState, demandPerPartner: number, warm: boolean): number {
  const cfg = st.scenario.partners;
  const p = st.partners;
  const pol = pl.policy;
  const sales = Math.min(cfg.capacity, demandPerPartner);
  const h = p.group[j * st.platforms.length + pl.index]!;
  if (h !== 0 || warm) {
    // A partner treated by an experiment weighs its own terms (section 10.2).
    const t = st.groups.partnerPolicy(pl, h);
    const subsidy = pl.budget > 0 ? t.partnerSubsidy : 0;
    return sales * partnerMargin(p.price[j]! * priceFactor(cfg.passThrough, t.takeRate), t.takeRate, p.cost[j]!) - cfg.fixedCost - t.listingFee + subsidy;
  }
  return sales * partnerMargin(p.price[j]! * pl.priceFactor, pol.takeRate, p.cost[j]!) - cfg.fixedCost - pol.listingFee + pl.subsidy;
}

/** Exits (after `patience` ticks of low profit, or for outside reasons), then applications, screening and admission (section 3.4). */
export function entryExitPhase(st: EcosystemState, tick: number, demandPerPartner: Float64Array): void {
  const p = st.partners;
  const cfg = st.scenario.partners;
  const P = st.platforms.length;
  const rng = st.partnerRng;
  const outside = hazardProbability(cfg.churnBase, st.scenario.dt);
  const warm = tick < WARM_TICKS;
  for (let j = 0; j < p.independent; j++) {
    if (p.aware[j] === 0) continue;
    let m = p.member[j]!;
    for (let k = 0; k < P; k++) {
      const slot = j * P + k;
      if ((m & (1 << k)) === 0) continue;
      if (p.lowTicks[slot]! >= cfg.patience || (outside > 0 && rng.next() < outside)) {
        m &= ~(1 << k);
        leave(st, j, k, tick + cfg.reentryDelay);
      }
    }
    p.member[j] = m;
    if (m !== 0 && !cfg.multiHoming) continue;
    let bestK = -1;
    let bestGain = -Infinity;
    for (let k = 0; k < P; k++) {
      const pl = st.platforms[k]!;
      if (!pl.open || (m & (1 << k)) !== 0 || (p.banned[j]! & (1 << k)) !== 0) continue;
      if (p.blockedUntil[j * P + k]! > tick) continue;
      const gain = expectedProfit(st, j, pl, demandPerPartner[k]!, warm) - pl.policy.entryCost;
      if (gain > bestGain) {
        bestGain = gain;
        bestK = k;
      }
    }
    if (bestK < 0) continue;
    const prob = perTick(cfg.entryRate * choiceProbability(bestGain, cfg.temperature), st.scenario.dt);
    if (rng.next() >= prob) continue;
    const pl = st.platforms[bestK]!;
    if (!passesScreening(st, j, pl, rng)) {
      p.blockedUntil[j * P + bestK] = tick + cfg.reentryDelay;
      continue;
    }
    admit(st, j, bestK);
  }
}

/** Curation: the platform sees quality with noise and admits at or above its threshold (section 3.4). */
function passesScreening(st: EcosystemState, j: number, pl: PlatformState, rng: Rng): boolean {
  const pol = pl.policy;
  if (pol.qualityThreshold <= 0) return true;
  pl.tally.screening += pol.screeningCost;
  pl.tally.realCost += pol.screeningCost;
  return st.partners.quality[j]! + pol.screeningNoise * normal(rng) >= pol.qualityThreshold;
}

export function admit(st: EcosystemState, j: number, k: number): void {
  const p = st.partners;
  const slot = j * st.platforms.length + k;
  p.member[j]! |= 1 << k;
  p.profitEma[slot] = 0;
  p.lowTicks[slot] = 0;
  const pl = st.platforms[k]!;
  pl.partners++;
  pl.tally.partnerEntries++;
}

/** Removes partner j from platform k; it may not apply there again before `blockedUntil`. */
export function leave(st: EcosystemState, j: number, k: number, blockedUntil: number): void {
  const p = st.partners;
  const slot = j * st.platforms.length + k;
  p.member[j]! &= ~(1 << k);
  p.blockedUntil[slot] = blockedUntil;
  p.profitEma[slot] = 0;
  p.lowTicks[slot] = 0;
  p.promoted[slot] = 0;
  const pl = st.platforms[k]!;
  pl.partners--;
  pl.tally.partnerExits++;
}

/**
 * Under promoted ranking a member buys promotion when the extra sales it expects from the boost
 * pay for the fee (section 3.5): the same expected-profit reasoning as entry.
 */
export function promotionPhase(st: EcosystemState, demandPerPartner: Float64Array): void {
  const p = st.partners;
  const P = st.platforms.length;
  const cap = st.scenario.partners.capacity;
  for (const pl of st.platforms) {
    const pol = pl.policy;
    const k = pl.index;
    const on = pol.ranking === 'promoted' && pl.open;
    const d = demandPerPartner[k]!;
    const lift = Math.min(cap, (1 + pol.promotionBoost) * d) - Math.min(cap, d);
    for (let j = 0; j < p.independent; j++) {
      const slot = j * P + k;
      if (!on || (p.member[j]! & (1 << k)) === 0) {
        p.promoted[slot] = 0;
        continue;
      }
      const h = p.group[slot]!;
      if (h !== 0) {
        // A treated partner's take rate, price and boost (section 10.2).
        const t = st.groups.partnerPolicy(pl, h);
        const own = Math.min(cap, (1 + t.promotionBoost) * d) - Math.min(cap, d);
        const m = partnerMargin(p.price[j]! * priceFactor(st.scenario.partners.passThrough, t.takeRate), t.takeRate, p.cost[j]!);
        p.promoted[slot] = own * m >= pol.promotionFee ? 1 : 0;
        continue;
      }
      const margin = partnerMargin(p.price[j]! * pl.priceFactor, pol.takeRate, p.cost[j]!);
      p.promoted[slot] = lift * margin >= pol.promotionFee ? 1 : 0;
    }
  }
}
