// Stage 1 of a sweep (as in Mesa's batch runner, building the parameter combinations is a stage of
// its own): scenario + parameters + design → points → runs, each with its derived seed, all decided
// before the first run. The later stages (sweep.ts runs them, sweepOutputs.ts writes them) and every
// execution backend start from this plan.

import { ScenarioError, isScenarioError, type ScenarioProblem } from '../sim/scenario/errors.js';
import { setPath } from '../sim/scenario/keypath.js';
import { readRawScenario, resolveScenario } from '../sim/scenario/load.js';
import type { Scenario } from '../sim/scenario/schema.js';
import type { MetricName } from '../sim/metrics.js';
import { checkWarmup } from '../sim/warmup.js';
import { VERSION } from '../version.js';
import { buildDesign } from './designs.js';
import { experimentHash } from './journal.js';
import { deriveSeed } from './seeds.js';
import type { Design, DesignKind, ParamSpec, ParamValue } from './types.js';
import { runScenario, type RunRecord, type RunSpec } from './worker.js';

/** Scenario data as a library user passes it: a file to read, or raw data (as parsed from YAML). */
export type ScenarioSource = string | Readonly<Record<string, unknown>>;

/** A run that failed, with everything needed to repeat it. */
export interface RunFailure {
  readonly run: number;
  readonly point: number;
  readonly replication: number;
  readonly seed: number;
  readonly values: Readonly<Record<string, ParamValue>>;
  readonly error: string;
}

/** What decides a sweep's plan (the options of `sweep` that do not say how or where it runs). */
export interface PlanOptions {
  /** A scenario file (YAML or JSON), or raw scenario data. */
  readonly scenario: ScenarioSource;
  /** How the scenario is named in messages and the manifest (default: the file, or "<object>"). */
  readonly file?: string;
  /** `key.path=value` overrides applied to the scenario before the parameters, in order. */
  readonly settings?: readonly string[];
  readonly params: readonly ParamSpec[];
  /** Default "grid". */
  readonly design?: DesignKind;
  readonly samples?: number;
  readonly levels?: number;
  /** Runs per design point, each with its own seed (default 1). */
  readonly replications?: number;
  /** The base seed of the run seeds and of sampled designs (default: the scenario's seed). */
  readonly seed?: number;
  /** Also write timeseries.csv, every run's per-tick metrics. */
  readonly timeseries?: boolean;
  /** The warm-up window: run summaries count only ticks >= from (default 0, every tick). */
  readonly from?: number;
  /** The metrics to record (default all): the summary columns and timeseries rows of those metrics only. */
  readonly record?: readonly MetricName[];
  /** How `from` is named in messages (default "options"; an experiment file names itself). */
  readonly fromSource?: { readonly file: string; readonly path: string };
}

/** What a sweep will run, all decided before the first run. */
export interface SweepPlan {
  readonly label: string;
  readonly settings: readonly string[];
  /** The raw scenario with overrides and base seed applied: what each run starts from. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** The resolved base scenario (before parameters). */
  readonly base: Scenario;
  readonly design: Design;
  readonly replications: number;
  readonly seed: number;
  readonly timeseries: boolean;
  /** The warm-up window (absent or 0: every tick counts). */
  readonly from?: number;
  /** The metrics recorded (absent: all). */
  readonly record?: readonly MetricName[];
  /** Every run, in run order: run = point × replications + replication. */
  readonly runs: readonly RunSpec[];
  /** Hash of everything that decides the results: a journal from other settings is refused. */
  readonly hash: string;
}

/** A whole-number option (replications, workers) or its default; bad input is a ScenarioError of "options". */
export function checkCount(name: string, value: number | undefined, min: number, fallback: number): number {
  const n = value ?? fallback;
  if (!Number.isSafeInteger(n) || n < min) throw new ScenarioError('options', [{ path: name, expected: `a whole number >= ${min}`, found: String(value) }]);
  return n;
}

/** Applies a base seed to raw data and resolves it: the seed is checked as any scenario key. */
export function resolveWithSeed(raw: Record<string, unknown>, label: string, seed: number | undefined): Scenario {
  if (seed !== undefined) setPath(raw, 'seed', seed);
  return resolveScenario(raw, label);
}

