import type { ExperimentResult } from '../sim/experimentResult.js';
import type { ExperimentConfig } from '../sim/scenario/schema.js';

// The state of one in-market test (docs/model.md section 10.2), part of the ecosystem's state: which
// units it treats, what it has added up, and, once it ends, its result. experimentRun.ts runs it.

export class ExperimentRun {
  active = false;
  /** In a copy forked for the true effect: every unit treated or none; null in the main run. */
  forced: 'all' | 'none' | null = null;
  /** Per unit (customer or partner): 1 when it belongs to the test (its segment; a partner present on the platform during it). */
  unit: Uint8Array | null = null;
  treated: Uint8Array | null = null;
  /** Customers: the ledger at the start. Partners: the outcome added up so far. */
  sums: Float64Array | null = null;
  /** Per-unit means of the copies that treat every unit and none. */
  truth: { treated: number; control: number } | null = null;
  /**
   * Whether the test adds up its outcomes. In a copy forked for another test, only when its
   * decision, taken inside the copy's window, depends on them (adoptIfBetter): otherwise nothing
   * the copy measures reads them, and the copy sets the units back and adopts without them.
   */
  measured = true;
  /** In a forced copy: the mean outcome per unit at the end. */
  copyMean: number | null = null;
  result: ExperimentResult | null = null;

  constructor(readonly config: ExperimentConfig, readonly bit: number) {}

  get end(): number {
    return this.config.start + this.config.duration - 1;
  }

  /** A copy for a forked state: the same assignment and sums, in arrays of its own. */
  clone(): ExperimentRun {
    const r = new ExperimentRun(this.config, this.bit);
    r.active = this.active;
    r.forced = this.forced;
    r.measured = this.measured;
    r.unit = this.unit?.slice() ?? null;
    r.treated = this.treated?.slice() ?? null;
    r.sums = this.sums?.slice() ?? null;
    r.truth = this.truth;
    r.result = this.result;
    return r;
  }
}

/**
 * Whether test e's window holds tick t: from its start to its last tick. The end is compared
 * first, so that a phase asking at every tick reads both fields from the first on (a field first
 * read at a test's start threw the compiled phase away: warmTicks.ts).
 */
export function windowHolds(e: ExperimentConfig, t: number): boolean {
  return t < e.start + e.duration && t >= e.start;
}
