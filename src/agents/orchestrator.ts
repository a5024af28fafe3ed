import { evaluateCondition, parseCondition } from '../sim/condition.js';
import { isMetricName, type MetricRow } from '../sim/metrics.js';
import type { PlatformConfig, PolicyPatch, Scenario } from '../sim/scenario/schema.js';
import { priceFactor } from './economics.js';
import { partnersTreated } from './experimentRun.js';
import { admit, leave } from './partner.js';
import { displayedRating } from './ranking.js';
import type { CompiledRule, EcosystemState, PlatformState } from './state.js';
import { Tally } from './tally.js';

// Orchestrators: policies and their changes, governance and accounting (docs/model.md sections 3.1,
// 3.7, 3.8, 5 and 7).

export function createPlatform(cfg: PlatformConfig, index: number, houseStart: number, houseSlots: number): PlatformState {
  // The rest is a fresh object, built key by key: a spread copy would take a new hidden class per
  // run once its cache is full, and the phases reading the policy would lose their optimized code.
  const { name, launchTick, creditLine, cash, position, initialShare: _seeded, segmentPolicies, ...policy } = cfg;
  return {
    index,
    name,
    launchTick,
    creditLine,
    position,
    houseStart,
    houseSlots,
    houseActive: 0,
    policy,
    segmentPolicies: structuredClone(segmentPolicies),
    budget: policy.subsidyBudget ?? Infinity,
    cash,
    open: false,
    failedAt: null,
    cumulativeMatches: 0,
    customers: 0,
    partners: 0,
    lastDemand: 0,
    tally: new Tally(),
    share: 0,
    availability: 0,
    u0: policy.u0,
    coupon: 0,
    subsidy: 0,
    priceFactor: 1,
    listedRating: policy.ratingPrior,
    listedPrice: 0,
    listed: 0,
  };
}

export function compileRules(s: Scenario): CompiledRule[] {
  return s.rules.map((r) => ({
    platform: r.platform,
    condition: parseCondition(r.when, (n) => isMetricName(n) || n === 'tick'),
    set: r.set,
    once: r.once,
    fired: false,
  }));
}

function applyPolicy(pl: PlatformState, patch: PolicyPatch): void {
  const { segmentPolicies, ...set } = patch;
  Object.assign(pl.policy, set);
  // A segment's policy changes key by key: what the patch does not name stays (section 10.1).
  if (segmentPolicies) for (const [name, own] of Object.entries(segmentPolicies)) pl.segmentPolicies[name] = { ...pl.segmentPolicies[name], ...own };
  // Setting the budget sets what is left to spend from now on.
  if ('subsidyBudget' in set) pl.budget = set.subsidyBudget ?? Infinity;
}

/** Launches, then scheduled changes, then rules on last tick's metrics (section 3.1). */
export function policyPhase(st: EcosystemState, tick: number): void {
  for (const pl of st.platforms) {
    pl.tally.reset();
    if (tick === pl.launchTick && pl.failedAt === null) launch(st, pl);
  }
  for (const e of st.scenario.schedule) if (e.at === tick) applyPolicy(st.platforms[e.platform]!, e.set);
  if (tick > 0) {
    for (const rule of st.rules) {
      if (rule.once && rule.fired) continue;
      const row = st.lastRows[rule.platform]!;
      const holds = evaluateCondition(rule.condition, (n) => (n === 'tick' ? tick : row[n as keyof MetricRow] as number));
      if (!holds) continue;
      applyPolicy(st.platforms[rule.platform]!, rule.set);
      rule.fired = true;
    }
  }
  for (const pl of st.platforms) if (pl.open) matchHouseSupply(st, pl);
}

/** House supply follows the policy at once (section 3.4): the next house partners admitted, the last ones retired. */
function matchHouseSupply(st: EcosystemState, pl: PlatformState): void {
  const target = Math.min(pl.policy.houseSupply, pl.houseSlots);
  while (pl.houseActive < target) admit(st, pl.houseStart + pl.houseActive++, pl.index);
  while (pl.houseActive > target) leave(st, pl.houseStart + --pl.houseActive, pl.index, 0);
}

