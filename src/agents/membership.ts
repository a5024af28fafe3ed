import type { Rng } from '../sim/random.js';
import { BOUNDED_HAZARD, choiceProbability, hazardBound, hazardProbability, perTick } from './choice.js';
import { membershipUtility, publicSurplus } from './economics.js';
import { addNeed, needProbabilities } from './matching.js';
import { customersTreatedAt } from './experimentRun.js';
import { membershipLedger, type CustomerLedger } from './ledger.js';
import { WARM_TICKS } from './warmTicks.js';
import type { SegmentTable } from './segments.js';
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

/**
 * What the decisions of one shard's customers read in the adoption phase: the tick's signals and
 * the scenario's constants, gathered once per shard. The rare decisions (switching, multi-homing,
 * choosing among several platforms) are functions of their own that take this: the loop over the
 * customers stays small enough for the optimizer to inline the helpers of the common ones.
 */
interface Adoption {
  readonly st: EcosystemState;
  readonly sig: PlatformSignals;
  readonly tally: ShardTally;
  readonly rng: Rng;
  /** Per-customer keys by the customer's segment (section 10.1). */
  readonly seg: SegmentTable;
  readonly P: number;
  readonly T: number;
  readonly dt: number;
  readonly mhc: number;
  readonly switching: boolean;
  readonly tick: number;
}

/**
 * The utility of platform k to a customer of segment g who is not (yet) its member: the public
 * signal; `at` is k's slot for the customer's pricing group (group * P + k).
 */
function outsiderUtility(a: Adoption, v: number, loc: number, k: number, g: number, at: number): number {
  const { base, availability, meanRating, dealCost, subscription, position } = a.sig;
  const seg = a.seg;
  return (
    membershipUtility(v, base[k]!, seg.crossWeight[g]! * publicSurplus(availability[k]!, v, meanRating[k]!, dealCost[at]!), subscription[at]!, seg.differentiation[g]! * Math.abs(loc - position[k]!)) -
    seg.joinCost[g]!
  );
}

/** Customer i of segment g joins platform k (`at` its group's slot): tallied per (segment, platform). */
function join(a: Adoption, i: number, k: number, v: number, g: number, at: number): void {
  const sig = a.sig;
  const cell = g * a.P + k;
  const cost = a.seg.joinCost[g]!;
  a.tally.customers[cell]!++;
  const pt = a.tally.platforms[cell]!;
  pt.joins++;
  pt.customerNet -= cost;
  pt.realCost += cost;
  const ledger = membershipLedger(a.st.ledger);
  if (ledger !== null && cost !== 0) ledger.value(i * a.P + k, -cost);
  // A new member expects what the signal it joined on promised (section 3.3).
  a.st.customers.experience[i * a.P + k] = publicSurplus(sig.availability[k]!, v, sig.meanRating[k]!, sig.dealCost[at]!);
}

function leave(a: Adoption, i: number, k: number, g: number): void {
  const cell = g * a.P + k;
  a.tally.customers[cell]!--;
  const pt = a.tally.platforms[cell]!;
  pt.churned++;
  pt.clvSum += a.st.customers.revenue[i]!;
  pt.clvCount++;
}

