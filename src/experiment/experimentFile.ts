import { z } from 'zod';
import { METRIC_NAMES, isMetricName, type MetricName } from '../sim/metrics.js';
import { ScenarioError, describeValue, isScenarioError, suggest, type ScenarioProblem } from '../sim/scenario/errors.js';
import { parseSetting } from '../sim/scenario/keypath.js';
import { problemsFromIssues } from '../sim/scenario/resolve.js';
import { paramEntry } from './experimentRecord.js';
import { checkPath, parseParam } from './params.js';
import type { DesignKind, ParamSpec, ParamValue } from './types.js';

// An experiment file: a sweep or a comparison as data that can be committed, reviewed and rerun.
// It names a scenario (a file, a bundled scenario or an inline mapping), the overrides, the
// parameters and design (a sweep) or the variants (a comparison), the replications and seed, the
// metrics to record and the warm-up window. It is told from a scenario by its top-level key
// `experiment:`, which holds its name. Checked as scenarios are: every problem at its key path,
// unknown keys with a suggestion, all at once, as one ScenarioError.

const DESIGNS = ['grid', 'lhs', 'random', 'sobol', 'morris'] as const satisfies readonly DesignKind[];

/** The top-level key that marks an experiment file. */
export const EXPERIMENT_KEY = 'experiment';

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const name = z.string().min(1).regex(NAME, 'a name of letters, digits, _ . and -, such as takerate-grid');
const paramValue = z.union([z.number(), z.string(), z.boolean()]);
const count = (min: number) => z.number().int().min(min);

const paramObject = z
  .strictObject({
    path: z.string().min(1).describe('the scenario key to vary, such as platforms.0.takeRate'),
    from: z.number().optional().describe('start of a grid (with step) or a range (without)'),
    to: z.number().optional().describe('end of a grid (inclusive) or a range'),
    step: z.number().optional().describe('grid step: the values from, from + step, … up to to'),
    values: z.array(paramValue).min(1).optional().describe('a list of values, instead of from/to'),
  })
  .describe('a parameter: path with from/to/step (a grid), from/to (a range, for lhs, random, sobol, morris) or values (a list)');

const paramText = z.string().min(1).describe('a parameter as --param gives it: path=from:to:step, path=from:to or path=a,b,c');

const scenarioRef = z
  .union([z.string().min(1), z.looseObject({})])
  .describe('a scenario file (relative to the experiment file), the name of a bundled scenario, or the scenario itself, inline');

const settingsList = z.array(z.string().min(1)).describe('key.path=value overrides, applied in order, as --set gives them');
const settingsInput = z
  .union([settingsList, z.record(z.string(), z.unknown())])
  .describe('key.path=value overrides: a list of "key.path=value", or a mapping of key paths to values');

function shape<P extends z.ZodType, S extends z.ZodType>(params: P, set: S) {
  const variant = z.strictObject({
    name: name.describe('how the variant is called in tables and files'),
    scenario: scenarioRef.optional().describe('another scenario for this variant (default: the experiment\'s)'),
    set: set.optional().describe('overrides of this variant, after the experiment\'s'),
  });
  return z.strictObject({
    $schema: z.string().optional(),
    experiment: name.describe('the name of the experiment (this key marks an experiment file); also its default output directory out/<name>'),
    description: z.string().default('').describe('what the experiment asks, for people reading it'),
    scenario: scenarioRef.optional(),
    set: set.optional(),
    params: z.array(params).optional().describe('the parameters a sweep varies'),
    design: z.enum(DESIGNS).optional().describe('how a sweep chooses points (default grid)'),
    samples: count(1).optional().describe('points of lhs and random; base sample size N of sobol; trajectories of morris'),
    levels: count(2).optional().describe('grid levels of morris (even, default 4)'),
    replications: count(1).optional().describe('runs per point or variant, each with its own seed (default 1 for a sweep, 10 for a comparison)'),
    seed: z.number().int().min(0).max(4294967295).optional().describe('base seed of run seeds and sampled designs (default: the scenario\'s seed)'),
    metrics: z.array(z.string().min(1)).min(1).optional().describe('the metrics to record (default all): summary columns and timeseries rows of these metrics only'),
    columns: z.array(z.string().min(1)).min(1).optional().describe('a comparison\'s summary columns to compare, such as all.total.revenue'),
    from: count(0).default(0).describe('warm-up: summary totals and means count only ticks >= from'),
    timeseries: z.boolean().default(false).describe('also write every run\'s per-tick metrics to timeseries.csv'),
    out: z.string().min(1).optional().describe('the output directory (default out/<experiment>), relative to where the command runs'),
    variants: z.array(variant).min(2).optional().describe('the variants a comparison runs, the first the reference'),
  });
}

/** What an experiment file may say: the shape its JSON Schema describes. */
export const experimentFileSchema = shape(z.union([paramText, paramObject]), settingsInput);
/** The same, once parameters and overrides are in one form each (see normalize). */
const normalSchema = shape(paramObject, settingsList);

