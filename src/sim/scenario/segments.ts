// Customer segments in a scenario (docs/model.md section 10.1): shares that add up to 1, names
// that segment policies refer to, and the dotted form of a segment policy in a schedule or rule
// (`set: { segmentPolicies.enterprise.subscription: 1 }`), which reads as the nested one.

import { shorten, suggest, type ScenarioProblem } from './errors.js';
import type { Scenario } from './schema.js';

const PREFIX = 'segmentPolicies.';
/** How far the shares may miss 1 by rounding in a file (thirds written as 0.333 …). */
const SHARE_TOLERANCE = 1e-6;

/** The segment names of a scenario: those listed, or "all" when it lists none. */
export function segmentNames(s: Pick<Scenario, 'customers'>): string[] {
  return s.customers.segments.length === 0 ? ['all'] : s.customers.segments.map((g) => g.name);
}

function isMapping(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** Turns `segmentPolicies.X.key: v` in one `set` into `segmentPolicies: { X: { key: v } }`, in place. */
function expandSet(set: Record<string, unknown>): void {
  for (const key of Object.keys(set)) {
    if (!key.startsWith(PREFIX)) continue;
    const rest = key.slice(PREFIX.length).split('.');
    if (rest.length !== 2 || rest.some((k) => k === '')) continue; // left for the schema to report
    const [segment, policy] = rest as [string, string];
    const value = set[key];
    delete set[key];
    const all = isMapping(set['segmentPolicies']) ? set['segmentPolicies'] : (set['segmentPolicies'] = {});
    const one = isMapping(all[segment]) ? all[segment] : (all[segment] = {});
    one[policy] = value;
  }
}

/** Expands the dotted segment policies in every schedule entry and rule of raw scenario data, in place. */
export function expandSegmentPaths(raw: unknown): void {
  if (!isMapping(raw)) return;
  for (const list of ['schedule', 'rules']) {
    const entries = raw[list];
    if (!Array.isArray(entries)) continue;
    for (const e of entries) if (isMapping(e) && isMapping(e['set'])) expandSet(e['set']);
  }
}

function checkNames(names: readonly string[], used: Record<string, unknown>, path: string, problems: ScenarioProblem[]): void {
  for (const name of Object.keys(used)) {
    if (names.includes(name)) continue;
    const problem: ScenarioProblem = {
      path: `${path}.${name}`,
      expected: `the name of a customer segment (${shorten(names.join(', '))})`,
      found: `"${shorten(name)}"`,
    };
    const hint = suggest(name, names);
    problems.push(hint === undefined ? problem : { ...problem, hint });
  }
}

/** Shares that add up to 1, distinct names, and segment policies that name a segment. */
export function checkSegments(s: Scenario, problems: ScenarioProblem[]): void {
  const segments = s.customers.segments;
  if (segments.length > 0) {
    const total = segments.reduce((a, g) => a + g.share, 0);
    if (Math.abs(total - 1) > SHARE_TOLERANCE) {
      problems.push({ path: 'customers.segments', expected: 'segment shares that add up to 1', found: `shares adding up to ${+total.toFixed(6)} (${segments.map((g) => `${g.name} ${g.share}`).join(', ')})` });
    }
    const seen = new Map<string, number>();
    segments.forEach((g, i) => {
      const first = seen.get(g.name);
      if (first === undefined) seen.set(g.name, i);
      else problems.push({ path: `customers.segments.${i}.name`, expected: 'a name no other segment uses', found: `"${g.name}", already the name of customers.segments.${first}` });
    });
    segments.forEach((g, i) => {
      const distribution = g.valueDistribution ?? s.customers.valueDistribution;
      const lo = g.valueMin ?? s.customers.valueMin;
      const hi = g.valueMax ?? s.customers.valueMax;
      if (distribution === 'uniform' && !(lo < hi)) {
        problems.push({ path: `customers.segments.${i}.valueMin`, expected: `a number below the segment's valueMax (${hi}) when valueDistribution is uniform`, found: String(lo) });
      }
    });
  }
  const names = segmentNames(s);
  s.platforms.forEach((pl, k) => checkNames(names, pl.segmentPolicies, `platforms.${k}.segmentPolicies`, problems));
  s.schedule.forEach((e, i) => e.set.segmentPolicies && checkNames(names, e.set.segmentPolicies, `schedule.${i}.set.segmentPolicies`, problems));
  s.rules.forEach((r, i) => r.set.segmentPolicies && checkNames(names, r.set.segmentPolicies, `rules.${i}.set.segmentPolicies`, problems));
}