function launch(st: EcosystemState, pl: PlatformState): void {
  pl.open = true;
  const p = st.partners;
  const bit = 1 << pl.index;
  // Members seeded at the start count from the launch.
  for (let j = 0; j < p.independent; j++) if ((p.member[j]! & bit) !== 0) pl.partners++;
  const c = st.customers;
  const P = st.platforms.length;
  for (let i = 0; i < c.n; i++) {
    if ((c.member[i]! & bit) === 0) continue;
    pl.customers++;
    st.segmentCustomers[c.segment[i]! * P + pl.index]!++;
  }
}

/** Supply outages and demand shocks in force this tick (section 5). */
export function shockPhase(st: EcosystemState, tick: number, outages: Map<number, Int32Array> = st.outages): void {
  let factor = 1;
  const p = st.partners;
  st.scenario.shocks.forEach((sh, n) => {
    if (sh.type === 'demand') {
      if (tick >= sh.at && tick < sh.at + sh.duration) factor *= sh.factor;
    } else if (sh.type === 'partnerOutage') {
      if (tick === sh.at) {
        const hit: number[] = [];
        for (let j = 0; j < p.n; j++) if (st.platformRng.next() < sh.share) hit.push(j);
        const list = Int32Array.from(hit);
        outages.set(n, list);
        for (const j of list) p.outage[j]!++;
      } else if (tick === sh.at + sh.duration) {
        for (const j of outages.get(n) ?? []) p.outage[j]!--;
        outages.delete(n);
      }
    }
  });
  st.demandFactor = factor;
}

/** The public signals every decision of the tick reads (sections 2, 3.3 and 5). */
export function signalPhase(st: EcosystemState, demandPerPartner: Float64Array): void {
  const n = st.customers.n;
  const half = st.scenario.effects.halfSaturation;
  const p = st.partners;
  for (const pl of st.platforms) {
    const pol = pl.policy;
    pl.share = n > 0 ? pl.customers / n : 0;
    pl.availability = pl.partners / (pl.partners + half);
    pl.priceFactor = priceFactor(st.scenario.partners.passThrough, pol.takeRate);
    if (pl.listed === 0) {
      // Nothing listed last tick: customers judge by the rating prior and the mean price of all partners.
      let sum = 0;
      for (let j = 0; j < p.n; j++) sum += p.price[j]!;
      pl.listedRating = pol.ratingPrior;
      pl.listedPrice = p.n > 0 ? (sum / p.n) * pl.priceFactor : 0;
    }
    pl.u0 = pol.u0 + pol.learningGain * (1 - Math.exp(-pl.cumulativeMatches / pol.learningScale));
    const funded = pl.budget > 0;
    pl.coupon = funded ? pol.couponValue : 0;
    pl.subsidy = funded ? pol.partnerSubsidy : 0;
    demandPerPartner[pl.index] = pl.lastDemand / Math.max(1, pl.partners);
  }
  const cap = st.scenario.partners.capacity;
  for (let j = 0; j < p.n; j++) p.spare[j] = p.outage[j] !== 0 ? 0 : cap;
}

/** Deactivation of poor performers (section 3.7): removed and barred from that platform for good. */
export function governancePhase(st: EcosystemState): void {
  const p = st.partners;
  for (const pl of st.platforms) {
    const pol = pl.policy;
    if (!pl.open || pol.minRating <= 0) continue;
    const bit = 1 << pl.index;
    for (let j = 0; j < p.independent; j++) {
      if ((p.member[j]! & bit) === 0 || p.ratingCount[j]! < pol.minRatings) continue;
      if (displayedRating(p, j, pol.ratingPrior, pol.ratingPriorWeight) >= pol.minRating) continue;
      leave(st, j, pl.index, Number.MAX_SAFE_INTEGER);
      p.banned[j]! |= bit;
    }
  }
}

/**
 * Partner charges and subsidies, profit memories, platform costs, cash and failure (sections 3.4,
 * 3.8 and 7). Returns the per-partner statistics the metric rows need.
 */
