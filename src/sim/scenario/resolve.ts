// Checking a scenario without touching a file: raw data (YAML or JSON text, never evaluated) →
// overrides → validation against the schema → semantic checks → a fully resolved `Scenario`. Every
// problem is reported in plain words at its key path, all at once, as one ScenarioError. Nothing
// here imports a Node module, so the lab's page checks a dropped file with the same messages as
// `ecosim validate`; load.ts adds the file reads and the host's memory.

import YAML from 'yaml';
import { z } from 'zod';
import { ConditionError, parseCondition } from '../condition.js';
import { METRIC_NAMES, isMetricName } from '../metrics.js';
import { ScenarioError, describeValue, suggest, type ScenarioProblem } from './errors.js';
import { resolveExperiments } from './experiments.js';
import { defaultPlatformName, parseSetting, setPath, valueAt } from './keypath.js';
import { houseSlots } from './houseSlots.js';
import { resolveRef } from './platformRef.js';
import { checkSegments, expandSegmentPaths } from './segments.js';
import { scenarioSchema, type PlatformConfig, type ResolvedShock, type Rule, type Scenario, type ScheduleEntry } from './schema.js';

type Parsed = z.output<typeof scenarioSchema>;
type Schema = z.core.$ZodType;
type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

const EMPTY_PATCH_MESSAGE = 'set at least one policy key';
const CONDITION_EXAMPLE = 'a condition such as "customers >= 5000 and matchRate > 0.9"';
const CONDITION_NAMES: readonly string[] = [...METRIC_NAMES, 'tick'];

const joinPath = (path: Path): string => path.map(String).join('.');

// ---------------------------------------------------------------------------------------------
// What the schema expects at a key path, in plain words.

function unwrap(s: Schema): Schema {
  if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
    return unwrap(s.unwrap() as Schema);
  }
  return s;
}

/** The option of a discriminated union that a raw value selects by its discriminator. */
function optionFor(u: z.ZodDiscriminatedUnion, raw: unknown): Schema | undefined {
  const disc = u._zod.def.discriminator;
  const tag = valueAt(raw, [disc]);
  return u.options.find((o) => {
    const field = o instanceof z.ZodObject ? o.shape[disc] : undefined;
    return field instanceof z.ZodLiteral && field.values.has(tag as never);
  });
}

/** A discriminated union stands for the option the raw value selects; other schemas for themselves. */
function resolveOption(u: Schema, rawHere: unknown): Schema | undefined {
  return u instanceof z.ZodDiscriminatedUnion ? optionFor(u, rawHere) : u;
}

/** The schema that governs a path, following the raw input through discriminated unions. */
function schemaAt(path: Path, raw: unknown, root: Schema): Schema | undefined {
  let s: Schema | undefined = root;
  for (let i = 0; i < path.length && s; i++) {
    const u = resolveOption(unwrap(s), valueAt(raw, path.slice(0, i)));
    if (u instanceof z.ZodObject) s = u.shape[String(path[i])] as Schema | undefined;
    else if (u instanceof z.ZodArray) s = u.element as Schema;
    else return undefined;
  }
  return s;
}

interface CheckDef { check: string; value?: unknown; inclusive?: boolean; format?: string }

function describeNumber(s: z.ZodNumber): string {
  let whole = false;
  let lo: CheckDef | undefined;
  let hi: CheckDef | undefined;
  for (const c of s._zod.def.checks ?? []) {
    const d = c._zod.def as unknown as CheckDef;
    if (d.check === 'number_format' && d.format !== 'float32' && d.format !== 'float64') whole = true;
    if (d.check === 'greater_than') lo = d;
    if (d.check === 'less_than') hi = d;
  }
  const kind = whole ? 'a whole number' : 'a number';
  if (lo?.inclusive && hi?.inclusive) return `${kind} between ${String(lo.value)} and ${String(hi.value)}`;
  const bounds = [
    lo ? `${lo.inclusive ? '>=' : '>'} ${String(lo.value)}` : '',
    hi ? `${hi.inclusive ? '<=' : '<'} ${String(hi.value)}` : '',
  ].filter(Boolean);
  return bounds.length ? `${kind} ${bounds.join(' and ')}` : kind;
}

