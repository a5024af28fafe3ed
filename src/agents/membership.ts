import type { Rng } from '../sim/random.js';
import { choiceProbability, hazardProbability, perTick } from './choice.js';
import { membershipUtility, publicSurplus } from './economics.js';
import { addNeed, needProbabilities } from './matching.js';
import type { PlatformSignals } from './signals.js';
import type { EcosystemState, Shard } from './state.js';
import type { ShardTally } from './tally.js';

// Customers' membership decisions (docs/model.md section 3.3): leaving, switching between
// platforms, joining by a logit over the platforms and not joining, lapsing after leaving, and
// multi-homing. Every utility is membershipUtility's; the cross-side term is the surplus per need
// the customer expects: its own experience as a member, the public signal otherwise.

/** Scratch of one shard's decisions: the utility of each platform for the customer at hand. */
const scratch = { utility: new Float64Array(8), weight: new Float64Array(8) };

/**
 * Chooses among `n` options of utility u[0 … n-1] by a logit of temperature T, with `outside`
 * the utility of an option outside the list (-Infinity for none); returns the option or -1 for
 * the outside one. `u01` is the uniform of the draw. At T = 0: the best, ties at random (drawing
 * only when there is a tie), the outside option winning ties.
 */
function logitChoice(u: Float64Array, n: number, outside: number, T: number, u01: number, rng: Rng): number {
  let top = outside;
  for (let a = 0; a < n; a++) if (u[a]! > top) top = u[a]!;
  if (T === 0) {
    if (top === outside) return -1;
    let pick = -1;
    let ties = 0;
    for (let a = 0; a < n; a++) {
      if (u[a]! !== top) continue;
      ties++;
      if (ties === 1 || rng.next() * ties < 1) pick = a;
    }
    return pick;
  }
  const w = scratch.weight;
  let sum = outside === -Infinity ? 0 : Math.exp((outside - top) / T);
  const out = sum;
  for (let a = 0; a < n; a++) {
    w[a] = Math.exp((u[a]! - top) / T);
    sum += w[a]!;
  }
  let x = u01 * sum - out;
  if (x < 0) return -1;
  for (let a = 0; a < n; a++) {
    x -= w[a]!;
    if (x < 0) return a;
  }
  return n - 1;
}

