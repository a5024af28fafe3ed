import type { Memory } from '../sim/memory.js';
import { expFloat32 } from '../sim/expFloat32.js';
import { shuffle } from '../sim/random.js';
import { ziggurat } from '../sim/ziggurat.js';
import { perTick } from './choice.js';
import { leakProbability } from './disintermediation.js';
import { commission, customerSurplus, expectedDealSurplus, nextExperience, partnerMargin } from './economics.js';
import { slotPartner, slotPrice, slotRating, type SearchIndex } from './ranking.js';
import type { PlatformSignals } from './signals.js';
import type { EcosystemState, NeedBuffers, Shard } from './state.js';
import { WARM_TICKS } from './warmTicks.js';

// Needs, search, matching and transactions (docs/model.md sections 3.5, 3.6 and 4), in steps:
// 1. In the adoption phase, per shard: which member customers have a need this tick (`addNeed`).
// 2. `placeNeeds`: the seeded random order in which needs are served.
// 3. `recordNeeds`, per shard and in customer order: the tied pair's choice to leak, the candidates
//    found by search with their logit weights, and the uniform of the choice: every draw serving
//    needs, written to the need's place in the serving order. Shards are independent: any thread
//    can do it.
// 4. `serveNeeds`, sequential, in serving order: first come, first served on capacity. It touches
//    only the partners' spare capacity and the coupon budget. Beside it, per shard and in customer
//    order, `drawSettling` makes the draws that only settling reads (detection, service and rating
//    noise, rating, tie), so on threads the others are not idle while one thread serves.
// 5. `settleCustomers`, per shard in customer order: outcomes, satisfaction, ties and money, and
//    for each partner served its margin and rating; `settlePartners` adds those to the partners
//    on one thread, shard after shard in order, each as soon as it is settled.
// Serving reads the records one after another and settling reads outcomes in customer order, so
// no step reads memory at random: the random order costs writes, which do not stall.
//
// The customer picks the candidate with spare capacity that maximizes utility plus Gumbel noise.
// Among any given set, that argmax is a logit draw with weights exp(utility / noise), so the
// record keeps the weights and one uniform, and serving draws among the candidates still
// available: the same distribution as ranking by noisy utility, at a fraction of the logarithms.

/** A need's flags: the platform searched in the low byte, then the bits below, then the customer's pricing group. */
const PLATFORM = 0xff;
const GROUP_SHIFT = 16;
const DETECTED = 1 << 8;
const RATED = 1 << 9;
const TIES = 1 << 10;
/** The tied pair chose to leak (whether they can is settled in serving). */
const INTENT = 1 << 11;

// A need's outcome: the partner who served it on the platform (>= 0), or one of these.
export const UNMET = -1;
/** Candidates with spare capacity, but none worth taking (section 3.5). */
export const DECLINED = -2;
/** Leaked with partner j: LEAKED - j. */
const LEAKED = -3;
const leakedWith = (j: number): number => LEAKED - j;

// A serving record is one 64-byte cache line (for up to 5 candidates); ints and floats share it.
const FLAGS = 0; // the need's flags
const TIE = 1; // the tied partner with whom the pair would leak, or -1
const COUNT = 2;
const CHOICE = 3; // float: the uniform of the logit draw
const ORIGIN = 4; // the need's index in customer order, where its outcome goes
const WORTHY = 5; // bit a set: candidate a is a deal worth taking
const CANDIDATES = 6;

// Two numbers per need in a shard's per-need arrays: `noise` holds the standard normals of service
// and of the rating; `partnerSide` what settling works out for the partner, its margin and the
// rating given.
const SERVICE_NOISE = 0;
const RATING_NOISE = 1;
const MARGIN = 0;
const RATING_GIVEN = 1;

/** Ints per serving record: header, candidates, their weights; rounded up to whole cache lines. */
export function recordStride(searchDepth: number): number {
  return Math.ceil((CANDIDATES + 2 * searchDepth) / 16) * 16;
}

/** Room for `needs` needs in a shard's per-need arrays, keeping what is there. */
export function reserveShard(shard: Shard, needs: number, memory: Memory): void {
  if (shard.customer.length >= needs) return;
  const customer = memory.i32(needs);
  const flags = memory.i32(needs);
  const noise = memory.f32(2 * needs);
  const partnerSide = memory.f64(2 * needs);
  customer.set(shard.customer.subarray(0, needs));
  flags.set(shard.flags.subarray(0, needs));
  noise.set(shard.noise.subarray(0, 2 * needs));
  shard.customer = customer;
  shard.flags = flags;
  shard.noise = noise;
  shard.partnerSide = partnerSide;
}