export function accountingPhase(st: EcosystemState, tick: number): void {
  const p = st.partners;
  const cfg = st.scenario.partners;
  const P = st.platforms.length;
  const f = cfg.fixedCost;
  for (const pl of st.platforms) {
    const k = pl.index;
    const t = pl.tally;
    const pol = pl.policy;
    if (!pl.open) continue;
    const bit = 1 << k;
    // Subsidies shared equally when the budget cannot pay them all.
    let independentMembers = 0;
    for (let j = 0; j < p.independent; j++) if ((p.member[j]! & bit) !== 0) independentMembers++;
    // Per partner only while a test treats some of this platform's partners: otherwise all are alike.
    const grouped = partnersTreated(st, k);
    let due = pl.subsidy * independentMembers;
    if (grouped) {
      // Partners treated by an experiment may have a subsidy of their own (section 10.2).
      due = 0;
      for (let j = 0; j < p.independent; j++) if ((p.member[j]! & bit) !== 0) due += subsidyOf(st, pl, j);
    }
    const paidShare = due > 0 ? Math.min(due, pl.budget) / due : 0;
    const perPartner = due > 0 ? Math.min(due, pl.budget) / independentMembers : 0;
    for (let j = 0; j < p.n; j++) {
      if ((p.member[j]! & bit) === 0) continue;
      const slot = j * P + k;
      t.realCost += f;
      if (p.owner[j]! >= 0) {
        t.houseCosts += f;
        continue;
      }
      const h = grouped ? p.group[slot]! : 0;
      const listingFee = h === 0 ? pol.listingFee : st.groups.partnerPolicy(pl, h).listingFee;
      const subsidy = grouped ? subsidyOf(st, pl, j) * paidShare : perPartner;
      const promo = p.promoted[slot] ? pol.promotionFee : 0;
      const charges = f + listingFee + promo;
      const profit = p.income[slot]! - charges + subsidy;
      t.listingFees += listingFee;
      t.fees += promo;
      t.partnerSubsidies += subsidy;
      t.partnerNet += subsidy - charges;
      const ema = (1 - cfg.profitMemory) * p.profitEma[slot]! + cfg.profitMemory * profit;
      p.profitEma[slot] = ema;
      p.lowTicks[slot] = ema < cfg.exitThreshold ? p.lowTicks[slot]! + 1 : 0;
      p.income[slot] = profit;
    }
    if (pl.budget !== Infinity) pl.budget = Math.max(0, pl.budget - t.partnerSubsidies);
    t.fixedCost = pol.fixedCost;
    t.memberCosts = pol.costPerCustomer * pl.customers + pol.costPerPartner * pl.partners;
    t.enforcement = pol.detection > 0 ? pol.enforcementCost : 0;
    t.trustCosts = pol.trustCost * pol.trust;
    t.realCost += t.fixedCost + t.memberCosts + t.enforcement + t.trustCosts;
    pl.cash += revenueOf(t) - orchestrationCostOf(t);
    pl.lastDemand = t.matches + t.unmet + t.declined;
    pl.cumulativeMatches += t.matches;
    if (pl.creditLine !== null && pl.cash < -pl.creditLine) fail(st, pl, tick);
  }
}

/** The subsidy due to independent partner j on pl this tick, by its partner group (0 once the budget is spent). */
function subsidyOf(st: EcosystemState, pl: PlatformState, j: number): number {
  if (pl.budget <= 0) return 0;
  const h = st.partners.group[j * st.platforms.length + pl.index]!;
  return h === 0 ? pl.policy.partnerSubsidy : st.groups.partnerPolicy(pl, h).partnerSubsidy;
}

export function revenueOf(t: Tally): number {
  return t.commission + t.fees + t.subscriptions + t.listingFees + t.houseSales;
}

export function orchestrationCostOf(t: Tally): number {
  return (
    t.fixedCost + t.memberCosts + t.partnerSubsidies + t.coupons + t.screening + t.enforcement + t.trustServices + t.trustCosts + t.houseCosts
  );
}

/** A platform whose cash falls below its credit line stops: every member is let go (section 7). */
function fail(st: EcosystemState, pl: PlatformState, tick: number): void {
  pl.failedAt = tick;
  pl.open = false;
  const bit = 1 << pl.index;
  const c = st.customers;
  for (let i = 0; i < c.n; i++) c.member[i]! &= ~bit;
  const p = st.partners;
  for (let j = 0; j < p.n; j++) p.member[j]! &= ~bit;
  pl.customers = 0;
  for (let g = 0; g < st.segments.count; g++) st.segmentCustomers[g * st.platforms.length + pl.index] = 0;
  pl.partners = 0;
  pl.houseActive = 0;
}
