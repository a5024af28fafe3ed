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
    const mean = (forced: 'all' | 'none'): number => {
      const copy = cloneState(st);
      const own = copy.experiments[e]!;
      own.forced = forced;
      runCopy(copy, tick, run.config.duration);
      return own.copyMean ?? Number.NaN;
    };
    run.truth = { treated: mean('all'), control: mean('none') };
  });
}
