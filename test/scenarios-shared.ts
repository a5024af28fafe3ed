import path from 'node:path';
import { expect } from 'vitest';
import { loadScenarioSync } from '../src/sim/scenario/load.js';
import { simulate } from '../src/simulate.js';
import type { MetricRow } from '../src/sim/metrics.js';
import type { SimulationResult } from '../src/sim/result.js';

// Shared by the scenario-library tests: each bundled scenario's comments quote figures measured on
// the model, and these tests check them, so that a comment cannot drift from the model.

const dir = path.join(import.meta.dirname, '..', 'scenarios');

/** Runs a bundled scenario as shipped, with optional --set style overrides. */
export function run(name: string, ...settings: string[]): SimulationResult {
  return simulate(loadScenarioSync(path.join(dir, `${name}.yaml`), settings));
}

export function rows(r: SimulationResult, platform?: string): MetricRow[] {
  const p = platform ?? r.summary.platforms[0]!.name;
  return r.metrics.filter((x) => x.platform === p);
}

/** Mean of a metric over ticks from..to (inclusive). */
export function windowMean(r: SimulationResult, key: keyof MetricRow, from: number, to: number, platform?: string): number {
  const sel = rows(r, platform).filter((x) => x.tick >= from && x.tick <= to);
  return sel.reduce((a, x) => a + (x[key] as number), 0) / sel.length;
}

export function at(r: SimulationResult, key: keyof MetricRow, tick: number, platform?: string): number {
  return rows(r, platform).find((x) => x.tick === tick)![key] as number;
}

/** A quoted, rounded figure holds within a relative band (default 10%). */
export function about(measured: number, quoted: number, band = 0.1): void {
  expect(measured, `measured ${measured}, quoted about ${quoted} (band ${band * 100}%)`).toBeGreaterThanOrEqual(quoted - Math.abs(quoted) * band);
  expect(measured, `measured ${measured}, quoted about ${quoted} (band ${band * 100}%)`).toBeLessThanOrEqual(quoted + Math.abs(quoted) * band);
}

export const tipped = (r: SimulationResult, i = 0) => r.summary.platforms[i]!.tippedAt;
