import { ScenarioError } from './scenario/errors.js';

// The warm-up window of a run summary (docs/model.md section 7): totals and means count only the
// ticks from `from` on, as a researcher discards a launch. It must leave at least one tick.

/** The expected value of a warm-up, in the words of every message about it. */
export function warmupExpected(ticks: number): string {
  return `a whole number of ticks from 0 to ${Math.max(0, ticks - 1)} (below ticks, ${ticks}), the first tick the summary counts`;
}

/** The problem with a warm-up value for a run of `ticks` ticks, or undefined when it is good. */
export function warmupProblem(from: unknown, ticks: number): string | undefined {
  if (typeof from === 'number' && Number.isSafeInteger(from) && from >= 0 && from < ticks) return undefined;
  return typeof from === 'number' ? String(from) : JSON.stringify(from) ?? String(from);
}

/**
 * Checks a warm-up against a run's ticks and returns it (0 when none is given); bad values throw a
 * ScenarioError naming `source` (the option or file that gave it) at `path`.
 */
export function checkWarmup(from: number | undefined, ticks: number, source = 'options', path = 'from'): number {
  if (from === undefined) return 0;
  const found = warmupProblem(from, ticks);
  if (found !== undefined) throw new ScenarioError(source, [{ path, expected: warmupExpected(ticks), found }]);
  return from;
}