function describeSchema(s: Schema): string {
  if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional) return describeSchema(s.unwrap() as Schema);
  if (s instanceof z.ZodNullable) return `${describeSchema(s.unwrap() as Schema)}, or null`;
  if (s instanceof z.ZodNumber) return describeNumber(s);
  if (s instanceof z.ZodString) return s.minLength ? 'a non-empty string' : 'a string';
  if (s instanceof z.ZodBoolean) return 'true or false';
  if (s instanceof z.ZodEnum) return `one of ${s.options.join(', ')}`;
  if (s instanceof z.ZodLiteral) return [...s.values].map((v) => JSON.stringify(v)).join(' or ');
  if (s instanceof z.ZodArray) return 'a list';
  if (s instanceof z.ZodDiscriminatedUnion) return `a mapping with a type (${discriminatorValues(s).join(', ')})`;
  if (s instanceof z.ZodUnion) return s.options.map((o) => describeSchema(o as Schema)).join(' or ');
  if (s instanceof z.ZodObject) return 'a mapping of keys to values';
  return 'a valid value';
}

function discriminatorValues(u: z.ZodDiscriminatedUnion): string[] {
  const disc = u._zod.def.discriminator;
  return u.options.flatMap((o) => {
    const field = o instanceof z.ZodObject ? o.shape[disc] : undefined;
    return field instanceof z.ZodLiteral ? [...field.values].map(String) : [];
  });
}

/** Keys valid at a path (the mapping the path points at), for unknown-key messages. */
function keysAt(path: Path, raw: unknown, root: Schema): string[] {
  const s = schemaAt(path, raw, root);
  const u = s ? resolveOption(unwrap(s), valueAt(raw, path)) : undefined;
  return u instanceof z.ZodObject ? Object.keys(u.shape) : [];
}

function listKeys(keys: readonly string[], max = 100): string {
  const shown: string[] = [];
  for (const k of keys) {
    if (k.startsWith('$')) continue; // "$schema" is for editors, not worth suggesting
    if ([...shown, k].join(', ').length > max) return `${shown.join(', ')}, … (${keys.length - shown.length} more)`;
    shown.push(k);
  }
  return shown.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Zod issues → problems.

function expectedFor(issue: Issue, raw: unknown, root: Schema): string {
  const path = issue.path;
  if (path.length === 0 && issue.code === 'invalid_type') return root === scenarioSchema ? 'a mapping of scenario keys (name: value)' : 'a mapping of keys (name: value)';
  if (path[path.length - 1] === 'platform' && issue.code === 'invalid_union') return 'a platform name or index (a whole number >= 0)';
  const s = schemaAt(path, raw, root);
  if (path[path.length - 1] === 'set' && s instanceof z.ZodObject) return 'a mapping of policy keys to values, such as { takeRate: 0.2 }';
  return s ? describeSchema(s) : issue.message;
}

function sizeProblem(issue: Issue & { code: 'too_small' | 'too_big' }, raw: unknown, root: Schema): ScenarioProblem {
  const value = valueAt(raw, issue.path);
  const path = joinPath(issue.path);
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'array') {
    const length = Array.isArray(value) ? value.length : 0;
    return { path, expected: `a list of ${small ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'}`, found: `a list of ${length} item${length === 1 ? '' : 's'}` };
  }
  return { path, expected: expectedFor(issue, raw, root), found: describeValue(value) };
}

function issueProblems(issue: Issue, raw: unknown, root: Schema): ScenarioProblem[] {
  const path = joinPath(issue.path);
  const found = describeValue(valueAt(raw, issue.path));
  switch (issue.code) {
    case 'unrecognized_keys':
      return unknownKeyProblems(issue.path, issue.keys, raw, root);
    case 'too_small':
    case 'too_big':
      return [sizeProblem(issue, raw, root)];
    case 'invalid_union':
      if (issue.discriminator !== undefined && 'options' in issue && issue.options) {
        return [{ path, expected: `one of ${issue.options.map(String).join(', ')}`, found }];
      }
      return [{ path, expected: expectedFor(issue, raw, root), found }];
    case 'invalid_format':
      // The schema's own message for a pattern says what is wanted, e.g. the platform name rule.
      return [{ path, expected: issue.message.startsWith('Invalid') ? `a string in the format ${issue.format}` : issue.message, found }];
    case 'custom':
      if (issue.message === EMPTY_PATCH_MESSAGE) return [{ path, expected: 'at least one policy key, such as takeRate: 0.2', found }];
      return [{ path, expected: issue.message, found }];
    default:
      return [{ path, expected: expectedFor(issue, raw, root), found }];
  }
}

