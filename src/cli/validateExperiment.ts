import { checkMetrics, DEFAULT_COMPARE_METRICS, parseVariant, type CompareArm } from '../experiment/compare.js';
import type { Experiment } from '../experiment/experimentFile.js';
import { sweepExperimentRecord } from '../experiment/experimentRecord.js';
import { planSweep, resolveWithSeed } from '../experiment/plan.js';
import { METRIC_NAMES } from '../sim/metrics.js';
import { readRawScenario } from '../sim/scenario/load.js';
import { checkWarmup } from '../sim/warmup.js';
import type { ScenarioLocation } from './bundled.js';
import { compareInput } from './compareInput.js';
import { withScenarioFile } from './errors.js';
import { integerSettings } from './options.js';
import { fromExperiment } from './sweepInput.js';

// ecosim validate <experiment>: every check a sweep or comparison makes before its first run (the
// file, its scenarios with their overrides, the parameters and design, the warm-up, the columns),
// and nothing run. Options given apply over the file as they would on sweep or compare.

export interface ValidateExperimentOptions {
  readonly set?: string[];
  readonly seed?: string;
  readonly ticks?: string;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** Checks an experiment; returns the one line that says what it would run, and its resolved record. */
export async function validateExperiment(location: ScenarioLocation, x: Experiment, options: ValidateExperimentOptions): Promise<{ line: string; record: unknown }> {
  const seed = options.seed === undefined ? undefined : Number(integerSettings(location.label, { seed: options.seed })[0]!.slice('seed='.length));
  const typed = (key: string) => (key === 'set' && options.set !== undefined) || (key === 'ticks' && options.ticks !== undefined) || (key === 'seed' && seed !== undefined);
  if (x.kind === 'sweep') {
    const input = fromExperiment(location, x, { design: x.design, replications: x.replications, set: options.set, ticks: options.ticks, seed }, typed);
    let plan: Awaited<ReturnType<typeof planSweep>>;
    try {
      plan = await withScenarioFile(input.label, () => planSweep(input.plan));
    } catch (e) {
      throw input.rewordError(e);
    }
    const runs = `${plural(plan.design.points.length, 'point')} × ${plural(plan.replications, 'replication')} = ${plural(plan.runs.length, 'run')}`;
    return { line: `ok: ${location.label} (experiment ${x.name}: a ${plan.design.kind} sweep of ${plan.label}, ${runs})`, record: sweepExperimentRecord({ ...plan, scenario: plan.label, from: plan.from ?? 0, record: plan.record }) };
  }
  const input = compareInput(location, x, { replications: x.replications, set: options.set, ticks: options.ticks, seed }, typed, parseVariant);
  const arms: CompareArm[] = [];
  let base = input.seed;
  for (const a of input.arms) {
    const file = a.file!;
    const scenario = await withScenarioFile(file, async () => resolveWithSeed(await readRawScenario(a.scenario, file, a.settings ?? []), file, base));
    base ??= scenario.seed;
    arms.push({ name: a.name, file, settings: [...(a.settings ?? [])], scenario });
  }
  const columns = [...(input.columns ?? DEFAULT_COMPARE_METRICS)];
  checkMetrics(columns, arms);
  const from = checkWarmup(input.from, Math.min(...arms.map((a) => a.scenario.ticks)), input.fromSource.file, input.fromSource.path);
  const record = {
    variants: arms.map((a) => ({ name: a.name, scenario: a.file, set: a.settings })),
    replications: input.replications,
    seed: base,
    columns,
    metrics: [...(input.record ?? METRIC_NAMES)],
    from,
    timeseries: input.timeseries,
  };
  return { line: `ok: ${location.label} (experiment ${x.name}: a comparison of ${plural(arms.length, 'variant')} × ${plural(input.replications, 'replication')})`, record };
}
