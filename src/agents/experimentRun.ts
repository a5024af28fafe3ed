import { momentsOf, welchOf, type Moments } from '../sim/stats.js';
import { stream } from '../sim/random.js';
import type { Scenario } from '../sim/scenario/schema.js';
import { priceFactor } from './economics.js';
import { ExperimentRun, windowHolds } from './experimentState.js';
import type { EcosystemState } from './state.js';

// The platforms' own A/B tests in the market (docs/model.md section 10.2): at its start a test
// draws which units it treats from its own stream and marks them in their pricing groups (see
// pricingGroups.ts), so deals are priced by the treated side's policy; over its window it adds up
// each unit's outcome; at its end it compares treated and control units (the platform's estimate,
// with a Welch interval), sets the units back, and takes its decision. The true effect comes from
// two copies of the state forked at the start (see trueEffect.ts).

export function createExperimentRuns(st: Pick<EcosystemState, 'scenario' | 'groups'>): ExperimentRun[] {
  return st.scenario.experiments.map((e) => new ExperimentRun(e, st.groups.bitOf(e)));
}

/** The tests that start this tick draw their units and mark them (section 10.2). */
export function startExperiments(st: EcosystemState, tick: number): void {
  for (const run of st.experiments) if (run.config.start === tick) start(st, run);
}

function start(st: EcosystemState, run: ExperimentRun): void {
  const e = run.config;
  const rng = stream({ seed: st.scenario.seed, replication: st.replication, name: `experiment:${e.name}` });
  // A unit is skipped (left in control) by its draw in the run, by the copy's choice in a copy.
  // These loops run once per test and copy: too few times for the optimizer, so they call no
  // function per unit and read arrays from locals, which is what the interpreter spends on.
  const forced = run.forced;
  const share = e.share;
  const P = st.platforms.length;
  const k = e.platform;
  if (e.unit === 'customers') {
    const c = st.customers;
    const segment = e.segment === null ? -1 : st.segments.names.indexOf(e.segment);
    const step = st.groups.segments << run.bit;
    const ledger = run.measured ? (st.ledger?.of(e.metric) ?? null) : null;
    const segmentOf = c.segment;
    const group = c.group;
    const unit = (run.unit = new Uint8Array(c.n));
    const treated = (run.treated = new Uint8Array(c.n));
    const sums = (run.sums = new Float64Array(c.n));
    for (let i = 0; i < c.n; i++) {
      if (segment >= 0 && segmentOf[i] !== segment) continue;
      unit[i] = 1;
      if (ledger !== null) sums[i] = ledger[i * P + k]!;
      if (forced === null ? !(rng.next() < share) : forced === 'none') continue;
      treated[i] = 1;
      group[i]! += step;
    }
  } else {
    const p = st.partners;
    const bit = 1 << run.bit;
    const group = p.group;
    run.unit = new Uint8Array(p.n);
    const treated = (run.treated = new Uint8Array(p.n));
    run.sums = new Float64Array(p.n);
    // House supply is the platform's own: only independent partners are tested.
    for (let j = 0; j < p.independent; j++) {
      if (forced === null ? !(rng.next() < share) : forced === 'none') continue;
      treated[j] = 1;
      group[j * P + k]! |= bit;
    }
  }
  run.active = true;
}

/** Whether a partner test treats some of platform k's partners now: only then do their terms differ from the platform's. */
export function partnersTreated(st: EcosystemState, k: number): boolean {
  // Whether the test is under way is asked last, and the loop is indexed (leaving a for-of early
  // closes its iterator), so that the phases which ask take no new path at a test's start: one
  // threw them away.
  const runs = st.experiments;
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r]!;
    if (run.config.unit === 'partners' && run.config.platform === k && run.active) return true;
  }
  return false;
}

/**
 * Whether some customer test treats customers at tick t: from its start to its end, both in its
 * window (a test starts before the customers' phases of its first tick and ends after those of its
 * last). Read from the scenario, so that a thread running customers' phases knows it too.
 */