const isUnknownKey = (p: ScenarioProblem) => p.found.startsWith('unknown key');

/**
 * Checks that the parameters name scenario keys, with the first point: a misspelt path is bad input
 * for the whole sweep, while a value the schema rejects only fails the runs of its point.
 */
function checkParamPaths(raw: unknown, label: string, design: Design): void {
  for (const p of design.params) {
    if (p.path === 'seed') {
      throw new ScenarioError('--param', [{ path: 'seed', expected: 'a scenario key other than seed (each run gets its own seed from --seed; use --replications for more runs)', found: 'seed' }]);
    }
  }
  const first = design.points[0];
  if (first === undefined) return;
  try {
    runScenario(raw, label, { run: 0, point: 0, replication: 0, seed: 0, values: first.values });
  } catch (e) {
    if (!isScenarioError(e)) throw e;
    // setPath reports a path that cannot be set (a missing platform, a list index too far) as "--set".
    if (e.file === '--set') throw new ScenarioError('--param', e.problems);
    const unknown = e.problems.filter(isUnknownKey);
    if (unknown.length > 0) throw new ScenarioError('--param', unknown);
  }
}

/** Stage 1: reads the scenario, builds the design and lists every run. Bad input throws here. */
export async function planSweep(options: PlanOptions): Promise<SweepPlan> {
  const label = options.file ?? (typeof options.scenario === 'string' ? options.scenario : '<object>');
  const settings = [...(options.settings ?? [])];
  const replications = checkCount('replications', options.replications, 1, 1);
  const raw = await readRawScenario(options.scenario, label, settings);
  const base = resolveWithSeed(raw, label, options.seed);
  const seed = base.seed;
  const kind = options.design ?? 'grid';
  const design = buildDesign(kind, options.params, { seed, samples: options.samples, levels: options.levels });
  checkParamPaths(raw, label, design);
  const from = checkWarmup(options.from, base.ticks, options.fromSource?.file, options.fromSource?.path);
  const inputs: PlanInputs = { label, settings, raw, design, replications, seed, timeseries: options.timeseries === true, from, ...(options.record === undefined ? {} : { record: options.record }) };
  return assemblePlan(inputs, base);
}

/** What a plan is made of; its base scenario, runs and hash follow from these (a sweep part records them). */
export type PlanInputs = Pick<SweepPlan, 'label' | 'settings' | 'raw' | 'design' | 'replications' | 'seed' | 'timeseries' | 'from' | 'record'>;

/** The plan of `inputs`: every run with its derived seed, and the hash. `base` is resolved from `raw` when not given. */
export function assemblePlan(inputs: PlanInputs, base: Scenario = resolveScenario(structuredClone(inputs.raw), inputs.label)): SweepPlan {
  const { label, settings, raw, design, replications, seed, timeseries, from, record } = inputs;
  const runs: RunSpec[] = [];
  for (const point of design.points) {
    for (let r = 0; r < replications; r++) {
      runs.push({ run: point.index * replications + r, point: point.index, replication: r, seed: deriveSeed(seed, point.index, r), values: point.values });
    }
  }
  // A warm-up changes every summary, and the metrics recorded the columns: both are part of the
  // hash, so a journal or a shard of other settings is refused (left out when not given, so the
  // journals of sweeps without them keep their hash).
  const hash = experimentHash({
    version: VERSION, scenario: raw, design, replications, seed, timeseries,
    ...(from !== undefined && from > 0 ? { from } : {}),
    ...(record === undefined ? {} : { record }),
  });
  return { label, settings, raw, base, design, replications, seed, timeseries, from: from ?? 0, ...(record === undefined ? {} : { record: [...record] }), runs, hash };
}

export function failuresOf(records: readonly RunRecord[]): RunFailure[] {
  return records
    .filter((r) => r.status === 'failed')
    .map((r) => ({ run: r.run, point: r.point, replication: r.replication, seed: r.seed, values: r.values, error: r.error ?? '' }));
}