function unknownKeyProblems(parent: Path, keys: readonly string[], raw: unknown, root: Schema): ScenarioProblem[] {
  const valid = keysAt(parent, raw, root);
  return keys.map((key) => {
    const hint = suggest(key, valid.filter((k) => !k.startsWith('$')));
    const problem: ScenarioProblem = {
      path: joinPath([...parent, key]),
      expected: `one of the keys ${listKeys(valid)}`,
      found: `unknown key "${key}"`,
    };
    return hint === undefined ? problem : { ...problem, hint };
  });
}

/**
 * Zod issues as problems in plain words at their key paths. `root` is the schema the raw data was
 * checked against (scenarios by default; experiment files use their own).
 */
export function problemsFromIssues(issues: readonly Issue[], raw: unknown, root: Schema = scenarioSchema): ScenarioProblem[] {
  // An empty-looking `set` with a misspelt key is one mistake, not two.
  const withUnknownKeys = new Set(issues.filter((i) => i.code === 'unrecognized_keys').map((i) => joinPath(i.path)));
  const problems = issues
    .filter((i) => !(i.code === 'custom' && i.message === EMPTY_PATCH_MESSAGE && withUnknownKeys.has(joinPath(i.path))))
    .flatMap((i) => issueProblems(i, raw, root));
  // Two checks failing on one value (an empty name: too short, and not a name) are one problem.
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.path) && (seen.add(p.path), true));
}

// ---------------------------------------------------------------------------------------------
// Semantic checks and resolution of platform references.

function namePlatforms(parsed: Parsed, problems: ScenarioProblem[]): PlatformConfig[] {
  const K = parsed.platforms.length;
  // Platforms spread evenly over the taste line unless placed (docs/model.md section 5).
  const platforms = parsed.platforms.map((p, i) => ({ ...p, name: p.name ?? defaultPlatformName(i), position: p.position ?? (K === 1 ? 0.5 : i / (K - 1)) }));
  const seen = new Map<string, number>();
  platforms.forEach((p, i) => {
    const first = seen.get(p.name);
    if (first === undefined) seen.set(p.name, i);
    else problems.push({ path: `platforms.${i}.name`, expected: 'a name no other platform uses', found: `"${p.name}", already the name of platforms.${first}` });
    // "all" names the rows and columns of the whole ecosystem in every output.
    if (p.name === 'all') problems.push({ path: `platforms.${i}.name`, expected: 'a name other than "all" (the outputs\' name for the whole ecosystem)', found: '"all"' });
  });
  return platforms;
}

function checkCondition(when: string, path: string, problems: ScenarioProblem[]): void {
  try {
    parseCondition(when, (n) => isMetricName(n) || n === 'tick');
  } catch (e) {
    if (!(e instanceof ConditionError)) throw e;
    const problem: ScenarioProblem = { path, expected: CONDITION_EXAMPLE, found: `${describeValue(when)}: ${e.message} at character ${e.position + 1}` };
    const word = /[A-Za-z_][A-Za-z0-9_]*/y;
    word.lastIndex = e.position;
    const name = e.message.startsWith('unknown metric') ? word.exec(when)?.[0] : undefined;
    const hint = name === undefined ? undefined : suggest(name, CONDITION_NAMES);
    problems.push(hint === undefined ? problem : { ...problem, hint });
  }
}

/** The grammar problems of the rule conditions of raw data, so that schema errors elsewhere do not hide them. */
function rawConditionProblems(raw: unknown): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const rules = (raw as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) return problems;
  rules.forEach((r: unknown, i) => {
    const when = (r as { when?: unknown } | null)?.when;
    if (typeof when === 'string') checkCondition(when, `rules.${i}.when`, problems);
  });
  return problems;
}

function resolveSchedule(parsed: Parsed, platforms: PlatformConfig[], problems: ScenarioProblem[]): ScheduleEntry[] {
  return parsed.schedule.map((e, i) => ({ ...e, platform: resolveRef(e.platform, platforms, `schedule.${i}.platform`, problems) }));
}

function resolveRules(parsed: Parsed, platforms: PlatformConfig[], problems: ScenarioProblem[]): Rule[] {
  return parsed.rules.map((r, i) => {
    checkCondition(r.when, `rules.${i}.when`, problems);
    return { ...r, platform: resolveRef(r.platform, platforms, `rules.${i}.platform`, problems) };
  });
}