export type ExperimentFileInput = z.input<typeof experimentFileSchema>;
type Normal = z.output<typeof normalSchema>;

/** A scenario as an experiment names it: a path or name, or inline data. */
export type ScenarioRef = string | Readonly<Record<string, unknown>>;

export interface ExperimentVariant {
  readonly name: string;
  readonly scenario?: ScenarioRef;
  readonly set: readonly string[];
}

/** A checked experiment file, with every default that does not depend on the scenario filled in. */
export interface Experiment {
  readonly name: string;
  readonly description: string;
  /** "sweep" without variants, "compare" with them. */
  readonly kind: 'sweep' | 'compare';
  readonly scenario?: ScenarioRef;
  readonly set: readonly string[];
  readonly params: readonly ParamSpec[];
  readonly design: DesignKind;
  readonly samples?: number;
  readonly levels?: number;
  readonly replications: number;
  readonly seed?: number;
  /** The metrics to record; undefined records every one. */
  readonly metrics?: readonly MetricName[];
  readonly columns?: readonly string[];
  readonly from: number;
  readonly timeseries: boolean;
  readonly out?: string;
  readonly variants: readonly ExperimentVariant[];
}

/** Whether parsed data is an experiment file (it has the key `experiment`) rather than a scenario. */
export function isExperimentData(raw: unknown): boolean {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) && Object.hasOwn(raw, EXPERIMENT_KEY);
}

/** A setting's value as `--set` text that reads back the same (strings YAML would read otherwise are quoted). */
function settingText(path: string, value: unknown): string {
  if (typeof value === 'string') {
    const plain = /^[A-Za-z_][A-Za-z0-9_ .-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~)$/i.test(value) && value.trim() === value;
    return `${path}=${plain ? value : JSON.stringify(value)}`;
  }
  return `${path}=${JSON.stringify(value)}`;
}

const isMapping = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** A mapping of overrides as a list of "key.path=value", in the mapping's order. */
function settingsOf(set: unknown): unknown {
  return isMapping(set) ? Object.entries(set).map(([k, v]) => settingText(k, v)) : set;
}

/** A problem of a --param parse, at the parameter's place in the file. */
function paramProblems(e: unknown, at: string): ScenarioProblem[] {
  if (!isScenarioError(e)) throw e;
  return e.problems.map((p) => ({ ...p, path: at }));
}

/**
 * One form for each key: parameters as mappings (a "path=…" text is parsed as --param parses it),
 * overrides as lists. Problems of parameter texts are collected into `problems`.
 */
function normalize(raw: Record<string, unknown>, problems: ScenarioProblem[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...raw };
  if ('set' in copy) copy['set'] = settingsOf(copy['set']);
  if (Array.isArray(copy['params'])) {
    copy['params'] = copy['params'].map((p: unknown, i) => {
      if (typeof p !== 'string') return p;
      try {
        return paramEntry(parseParam(p));
      } catch (e) {
        problems.push(...paramProblems(e, `params.${i}`));
        // A stand-in the schema accepts: the parameter's problem is reported once, above.
        return { path: p, values: [0] };
      }
    });
  }
  if (Array.isArray(copy['variants'])) copy['variants'] = copy['variants'].map((v: unknown) => (isMapping(v) && 'set' in v ? { ...v, set: settingsOf(v['set']) } : v));
  return copy;
}

type ParamObject = z.output<typeof paramObject>;

/** A parameter mapping as a ParamSpec, with the checks --param makes. */
function paramSpec(p: ParamObject, at: string, problems: ScenarioProblem[]): ParamSpec | undefined {
  const bounds = p.from !== undefined || p.to !== undefined || p.step !== undefined;
  const fail = (expected: string, found: string) => {
    problems.push({ path: at, expected, found });
    return undefined;
  };
  try {
    checkPath(p.path, p.path);
    if (p.values !== undefined) {
      if (bounds) return fail('either values (a list) or from/to (a range) and step (a grid), not both', 'both');
      return { kind: 'list', path: p.path, values: p.values as ParamValue[] };
    }
    if (p.from === undefined || p.to === undefined) {
      return fail('values, or from and to (with step for a grid)', p.from === undefined && p.to === undefined ? (p.step === undefined ? 'none of them' : 'step alone') : `only ${p.from === undefined ? 'to' : 'from'}`);
    }
    return parseParam(`${p.path}=${p.from}:${p.to}${p.step === undefined ? '' : `:${p.step}`}`);
  } catch (e) {
    problems.push(...paramProblems(e, at));
    return undefined;
  }
}

function checkMetricNames(metrics: readonly unknown[], problems: ScenarioProblem[]): void {
  metrics.forEach((m, i) => {
    if (typeof m !== 'string' || isMetricName(m)) return;
    const hint = suggest(m, METRIC_NAMES);
    const problem: ScenarioProblem = { path: `metrics.${i}`, expected: 'a metric of the catalogue (docs/model.md section 7), such as customers, revenue or matchRate', found: `${describeValue(m)}, no such metric` };
    problems.push(hint === undefined ? problem : { ...problem, hint });
  });
}

