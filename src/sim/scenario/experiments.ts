// In-market experiments in a scenario (docs/model.md section 10.2): each resolved to its platform's
// index, with a window inside the run, a set of keys its unit may be treated with, a metric that
// fits its unit and a segment that exists.

import { shorten, suggest, type ScenarioProblem } from './errors.js';
import { resolveRef } from './platformRef.js';
import {
  PARTNER_TEST_KEYS,
  SEGMENT_POLICY_KEYS,
  type ExperimentConfig,
  type PlatformConfig,
  type SegmentConfig,
  type experimentSchema,
} from './schema.js';
import type { z } from 'zod';

type Parsed = z.output<typeof experimentSchema>;

/** Groups of customers priced alike are numbered in a byte: segments times treatment combinations. */
export const MAX_CUSTOMER_GROUPS = 256;
/** Partner treatment combinations, likewise. */
export const MAX_PARTNER_EXPERIMENTS = 8;

const CUSTOMER_METRICS = ['matches', 'gmv', 'revenue', 'customerValue', 'retained'];
const PARTNER_METRICS = ['matches', 'gmv', 'revenue', 'partnerValue', 'retained'];

export function resolveExperiments(
  parsed: readonly Parsed[],
  ticks: number,
  platforms: readonly PlatformConfig[],
  segments: readonly SegmentConfig[],
  problems: ScenarioProblem[],
): ExperimentConfig[] {
  const names = segments.length === 0 ? ['all'] : segments.map((g) => g.name);
  const seen = new Map<string, number>();
  const out = parsed.map((e, i): ExperimentConfig => {
    const at = `experiments.${i}`;
    const first = seen.get(e.name);
    if (first === undefined) seen.set(e.name, i);
    else problems.push({ path: `${at}.name`, expected: 'a name no other experiment uses', found: `"${e.name}", already the name of experiments.${first}` });
    const platform = resolveRef(e.platform, platforms, `${at}.platform`, problems);
    if (e.start + e.duration > ticks) {
      problems.push({ path: `${at}.duration`, expected: `a window inside the run: start + duration at most ticks (${ticks})`, found: `start ${e.start} + duration ${e.duration} = ${e.start + e.duration}` });
    }
    const customers = e.unit === 'customers';
    const allowed: readonly string[] = customers ? SEGMENT_POLICY_KEYS : PARTNER_TEST_KEYS;
    for (const key of Object.keys(e.set)) {
      if (allowed.includes(key)) continue;
      problems.push({
        path: `${at}.set.${key}`,
        expected: `a ${customers ? 'customer-facing' : 'partner-facing'} key for unit ${e.unit} (${allowed.join(', ')})`,
        found: `"${key}", a ${customers ? 'partner-facing' : 'customer-facing'} key${customers ? ': test it with unit: partners' : ': test it with unit: customers'}`,
      });
    }
    const metrics = customers ? CUSTOMER_METRICS : PARTNER_METRICS;
    if (!metrics.includes(e.metric)) {
      problems.push({ path: `${at}.metric`, expected: `a metric of unit ${e.unit} (${metrics.join(', ')})`, found: `"${e.metric}"` });
    }
    let segment: string | null = null;
    if (e.segment !== undefined) {
      if (!customers) problems.push({ path: `${at}.segment`, expected: 'no segment for unit partners (segments are of customers)', found: `"${shorten(e.segment)}"` });
      else if (!names.includes(e.segment)) {
        const problem: ScenarioProblem = { path: `${at}.segment`, expected: `the name of a customer segment (${shorten(names.join(', '))})`, found: `"${shorten(e.segment)}"` };
        const hint = suggest(e.segment, names);
        problems.push(hint === undefined ? problem : { ...problem, hint });
      } else segment = e.segment;
    }
    const { segment: _given, platform: _ref, ...rest } = e;
    return { ...rest, platform, segment };
  });
  const customerTests = out.filter((e) => e.unit === 'customers').length;
  const partnerTests = out.length - customerTests;
  if (names.length * 2 ** customerTests > MAX_CUSTOMER_GROUPS) {
    problems.push({ path: 'experiments', expected: `at most ${MAX_CUSTOMER_GROUPS} groups of customers (segments × 2 ^ customer experiments)`, found: `${names.length} segments and ${customerTests} customer experiments` });
  }
  if (partnerTests > MAX_PARTNER_EXPERIMENTS) {
    problems.push({ path: 'experiments', expected: `at most ${MAX_PARTNER_EXPERIMENTS} partner experiments`, found: String(partnerTests) });
  }
  return out;
}