/** Room for `needs` needs in the tick's serving buffers; their contents are rebuilt every tick. */
function reserveNeeds(b: NeedBuffers, needs: number, stride: number, memory: Memory): void {
  if (b.outcome.length >= needs) return;
  const size = Math.max(needs, Math.ceil(b.outcome.length * 1.5));
  const buffer = memory.lines(size * stride * 4);
  b.serve = new Int32Array(buffer, 0, size * stride);
  b.serveF = new Float32Array(buffer, 0, size * stride);
  b.outcome = memory.i32(size);
  b.coupon = memory.f32(size);
  b.place = memory.i32(size);
}

/** The probability that a member has a need this tick (section 3.5), demand shocks included. */
export function needProbability(st: EcosystemState, needRate = st.scenario.customers.needRate): number {
  return perTick(Math.min(1, needRate * st.demandFactor), st.scenario.dt);
}

const needScratch = new Float64Array(256);

/** needProbability per segment, by its own need rate (section 10.1); valid until the next call. */
export function needProbabilities(st: EcosystemState): Float64Array {
  const rates = st.segments.needRate;
  for (let g = 0; g < rates.length; g++) needScratch[g] = needProbability(st, rates[g]);
  return needScratch;
}

/** Records customer `i` of `shard` as having a need this tick (needs are drawn in the adoption phase). */
export function addNeed(st: EcosystemState, shard: Shard, i: number): void {
  const count = shard.count;
  if (count === shard.customer.length) growShard(st, shard);
  shard.customer[count] = i;
  shard.count = count + 1;
}

/** Twice the room, up to the shard's customers: out of addNeed, which the adoption loops inline. */
function growShard(st: EcosystemState, shard: Shard): void {
  reserveShard(shard, Math.min(shard.end - shard.start, Math.max(16, 2 * shard.count)), st.memory);
}

/** The serving order: need n of the tick (shards in order, customers in order) is served at place[n]. */
export function placeNeeds(st: EcosystemState): void {
  let total = 0;
  for (const sh of st.shards) {
    sh.offset = total;
    total += sh.count;
  }
  const b = st.needs;
  reserveNeeds(b, total, st.recordStride, st.memory);
  b.total = total;
  for (let n = 0; n < total; n++) b.place[n] = n;
  shuffle(st.orderRng, b.place, total);
}

