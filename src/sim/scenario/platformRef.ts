// Platform references in a scenario (schedule, rules, shocks, experiments): a name or an index,
// resolved to an index with a plain-words problem when it names no platform.

import { describeValue, shorten, suggest, type ScenarioProblem } from './errors.js';
import type { PlatformConfig } from './schema.js';

/** A platform reference (name or index) as an index; -1 (with a problem) when it names nothing. */
export function resolveRef(ref: string | number, platforms: readonly PlatformConfig[], path: string, problems: ScenarioProblem[]): number {
  const names = platforms.map((p) => p.name);
  const index = typeof ref === 'number' ? ref : /^\d+$/.test(ref) ? Number(ref) : names.indexOf(ref);
  if (index >= 0 && index < platforms.length) return index;
  const problem: ScenarioProblem = {
    path,
    expected: `the name or index of a platform (${shorten(names.map((n, i) => `${i}: ${n}`).join(', '))})`,
    found: typeof ref === 'number' ? `${ref}, but there ${platforms.length === 1 ? 'is 1 platform' : `are ${platforms.length} platforms`}` : describeValue(ref),
  };
  const hint = typeof ref === 'string' ? suggest(ref, names) : undefined;
  problems.push(hint === undefined ? problem : { ...problem, hint });
  return -1;
}