function resolveShocks(parsed: Parsed, platforms: PlatformConfig[], problems: ScenarioProblem[]): ResolvedShock[] {
  const entrantOf = new Map<number, number>();
  return parsed.shocks.map((s, i) => {
    if (s.type !== 'entrant') return s;
    const path = `shocks.${i}.platform`;
    const platform = resolveRef(s.platform, platforms, path, problems);
    const earlier = entrantOf.get(platform);
    if (platform >= 0 && earlier !== undefined) {
      problems.push({ path, expected: 'one entrant shock per platform', found: `a second one for "${platforms[platform]!.name}" (the first is shocks.${earlier})` });
    }
    entrantOf.set(platform, i);
    // The shock and launchTick say the same thing; when both are given and disagree, the shock wins.
    if (platform >= 0) platforms[platform]!.launchTick = s.at;
    return { ...s, platform };
  });
}

function checkOrder(problems: ScenarioProblem[], path: string, low: number, high: number, strict: boolean, highPath: string, why = ''): void {
  if (strict ? low < high : low <= high) return;
  problems.push({ path, expected: `a number ${strict ? 'below' : 'at most'} ${highPath} (${high})${why}`, found: String(low) });
}

function checkRanges(s: Scenario, problems: ScenarioProblem[]): void {
  const { customers: c, partners: p, network: n } = s;
  if (c.valueDistribution === 'uniform') {
    checkOrder(problems, 'customers.valueMin', c.valueMin, c.valueMax, false, 'customers.valueMax', ' when valueDistribution is uniform');
  }
  checkOrder(problems, 'customers.qualityWeightMin', c.qualityWeightMin, c.qualityWeightMax, false, 'customers.qualityWeightMax');
  checkOrder(problems, 'partners.costMin', p.costMin, p.costMax, false, 'partners.costMax');
  // Each customer starts on at most one platform: the seeded shares must fit in the population.
  const seeded = c.initialShare + s.platforms.reduce((a, pl) => a + pl.initialShare, 0);
  if (seeded > 1 + 1e-12) {
    const last = s.platforms.reduce((a, pl, i) => (pl.initialShare > 0 ? i : a), -1);
    const path = last >= 0 ? `platforms.${last}.initialShare` : 'customers.initialShare';
    problems.push({ path, expected: 'initial shares (customers.initialShare and every platforms.N.initialShare) that add up to at most 1', found: `a total of ${+seeded.toFixed(6)}` });
  }
  if (c.count > 0 && n.type === 'smallworld' && n.degree >= c.count) {
    problems.push({ path: 'network.degree', expected: `fewer neighbours than customers (customers.count is ${c.count})`, found: String(n.degree) });
  }
  if (c.count > 0 && n.type === 'scalefree' && n.m >= c.count) {
    problems.push({ path: 'network.m', expected: `fewer links than customers (customers.count is ${c.count})`, found: String(n.m) });
  }
}

// ---------------------------------------------------------------------------------------------
// Memory.

/** Bytes per customer agent (typed-array columns); tune when the agent layout changes. */
export const BYTES_PER_CUSTOMER = 96;
const BYTES_PER_PARTNER = 400;
const BYTES_PER_EDGE = 8;
const METRICS_PER_ROW = 40;
const MEMORY_SHARE = 0.75;

function edgesPerCustomer(s: Scenario): number {
  if (s.network.type === 'smallworld') return s.network.degree;
  if (s.network.type === 'scalefree') return 2 * s.network.m;
  return 0;
}

/** Partner agents of a run: the independent ones and room for every platform's house supply at its most. */
function partnerAgents(s: Scenario): number {
  return s.partners.count + houseSlots(s).reduce((n, h) => n + h, 0);
}

/** A rough upper estimate of the memory a run of the scenario needs, in bytes. */
export function estimateMemoryBytes(s: Scenario): number {
  const customers = s.customers.count * (BYTES_PER_CUSTOMER + edgesPerCustomer(s) * BYTES_PER_EDGE);
  const rows = s.ticks * (s.platforms.length + 1) * METRICS_PER_ROW * 8;
  return customers + partnerAgents(s) * BYTES_PER_PARTNER + rows;
}

