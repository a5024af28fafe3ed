import { gumbel, normal, shuffle } from '../sim/random.js';
import { SHARD_SIZE } from '../sim/shards.js';
import { perTick } from './choice.js';
import { leakProbability } from './disintermediation.js';
import type { SearchIndex } from './ranking.js';
import type { EcosystemState, Shard } from './state.js';

// Needs, search, matching and transactions (docs/model.md sections 3.5, 3.6 and 4), in three steps:
// 1. `recordNeeds`, per shard and in customer order: who has a need, the tied pair's choice to
//    leak, the candidates found by search ranked by the customer's utility, and every random draw
//    the transaction will need. Shards are independent, so this step can run on any thread.
// 2. `serveNeeds`, sequential: needs are served in a seeded random order, first come first served
//    on capacity. It touches only the partners' spare capacity and the coupon budget.
// 3. `settleNeeds`, in customer order: outcomes, ratings, satisfaction, ties and the money.

const DETECTED = 1 << 8;
const RATED = 1 << 9;
const TIES = 1 << 10;
const NOISE = 3;
export const UNMET = -1;

/** Ints per need record: customer, platform and flags, leaking tie partner, candidate count, candidates. */
export function recordInts(searchDepth: number): number {
  return 4 + searchDepth;
}

export function allocateRecords(shard: Shard, needs: number, ints: number): void {
  shard.records = new Int32Array(needs * ints);
  shard.noise = new Float64Array(needs * NOISE);
  shard.chosen = new Int32Array(needs);
}

function grow(shard: Shard, ints: number): void {
  const needs = Math.min(shard.end - shard.start, Math.max(16, shard.chosen.length * 2));
  const records = shard.records;
  const noise = shard.noise;
  allocateRecords(shard, needs, ints);
  shard.records.set(records);
  shard.noise.set(noise);
}

export function recordNeeds(st: EcosystemState, shard: Shard, search: readonly SearchIndex[]): void {
  const c = st.customers;
  const p = st.partners;
  const cfg = st.scenario.customers;
  const leakT = st.scenario.partners.leakTemperature;
  const famScale = st.scenario.partners.familiarityScale;
  const R = st.recordInts;
  const depth = cfg.searchDepth;
  const noiseScale = cfg.choiceNoise;
  const rng = shard.rng;
  const needProb = perTick(Math.min(1, cfg.needRate * st.demandFactor), st.scenario.dt);
  const picked = new Int32Array(depth);
  const scores = new Float64Array(depth);
  let count = 0;
  for (let i = shard.start; i < shard.end; i++) {
    if (c.member[i] === 0 || rng() >= needProb) continue;
    if (count === shard.chosen.length) grow(shard, R);
    const rec = shard.records;
    const base = count * R;
    const k = c.best[i]!;
    const pl = st.platforms[k]!;
    const pol = pl.policy;
    let flags = k;
    let intent = -1;
    const jt = c.tie[i]!;
    if (jt >= 0 && rng() < leakProbability(p.leak[jt]!, p.price[jt]!, pol, c.tieCount[i]!, famScale, leakT)) {
      intent = jt;
      if (rng() < pol.detection) flags |= DETECTED;
    }
    const noise = shard.noise;
    const nb = count * NOISE;
    noise[nb] = normal(rng);
    noise[nb + 2] = 0;
    if (rng() < cfg.ratingProbability) {
      flags |= RATED;
      noise[nb + 1] = normal(rng);
    }
    if (rng() < cfg.tieProbability) flags |= TIES;
    rec[base] = i;
    rec[base + 1] = flags;
    rec[base + 2] = intent;
    // Search: distinct candidates by ranking, then ordered by θ rating - price (1 + fee) / v + noise.
    const idx = search[k]!;
    const n = idx.size;
    let got = 0;
    if (n <= depth) {
      for (let e = 0; e < n; e++) picked[got++] = e;
    } else {
      for (let tries = 0; got < depth && tries < depth * 8; tries++) {
        const e = idx.uniform ? (rng() * n) | 0 : idx.table.sample(rng);
        let dup = false;
        for (let a = 0; a < got; a++) if (picked[a] === e) dup = true;
        if (!dup) picked[got++] = e;
      }
    }
    const theta = c.theta[i]!;
    const priceWeight = (1 + pol.customerFee) / c.value[i]!;
    for (let a = 0; a < got; a++) {
      const e = picked[a]!;
      const score = theta * idx.rating[e]! - p.price[idx.entries[e]!]! * priceWeight + (noiseScale > 0 ? noiseScale * gumbel(rng) : 0);
      // Insertion into the list ranked best first.
      let b = a;
      while (b > 0 && scores[b - 1]! < score) {
        scores[b] = scores[b - 1]!;
        rec[base + 4 + b] = rec[base + 3 + b]!;
        b--;
      }
      scores[b] = score;
      rec[base + 4 + b] = idx.entries[e]!;
    }
    rec[base + 3] = got;
    count++;
  }
  shard.count = count;
}

