import nodePath from 'node:path';
import type { CompareArmInput } from '../experiment/compare.js';
import type { Experiment } from '../experiment/experimentFile.js';
import type { ScenarioLocation } from './bundled.js';
import { CliError } from './errors.js';
import { experimentScenario, experimentWindow, locateInput, readInput, type ExperimentArgs, type ExperimentWindow } from './experimentInput.js';
import { integerSettings } from './options.js';

// What `ecosim compare <experiment>` runs: the experiment file's variants, with the options over
// it. The rule: --variant given replaces the file's variants (of its scenario); --set and --ticks
// apply after the experiment's set and before each variant's; --metric replaces its columns; every
// other option given replaces the file's value.

export interface CompareArgs extends ExperimentArgs {
  variant?: string[];
}

export interface CompareInput extends ExperimentWindow {
  readonly arms: CompareArmInput[];
  readonly replications: number;
  readonly seed?: number;
  readonly columns?: readonly string[];
  /** The output directory: --out, the experiment's out, or out/<experiment name>. */
  readonly out: string;
}

/** Whether an option was typed (rather than left at its default). */
export type Given = (option: keyof CompareArgs) => boolean;

/** The experiment file the one argument of compare names, or undefined when it is a scenario. */
export async function compareExperiment(args: readonly string[]): Promise<{ location: ScenarioLocation; experiment: Experiment } | undefined> {
  if (args.length !== 1) return undefined;
  const location = locateInput(args[0]!);
  const read = await readInput(location);
  return read.kind === 'experiment' ? { location, experiment: read.experiment } : undefined;
}

export function compareInput(
  location: ScenarioLocation,
  x: Experiment,
  options: CompareArgs,
  given: Given,
  parseVariant: (text: string) => { name: string; settings: string[] },
): CompareInput {
  if (x.kind === 'sweep' && !given('variant')) {
    throw new CliError(`${location.label}: expected an experiment with variants (a comparison), found one with params (a sweep): run it with ecosim sweep ${location.label}, or give two or more --variant options`);
  }
  const main = x.scenario === undefined ? undefined : experimentScenario(x.scenario, location, 'scenario');
  const label = main?.label ?? location.label;
  const shared = [...x.set, ...(options.set ?? []), ...integerSettings(label, { ticks: options.ticks })];
  let arms: CompareArmInput[];
  if (given('variant')) {
    if (main === undefined) throw new CliError(`--variant: expected an experiment with a scenario to make variants of, found none in ${location.label}`);
    const variants = (options.variant ?? []).map(parseVariant);
    if (variants.length < 2) throw new CliError('compare needs two or more --variant options (add "--variant base:" for the scenario unchanged)');
    arms = variants.map((v) => ({ name: v.name, scenario: main.source, file: main.label, settings: [...shared, ...v.settings] }));
  } else {
    arms = x.variants.map((v, i) => {
      const own = v.scenario === undefined ? main! : experimentScenario(v.scenario, location, `variants.${i}.scenario`);
      return { name: v.name, scenario: own.source, file: own.label, settings: [...shared, ...v.set] };
    });
  }
  return {
    arms,
    replications: given('replications') ? options.replications : x.replications,
    seed: given('seed') ? options.seed : x.seed,
    ...(x.columns === undefined ? {} : { columns: x.columns }),
    ...experimentWindow(x, options, given, { experiment: location.label, scenario: label }),
    out: options.out ?? x.out ?? nodePath.join('out', x.name),
  };
}
