import { readRawScenario } from '../sim/scenario/load.js';
import { isExperimentData, parseExperiment, type Experiment } from './experimentFile.js';

// Reading an experiment file: its text is read and checked for defects as a scenario file's is
// (YAML or JSON, never evaluated; duplicate keys, special values and depth refused), then checked
// as an experiment (experimentFile.ts).

/** A file read as what it is: an experiment file (with `experiment:`), or scenario data. */
export type ReadInput =
  | { readonly kind: 'experiment'; readonly experiment: Experiment }
  | { readonly kind: 'scenario'; readonly raw: Record<string, unknown> };

/** Reads a file that may be an experiment or a scenario; bad experiment files throw a ScenarioError naming `label`. */
export async function readInputFile(path: string, label: string): Promise<ReadInput> {
  const raw = await readRawScenario(path, label);
  if (!isExperimentData(raw)) return { kind: 'scenario', raw };
  return { kind: 'experiment', experiment: parseExperiment(raw, label) };
}