export function customersTreatedAt(s: Scenario, t: number): boolean {
  // The loop indexed, as partnersTreated's.
  const tests = s.experiments;
  for (let x = 0; x < tests.length; x++) {
    const e = tests[x]!;
    if (e.unit === 'customers' && windowHolds(e, t)) return true;
  }
  return false;
}

/**
 * After accounting, each partner test adds the tick's outcome of every partner on its platform
 * (members now are units of the test): sales, their value at the partner's price, what the
 * platform earned from the partner (commission at its take rate, listing and promotion fees),
 * and the partner's profit on the platform.
 */
export function trackExperiments(st: EcosystemState): void {
  const p = st.partners;
  const P = st.platforms.length;
  for (const run of st.experiments) {
    if (!run.active || !run.measured || run.config.unit !== 'partners') continue;
    const k = run.config.platform;
    const pl = st.platforms[k]!;
    const metric = run.config.metric;
    const bit = 1 << k;
    const unit = run.unit!;
    const sums = run.sums!;
    for (let j = 0; j < p.independent; j++) {
      if ((p.member[j]! & bit) === 0) continue;
      unit[j] = 1;
      const slot = j * P + k;
      const sales = p.sales[slot]!;
      // Sales alone need no terms: the partner's terms are worked out only for the other metrics.
      if (metric === 'matches') {
        sums[j] += sales;
        continue;
      }
      const terms = st.groups.partnerPolicy(pl, p.group[slot]!);
      const price = p.price[j]! * priceFactor(st.scenario.partners.passThrough, terms.takeRate);
      if (metric === 'gmv') sums[j] += sales * price;
      else if (metric === 'revenue') sums[j] += sales * price * terms.takeRate + terms.listingFee + (p.promoted[slot] ? pl.policy.promotionFee : 0);
      else if (metric === 'partnerValue') sums[j] += p.income[slot]!;
    }
  }
}

/** The tests whose window ends this tick: outcomes, estimate, the units set back, and the decision. */
export function endExperiments(st: EcosystemState, tick: number): void {
  for (const run of st.experiments) if (run.active && run.end === tick) end(st, run);
}

/**
 * Each unit's outcome over the window, at the unit's index (0 for those not in the test). An
 * array rather than a callback per unit: this runs once per test and copy, in the interpreter,
 * where a call per unit costs more than the outcome.
 */
function outcomeByUnit(st: EcosystemState, run: ExperimentRun): Float64Array {
  const e = run.config;
  const P = st.platforms.length;
  const k = e.platform;
  const bit = 1 << k;
  const unit = run.unit!;
  const sums = run.sums!;
  const y = new Float64Array(unit.length);
  if (e.metric === 'retained') {
    const member = e.unit === 'customers' ? st.customers.member : st.partners.member;
    for (let i = 0; i < unit.length; i++) if (unit[i] !== 0 && (member[i]! & bit) !== 0) y[i] = 1;
  } else if (e.unit === 'customers') {
    const ledger = st.ledger!.of(e.metric)!;
    for (let i = 0; i < unit.length; i++) if (unit[i] !== 0) y[i] = ledger[i * P + k]! - sums[i]!;
  } else {
    for (let i = 0; i < unit.length; i++) if (unit[i] !== 0) y[i] = sums[i]!;
  }
  return y;
}

/**
 * The moments of the treated units' outcomes and of the control units', each in unit order (the
 * platform's estimate and its interval). Typed arrays counted first, then filled: this runs once
 * per test, in the interpreter, where pushing onto lists costs more than the sums.
 */
function outcomeMoments(st: EcosystemState, run: ExperimentRun): { treated: Moments; control: Moments } {
  const y = outcomeByUnit(st, run);
  const unit = run.unit!;
  const isTreated = run.treated!;
  let nt = 0;
  let nc = 0;
  for (let i = 0; i < unit.length; i++) {
    if (unit[i] === 0) continue;
    if (isTreated[i] === 1) nt++;
    else nc++;
  }
  const treated = new Float64Array(nt);
  const control = new Float64Array(nc);
  nt = 0;
  nc = 0;
  for (let i = 0; i < unit.length; i++) {
    if (unit[i] === 0) continue;
    if (isTreated[i] === 1) treated[nt++] = y[i]!;
    else control[nc++] = y[i]!;
  }
  return { treated: momentsOf(treated), control: momentsOf(control) };
}