function checkMemory(s: Scenario, problems: ScenarioProblem[], total: number): void {
  const need = estimateMemoryBytes(s);
  const budget = MEMORY_SHARE * total;
  if (need <= budget) return;
  const slots = houseSlots(s);
  const house = slots.findIndex((h) => h * BYTES_PER_PARTNER > budget / 2);
  if (house >= 0 || s.partners.count * BYTES_PER_PARTNER > budget / 2) {
    // The largest house supply may be one that a schedule or a rule sets; the path names the platform's key.
    const path = house >= 0 ? `platforms.${house}.houseSupply` : 'partners.count';
    const n = house >= 0 ? slots[house]! : s.partners.count;
    const most = Math.max(0, Math.floor((budget - (need - n * BYTES_PER_PARTNER)) / BYTES_PER_PARTNER));
    problems.push({ path, expected: `a number of partners that fits in memory (at most about ${most.toLocaleString('en-US')} here)`, found: `${n} partners, about ${(need / 1e9).toFixed(1)} GB` });
    return;
  }
  const perCustomer = BYTES_PER_CUSTOMER + edgesPerCustomer(s) * BYTES_PER_EDGE;
  const rest = need - s.customers.count * perCustomer;
  const most = Math.max(0, Math.floor((budget - rest) / perCustomer));
  problems.push({
    path: 'customers.count',
    expected: `a population that fits in memory (at most about ${most.toLocaleString('en-US')} customers here)`,
    found: `${s.customers.count} customers, about ${(need / 1e9).toFixed(1)} GB`,
  });
}

// ---------------------------------------------------------------------------------------------
// Resolution.

function buildScenario(parsed: Parsed, problems: ScenarioProblem[]): Scenario {
  const platforms = namePlatforms(parsed, problems);
  const { $schema: _editorSchema, ...rest } = parsed;
  return {
    ...rest,
    platforms,
    schedule: resolveSchedule(parsed, platforms, problems),
    rules: resolveRules(parsed, platforms, problems),
    shocks: resolveShocks(parsed, platforms, problems),
    experiments: resolveExperiments(parsed.experiments, parsed.ticks, platforms, parsed.customers.segments, problems),
  };
}

/**
 * Validates raw scenario data and resolves it; throws a ScenarioError listing every problem.
 * `totalMemory` is the host's memory in bytes, which the memory check measures a run against: the
 * caller says what it is (os.totalmem() in Node, a tab's budget in the browser).
 */
export function resolveScenarioIn(raw: unknown, file: string, totalMemory: number): Scenario {
  expandSegmentPaths(raw);
  const result = scenarioSchema.safeParse(raw);
  if (!result.success) throw new ScenarioError(file, [...problemsFromIssues(result.error.issues, raw), ...rawConditionProblems(raw)]);
  const problems: ScenarioProblem[] = [];
  const scenario = buildScenario(result.data, problems);
  checkRanges(scenario, problems);
  checkSegments(scenario, problems);
  checkMemory(scenario, problems, totalMemory);
  if (problems.length > 0) throw new ScenarioError(file, problems);
  // A fresh copy: objects made by spreading take a new hidden class each time once the spread's
  // cache is full, and the engine's optimized code gives way (measured: every phase deoptimized
  // for the first 16 runs of a sweep thread). Copies made alike share their hidden classes.
  return structuredClone(scenario);
}

// ---------------------------------------------------------------------------------------------
// Text and files.

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim().replace(/:$/, '');
}