export function recordNeeds(st: EcosystemState, shard: Shard, search: readonly SearchIndex[], sig: PlatformSignals): void {
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
  const { scores, draws } = st.scratch;
  const { serve: rec, serveF: recF, place } = st.needs;
  const P = st.platforms.length;
  // The arrays the loop reads, taken out of their objects once: the optimizer reloads an object's
  // fields after every call it does not inline, and the loop makes some.
  const { best, group: groupOf, tie, tieCount, theta: thetaOf, value } = c;
  const { customerFee, priceWeight: priceWeightOf, coupon: couponOf, priceFactor, takeRate } = sig;
  const { customer, flags: needFlags, offset } = shard;
  for (let r = 0; r < shard.count; r++) {
    const i = customer[r]!;
    const base = place[offset + r]! * S;
    const k = best[i]!;
    const pol = st.platforms[k]!.policy;
    // What this customer pays, and the tied partner is charged, by their groups (section 10).
    const group = groupOf[i]!;
    const at = group * P + k;
    let flags = k | (group << GROUP_SHIFT);
    let intent = -1;
    const jt = tie[i]!;
    if (jt >= 0) {
      // The probability is the propensity times a logistic, at most 1: a uniform at or above the
      // propensity (most of them) settles the draw without the exponential.
      const u = rng.next();
      const propensity = p.leak[jt]!;
      const tiedAt = p.group[jt * P + k]! * P + k;
      if (u < propensity && u < leakProbability(propensity, p.price[jt]! * priceFactor[tiedAt]!, pol, tieCount[i]!, famScale, leakT, takeRate[tiedAt]!, customerFee[at]!)) {
        intent = jt;
        flags |= INTENT;
      }
    }
    needFlags[r] = flags;
    rec[base + FLAGS] = flags;
    rec[base + TIE] = intent;
    rec[base + ORIGIN] = offset + r;
    recF[base + CHOICE] = rng.next();
    // Search: distinct candidates drawn by the ranking's weights (section 3.5), each valued at
    // θ rating - price (1 + fee) / v; a candidate is a deal worth taking when its certainty-
    // equivalent surplus is at least 0 (unworthy ones stay in the record: their capacity tells a
    // declined need from an unmet one).
    const idx = search[k]!;
    const n = idx.size;
    const { slots, slotInts } = idx;
    const theta = thetaOf[i]!;
    const v = value[i]!;
    const priceWeight = (1 + customerFee[at]!) / v;
    const dealWeight = priceWeightOf[at]!;
    const coupon = couponOf[at]!;
    const first = base + CANDIDATES;
    let got = 0;
    let top = -Infinity;
    let worthy = 0;
    // The first `depth` draws are made before any is looked at, so that their slots, which lie at
    // random in the index, are fetched from memory at once rather than one after another; every
    // search makes at least that many, in the same order, so the same uniforms go to the same draws.
    const drawn = n > depth ? depth : 0;
    for (let t = 0; t < drawn; t++) draws[t] = idx.draw(rng.next());
    for (let tries = 0; got < depth && got < n && tries < depth * 8; tries++) {
      // Entry `got` itself (side 0) when there are no more entries than candidates.
      const d = tries < drawn ? draws[tries]! : n > depth ? idx.draw(rng.next()) : 2 * got;
      const j = slotPartner(slotInts, d);
      if (n > depth) {
        let dup = false;
        for (let a = 0; a < got; a++) if (rec[first + a] === j) dup = true;
        if (dup) continue;
      }
      const rating = slotRating(slots, d);
      const price = slotPrice(slots, d);
      const score = theta * rating - price * priceWeight;
      if (expectedDealSurplus(v, rating, price, dealWeight, coupon) >= 0) {
        worthy |= 1 << got;
        if (score > top) top = score;
      }
      // The candidates go straight into the record, where the duplicate check reads them.
      rec[first + got] = j;
      scores[got++] = score;
    }
    if (noiseScale > 0) {
      const inv = 1 / noiseScale;
      for (let a = 0; a < got; a++) {
        // Stored as a 32-bit float: expFloat32 is that float of Math.exp, bit for bit, but cheaper;
        // the best worthy candidate's is e^0 = 1.
        const d = (scores[a]! - top) * inv;
        recF[base + W + a] = ((worthy >>> a) & 1) === 0 ? 0 : d === 0 ? 1 : expFloat32(d);
      }
    } else {
      // Without noise the customer takes the best available: candidates ranked best first.
      let ranked = 0;
      for (let a = 0; a < got; a++) {
        // Sorted in place: candidate a is still where the search put it.
        const score = scores[a]!;
        const j = rec[first + a]!;
        const bit = (worthy >>> a) & 1;
        let b = a;
        while (b > 0 && scores[b - 1]! < score) {
          scores[b] = scores[b - 1]!;
          rec[first + b] = rec[first + b - 1]!;
          b--;
        }
        // The worthy bits move with their candidates.
        const below = ranked & ((1 << b) - 1);
        ranked = below | (bit << b) | ((ranked & ~((1 << b) - 1)) << 1);
        scores[b] = score;
        rec[first + b] = j;
      }
      worthy = ranked;
    }
    rec[base + COUNT] = got;
    rec[base + WORTHY] = worthy;
  }
}

/**
 * The draws of a shard's needs that only settling reads, after those of recordNeeds in the shard's
 * stream: whether a leak would be detected, the noise of service, whether the customer rates and
 * the rating's noise, and whether an unrelated pair forms a tie.
 */
export function drawSettling(st: EcosystemState, shard: Shard): void {
  const { ratingProbability, tieProbability } = st.scenario.customers;
  const rng = shard.rng;
  for (let r = 0; r < shard.count; r++) {
    let flags = shard.flags[r]!;
    if ((flags & INTENT) !== 0 && rng.next() < st.platforms[flags & PLATFORM]!.policy.detection) flags |= DETECTED;
    shard.noise[2 * r + SERVICE_NOISE] = ziggurat(rng);
    if (rng.next() < ratingProbability) {
      flags |= RATED;
      shard.noise[2 * r + RATING_NOISE] = ziggurat(rng);
    }
    if (rng.next() < tieProbability) flags |= TIES;
    shard.flags[r] = flags;
  }
}