/** A forced copy's mean outcome per unit (every unit treated, or none), summed in unit order as `mean` does. */
function copyMean(st: EcosystemState, run: ExperimentRun): number {
  const y = outcomeByUnit(st, run);
  const unit = run.unit!;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < unit.length; i++) {
    if (unit[i] === 0) continue;
    sum += y[i]!;
    n++;
  }
  return n > 0 ? sum / n : 0;
}

function end(st: EcosystemState, run: ExperimentRun): void {
  const e = run.config;
  const P = st.platforms.length;
  const k = e.platform;
  const outcomes = run.forced === null && run.measured ? outcomeMoments(st, run) : null;
  const forcedMean = run.forced !== null ? copyMean(st, run) : null;
  run.active = false;
  if (forcedMean !== null) {
    // A forced copy ends with its test's window: nothing reads its units' groups after this.
    run.copyMean = forcedMean;
    return;
  }
  // The units go back to the platform's policy.
  if (e.unit === 'customers') {
    const step = st.groups.segments << run.bit;
    const treated = run.treated!;
    const group = st.customers.group;
    for (let i = 0; i < treated.length; i++) if (treated[i]) group[i]! -= step;
  } else {
    const clear = ~(1 << run.bit);
    const group = st.partners.group;
    for (let j = 0; j < st.partners.n; j++) group[j * P + k]! &= clear;
  }
  if (outcomes === null) {
    // In a copy, a test whose outcome nothing reads: its decision needs none.
    if (e.decision === 'adopt') adopt(st, run);
    return;
  }
  const { treated, control } = outcomes;
  const w = treated.n > 0 && control.n > 0 ? welchOf(control, treated) : null;
  const treatedMean = treated.n > 0 ? treated.mean : 0;
  const controlMean = control.n > 0 ? control.mean : 0;
  const estimate = treatedMean - controlMean;
  const ciLow = w?.ciLow ?? null;
  const ciHigh = w?.ciHigh ?? null;
  const better = e.direction === 'raise' ? ciLow !== null && ciLow > 0 : ciHigh !== null && ciHigh < 0;
  const adopted = e.decision === 'adopt' || (e.decision === 'adoptIfBetter' && better);
  if (adopted) adopt(st, run);
  const truth = run.truth ?? { treated: Number.NaN, control: Number.NaN };
  const trueEffect = truth.treated - truth.control;
  run.result = {
    name: e.name,
    platform: st.platforms[k]!.name,
    unit: e.unit,
    metric: e.metric,
    segment: e.segment,
    start: e.start,
    duration: e.duration,
    share: e.share,
    treated: treated.n,
    control: control.n,
    treatedMean,
    controlMean,
    estimate,
    ciLow,
    ciHigh,
    pValue: w?.p ?? null,
    trueTreatedMean: truth.treated,
    trueControlMean: truth.control,
    trueEffect,
    bias: estimate - trueEffect,
    decision: e.decision,
    direction: e.direction,
    adopted,
  };
}

/** The treated policy for every unit: a segment's policy for a test of one segment, the platform's otherwise. */
function adopt(st: EcosystemState, run: ExperimentRun): void {
  const e = run.config;
  const pl = st.platforms[e.platform]!;
  if (e.unit === 'customers' && e.segment !== null) {
    pl.segmentPolicies[e.segment] = { ...pl.segmentPolicies[e.segment], ...e.set };
    return;
  }
  Object.assign(pl.policy, e.set);
  if (e.unit !== 'customers') return;
  // Segments with a policy of their own for these keys get the adopted one too: every unit has it.
  for (const own of Object.values(pl.segmentPolicies)) for (const key of Object.keys(e.set)) delete own[key as keyof typeof own];
}