/** JSON.parse reports an offset; people count lines and columns. */
function jsonMessage(e: unknown, text: string): string {
  const message = e instanceof Error ? firstLine(e.message) : String(e);
  if (/line \d+/.test(message)) return message;
  const at = /at position (\d+)/.exec(message);
  const offset = at ? Number(at[1]) : text.length;
  const before = text.slice(0, offset).split('\n');
  const where = `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
  return at ? message.replace(at[0], `at ${where}`) : `${message} at ${where}`;
}

export function assertMapping(value: unknown, file: string): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ScenarioError(file, [{ path: '', expected: 'a mapping of scenario keys (name: value)', found: describeValue(value) }]);
  }
}

/** Deeper than this, data is no scenario; checked before anything recurses into it. */
const MAX_DEPTH = 64;

/**
 * Checks parsed data is plain (mappings, lists, strings, numbers, booleans, null: no YAML dates,
 * sets or ordered maps, which would read as empty mappings) and at most MAX_DEPTH deep, without
 * recursion (a deeply nested file must not overflow the stack).
 */
function plainDataProblem(value: unknown): ScenarioProblem | undefined {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_DEPTH) return { path, expected: `data nested at most ${MAX_DEPTH} levels deep`, found: `more than ${MAX_DEPTH} levels` };
    const at = (k: string) => (path === '' ? k : `${path}.${k}`);
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, path: at(String(i)), depth: depth + 1 }));
    else if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) for (const [k, x] of Object.entries(v)) stack.push({ v: x, path: at(k), depth: depth + 1 });
    else return { path, expected: 'a mapping, a list, a string, a number, true, false or null', found: `a ${v instanceof Date ? 'date (a YAML timestamp)' : v instanceof Set ? 'YAML !!set' : v instanceof Map ? 'YAML !!omap or !!pairs' : (v.constructor?.name ?? 'special value')}` };
  }
  return undefined;
}

/** Keys given twice in one mapping of a parsed YAML (or JSON) document, found in linear time. */
function duplicateKeyProblems(doc: YAML.Document.Parsed, text: string): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  YAML.visit(doc, {
    Map(_key, map, path) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = YAML.isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (seen.has(key)) {
          const where = path.filter(YAML.isPair).map((p) => (YAML.isScalar(p.key) ? String(p.key.value) : String(p.key)));
          const line = YAML.isNode(pair.key) && pair.key.range ? text.slice(0, pair.key.range[0]).split('\n').length : undefined;
          problems.push({ path: [...where, key].join('.'), expected: 'each key once in a mapping', found: `"${key}" a second time${line === undefined ? '' : ` (line ${line})`}` });
          if (problems.length >= 10) return YAML.visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return problems;
}

/** The extension of a file name as Node's path.extname gives it (".json" of "a.json", none of ".json"). */
function extensionOf(file: string): string {
  const base = file.replace(/\/+$/, '').split('/').pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot) : '';
}

/** Parses scenario text: JSON for .json files, YAML otherwise. Nothing in it is ever evaluated. */
export function parseScenarioText(text: string, file: string): unknown {
  const json = extensionOf(file).toLowerCase() === '.json';
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return {};
  let value: unknown;
  let doc: YAML.Document.Parsed | undefined;
  try {
    if (json) value = JSON.parse(body);
    // uniqueKeys is off: yaml checks it in quadratic time (50,000 keys: over 30 s); duplicateKeyProblems does it in linear time.
    // logLevel silent: its warnings (an unknown tag) would go to the process's warnings; they are problems here.
    doc = YAML.parseDocument(body, { prettyErrors: true, uniqueKeys: false, logLevel: 'silent', schema: 'core' });
    const error = doc.errors[0];
    if (error !== undefined && !json) throw error;
  } catch (e) {
    const found = json ? jsonMessage(e, body) : e instanceof Error ? firstLine(e.message) : String(e);
    throw new ScenarioError(file, [{ path: '', expected: json ? 'valid JSON' : 'valid YAML', found }]);
  }
  const problems: ScenarioProblem[] = doc.errors.length === 0 ? duplicateKeyProblems(doc, body) : [];
  if (!json) {
    for (const w of doc.warnings.slice(0, 5)) problems.push({ path: '', expected: 'YAML without unknown tags', found: firstLine(w.message) });
    if (problems.length === 0) {
      try {
        value = doc.toJS({ maxAliasCount: 100 });
      } catch (e) {
        problems.push({ path: '', expected: 'valid YAML', found: e instanceof Error ? firstLine(e.message) : String(e) });
      }
    }
  }
  if (problems.length > 0) throw new ScenarioError(file, problems);
  if (value === null || value === undefined) return {}; // a YAML file of only comments
  const special = plainDataProblem(value);
  if (special !== undefined) throw new ScenarioError(file, [special]);
  assertMapping(value, file);
  return value;
}

/** Applies `--set` style overrides (`a.b=value`), in order, to raw data in place. */
export function applySettings(raw: unknown, settings: readonly string[]): void {
  for (const text of settings) {
    const { path, value } = parseSetting(text);
    setPath(raw, path, value);
  }
}

/** Resolves scenario data built in code; the caller's object is left untouched. */
export function scenarioFromObjectIn(raw: unknown, settings: readonly string[], label: string, totalMemory: number): Scenario {
  assertMapping(raw, label);
  let copy: unknown = raw;
  if (settings.length > 0) {
    try {
      copy = structuredClone(raw);
    } catch {
      throw new ScenarioError(label, [{ path: '', expected: 'plain data (no functions or class instances)', found: 'a value that cannot be copied' }]);
    }
  }
  applySettings(copy, settings);
  return resolveScenarioIn(copy, label, totalMemory);
}
