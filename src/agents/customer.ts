import type { Memory } from '../sim/memory.js';
import { normal } from '../sim/random.js';
import type { CustomersConfig, EffectsConfig, Scenario } from '../sim/scenario/schema.js';
import { choiceProbability, hazardProbability, perTick } from './choice.js';
import { addNeed, needProbability } from './matching.js';
import type { Graph } from './network.js';
import type { Customers, EcosystemState, PlatformState, Shard } from './state.js';

// Customers: their state, Bass awareness and membership decisions (docs/model.md sections 2, 3.2, 3.3).

/**
 * The customers' arrays, in `memory`: shared on threads, where any worker may take up any shard
 * (measured on one worker thread: the customer phases as fast on shared as on private arrays).
 */
export function createCustomers(n: number, memory: Memory): Customers {
  return {
    n,
    value: memory.f64(n),
    theta: memory.f32(n),
    satisfaction: memory.f64(n),
    member: memory.u8(n),
    aware: memory.u8(n),
    best: memory.u8(n),
    tie: memory.i32(n).fill(-1),
    tieCount: memory.u16(n),
    revenue: memory.f32(n),
  };
}

/** Draws valuations and tastes, and seeds the initially aware and member customers (section 2). */
export function initCustomers(c: Customers, s: Scenario, shard: Shard): void {
  const cfg = s.customers;
  const rng = shard.rng;
  const mu = Math.log(cfg.valueMean) - (cfg.valueSigma * cfg.valueSigma) / 2;
  const seedMembers = s.platforms[0]!.launchTick === 0;
  for (let i = shard.start; i < shard.end; i++) {
    c.value[i] =
      cfg.valueDistribution === 'uniform'
        ? cfg.valueMin + (cfg.valueMax - cfg.valueMin) * rng.next()
        : Math.exp(mu + cfg.valueSigma * normal(rng));
    c.theta[i] = cfg.qualityWeightMin + (cfg.qualityWeightMax - cfg.qualityWeightMin) * rng.next();
    c.satisfaction[i] = cfg.initialSatisfaction;
    if (rng.next() < cfg.initialAware) c.aware[i] = 1;
    if (seedMembers && rng.next() < cfg.initialShare) {
      c.aware[i] = 1;
      c.member[i] = 1;
    }
    if (c.aware[i] !== 0) shard.unaware--;
  }
  shard.tally.aware += shard.end - shard.start - shard.unaware;
}

/** Share of a customer's neighbours who are members of any platform (section 3.2). */
function memberNeighbours(graph: Graph, member: Uint8Array, i: number): number {
  const from = graph.offsets[i]!;
  const to = graph.offsets[i + 1]!;
  if (to === from) return 0;
  let m = 0;
  for (let e = from; e < to; e++) if (member[graph.neighbors[e]!] !== 0) m++;
  return m / (to - from);
}

/** Bass awareness: hazard p + q * (member share of the neighbours, or of everyone in a mean field) (section 3.2). */
export function awarenessPhase(st: EcosystemState, shard: Shard): void {
  const c = st.customers;
  const { p, q } = st.scenario.customers;
  const dt = st.scenario.dt;
  const graph = st.graph;
  const rng = shard.rng;
  const globalShare = c.n > 0 ? st.members / c.n : 0;
  const meanFieldProb = hazardProbability(p + q * globalShare, dt);
  let became = 0;
  // Once everyone in the shard has heard of the platforms, there is nothing to draw.
  if (shard.unaware === 0) return;
  for (let i = shard.start; i < shard.end; i++) {
    if (c.aware[i] !== 0) continue;
    const prob = graph ? hazardProbability(p + q * memberNeighbours(graph, c.member, i), dt) : meanFieldProb;
    if (rng.next() < prob) {
      c.aware[i] = 1;
      became++;
    }
  }
  shard.tally.aware += became;
  shard.unaware -= became;
}

/** Per-platform terms of membership utility that do not depend on the customer, for one tick. */
export class UtilityTerms {
  /** u0 + βss * share: multiplied by the customer's valuation. */
  readonly base: Float64Array;
  /** Public cross-side signal n_p / (n_p + halfSaturation), seen by non-members. */
  readonly cross: Float64Array;
  /** Money per tick: coupons expected less the subscription. */
  readonly money: Float64Array;
  readonly open: Uint8Array;

  constructor(platforms: number) {
    this.base = new Float64Array(platforms);
    this.cross = new Float64Array(platforms);
    this.money = new Float64Array(platforms);
    this.open = new Uint8Array(platforms);
  }

  update(platforms: readonly PlatformState[], effects: EffectsConfig): void {
    for (const pl of platforms) {
      const k = pl.index;
      this.open[k] = pl.open ? 1 : 0;
      this.base[k] = pl.u0 + effects.sameSide * pl.share;
      this.cross[k] = pl.crossSignal;
      this.money[k] = pl.coupon - pl.policy.subscription;
    }
  }
}

