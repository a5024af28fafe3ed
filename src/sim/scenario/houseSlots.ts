import type { Scenario } from './schema.js';

// House supply (docs/model.md section 3.4): partners owned by a platform. Schedules and rules may
// raise or lower a platform's houseSupply while it runs, so each platform has room for the most it
// is ever set to, known from the scenario before the first tick.

/** The most house partners each platform can have: its houseSupply, or more if a schedule or rule sets more. */
export function houseSlots(s: Scenario): number[] {
  const most = s.platforms.map((p) => p.houseSupply);
  for (const change of [...s.schedule, ...s.rules]) {
    const h = change.set.houseSupply;
    if (h !== undefined && h > most[change.platform]!) most[change.platform] = h;
  }
  return most;
}
