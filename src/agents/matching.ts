import { normalPair, shuffle } from '../sim/random.js';
import { SHARD_SIZE } from '../sim/shards.js';
import { perTick } from './choice.js';
import { leakProbability } from './disintermediation.js';
import type { SearchIndex } from './ranking.js';
import type { EcosystemState, Shard } from './state.js';

// Needs, search, matching and transactions (docs/model.md sections 3.5, 3.6 and 4), in three steps:
// 1. `recordNeeds`, per shard and in customer order: who has a need, the tied pair's choice to
//    leak, the candidates found by search with their logit weights, and every random draw the
//    transaction will need. Shards are independent, so this step can run on any thread.
// 2. `serveNeeds`, sequential: needs are served in a seeded random order, first come first served
//    on capacity. It touches only the partners' spare capacity and the coupon budget.
// 3. `settleNeeds`, in customer order: outcomes, ratings, satisfaction, ties and the money.
//
// The customer picks the candidate with spare capacity that maximizes utility plus Gumbel noise.
// Among any given set, that argmax is a logit draw with weights exp(utility / noise), so the
// record keeps the weights and one uniform, and serving draws among the candidates still
// available: the same distribution as ranking by noisy utility, at a fraction of the logarithms.

const DETECTED = 1 << 8;
const RATED = 1 << 9;
const TIES = 1 << 10;
export const UNMET = -1;

// A need's serving record is one 64-byte cache line (for up to 6 candidates): serving reads needs
// in random order, so each must cost one memory access. Ints and floats share the buffer.
const FLAGS = 0; // platform in the low byte, then the flags above
const OUTCOME = 1; // before serving: the tied partner who would leak, or -1; after: see Shard.serve
const COUNT = 2;
const CHOICE = 3; // float: the uniform of the logit draw; after serving, the coupon paid
const CANDIDATES = 4;

/** Ints per serving record: header, candidates, their weights; rounded up to whole cache lines. */
export function recordStride(searchDepth: number): number {
  return Math.ceil((CANDIDATES + 2 * searchDepth) / 16) * 16;
}

export function allocateRecords(shard: Shard, needs: number, stride: number): void {
  const buffer = new ArrayBuffer(needs * stride * 4);
  shard.serve = new Int32Array(buffer);
  shard.serveF = new Float32Array(buffer);
  shard.customer = new Int32Array(needs);
  shard.noise = new Float32Array(needs * 2);
}

function grow(shard: Shard, stride: number): void {
  const needs = Math.min(shard.end - shard.start, Math.max(16, shard.customer.length * 2));
  const { serve, customer, noise } = shard;
  allocateRecords(shard, needs, stride);
  shard.serve.set(serve);
  shard.customer.set(customer);
  shard.noise.set(noise);
}

export function recordNeeds(st: EcosystemState, shard: Shard, search: readonly SearchIndex[]): void {
  const c = st.customers;
  const p = st.partners;
  const cfg = st.scenario.customers;
  const leakT = st.scenario.partners.leakTemperature;
  const famScale = st.scenario.partners.familiarityScale;
  const S = st.recordStride;
  const depth = cfg.searchDepth;
  const W = CANDIDATES + depth;
  const noiseScale = cfg.choiceNoise;
  const rng = shard.rng;
  const needProb = perTick(Math.min(1, cfg.needRate * st.demandFactor), st.scenario.dt);
  const picked = st.scratch.picked;
  const scores = st.scratch.scores;
  let count = 0;
  for (let i = shard.start; i < shard.end; i++) {
    if (c.member[i] === 0 || rng() >= needProb) continue;
    if (count === shard.customer.length) grow(shard, S);
    const rec = shard.serve;
    const recF = shard.serveF;
    const base = count * S;
    const k = c.best[i]!;
    const pol = st.platforms[k]!.policy;
    let flags = k;
    let intent = -1;
    const jt = c.tie[i]!;
    if (jt >= 0 && rng() < leakProbability(p.leak[jt]!, p.price[jt]!, pol, c.tieCount[i]!, famScale, leakT)) {
      intent = jt;
      if (rng() < pol.detection) flags |= DETECTED;
    }
    if (rng() < cfg.ratingProbability) flags |= RATED;
    if (rng() < cfg.tieProbability) flags |= TIES;
    normalPair(rng, shard.noise, 2 * count);
    shard.customer[count] = i;
    recF[base + CHOICE] = rng();
    rec[base + FLAGS] = flags;
    rec[base + OUTCOME] = intent;
    // Search: distinct candidates drawn by the ranking's weights (section 3.5).
    const idx = search[k]!;
    const n = idx.size;
    let got = 0;
    if (n <= depth) {
      for (let e = 0; e < n; e++) picked[got++] = e;
    } else {
      const prob = idx.table.prob;
      const alias = idx.table.alias;
      const uniform = idx.uniform;
      for (let tries = 0; got < depth && tries < depth * 8; tries++) {
        // Walker's alias draw, inlined: one uniform gives the slot and the coin.
        const x = rng() * n;
        let e = x | 0;
        if (!uniform && x - e >= prob[e]!) e = alias[e]!;
        let dup = false;
        for (let a = 0; a < got; a++) if (picked[a] === e) dup = true;
        if (!dup) picked[got++] = e;
      }
    }
    // Utility of each candidate: θ rating - price (1 + fee) / v.
    const theta = c.theta[i]!;
    const priceWeight = (1 + pol.customerFee) / c.value[i]!;
    let top = -Infinity;
    for (let a = 0; a < got; a++) {
      const e = picked[a]!;
      const score = theta * idx.rating[e]! - idx.price[e]! * priceWeight;
      scores[a] = score;
      if (score > top) top = score;
    }
    if (noiseScale > 0) {
      const inv = 1 / noiseScale;
      for (let a = 0; a < got; a++) {
        rec[base + CANDIDATES + a] = idx.entries[picked[a]!]!;
        recF[base + W + a] = Math.exp((scores[a]! - top) * inv);
      }
    } else {
      // Without noise the customer takes the best available: candidates ranked best first.
      for (let a = 0; a < got; a++) {
        const score = scores[a]!;
        let b = a;
        while (b > 0 && scores[b - 1]! < score) {
          scores[b] = scores[b - 1]!;
          rec[base + CANDIDATES + b] = rec[base + CANDIDATES + b - 1]!;
          b--;
        }
        scores[b] = score;
        rec[base + CANDIDATES + b] = idx.entries[picked[a]!]!;
      }
    }
    rec[base + COUNT] = got;
    count++;
  }
  shard.count = count;
}