/** Serves every recorded need in a seeded random order: capacity is first come, first served. */
export function serveNeeds(st: EcosystemState, tick: number): void {
  const p = st.partners;
  const P = st.platforms.length;
  const R = st.recordInts;
  let n = 0;
  for (const sh of st.shards) {
    const code = sh.index * SHARD_SIZE;
    for (let r = 0; r < sh.count; r++) st.order[n++] = code + r;
  }
  shuffle(st.orderRng, st.order, n);
  for (let o = 0; o < n; o++) {
    const code = st.order[o]!;
    const sh = st.shards[(code / SHARD_SIZE) | 0]!;
    const r = code % SHARD_SIZE;
    const rec = sh.records;
    const base = r * R;
    const k = rec[base + 1]! & 0xff;
    const jt = rec[base + 2]!;
    // A tied pair leaks only if the partner is listed, not suspended, and can serve (section 4).
    if (jt >= 0 && p.spare[jt]! > 0 && (p.member[jt]! & (1 << k)) !== 0 && p.suspendedUntil[jt * P + k]! <= tick) {
      p.spare[jt]!--;
      sh.chosen[r] = -2 - jt;
      continue;
    }
    let chosen = UNMET;
    const got = rec[base + 3]!;
    for (let a = 0; a < got; a++) {
      const j = rec[base + 4 + a]!;
      if (p.spare[j]! > 0) {
        p.spare[j]!--;
        chosen = j;
        break;
      }
    }
    sh.chosen[r] = chosen;
    if (chosen >= 0) payCoupon(st, sh, r, k);
  }
}

/** Coupons come out of the shared budget, so they are paid here, in serving order. */
function payCoupon(st: EcosystemState, sh: Shard, r: number, k: number): void {
  const pl = st.platforms[k]!;
  const coupon = pl.policy.couponValue;
  if (coupon <= 0 || pl.budget <= 0) return;
  const paid = Math.min(coupon, pl.budget);
  pl.budget -= paid;
  sh.noise[r * NOISE + 2] = paid;
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

/** Outcomes of the tick's needs, in customer order (sections 3.6 and 4). */
export function settleNeeds(st: EcosystemState, shard: Shard, tick: number): void {
  const c = st.customers;
  const p = st.partners;
  const cfg = st.scenario.customers;
  const serviceNoise = st.scenario.partners.serviceNoise;
  const memory = cfg.satisfactionMemory;
  const P = st.platforms.length;
  const R = st.recordInts;
  const rec = shard.records;
  const noise = shard.noise;
  for (let r = 0; r < shard.count; r++) {
    const base = r * R;
    const i = rec[base]!;
    const flags = rec[base + 1]!;
    const k = flags & 0xff;
    const pl = st.platforms[k]!;
    const t = pl.tally;
    const pol = pl.policy;
    const chosen = shard.chosen[r]!;
    t.needs++;
    if (chosen === UNMET) {
      t.unmet++;
      c.satisfaction[i] = (1 - memory) * c.satisfaction[i]!;
      continue;
    }
    const leaked = chosen < UNMET;
    const j = leaked ? -2 - chosen : chosen;
    const q = clamp01(p.quality[j]! + serviceNoise * noise[r * NOISE]!);
    const price = p.price[j]!;
    const unitCost = p.cost[j]!;
    const v = c.value[i]!;
    c.satisfaction[i] = (1 - memory) * c.satisfaction[i]! + memory * q;
    t.grossValue += v * q;
    t.realCost += unitCost;
    if (c.tie[i] === j) {
      if (c.tieCount[i]! < 0xffff) c.tieCount[i]!++;
    } else if (!leaked && c.tie[i]! < 0 && (flags & TIES) !== 0) {
      c.tie[i] = j;
      c.tieCount[i] = 1;
    }
    if ((flags & RATED) !== 0) {
      p.ratingSum[j] += clamp01(q + cfg.ratingNoise * noise[r * NOISE + 1]!);
      p.ratingCount[j]!++;
    }
    const slot = j * P + k;
    if (leaked) {
      // Off the platform: the same surplus and the margin at full price, no commission.
      t.leaked++;
      t.customerNet += v * q - price;
      t.partnerNet += price - unitCost;
      if ((flags & DETECTED) !== 0) {
        p.suspendedUntil[slot] = tick + 1 + pol.suspensionTicks;
        t.fees += pol.penalty;
        t.partnerNet -= pol.penalty;
        p.income[slot] -= pol.penalty;
      }
      continue;
    }
    const coupon = noise[r * NOISE + 2]!;
    const commission = price * (pol.takeRate + pol.customerFee);
    t.matches++;
    t.gmv += price;
    t.commission += commission;
    t.coupons += coupon;
    t.customerNet += v * q - price * (1 + pol.customerFee) + coupon;
    const trust = pol.valueAddCostShare * pol.valueAdd * price;
    t.trustServices += trust;
    t.realCost += trust;
    c.revenue[i] += commission;
    p.sales[slot]!++;
    if (p.owner[j]! >= 0) {
      t.houseSales += price * (1 - pol.takeRate);
      t.houseCosts += unitCost;
    } else {
      const margin = price * (1 - pol.takeRate) - unitCost;
      t.partnerNet += margin;
      p.income[slot] += margin;
    }
  }
}