export function adoptionPhase(st: EcosystemState, shard: Shard, sig: PlatformSignals, tick: number): void {
  if (st.onePlatform) return adoptOnePlatform(st, shard, sig, tick);
  const c = st.customers;
  const cfg = st.scenario.customers;
  const P = st.platforms.length;
  const multiHoming = cfg.multiHoming;
  const dt = st.scenario.dt;
  const a: Adoption = {
    st,
    sig,
    tally: shard.tally,
    rng: shard.rng,
    P,
    seg: st.segments,
    T: cfg.temperature,
    dt,
    mhc: multiHoming ? cfg.multiHomingCost : 0,
    switching: P > 1 && !multiHoming,
    tick,
  };
  const rng = shard.rng;
  const needProb = needProbabilities(st);
  const exp = c.experience;
  shard.count = 0;
  // Each decision is a function of its own, called with the customer's index alone: compiled on
  // its own, it inlines its helpers whatever the mix of members and non-members in the ticks on
  // which the optimizer first saw this loop, and no number is boxed to cross a call.
  for (let i = shard.start; i < shard.end; i++) {
    let m = c.member[i]!;
    if (m === 0 && c.aware[i] === 0) continue;
    if (m !== 0) m = stayOrLeave(a, i, m);
    else if (!multiHoming && tick >= c.lapsedUntil[i]!) m = considerJoining(a, i);
    if (multiHoming && (m !== 0 || tick >= c.lapsedUntil[i]!)) m = multiHome(a, i, m);
    c.member[i] = m;
    if (m === 0) continue;
    // Needs go to the membership that promises the most surplus per need.
    const bestK = (m & (m - 1)) === 0 ? 31 - Math.clz32(m) : bestMembership(exp, i * P, m, P);
    c.best[i] = bestK;
    // A member's need this tick (section 3.5), drawn here to spare a second pass over the customers.
    if (rng.next() < needProb[c.segment[i]!]!) addNeed(st, shard, i);
    if ((m & (m - 1)) === 0) oneMembershipTallies(a, i, bestK);
    else severalMembershipsTallies(a, i, m);
  }
}

/**
 * The probability of leaving a platform in a tick: by the churn hazard's probability or by the
 * pull of a negative utility (section 3.3). Rises with either.
 */
function leaveProbability(churn: number, pull: number): number {
  return 1 - (1 - churn) * (1 - pull);
}

/**
 * Whether a member of utility u under churn hazard `hazard` leaves a platform this tick (section
 * 3.3), drawing once when leaving is possible. Most members have a utility of at least 0, and for
 * them a uniform at or above the probability of leaving at the hazard's bound shows at once that
 * they stay: the churn probability is then never worked out. The same draws and outcomes either way.
 */
function leaves(rng: Rng, hazard: number, u: number, T: number, dt: number): boolean {
  const bound = hazardBound(hazard, dt);
  if (bound >= BOUNDED_HAZARD && !(u < 0)) {
    // Without a pull a draw is certain (BOUNDED_HAZARD), against leaveProbability(churn, 0).
    const x = rng.next();
    return x < leaveProbability(bound, 0) && x < leaveProbability(hazardProbability(hazard, dt), 0);
  }
  const out = leaveProbability(hazardProbability(hazard, dt), u < 0 ? perTick(choiceProbability(-u, T), dt) : 0);
  return out > 0 && rng.next() < out;
}

/** Whether a customer joins a platform of utility u, by σ(U/T) per tick (section 3.3), drawing only when the outcome is uncertain. */
function joins(rng: Rng, u: number, T: number, dt: number): boolean {
  const prob = perTick(choiceProbability(u, T), dt);
  return prob >= 1 || (prob > 0 && rng.next() < prob);
}

/**
 * A member's decisions (membership bits m): leaving each platform by the churn hazard and the pull
 * of a negative utility, lapsing if it left the last, else switching. Returns the membership.
 */
