import { cloneState } from './clone.js';
import type { EcosystemState } from './state.js';

// The true global effect of an in-market test (docs/model.md section 10.2): the state at the
// test's start is copied twice; the copies run the window with the same random streams, one with
// the treated policy for every unit and one for none, and the difference of their mean outcomes
// per unit is the effect the platform would get by adopting the policy for all. The copies run on
// this thread and share nothing that they write with the run, so it goes on undisturbed, and
// every number is the same whatever the run's thread count.

/** Runs a copy through `ticks` ticks from `from`. */
export type CopyRunner = (copy: EcosystemState, from: number, ticks: number) => void;

export function measureTrueEffects(st: EcosystemState, tick: number, runCopy: CopyRunner): void {
  st.experiments.forEach((run, e) => {
    if (run.config.start !== tick) return;
    const last = tick + run.config.duration - 1;
    const mean = (forced: 'all' | 'none'): number => {
      const copy = cloneState(st);
      const own = copy.experiments[e]!;
      own.forced = forced;
      for (const other of copy.experiments) {
        if (other !== own) other.measured = other.config.decision === 'adoptIfBetter' && other.end <= last;
      }
      runCopy(copy, tick, run.config.duration);
      return own.copyMean ?? Number.NaN;
    };
    run.truth = { treated: mean('all'), control: mean('none') };
  });
}

/**
 * A copy made and dropped before the run's first tick. V8 optimizes code on fields that are
 * written once only; a copy writes every field of the state's objects again, so the first copy
 * made mid-run would discard the optimized code of every phase, and run at a fraction of the
 * speed of the others while it is rebuilt (measured: the first of four copies took twice as long
 * as each of the others). Made here, it costs a copy of arrays not filled yet, and no code.
 */
export function prepareForks(st: EcosystemState): void {
  cloneState(st);
}