export function adoptionPhase(st: EcosystemState, shard: Shard, sig: PlatformSignals, tick: number): void {
  const c = st.customers;
  const cfg = st.scenario.customers;
  // Per-customer keys by the customer's segment, prices by its group (section 10.1).
  const seg = st.segments;
  const dt = st.scenario.dt;
  const T = cfg.temperature;
  const P = st.platforms.length;
  const { open, base, availability, meanRating, dealCost, subscription, position } = sig;
  const multiHoming = cfg.multiHoming;
  const mhc = multiHoming ? cfg.multiHomingCost : 0;
  const switching = P > 1 && !multiHoming;
  const rng = shard.rng;
  const ticked = shard.tally;
  const needProb = needProbabilities(st);
  const exp = c.experience;
  const ledger = st.ledger;
  const U = scratch.utility;
  // The utility of platform k to a customer who is not (yet) its member: the public signal.
  const outsiderUtility = (v: number, loc: number, k: number, g: number, at: number): number =>
    membershipUtility(v, base[k]!, seg.crossWeight[g]! * publicSurplus(availability[k]!, v, meanRating[k]!, dealCost[at]!), subscription[at]!, seg.differentiation[g]! * Math.abs(loc - position[k]!)) -
    seg.joinCost[g]!;
  const join = (i: number, k: number, v: number, g: number, at: number, t: ShardTally): void => {
    const cell = g * P + k;
    const cost = seg.joinCost[g]!;
    ticked.customers[cell]!++;
    const pt = t.platforms[cell]!;
    pt.joins++;
    pt.customerNet -= cost;
    pt.realCost += cost;
    if (ledger !== null && cost !== 0) ledger.value(i * P + k, -cost);
    // A new member expects what the signal it joined on promised (section 3.3).
    exp[i * P + k] = publicSurplus(availability[k]!, v, meanRating[k]!, dealCost[at]!);
  };
  const leave = (i: number, k: number, g: number, t: ShardTally): void => {
    const cell = g * P + k;
    ticked.customers[cell]!--;
    const pt = t.platforms[cell]!;
    pt.churned++;
    pt.clvSum += c.revenue[i]!;
    pt.clvCount++;
  };
  shard.count = 0;
  for (let i = shard.start; i < shard.end; i++) {
    let m = c.member[i]!;
    if (m === 0 && c.aware[i] === 0) continue;
    const v = c.value[i]!;
    const s = c.satisfaction[i]!;
    const loc = c.taste[i]!;
    const row = i * P;
    const g = c.segment[i]!;
    const gp = c.group[i]! * P;
    const diff = seg.differentiation[g]!;
    const crossWeight = seg.crossWeight[g]!;
    if (m !== 0) {
      // Leaving: the churn hazard, and the pull of a negative utility, per membership.
      const churn = hazardProbability(seg.churnBase[g]! + seg.churnDissatisfaction[g]! * (1 - s), dt);
      const extra = (m & (m - 1)) !== 0 ? mhc : 0;
      for (let k = 0; k < P; k++) {
        if ((m & (1 << k)) === 0) continue;
        const u = membershipUtility(v, base[k]!, crossWeight * exp[row + k]!, subscription[gp + k]!, diff * Math.abs(loc - position[k]!)) - extra;
        const pull = u < 0 ? perTick(choiceProbability(-u, T), dt) : 0;
        const out = 1 - (1 - churn) * (1 - pull);
        if (out > 0 && rng.next() < out) {
          m &= ~(1 << k);
          leave(i, k, g, ticked);
        }
      }
      if (m === 0) {
        // Lapsed: aware still, but it considers no platform for a while.
        c.revenue[i] = 0;
        c.lapsedUntil[i] = tick + 1 + seg.reentryDelay[g]!;
      } else if (switching && seg.switchRate[g]! > 0 && rng.next() < seg.switchProbability[g]!) {
        // Switching: staying against each other launched platform, without the option of leaving.
        const k = 31 - Math.clz32(m);
        let n = 0;
        for (let l = 0; l < P; l++) U[l] = -Infinity;
        U[k] = membershipUtility(v, base[k]!, crossWeight * exp[row + k]!, subscription[gp + k]!, diff * Math.abs(loc - position[k]!));
        for (let l = 0; l < P; l++) {
          if (l !== k && open[l] !== 0) {
            U[l] = outsiderUtility(v, loc, l, g, gp + l) - seg.switchingCost[g]!;
            n++;
          }
        }
        if (n > 0) {
          // Staying is listed first so that it wins ties at zero temperature.
          const stay = U[k]!;
          U[k] = -Infinity;
          const l = logitChoice(U, P, stay, T, rng.next(), rng);
          if (l >= 0) {
            leave(i, k, g, ticked);
            c.revenue[i] = 0;
            m = 1 << l;
            join(i, l, v, g, gp + l, ticked);
          }
        }
      }
    } else if (tick >= c.lapsedUntil[i]!) {
      if (!multiHoming) {
        // Joining: a logit over the launched platforms and not joining.
        let n = 0;
        let only = -1;
        for (let k = 0; k < P; k++) {
          if (open[k] === 0) {
            U[k] = -Infinity;
            continue;
          }
          U[k] = outsiderUtility(v, loc, k, g, gp + k);
          only = k;
          n++;
        }
        if (n === 1) {
          // One platform (the common case): σ(U/T).
          const prob = perTick(choiceProbability(U[only]!, T), dt);
          if (prob >= 1 || (prob > 0 && rng.next() < prob)) {
            m = 1 << only;
            join(i, only, v, g, gp + only, ticked);
          }
        } else if (n > 1) {
          const k = joinChoice(U, P, T, dt, rng);
          if (k >= 0) {
            m = 1 << k;
            join(i, k, v, g, gp + k, ticked);
          }
        }
      }
    }
    if (multiHoming && (m !== 0 || tick >= c.lapsedUntil[i]!)) {
      // Multi-homing: each platform it lacks by its own σ(U/T), less the cost of holding several.
      for (let k = 0; k < P; k++) {
        if (open[k] === 0 || (m & (1 << k)) !== 0) continue;
        const u = outsiderUtility(v, loc, k, g, gp + k) - (m !== 0 ? mhc : 0);
        const prob = perTick(choiceProbability(u, T), dt);
        if (prob >= 1 || (prob > 0 && rng.next() < prob)) {
          m |= 1 << k;
          join(i, k, v, g, gp + k, ticked);
        }
      }
    }
    c.member[i] = m;
    if (m === 0) continue;
    // Needs go to the membership that promises the most surplus per need.
    let bestK = 31 - Math.clz32(m);
    if ((m & (m - 1)) !== 0) {
      let bestS = -Infinity;
      for (let k = 0; k < P; k++) {
        if ((m & (1 << k)) !== 0 && exp[row + k]! > bestS) {
          bestS = exp[row + k]!;
          bestK = k;
        }
      }
    }
    c.best[i] = bestK;
    // A member's need this tick (section 3.5), drawn here to spare a second pass over the customers.
    if (rng.next() < needProb[g]!) addNeed(st, shard, i);
    memberTallies(st, shard, i, m, bestK, v, s, sig, g, gp);
  }
}

