import type { Memory } from '../sim/memory.js';
import type { ExperimentMetric, Scenario } from '../sim/scenario/schema.js';
import { windowHolds } from './experimentState.js';
import { WARM_TICKS } from './warmTicks.js';

// What each customer did on each platform since the start of the run, for the outcomes that
// customer experiments measure (docs/model.md section 10.2): a test's outcome per unit is the
// ledger at its end less the ledger at its start. Kept only for the metrics some customer test
// measures, at customer * platforms + k, in the run's memory (the shards write it, on any thread).

export interface LedgerArrays {
  readonly matches: Float64Array | null;
  readonly gmv: Float64Array | null;
  readonly revenue: Float64Array | null;
  readonly customerValue: Float64Array | null;
}

export class CustomerLedger implements LedgerArrays {
  readonly matches: Float64Array | null;
  readonly gmv: Float64Array | null;
  readonly revenue: Float64Array | null;
  readonly customerValue: Float64Array | null;

  /**
   * Whether this tick's outcomes are recorded: only while some customer test runs. A test's outcome
   * is the ledger at its end less the ledger at its start, so what happens outside every window
   * never counts, and skipping it spares the whole run a write per member and per deal.
   */
  recording = true;

  constructor(a: LedgerArrays) {
    this.matches = a.matches;
    this.gmv = a.gmv;
    this.revenue = a.revenue;
    this.customerValue = a.customerValue;
  }

  /** The ledger a scenario needs, or null when no customer experiment measures one of these metrics. */
  static create(s: Scenario, memory: Memory): CustomerLedger | null {
    const used = new Set<ExperimentMetric>(s.experiments.filter((e) => e.unit === 'customers').map((e) => e.metric));
    const size = s.customers.count * s.platforms.length;
    const make = (m: ExperimentMetric) => (used.has(m) ? memory.f64(size) : null);
    const a = { matches: make('matches'), gmv: make('gmv'), revenue: make('revenue'), customerValue: make('customerValue') };
    return a.matches || a.gmv || a.revenue || a.customerValue ? new CustomerLedger(a) : null;
  }

  /**
   * Sets `recording` for tick t of scenario s: while the window of a customer test holds t, and in
   * the run's first ticks. No outcome reads those (a window's is a difference within the window),
   * but the code that records then runs before the optimizer compiles the phases: compiled without
   * it, every phase that records was thrown away and rebuilt at the first window, its first tick
   * (the first copy's) several times as slow as the next (docs/model.md section 12). In a forked
   * copy, `measured` (per experiment) leaves out the tests whose outcomes the copy does not read.
   */
  recordFor(s: Scenario, t: number, measured?: readonly boolean[]): void {
    let on = t < WARM_TICKS;
    const tests = s.experiments;
    for (let x = 0; x < tests.length; x++) {
      const e = tests[x]!;
      if (e.unit === 'customers' && (measured === undefined || measured[x]) && windowHolds(e, t)) on = true;
    }
    this.recording = on;
  }

  /** The array of a metric (null for `retained`, read from membership at the end). */
  of(metric: ExperimentMetric): Float64Array | null {
    return metric === 'matches' ? this.matches : metric === 'gmv' ? this.gmv : metric === 'revenue' ? this.revenue : metric === 'customerValue' ? this.customerValue : null;
  }

  /**
   * A deal of slot e = i * platforms + k: `count` 1 and its price and the platform's earnings on
   * the platform, 0 for each off it; the customer's surplus either way. Deals on and off the
   * platform are booked by one call, every add made either way, so that the first leaked deal of a
   * window (there are none in the run's first ticks) takes no path not compiled yet (warmTicks.ts).
   */
  deal(e: number, count: number, price: number, earned: number, surplus: number): void {
    if (this.matches) this.matches[e]! += count;
    if (this.gmv) this.gmv[e]! += price;
    if (this.revenue) this.revenue[e]! += earned;
    if (this.customerValue) this.customerValue[e]! += surplus;
  }

  /** Value the customer got or gave up outside a deal: leaked surplus, membership value, join and multi-homing costs. */
  value(e: number, amount: number): void {
    if (this.customerValue) this.customerValue[e]! += amount;
  }

  /** A tick of membership: its value (less the subscription) and the subscription paid. */
  member(e: number, worth: number, subscription: number): void {
    if (this.customerValue) this.customerValue[e]! += worth - subscription;
    if (this.revenue) this.revenue[e]! += subscription;
  }
}

/**
 * The ledger that membership books to: recording, and keeping an outcome that membership moves
 * (customerValue, revenue); null otherwise, so that the adoption loops of a test of matches or GMV
 * call nothing per member.
 */
export function membershipLedger(ledger: CustomerLedger | null): CustomerLedger | null {
  return ledger !== null && ledger.recording && (ledger.customerValue !== null || ledger.revenue !== null) ? ledger : null;
}
