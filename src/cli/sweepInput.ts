import nodePath from 'node:path';
import { parseParam } from '../experiment/params.js';
import type { PlanOptions } from '../experiment/plan.js';
import type { Experiment } from '../experiment/experimentFile.js';
import type { DesignKind } from '../experiment/types.js';
import { ScenarioError, isScenarioError } from '../sim/scenario/errors.js';
import { scenarioStem, type ScenarioLocation } from './bundled.js';
import { CliError } from './errors.js';
import { experimentScenario, experimentWindow, locateInput, readInput, recordOption, type ExperimentArgs } from './experimentInput.js';
import { integerSettings } from './options.js';

// What `ecosim sweep` runs: the options alone (a scenario argument), or an experiment file with the
// options over it. The rule: --param given replaces the file's params; --set and --ticks are
// applied after the file's set; every other option given replaces the file's value.

export interface SweepArgs extends ExperimentArgs {
  param?: string[];
  design: DesignKind;
  samples?: number;
  levels?: number;
}

export interface SweepInput {
  /** How the scenario is named in messages and the manifest. */
  readonly label: string;
  readonly out: string;
  readonly plan: PlanOptions;
  /** Rewords a planning error about the file's params or design to name the experiment file. */
  readonly rewordError: (e: unknown) => unknown;
}

/** Whether an option was typed (rather than left at its default). */
export type Given = (option: keyof SweepArgs) => boolean;

export async function sweepInput(arg: string, options: SweepArgs, given: Given): Promise<SweepInput> {
  const location = locateInput(arg);
  const read = await readInput(location);
  if (read.kind === 'experiment') return fromExperiment(location, read.experiment, options, given);
  const params = (options.param ?? []).map(parseParam);
  return {
    label: location.label,
    out: options.out ?? nodePath.join('out', `${scenarioStem(location.path)}-sweep`),
    plan: {
      scenario: location.path,
      file: location.label,
      settings: [...(options.set ?? []), ...integerSettings(location.label, { ticks: options.ticks })],
      params,
      design: options.design,
      samples: options.samples,
      levels: options.levels,
      replications: options.replications,
      seed: options.seed,
      timeseries: options.timeseries === true,
      from: options.from,
      fromSource: { file: location.label, path: '--from' },
      ...recordOption(options),
    },
    rewordError: (e) => e,
  };
}

export function fromExperiment(location: ScenarioLocation, x: Experiment, options: SweepArgs, given: Given): SweepInput {
  if (x.kind === 'compare') throw new CliError(`${location.label}: expected an experiment with params (a sweep), found one with variants (a comparison): run it with ecosim compare ${location.label}`);
  const scenario = experimentScenario(x.scenario!, location, 'scenario');
  const params = given('param') ? (options.param ?? []).map(parseParam) : x.params;
  const design = given('design') ? options.design : x.design;
  const pick = <K extends 'samples' | 'levels' | 'replications' | 'seed'>(key: K, own: SweepArgs[K] | undefined) => (given(key) ? options[key] : own);
  const shared = experimentWindow(x, options, given, { experiment: location.label, scenario: scenario.label });
  const designFromFile = !given('design') && !given('samples') && !given('levels');
  return {
    label: scenario.label,
    out: options.out ?? x.out ?? nodePath.join('out', x.name),
    plan: {
      scenario: scenario.source,
      file: scenario.label,
      settings: [...x.set, ...(options.set ?? []), ...integerSettings(scenario.label, { ticks: options.ticks })],
      params,
      design,
      samples: pick('samples', x.samples),
      levels: pick('levels', x.levels),
      replications: pick('replications', x.replications) ?? 1,
      seed: pick('seed', x.seed),
      ...shared,
    },
    rewordError: (e) => {
      if (!isScenarioError(e)) return e;
      // Problems of the file's parameters and design are the file's, at their key paths.
      if (e.file === '--param' && !given('param')) {
        return new ScenarioError(location.label, e.problems.map((p) => ({ ...p, path: paramAt(params, p.path) })));
      }
      if (e.file.startsWith('--design') && designFromFile) return new ScenarioError(location.label, e.problems);
      return e;
    },
  };
}

function paramAt(params: readonly { path: string }[], path: string): string {
  const i = params.findIndex((p) => p.path === path);
  return i < 0 ? 'params' : `params.${i}`;
}