/**
 * A logit among the platforms of utility U (-Infinity where closed) and not joining (section 3.3):
 * the probability of joining one, as a per-tick probability for ticks of length dt, then which.
 */
function joinChoice(U: Float64Array, P: number, T: number, dt: number, rng: Rng): number {
  // At zero temperature a platform of utility exactly 0 is joined: not joining only wins below it.
  if (T === 0) return logitChoice(U, P, -Number.MIN_VALUE, 0, 0, rng);
  let top = 0;
  for (let k = 0; k < P; k++) if (U[k]! > top) top = U[k]!;
  let inside = 0;
  for (let k = 0; k < P; k++) inside += Math.exp((U[k]! - top) / T);
  const join = perTick(inside / (inside + Math.exp(-top / T)), dt);
  const u = rng.next();
  if (u >= join) return -1;
  // The uniform, given that it fell below `join`, is uniform again: it also picks the platform.
  return logitChoice(U, P, -Infinity, T, u / join, rng);
}

/** Subscriptions, multi-homing costs, the value of membership and the member tallies of customer i (sections 3.3 and 7). */
function memberTallies(st: EcosystemState, shard: Shard, i: number, m: number, bestK: number, v: number, s: number, sig: PlatformSignals, g: number, gp: number): void {
  const ticked = shard.tally;
  const P = st.platforms.length;
  // Tallied per (segment, platform); subscriptions by the customer's group.
  const tallies = ticked.platforms;
  const cells = g * P;
  const c = st.customers;
  const ledger = st.ledger;
  const multi = (m & (m - 1)) !== 0;
  ticked.members++;
  ticked.satisfactionSum += s;
  if (!multi) {
    // One membership, the searched one: the common case, without the loop.
    const t = tallies[cells + bestK]!;
    const sub = sig.subscription[gp + bestK]!;
    const worth = v * sig.base[bestK]!;
    t.satisfactionSum += s;
    t.membershipValue += worth;
    t.customerNet += worth;
    t.grossValue += worth;
    if (sub !== 0) {
      t.subscriptions += sub;
      t.customerNet -= sub;
      c.revenue[i] += sub;
    }
    if (ledger !== null) ledger.member(i * P + bestK, worth, sub);
    return;
  }
  ticked.multiHomers++;
  const mhc = st.scenario.customers.multiHomingCost;
  let paid = 0;
  for (let k = 0; k < P; k++) {
    if ((m & (1 << k)) === 0) continue;
    const sub = sig.subscription[gp + k]!;
    const worth = v * sig.base[k]!;
    const t = tallies[cells + k]!;
    if (ledger !== null) ledger.member(i * P + k, worth - mhc, sub);
    t.subscriptions += sub;
    t.customerNet += worth - sub - mhc;
    t.membershipValue += worth;
    t.grossValue += worth;
    t.satisfactionSum += s;
    t.multiHomers++;
    t.realCost += mhc;
    paid += sub;
  }
  if (paid !== 0) c.revenue[i] += paid;
}