/** Serves every recorded need in a seeded random order: capacity is first come, first served. */
export function serveNeeds(st: EcosystemState, tick: number): void {
  const p = st.partners;
  const spare = p.spare;
  const P = st.platforms.length;
  const S = st.recordStride;
  const W = CANDIDATES + st.scenario.customers.searchDepth;
  const noisy = st.scenario.customers.choiceNoise > 0;
  let n = 0;
  for (const sh of st.shards) {
    const code = sh.index * SHARD_SIZE;
    for (let r = 0; r < sh.count; r++) st.order[n++] = code + r;
  }
  shuffle(st.orderRng, st.order, n);
  for (let o = 0; o < n; o++) {
    const code = st.order[o]!;
    const sh = st.shards[(code / SHARD_SIZE) | 0]!;
    const rec = sh.serve;
    const recF = sh.serveF;
    const base = (code % SHARD_SIZE) * S;
    const k = rec[base + FLAGS]! & 0xff;
    const jt = rec[base + OUTCOME]!;
    // A tied pair leaks if the partner can serve: spare capacity, and not suspended by the platform
    // (section 4). A partner who has left the platform keeps serving the customers it knows.
    if (jt >= 0 && spare[jt]! > 0 && p.suspendedUntil[jt * P + k]! <= tick) {
      spare[jt]!--;
      rec[base + OUTCOME] = -2 - jt;
      continue;
    }
    const got = rec[base + COUNT]!;
    let chosen = UNMET;
    if (noisy) {
      // Logit choice among the candidates that still have spare capacity.
      let total = 0;
      for (let a = 0; a < got; a++) if (spare[rec[base + CANDIDATES + a]!]! > 0) total += recF[base + W + a]!;
      let u = recF[base + CHOICE]! * total;
      for (let a = 0; a < got && total > 0; a++) {
        const j = rec[base + CANDIDATES + a]!;
        if (spare[j]! <= 0) continue;
        chosen = j;
        u -= recF[base + W + a]!;
        if (u < 0) break;
      }
    } else {
      for (let a = 0; a < got; a++) {
        const j = rec[base + CANDIDATES + a]!;
        if (spare[j]! > 0) {
          chosen = j;
          break;
        }
      }
    }
    rec[base + OUTCOME] = chosen;
    recF[base + CHOICE] = 0;
    if (chosen < 0) continue;
    spare[chosen]!--;
    // Coupons come out of the shared budget, so they are paid here, in serving order.
    const pl = st.platforms[k]!;
    const coupon = pl.policy.couponValue;
    if (coupon > 0 && pl.budget > 0) {
      const paid = Math.fround(Math.min(coupon, pl.budget));
      pl.budget = Math.max(0, pl.budget - paid);
      recF[base + CHOICE] = paid;
    }
  }
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
  const S = st.recordStride;
  const rec = shard.serve;
  const recF = shard.serveF;
  for (let r = 0; r < shard.count; r++) {
    const base = r * S;
    const i = shard.customer[r]!;
    const flags = rec[base + FLAGS]!;
    const k = flags & 0xff;
    const pl = st.platforms[k]!;
    const t = pl.tally;
    const pol = pl.policy;
    const chosen = rec[base + OUTCOME]!;
    t.needs++;
    if (chosen === UNMET) {
      t.unmet++;
      c.satisfaction[i] = (1 - memory) * c.satisfaction[i]!;
      continue;
    }
    const leaked = chosen < UNMET;
    const j = leaked ? -2 - chosen : chosen;
    const q = clamp01(p.quality[j]! + serviceNoise * shard.noise[2 * r]!);
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
    // Only what happens on the platform is rated: it does not see a leaked transaction.
    if (!leaked && (flags & RATED) !== 0) {
      p.ratingSum[j] += clamp01(q + cfg.ratingNoise * shard.noise[2 * r + 1]!);
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
    const coupon = recF[base + CHOICE]!;
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