function stayOrLeave(a: Adoption, i: number, m: number): number {
  const c = a.st.customers;
  const seg = a.seg;
  const { base, subscription, position } = a.sig;
  const { P, T, dt } = a;
  const exp = c.experience;
  const v = c.value[i]!;
  const loc = c.taste[i]!;
  const row = i * P;
  const g = c.segment[i]!;
  const gp = c.group[i]! * P;
  const crossWeight = seg.crossWeight[g]!;
  const diff = seg.differentiation[g]!;
  const hazard = seg.churnBase[g]! + seg.churnDissatisfaction[g]! * (1 - c.satisfaction[i]!);
  const extra = (m & (m - 1)) !== 0 ? a.mhc : 0;
  for (let k = 0; k < P; k++) {
    if ((m & (1 << k)) === 0) continue;
    const u = membershipUtility(v, base[k]!, crossWeight * exp[row + k]!, subscription[gp + k]!, diff * Math.abs(loc - position[k]!)) - extra;
    if (leaves(a.rng, hazard, u, T, dt)) {
      m &= ~(1 << k);
      leave(a, i, k, g);
    }
  }
  if (m === 0) {
    // Lapsed: aware still, but it considers no platform for a while.
    c.revenue[i] = 0;
    c.lapsedUntil[i] = a.tick + 1 + seg.reentryDelay[g]!;
  } else if (a.switching && seg.switchRate[g]! > 0 && a.rng.next() < seg.switchProbability[g]!) {
    m = switchPlatform(a, i, m, v, loc, g, gp);
  }
  return m;
}

/**
 * A non-member's decision to join (without multi-homing): a logit over the launched platforms and
 * not joining; with one platform open (the common case) σ(U/T). Returns the membership.
 */
function considerJoining(a: Adoption, i: number): number {
  const only = a.P === 1 ? (a.sig.open[0] !== 0 ? 0 : -1) : onlyOpen(a.sig.open, a.P);
  if (only === -1) return 0;
  const c = a.st.customers;
  const v = c.value[i]!;
  const loc = c.taste[i]!;
  const g = c.segment[i]!;
  const gp = c.group[i]! * a.P;
  if (only === SEVERAL) return joinOne(a, i, v, loc, g, gp);
  if (joins(a.rng, outsiderUtility(a, v, loc, only, g, gp + only), a.T, a.dt)) {
    join(a, i, only, v, g, gp + only);
    return 1 << only;
  }
  return 0;
}

/** onlyOpen: more than one platform is open. */
const SEVERAL = -2;

/** The one open platform, -1 if none is, SEVERAL if more than one is. */
function onlyOpen(open: Float64Array, P: number): number {
  let only = -1;
  for (let k = 0; k < P; k++) {
    if (open[k] === 0) continue;
    if (only >= 0) return SEVERAL;
    only = k;
  }
  return only;
}

/** Joining when several platforms are open: a logit over them and not joining. Returns the membership. */
function joinOne(a: Adoption, i: number, v: number, loc: number, g: number, gp: number): number {
  const { open } = a.sig;
  const U = scratch.utility;
  for (let k = 0; k < a.P; k++) U[k] = open[k] === 0 ? -Infinity : outsiderUtility(a, v, loc, k, g, gp + k);
  const k = joinChoice(U, a.P, a.T, a.dt, a.rng);
  if (k < 0) return 0;
  join(a, i, k, v, g, gp + k);
  return 1 << k;
}

/** Switching: staying against each other launched platform, without the option of leaving. Returns the membership. */
function switchPlatform(a: Adoption, i: number, m: number, v: number, loc: number, g: number, gp: number): number {
  const { open, base, subscription, position } = a.sig;
  const exp = a.st.customers.experience;
  const seg = a.seg;
  const switchingCost = seg.switchingCost[g]!;
  const U = scratch.utility;
  const P = a.P;
  const k = 31 - Math.clz32(m);
  let n = 0;
  for (let l = 0; l < P; l++) U[l] = -Infinity;
  U[k] = membershipUtility(v, base[k]!, seg.crossWeight[g]! * exp[i * P + k]!, subscription[gp + k]!, seg.differentiation[g]! * Math.abs(loc - position[k]!));
  for (let l = 0; l < P; l++) {
    if (l !== k && open[l] !== 0) {
      U[l] = outsiderUtility(a, v, loc, l, g, gp + l) - switchingCost;
      n++;
    }
  }
  if (n === 0) return m;
  // Staying is listed first so that it wins ties at zero temperature.
  const stay = U[k]!;
  U[k] = -Infinity;
  const l = logitChoice(U, P, stay, a.T, a.rng.next(), a.rng);
  if (l < 0) return m;
  leave(a, i, k, g);
  a.st.customers.revenue[i] = 0;
  join(a, i, l, v, g, gp + l);
  return 1 << l;
}