/**
 * Metric names given elsewhere (`--record` on the command line): checked against the catalogue,
 * a misspelt one with a suggestion, as a ScenarioError of `source`.
 */
export function checkRecorded(names: readonly string[], source: string): MetricName[] {
  const problems: ScenarioProblem[] = [];
  checkMetricNames(names, problems);
  if (problems.length > 0) throw new ScenarioError(source, problems.map((p) => ({ ...p, path: names[Number(p.path.split('.')[1])]! })));
  return names as MetricName[];
}

/** Overrides that are no `key.path=value` are the file's problems, at their place in it. */
function checkSettings(settings: readonly string[], at: string, problems: ScenarioProblem[]): void {
  settings.forEach((text, i) => {
    try {
      parseSetting(text);
    } catch (e) {
      if (!isScenarioError(e)) throw e;
      problems.push(...e.problems.map((p) => ({ ...p, path: `${at}.${i}` })));
    }
  });
}

function checkKind(n: Normal, problems: ScenarioProblem[]): void {
  if (n.variants === undefined) {
    if (n.scenario === undefined) problems.push({ path: 'scenario', expected: 'a scenario file, the name of a bundled scenario, or an inline scenario', found: 'nothing' });
    if (n.columns !== undefined) problems.push({ path: 'columns', expected: 'columns only in a comparison (with variants); a sweep records every summary column', found: describeValue(n.columns) });
    return;
  }
  // A comparison runs variants of one scenario, or of several: each needs one.
  n.variants.forEach((v, i) => {
    if (v.scenario === undefined && n.scenario === undefined) problems.push({ path: `variants.${i}.scenario`, expected: 'a scenario for the variant (or a scenario for the whole experiment)', found: 'nothing' });
  });
  const seen = new Map<string, number>();
  n.variants.forEach((v, i) => {
    const first = seen.get(v.name);
    if (first !== undefined) problems.push({ path: `variants.${i}.name`, expected: 'a name no other variant uses', found: `"${v.name}", already the name of variants.${first}` });
    seen.set(v.name, i);
  });
  for (const key of ['params', 'design', 'samples', 'levels'] as const) {
    if (n[key] !== undefined) problems.push({ path: key, expected: `either variants (a comparison) or ${key === 'params' ? 'params' : 'a design'} (a sweep), not both`, found: describeValue(n[key]) });
  }
}

/**
 * Checks the parsed data of an experiment file and fills in its defaults; throws a ScenarioError
 * naming `file` and listing every problem.
 */
export function parseExperiment(raw: unknown, file: string): Experiment {
  if (!isMapping(raw)) throw new ScenarioError(file, [{ path: '', expected: 'a mapping of experiment keys (experiment: name, scenario: …)', found: describeValue(raw) }]);
  const problems: ScenarioProblem[] = [];
  const data = normalize(raw, problems);
  // Misspelt metrics are reported with the schema's problems, not after they are fixed.
  const metrics = data['metrics'];
  if (Array.isArray(metrics)) checkMetricNames(metrics, problems);
  const result = normalSchema.safeParse(data);
  if (!result.success) throw new ScenarioError(file, [...problemsFromIssues(result.error.issues, data, normalSchema), ...problems]);
  const n = result.data;
  const reported = new Set(problems.map((p) => p.path));
  const params = (n.params ?? []).flatMap((p, i) => (reported.has(`params.${i}`) ? [] : (paramSpec(p, `params.${i}`, problems) ?? [])));
  checkSettings(n.set ?? [], 'set', problems);
  n.variants?.forEach((v, i) => checkSettings(v.set ?? [], `variants.${i}.set`, problems));
  checkKind(n, problems);
  if (problems.length > 0) throw new ScenarioError(file, problems);
  const kind = n.variants === undefined ? 'sweep' : 'compare';
  return {
    name: n.experiment,
    description: n.description,
    kind,
    ...(n.scenario === undefined ? {} : { scenario: n.scenario }),
    set: n.set ?? [],
    params,
    design: n.design ?? 'grid',
    ...(n.samples === undefined ? {} : { samples: n.samples }),
    ...(n.levels === undefined ? {} : { levels: n.levels }),
    replications: n.replications ?? (kind === 'compare' ? 10 : 1),
    ...(n.seed === undefined ? {} : { seed: n.seed }),
    ...(n.metrics === undefined ? {} : { metrics: n.metrics as MetricName[] }),
    ...(n.columns === undefined ? {} : { columns: n.columns }),
    from: n.from,
    timeseries: n.timeseries,
    ...(n.out === undefined ? {} : { out: n.out }),
    variants: (n.variants ?? []).map((v) => ({ name: v.name, ...(v.scenario === undefined ? {} : { scenario: v.scenario }), set: v.set ?? [] })),
  };
}