/**
 * Membership decisions (section 3.3): U_ik = v_i (u0_k + βss x_k + βcs g_ik) - subscription_k
 * + coupon_k - joinCost. Non-members join their best platform with probability σ(U/T); members
 * leave with the churn hazard, and also with probability σ(-U/T) while U < 0.
 */
export function adoptionPhase(st: EcosystemState, shard: Shard, terms: UtilityTerms): void {
  const c = st.customers;
  const cfg: CustomersConfig = st.scenario.customers;
  const beta = st.scenario.effects.crossSide;
  const dt = st.scenario.dt;
  const T = cfg.temperature;
  const P = st.platforms.length;
  const platforms = st.platforms;
  const { base, cross, money, open } = terms;
  const mhc = cfg.multiHoming ? cfg.multiHomingCost : 0;
  const rng = shard.rng;
  const ticked = shard.tally;
  const tallies = ticked.platforms;
  const needProb = needProbability(st);
  shard.count = 0;
  for (let i = shard.start; i < shard.end; i++) {
    let m = c.member[i]!;
    if (m === 0 && c.aware[i] === 0) continue;
    const v = c.value[i]!;
    const s = c.satisfaction[i]!;
    // The membership searched for needs: the best by utility as a member.
    let bestU = -Infinity;
    let bestK = 0;
    if (m !== 0) {
      // Members: churn hazard plus the pull of a negative utility, per membership.
      const churn = hazardProbability(cfg.churnBase + cfg.churnDissatisfaction * (1 - s), dt);
      const extra = (m & (m - 1)) !== 0 ? mhc : 0;
      for (let k = 0; k < P; k++) {
        const bit = 1 << k;
        if ((m & bit) === 0) continue;
        // Every membership of a multi-homer bears the same cost, so the best is chosen without it.
        const u = v * (base[k]! + beta * s) + money[k]!;
        const pull = u - extra < 0 ? perTick(choiceProbability(extra - u, T), dt) : 0;
        const leave = 1 - (1 - churn) * (1 - pull);
        if (leave > 0 && rng.next() < leave) {
          m &= ~bit;
          const t = tallies[k]!;
          ticked.customers[k]!--;
          t.churned++;
          t.clvSum += c.revenue[i]!;
          t.clvCount++;
        } else if (u > bestU) {
          bestU = u;
          bestK = k;
        }
      }
      if (m === 0) c.revenue[i] = 0;
    }
    // Joining: a non-member its best platform; a multi-homer also the best one it lacks.
    if (m === 0 || cfg.multiHoming) {
      const cost = m === 0 ? cfg.joinCost : cfg.joinCost + mhc;
      let joinU = -Infinity;
      let joinK = -1;
      for (let k = 0; k < P; k++) {
        if (open[k] === 0 || (m & (1 << k)) !== 0) continue;
        const u = v * (base[k]! + beta * cross[k]!) + money[k]! - cost;
        if (u > joinU) {
          joinU = u;
          joinK = k;
        }
      }
      if (joinK >= 0) {
        const prob = perTick(choiceProbability(joinU, T), dt);
        if (prob >= 1 || (prob > 0 && rng.next() < prob)) {
          m |= 1 << joinK;
          const t = tallies[joinK]!;
          ticked.customers[joinK]!++;
          t.joins++;
          t.customerNet -= cfg.joinCost;
          t.realCost += cfg.joinCost;
          const u = v * (base[joinK]! + beta * s) + money[joinK]!;
          if (u > bestU) bestK = joinK;
        }
      }
    }
    c.member[i] = m;
    if (m === 0) continue;
    c.best[i] = bestK;
    // A member's need this tick (section 3.5), drawn here to spare a second pass over the customers.
    if (rng.next() < needProb) addNeed(st, shard, i);
    // Subscriptions, multi-homing costs and the member tallies.
    const multi = (m & (m - 1)) !== 0;
    ticked.members++;
    ticked.satisfactionSum += s;
    if (multi) ticked.multiHomers++;
    if (!multi) {
      // One membership, the searched one: the common case, without the loop.
      const t = tallies[bestK]!;
      const sub = platforms[bestK]!.policy.subscription;
      t.satisfactionSum += s;
      if (sub !== 0) {
        t.subscriptions += sub;
        t.customerNet -= sub;
        c.revenue[i] += sub;
      }
      continue;
    }
    let paid = 0;
    for (let k = 0; k < P; k++) {
      if ((m & (1 << k)) === 0) continue;
      const sub = platforms[k]!.policy.subscription;
      const t = tallies[k]!;
      t.subscriptions += sub;
      t.customerNet -= sub;
      t.satisfactionSum += s;
      t.multiHomers++;
      t.customerNet -= mhc;
      t.realCost += mhc;
      paid += sub;
    }
    if (paid !== 0) c.revenue[i] += paid;
  }
}