/** Serves every need in the seeded random order: capacity is first come, first served. */
export function serveNeeds(st: EcosystemState, tick: number, sig: PlatformSignals): void {
  const p = st.partners;
  const spare = p.spare;
  const P = st.platforms.length;
  const S = st.recordStride;
  const W = CANDIDATES + st.scenario.customers.searchDepth;
  const noisy = st.scenario.customers.choiceNoise > 0;
  const { serve: rec, serveF: recF, outcome, coupon, total } = st.needs;
  const warm = tick < WARM_TICKS;
  // Cleared in one sweep: few needs get a coupon, and writes in serving order land at random.
  coupon.fill(0, 0, total);
  for (let o = 0, base = 0; o < total; o++, base += S) {
    const origin = rec[base + ORIGIN]!;
    const flags = rec[base + FLAGS]!;
    const k = flags & PLATFORM;
    const jt = rec[base + TIE]!;
    // A tied pair leaks if the partner can serve: spare capacity, and not suspended by the platform
    // (section 4). A partner who has left the platform keeps serving the customers it knows.
    if (jt >= 0 && spare[jt]! > 0 && p.suspendedUntil[jt * P + k]! <= tick) {
      spare[jt]!--;
      outcome[origin] = leakedWith(jt);
      continue;
    }
    const got = rec[base + COUNT]!;
    const worthy = rec[base + WORTHY]!;
    const first = base + CANDIDATES;
    // Capacity binds often, so whether a candidate is available is close to a coin toss: worked
    // out without branches, as bit a of `available` (1 when spare > 0).
    let available = 0;
    for (let a = 0; a < got; a++) available |= (-spare[rec[first + a]!]! >>> 31) << a;
    const eligible = available & worthy;
    let chosen = available === 0 ? UNMET : DECLINED;
    if (eligible !== 0) {
      if (noisy) {
        // Logit choice among the eligible candidates: each weight (0 for an unworthy one) times
        // its availability bit adds the same sums as skipping the unavailable ones.
        let sum = 0;
        for (let a = 0; a < got; a++) sum += recF[base + W + a]! * ((available >>> a) & 1);
        // The first eligible candidate at which u falls below 0; u only falls, so the candidates
        // before it are those where u >= 0. If rounding keeps u at 0 or above, the last eligible.
        let u = recF[base + CHOICE]! * sum;
        let before = 0;
        for (let a = 0; a < got; a++) {
          u -= recF[base + W + a]! * ((available >>> a) & 1);
          before += u >= 0 ? 1 : 0;
        }
        chosen = rec[first + (before < got && ((eligible >>> before) & 1) !== 0 ? before : 31 - Math.clz32(eligible))]!;
      } else {
        chosen = rec[first + 31 - Math.clz32(eligible & -eligible)]!;
      }
    }
    outcome[origin] = chosen;
    if (chosen < 0) continue;
    spare[chosen]!--;
    // Coupons come out of the shared budget, so they are paid here, in serving order (in the
    // warm-up ticks, a coupon of 0 too: see warmTicks.ts).
    const pl = st.platforms[k]!;
    const value = sig.coupon[(flags >>> GROUP_SHIFT) * P + k]!;
    if ((value > 0 || warm) && pl.budget > 0) {
      const paid = Math.fround(Math.min(value, pl.budget));
      pl.budget = Math.max(0, pl.budget - paid);
      coupon[origin] = paid;
    }
  }
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

/**
 * The customers' side of the tick's outcomes, per shard in customer order (sections 3.6 and 4):
 * satisfaction, ties, and the money, into the shard's tallies.
 */
export function settleCustomers(st: EcosystemState, shard: Shard, sig: PlatformSignals): void {
  const c = st.customers;
  const p = st.partners;
  const cfg = st.scenario.customers;
  const P = st.platforms.length;
  const serviceNoise = st.scenario.partners.serviceNoise;
  const ratingNoise = cfg.ratingNoise;
  const memory = cfg.satisfactionMemory;
  const tallies = shard.tally.platforms;
  const exp = c.experience;
  const ledger = st.ledger !== null && st.ledger.recording ? st.ledger : null;
  const { outcome, coupon } = st.needs;
  for (let r = 0; r < shard.count; r++) {
    const i = shard.customer[r]!;
    const flags = shard.flags[r]!;
    const k = flags & PLATFORM;
    // Tallied per (segment, platform), priced by the customer's group (section 10).
    const t = tallies[c.segment[i]! * P + k]!;
    const pol = st.platforms[k]!.policy;
    const customerFee = sig.customerFee[(flags >>> GROUP_SHIFT) * P + k]!;
    const chosen = outcome[shard.offset + r]!;
    const e = i * P + k;
    t.needs++;
    if (chosen === UNMET || chosen === DECLINED) {
      // Nothing bought: an outcome of 0 for satisfaction and experience alike.
      if (chosen === UNMET) t.unmet++;
      else t.declined++;
      c.satisfaction[i] = (1 - memory) * c.satisfaction[i]!;
      exp[e] = nextExperience(exp[e]!, memory, 0);
      continue;
    }
    const leaked = chosen <= LEAKED;
    const j = leaked ? LEAKED - chosen : chosen;
    const q = clamp01(p.quality[j]! + serviceNoise * shard.noise[2 * r + SERVICE_NOISE]!);
    const partnerAt = p.group[j * P + k]! * P + k;
    const takeRate = sig.takeRate[partnerAt]!;
    const price = p.price[j]! * sig.priceFactor[partnerAt]!;
    const unitCost = p.cost[j]!;
    const v = c.value[i]!;
    const margin = partnerMargin(price, takeRate, unitCost);
    if (!leaked) {
      // The partner's side, worked out here where the partner's data is at hand: settlePartners adds it.
      shard.partnerSide[2 * r + MARGIN] = p.owner[j]! < 0 ? margin : 0;
      if ((flags & RATED) !== 0) shard.partnerSide[2 * r + RATING_GIVEN] = clamp01(q + ratingNoise * shard.noise[2 * r + RATING_NOISE]!);
    }
    c.satisfaction[i] = (1 - memory) * c.satisfaction[i]! + memory * q;
    t.grossValue += v * q;
    t.realCost += unitCost;
    if (c.tie[i] === j) {
      if (c.tieCount[i]! < 0xffff) c.tieCount[i]!++;
    } else if (!leaked && (flags & TIES) !== 0) {
      // A new pair forms a tie, which takes the place of an older one (section 3.6): a customer
      // keeps one off-platform relationship, with the partner it dealt with last.
      c.tie[i] = j;
      c.tieCount[i] = 1;
    }
    let surplus: number;
    let earned = 0;
    if (leaked) {
      // Off the platform at the platform's price (section 4): no fee, no coupon, no commission.
      surplus = customerSurplus(v, q, price, 0, 0);
      t.leaked++;
      t.customerNet += surplus;
      t.partnerNet += price - unitCost;
      if ((flags & DETECTED) !== 0) {
        t.fees += pol.penalty;
        t.partnerNet -= pol.penalty;
      }
    } else {
      const paid = coupon[shard.offset + r]!;
      earned = commission(price, takeRate, customerFee);
      surplus = customerSurplus(v, q, price, customerFee, paid);
      t.matches++;
      t.gmv += price;
      t.commission += earned;
      t.coupons += paid;
      t.customerNet += surplus;
      const trust = pol.valueAddCostShare * pol.valueAdd * price;
      t.trustServices += trust;
      t.realCost += trust;
      c.revenue[i] += earned;
      if (p.owner[j]! >= 0) {
        t.houseSales += price * (1 - takeRate);
        t.houseCosts += unitCost;
      } else {
        t.partnerNet += margin;
      }
    }
    exp[e] = nextExperience(exp[e]!, memory, surplus);
    if (ledger !== null) ledger.deal(e, leaked ? 0 : 1, leaked ? 0 : price, earned, surplus);
  }
}

/**
 * The partners' side of a shard's outcomes (sections 3.6, 3.7 and 4): sales, income, ratings and
 * suspensions, from what settleCustomers worked out. Partners are shared by all shards, so this
 * runs on one thread, over the shards in order, which fixes the order of the sums.
 */
export function settlePartners(st: EcosystemState, shard: Shard, tick: number): void {
  const p = st.partners;
  const P = st.platforms.length;
  const { outcome } = st.needs;
  const side = shard.partnerSide;
  for (let r = 0; r < shard.count; r++) {
    const chosen = outcome[shard.offset + r]!;
    if (chosen === UNMET || chosen === DECLINED) continue;
    const flags = shard.flags[r]!;
    const k = flags & PLATFORM;
    const leaked = chosen <= LEAKED;
    const j = leaked ? LEAKED - chosen : chosen;
    const slot = j * P + k;
    if (leaked) {
      if ((flags & DETECTED) !== 0) {
        const pol = st.platforms[k]!.policy;
        p.suspendedUntil[slot] = tick + 1 + pol.suspensionTicks;
        p.income[slot] -= pol.penalty;
      }
      continue;
    }
    p.sales[slot]!++;
    // House supply's margin is 0 here: its sales are the platform's (section 3.1).
    p.income[slot] += side[2 * r + MARGIN]!;
    // Only what happens on the platform is rated: it does not see a leaked transaction.
    if ((flags & RATED) !== 0) {
      p.ratingSum[j] += side[2 * r + RATING_GIVEN]!;
      p.ratingCount[j]!++;
    }
  }
}