/** Multi-homing: each platform it lacks by its own σ(U/T), less the cost of holding several. Returns the membership. */
function multiHome(a: Adoption, i: number, m: number): number {
  const { open } = a.sig;
  const v = a.st.customers.value[i]!;
  const loc = a.st.customers.taste[i]!;
  const g = a.st.customers.segment[i]!;
  const gp = a.st.customers.group[i]! * a.P;
  for (let k = 0; k < a.P; k++) {
    if (open[k] === 0 || (m & (1 << k)) !== 0) continue;
    if (joins(a.rng, outsiderUtility(a, v, loc, k, g, gp + k) - (m !== 0 ? a.mhc : 0), a.T, a.dt)) {
      m |= 1 << k;
      join(a, i, k, v, g, gp + k);
    }
  }
  return m;
}

/** Of several memberships, the one that promises the most surplus per need (the first of equals). */
function bestMembership(exp: Float64Array, row: number, m: number, P: number): number {
  let bestK = 31 - Math.clz32(m);
  let bestS = -Infinity;
  for (let k = 0; k < P; k++) {
    if ((m & (1 << k)) !== 0 && exp[row + k]! > bestS) {
      bestS = exp[row + k]!;
      bestK = k;
    }
  }
  return bestK;
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

/** Subscriptions, the value of membership and the member tallies of customer i, a member of platform k alone (sections 3.3 and 7). */
function oneMembershipTallies(a: Adoption, i: number, k: number): void {
  const ticked = a.tally;
  const sig = a.sig;
  const c = a.st.customers;
  const v = c.value[i]!;
  const s = c.satisfaction[i]!;
  ticked.members++;
  ticked.satisfactionSum += s;
  // Tallied per (segment, platform); the subscription by the customer's pricing group.
  const t = ticked.platforms[c.segment[i]! * a.P + k]!;
  const sub = sig.subscription[c.group[i]! * a.P + k]!;
  const worth = v * sig.base[k]!;
  t.satisfactionSum += s;
  t.membershipValue += worth;
  t.customerNet += worth;
  t.grossValue += worth;
  if (sub !== 0) {
    t.subscriptions += sub;
    t.customerNet -= sub;
    c.revenue[i] += sub;
  }
  const ledger = membershipLedger(a.st.ledger);
  if (ledger !== null) ledger.member(i * a.P + k, worth, sub);
}

/** The same for a customer of several platforms (membership bits m), multi-homing costs included. */
function severalMembershipsTallies(a: Adoption, i: number, m: number): void {
  const ticked = a.tally;
  const c = a.st.customers;
  const v = c.value[i]!;
  const s = c.satisfaction[i]!;
  const tallies = ticked.platforms;
  const sig = a.sig;
  const cells = c.segment[i]! * a.P;
  const gp = c.group[i]! * a.P;
  const ledger = membershipLedger(a.st.ledger);
  ticked.members++;
  ticked.satisfactionSum += s;
  ticked.multiHomers++;
  const mhc = a.st.scenario.customers.multiHomingCost;
  let paid = 0;
  for (let k = 0; k < a.P; k++) {
    if ((m & (1 << k)) === 0) continue;
    const sub = sig.subscription[gp + k]!;
    const worth = v * sig.base[k]!;
    const t = tallies[cells + k]!;
    if (ledger !== null) ledger.member(i * a.P + k, worth - mhc, sub);
    t.subscriptions += sub;
    t.customerNet += worth - sub - mhc;
    t.membershipValue += worth;
    t.grossValue += worth;
    t.satisfactionSum += s;
    t.multiHomers++;
    t.realCost += mhc;
    paid += sub;
  }
  if (paid !== 0) a.st.customers.revenue[i] += paid;
}

/**
 * adoptionPhase for one platform without multi-homing (EcosystemState.onePlatform), the common
 * case: the same decisions by the same functions, draw for draw, and the same sums in the same
 * order. The general loop reads the signals and keys it needs decision by decision, through its
 * calls; this one keeps them in locals (measured on 100 000 customers: half the time of the
 * general loop). A shard stores its customers by segment (initCustomers), so it is run segment by
 * segment, each with its segment's terms and sums in locals: the loop reads per customer only the
 * prices of its pricing group, and only while a customer test runs. (With the segments mixed, a
 * loop that read every customer's terms from a table and added its segment's sums in place ran
 * 20% slower with three segments than with one.)
 */
function adoptOnePlatform(st: EcosystemState, shard: Shard, sig: PlatformSignals, tick: number): void {
  const view: OnePlatform = {
    T: st.scenario.customers.temperature,
    dt: st.scenario.dt,
    base: sig.base[0]!,
    position: sig.position[0]!,
    open: sig.open[0] !== 0,
    availability: sig.availability[0]!,
    meanRating: sig.meanRating[0]!,
    ledger: membershipLedger(st.ledger),
    // Per customer only while a customer test treats some, and only the prices it changes; in the
    // warm-up ticks (warmTicks.ts) both, every customer's group being its segment's.
    grouped: st.groups.customerGroups > st.groups.segments && customersTreatedAt(st.scenario, tick),
    warm: st.groups.customerGroups > st.groups.segments && tick < WARM_TICKS,
  };
  const segment = st.customers.segment;
  const last = st.segments.count - 1;
  shard.count = 0;
  let from = shard.start;
  for (let g = 0; g <= last && from < shard.end; g++) {
    const to = g === last ? shard.end : segmentEnd(segment, from, shard.end, g);
    if (to > from) adoptSegment(st, shard, sig, view, tick, g, from, to);
    from = to;
  }
}

/** The end of segment g's run of customers from `from` (the first of a later segment, or `end`): a shard keeps them in segment order. */
function segmentEnd(segment: Uint8Array, from: number, end: number, g: number): number {
  let lo = from;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (segment[mid]! <= g) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What adoptSegment reads of the tick: the keys, the platform's signals, the ledger, whether a customer test treats customers now (`grouped`), and the warm-up ticks (`warm`), which read prices by group too. */
interface OnePlatform {
  readonly T: number;
  readonly dt: number;
  readonly base: number;
  readonly position: number;
  readonly open: boolean;
  readonly availability: number;
  readonly meanRating: number;
  readonly ledger: CustomerLedger | null;
  readonly grouped: boolean;
  readonly warm: boolean;
}

/** Whether some pricing group of segment g (g, g + segments, …: pricingGroups.ts) has another price in `of` than the segment's own. */
function varies(of: Float64Array, g: number, segments: number, groups: number): boolean {
  for (let h = g + segments; h < groups; h += segments) if (of[h] !== of[g]) return true;
  return false;
}

/** adoptOnePlatform over customers from … to-1, all of segment g: its sums into the segment's cell of the shard's tally, its members into the shard's. */
function adoptSegment(st: EcosystemState, shard: Shard, sig: PlatformSignals, view: OnePlatform, tick: number, g: number, from: number, to: number): void {
  const { value, taste, satisfaction, member, aware, lapsedUntil, revenue, experience, group } = st.customers;
  const { T, dt, base, position, open, availability, meanRating, ledger, grouped, warm } = view;
  const rng = shard.rng;
  const seg = st.segments;
  const customers = shard.tally.customers;
  // A pricing group's index is its segment's while no customer test treats it (pricingGroups.ts).
  const { subscription: subOf, dealCost: dealOf } = sig;
  const segmentSub = subOf[g]!;
  const segmentDeal = dealOf[g]!;
  const groups = st.groups.customerGroups;
  // Asked whenever there are groups, so that its code is compiled before a test needs it.
  const subVaries = groups > seg.count && varies(subOf, g, seg.count, groups);
  const dealVaries = groups > seg.count && varies(dealOf, g, seg.count, groups);
  const subByGroup = warm || (grouped && subVaries);
  const dealByGroup = warm || (grouped && dealVaries);
  const crossWeight = seg.crossWeight[g]!;
  const differentiation = seg.differentiation[g]!;
  const churnBase = seg.churnBase[g]!;
  const churnDissatisfaction = seg.churnDissatisfaction[g]!;
  const joinCost = seg.joinCost[g]!;
  const reentryDelay = seg.reentryDelay[g]!;
  const needs = needProbabilities(st)[g]!;
  let members = 0;
  // The shard's running sum, carried from segment to segment: the sum the general loop adds customer by customer.
  let satisfactionSum = shard.tally.satisfactionSum;
  // Counts, exact in any order, kept as integers out of the floating-point registers.
  let joined = 0;
  let churned = 0;
  let clv = 0;
  let customerNet = 0;
  let joinCosts = 0;
  let segmentSatisfaction = 0;
  let worths = 0;
  let subscriptions = 0;
  for (let i = from; i < to; i++) {
    if (member[i] === 0 && (aware[i] === 0 || !open || tick < lapsedUntil[i]!)) continue;
    // Priced by the customer's group (section 10.2): a choice made once a tick, so always predicted.
    const sub = subByGroup ? subOf[group[i]!]! : segmentSub;
    const v = value[i]!;
    if (member[i] === 0) {
      const expected = publicSurplus(availability, v, meanRating, dealByGroup ? dealOf[group[i]!]! : segmentDeal);
      const u = membershipUtility(v, base, crossWeight * expected, sub, differentiation * Math.abs(taste[i]! - position)) - joinCost;
      if (!joins(rng, u, T, dt)) continue;
      member[i] = 1;
      customers[g]!++;
      joined++;
      customerNet -= joinCost;
      joinCosts += joinCost;
      if (ledger !== null && joinCost !== 0) ledger.value(i, -joinCost);
      // A new member expects what the signal it joined on promised (section 3.3).
      experience[i] = expected;
    } else {
      const hazard = churnBase + churnDissatisfaction * (1 - satisfaction[i]!);
      const u = membershipUtility(v, base, crossWeight * experience[i]!, sub, differentiation * Math.abs(taste[i]! - position));
      if (leaves(rng, hazard, u, T, dt)) {
        // Lapsed: aware still, but it considers no platform for a while.
        member[i] = 0;
        customers[g]!--;
        churned++;
        clv += revenue[i]!;
        revenue[i] = 0;
        lapsedUntil[i] = tick + 1 + reentryDelay;
        continue;
      }
    }
    // A member's need this tick (section 3.5), searched on the one platform: `best` stays 0.
    if (rng.next() < needs) addNeed(st, shard, i);
    // Subscriptions and the value of membership (sections 3.3 and 7), as oneMembershipTallies books them.
    const sat = satisfaction[i]!;
    const worth = v * base;
    members++;
    satisfactionSum += sat;
    segmentSatisfaction += sat;
    worths += worth;
    customerNet += worth;
    if (sub !== 0) {
      subscriptions += sub;
      customerNet -= sub;
      revenue[i] += sub;
    }
    if (ledger !== null) ledger.member(i, worth, sub);
  }
  // The segment's cell is 0 until now: one run of each segment per shard and phase.
  const t = shard.tally.platforms[g]!;
  t.joins += joined;
  t.churned += churned;
  t.clvSum += clv;
  t.clvCount += churned;
  t.customerNet += customerNet;
  t.realCost += joinCosts;
  t.satisfactionSum += segmentSatisfaction;
  t.membershipValue += worths;
  t.grossValue += worths;
  t.subscriptions += subscriptions;
  shard.tally.members += members;
  shard.tally.satisfactionSum = satisfactionSum;
}
